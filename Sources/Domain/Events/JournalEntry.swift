import Foundation

/// One journal entry, built without I/O.
public struct JournalEntry: Sendable, Equatable {
    public let dossierCode: String
    public let type: String
    public let at: Date
    public let actor: String?
    public let reason: String?
    /// JSON.
    public let data: String
    public let source: String?
    public let eventId: String?

    public init(
        dossierCode: String, type: String, at: Date, actor: String?, reason: String?, data: String = "{}",
        source: String?, eventId: String?
    ) {
        self.dossierCode = dossierCode
        self.type = type
        self.at = at
        self.actor = actor
        self.reason = reason
        self.data = data
        self.source = source
        self.eventId = eventId
    }

    /// An officer's action as the journal keeps it; the projection decides whether it applies.
    public static func action(_ event: DossierActionEvent, source: String, eventId: String) throws -> JournalEntry {
        let action = event.action
        return JournalEntry(
            dossierCode: event.code, type: action.type.rawValue, at: action.at, actor: action.by,
            reason: action.reason, data: try JSONCoding.encodeString(action), source: source,
            eventId: eventId)
    }
}
