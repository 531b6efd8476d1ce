import Domain
import Foundation
import Testing

/// JSON members in a stable order (issue 18): the order CONTRACT.md lists them in, `code` and `status`
/// first, whatever process writes them.
@Suite struct JSONOrderTests {
    static let at = Timestamp.parse("2026-11-20T09:00:00+07:00")!
    static let dossier = DossierReceived(
        code: "000.00.19.H56-261120-0001", procedureCode: "1.001193", unitCode: "000.00.19.H56", channel: .online,
        onlineLevel: .full,
        applicant: Applicant(personalId: "051095001234", fullName: "Nguyễn Văn A", phone: "0905000000"),
        components: [Component(name: "Tờ khai", digitized: false)], receivedAt: at,
        dueAt: at.addingTimeInterval(86_400),
        idempotencyKey: nil, linkedGroup: LinkedGroupChoice(group: .birth, steps: ["permanent_residence"]))
    static let catalog = CatalogSnapshot(try! Catalog.parse(DefaultCatalog.data()))

    @Test func theDossierViewReadsInTheContractsOrder() throws {
        var view = DossierView.accepted(Self.dossier, issuedAt: Self.at, catalog: Self.catalog)
        view.apology = ApologyLetter(
            number: "1/2026/XL-000.00.19.H56", reason: "r", newDueAt: Self.at, issuedAt: Self.at,
            timely: true)
        let text = try JSONCoding.encodeString(view)
        #expect(text.hasPrefix(#"{"code":"000.00.19.H56-261120-0001","status":"received","#))
        #expect(
            Self.keys(text) == [
                "code", "status", "procedureCode", "unitCode", "channel", "onlineLevel", "receivedAt", "dueAt",
                "originalDueAt", "closedAt", "timing", "apology", "components", "result", "payments", "linkedGroup",
                "history", "fullyDigitized", "resultDigitized", "handlingUnit", "paidNetVnd", "provisional",
                "receivingUnit", "receivingUnitCode",
            ])
        #expect(Self.keys(try Self.member(text, "apology")) == ["number", "reason", "newDueAt", "issuedAt", "timely"])
        #expect(Self.keys(try Self.member(text, "history")) == ["type", "at", "recordedAt", "by", "reason", "refused"])
        let group = try Self.member(text, "linkedGroup")
        #expect(Self.keys(group).starts(with: ["group", "outcome"]) && Self.keys(group).last == "steps")
        #expect(
            Self.keys(try Self.member(group, "steps")).starts(with: [
                "step", "agency", "status", "attempts", "lastError",
            ]))
        #expect(Self.keys(try Self.member(text, "components")).starts(with: ["name", "digitized"]))
        // The same bytes every time.
        #expect(try JSONCoding.encodeString(view) == text)
    }

    @Test func aDeadlineAlertReadsInTheContractsOrderInsideItsEnvelope() throws {
        var state = DossierState(
            code: Self.dossier.code, unitCode: Self.dossier.unitCode, receivedAt: Self.at,
            dueAt: Self.at.addingTimeInterval(86_400))
        state.apology = ApologyLetter(
            number: "1/2026/XL-000.00.19.H56", reason: "r", newDueAt: Self.at, issuedAt: Self.at,
            timely: false)
        let facts = DossierFacts(
            code: Self.dossier.code, unitCode: Self.dossier.unitCode,
            procedureCode: Self.dossier.procedureCode, channel: .online,
            applicant: Self.dossier.applicant)
        let alert = DeadlineAlert(
            dossier: facts, state: state, procedureName: nil, now: Self.at.addingTimeInterval(90_000))
        let event = CloudEvent(
            source: "/motcua/workers/deadlines", routingKey: "deadline.overdue.000.00.19.H56",
            subject: Self.dossier.code, data: alert)
        let text = try JSONCoding.encodeString(event)
        #expect(
            Self.keys(text) == ["specversion", "id", "source", "type", "time", "subject", "datacontenttype", "data"])
        let data = try Self.member(text, "data")
        #expect(
            Self.keys(data) == [
                "dossierCode", "unitCode", "procedureCode", "procedureName", "channel", "applicant", "receivedAt",
                "dueAt",
                "originalDueAt", "overdueSeconds", "apology",
            ])
        #expect(Self.keys(try Self.member(data, "applicant")) == ["fullName", "phone", "email"])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(data.utf8)) as? [String: Any])
        #expect(json["procedureName"] is NSNull && json["overdueSeconds"] as? Int == 3600)
    }

    @Test func theEncoderWritesWhatFoundationReadsBack() throws {
        struct Sample: Encodable {
            var text = "quote \" backslash \\ slash / tab \t line \n bell \u{07} Việt"
            var whole = 2.0
            var fraction = 98.29
            var tiny = 1e-7
            var numbers: [Int] = [1, -2]
            var empty: [String] = []
            var nothing: String?
            @ExplicitNull var null: String?
            var byKey = ["b": 2, "a": 1, "C": 3]
        }
        let text = try JSONCoding.encodeString(Sample())
        #expect(text.contains(#""whole":2,"#) && text.contains(#"slash / tab"#))
        #expect(text.contains(#""byKey":{"C":3,"a":1,"b":2}"#), "a dictionary is written sorted")
        #expect(!text.contains("nothing"))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(json["text"] as? String == Sample().text)
        #expect(json["fraction"] as? Double == 98.29 && json["tiny"] as? Double == 1e-7)
        #expect(json["null"] is NSNull && (json["empty"] as? [Any])?.isEmpty == true)
        #expect(throws: EncodingError.self) { try JSONCoding.encodeString(["x": Double.nan]) }
        let pretty = try JSONCoding.encodeString(["a": [1, 2]], pretty: true)
        #expect(pretty == "{\n  \"a\": [\n    1,\n    2\n  ]\n}")
    }

    /// The member names of the object `text` is, in the order they are written.
    static func keys(_ text: String) -> [String] { members(text).map(\.key) }

    /// The raw text of the member `key` of the object `text`, as written.
    static func member(_ text: String, _ key: String) throws -> String {
        try #require(members(text).first { $0.key == key }?.raw)
    }

    /// The members of the first object in `text` (of `[{…}, …]` too: the first element's), in the order
    /// written, each with its value's raw text. Parsing with Foundation would lose the order under test.
    static func members(_ text: String) -> [(key: String, raw: String)] {
        let bytes = Array(text.utf8)
        let (quote, backslash, colon, comma) = (
            UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: ":"), UInt8(ascii: ",")
        )
        var found: [(key: String, raw: String)] = []
        var depth = 0
        var index = bytes.first == UInt8(ascii: "[") ? 1 : 0
        var key: String?
        var valueStart = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == quote {
                var end = index + 1
                while bytes[end] != quote { end += bytes[end] == backslash ? 2 : 1 }
                if depth == 1, key == nil, end + 1 < bytes.count, bytes[end + 1] == colon {
                    key = String(decoding: bytes[(index + 1)..<end], as: UTF8.self)
                    valueStart = end + 2
                    index = end + 2
                } else {
                    index = end + 1
                }
                continue
            }
            if byte == UInt8(ascii: "{") || byte == UInt8(ascii: "[") { depth += 1 }
            if byte == UInt8(ascii: "}") || byte == UInt8(ascii: "]") { depth -= 1 }
            if let name = key, depth == 0 || (depth == 1 && byte == comma) {
                found.append((name, String(decoding: bytes[valueStart..<index], as: UTF8.self)))
                key = nil
            }
            if depth == 0 { break }
            index += 1
        }
        return found
    }
}
