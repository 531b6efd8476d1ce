import Foundation

/// An alert of `motcua.alerts` that means something to the applicant, read from its CloudEvent: the
/// apology letter, a linked group that ended, a linked step stuck on information only the citizen can
/// give. Everything else (due soon, overdue, escalated, a payment mismatch, a step stuck on a partner
/// agency) is for the agency: `read` answers nil and the notifier drops it. No contact is read here:
/// the notifier looks the applicant up by `dossierCode`.
public struct CitizenAlert: Sendable, Equatable {
    public enum Content: Sendable, Equatable {
        /// Mẫu 04: its number, the reason, and the new appointment.
        case apology(number: String, reason: String, newDueAt: Date, procedureName: String?)
        /// The group ended and the dossier closed with it.
        case linkedCompleted(group: LinkedGroupKind, outcome: LinkedOutcome)
        /// A step of the group is stuck until the citizen provides these fields.
        case missingInformation(group: LinkedGroupKind, step: String, fields: [String])
    }

    /// The CloudEvents id: with the channel, the notification's reference.
    public var id: String
    public var dossierCode: String
    public var content: Content

    public init(id: String, dossierCode: String, content: Content) {
        self.id = id
        self.dossierCode = dossierCode
        self.content = content
    }

    /// The routing-key patterns the notifier binds on `motcua.alerts` (CONTRACT.md's AMQP section).
    public static let bindings = ["deadline.apology_issued.#", "linked.completed.#", "linked.step_failed.#"]

    /// The alert in `body` (a CloudEvent under `routingKey`) as it concerns the citizen; nil when it does
    /// not; throws when it is not a readable alert of the kinds bound.
    public static func read(routingKey: String, body: Data) throws -> CitizenAlert? {
        let header = try JSONCoding.decode(EventHeader.self, from: body)
        switch header.type {
        case "vn.motcua.deadline.apology_issued":
            let event = try JSONCoding.decode(CloudEvent<ApologyData>.self, from: body)
            guard let letter = event.data.apology else { return nil }
            return CitizenAlert(
                id: event.id, dossierCode: event.data.dossierCode,
                content: .apology(
                    number: letter.number, reason: letter.reason, newDueAt: letter.newDueAt,
                    procedureName: event.data.procedureName))
        case "vn.motcua.linked.completed":
            let event = try JSONCoding.decode(CloudEvent<CompletedData>.self, from: body)
            return CitizenAlert(
                id: event.id, dossierCode: event.data.dossierCode,
                content: .linkedCompleted(group: event.data.group, outcome: event.data.outcome))
        case "vn.motcua.linked.step_failed":
            let event = try JSONCoding.decode(CloudEvent<StepFailedData>.self, from: body)
            // Attempts used up is the agencies' matter; only missing fields need the citizen.
            guard let fields = event.data.missingFields, !fields.isEmpty else { return nil }
            return CitizenAlert(
                id: event.id, dossierCode: event.data.dossierCode,
                content: .missingInformation(group: event.data.group, step: event.data.step, fields: fields))
        default:
            return nil
        }
    }

    // Only the fields the notifier reads: the alerts' own types carry more, none of it needed here.
    struct ApologyData: Codable, Sendable {
        var dossierCode: String
        var procedureName: String?
        var apology: ApologyLetter?
    }

    struct CompletedData: Codable, Sendable {
        var dossierCode: String
        var group: LinkedGroupKind
        var outcome: LinkedOutcome
    }

    struct StepFailedData: Codable, Sendable {
        var dossierCode: String
        var group: LinkedGroupKind
        var step: String
        var missingFields: [String]?
    }
}
