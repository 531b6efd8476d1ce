import Domain
import Foundation

/// The `dossier.received` event of one submission, encoded before its code exists.
///
/// Most of the event is the request itself, whose canonical JSON intake keeps for idempotency anyway
/// (`IssuedDossiers.Request.canonical`): the draft reuses that text instead of encoding the applicant and
/// the components a second time. It is made on the request's own task, so that issuing a batch of codes
/// on the database thread only puts each code in (`json(code:)`) and encodes nothing.
struct ReceivedEventDraft: Sendable {
    /// `{"specversion":…,"time":"…","subject":"`
    private let head: String
    /// `",<dueAt, idempotencyKey, provisionalYears, receivedAt>,<the request's fields>}}`
    private let tail: String
    private static let middle = #"","datacontenttype":"application/json","data":{"code":""#

    /// - Parameters:
    ///   - request: the submission's canonical JSON: its fields, `receivedAt` only when it was given.
    ///   - receivedAt: the moment of receipt, the given one or the default.
    ///   - provisionalYears: the years without a loaded decision the due moment was counted over.
    init(
        id: String, time: Date, request: String, submission: DossierSubmission, receivedAt: Date, dueAt: Date,
        provisionalYears: [Int] = []
    ) throws {
        guard request.hasPrefix("{"), request.hasSuffix("}"), request.utf8.count > 2 else {
            throw EncodingError.invalidValue(request, .init(codingPath: [], debugDescription: "not a JSON object"))
        }
        let envelope = try JSONCoding.encodeString(Envelope(id: id, time: time))
        let receipt = try JSONCoding.encodeString(
            Receipt(
                dueAt: dueAt, idempotencyKey: submission.idempotencyKey,
                provisionalYears: provisionalYears.isEmpty ? nil : provisionalYears,
                receivedAt: submission.receivedAt == nil ? receivedAt : nil))
        head = envelope.dropLast() + #","subject":""#
        tail = "\"," + receipt.dropFirst().dropLast() + "," + request.dropFirst() + "}"
    }

    /// The event's JSON, with `code` as its subject and in its data.
    func json(code: DossierCode) throws -> String {
        let text = code.description
        // A code is a catalog unit code, digits and dashes: nothing in it needs escaping in JSON.
        guard text.utf8.allSatisfy({ $0 > 0x20 && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") && $0 < 0x7F })
        else { throw EncodingError.invalidValue(text, .init(codingPath: [], debugDescription: "unusual code")) }
        return head + text + Self.middle + text + tail
    }

    /// `CloudEvent`'s fields before `subject`; `datacontenttype` and `data` follow it in `middle`.
    private struct Envelope: Encodable {
        var specversion = "1.0"
        var id: String
        var source = EventSource.intake
        var type = DossierIntake.receivedType
        var time: Date

        init(id: String, time: Date) {
            self.id = id
            self.time = time
        }
    }

    /// What `DossierReceived` adds to the request, `code` aside.
    private struct Receipt: Encodable {
        var dueAt: Date
        var idempotencyKey: String?
        /// Only when the due moment is provisional (DOMAIN.md §11).
        var provisionalYears: [Int]?
        /// Only when the request left it out: otherwise it is in the request's JSON already.
        var receivedAt: Date?
    }
}
