import Foundation

/// What due timers do, decided without I/O (DOMAIN.md §5): the alerts, the automatic letter of a
/// dossier still open at its receipt's due moment without one, and which timers are spent. A timer
/// whose dossier closed, waits for a supplement, or has moved since, fires nothing.
public enum DeadlineFiring {
    public struct Due: Sendable, Equatable {
        public let code: String
        public let kind: DeadlineKind
        public let dueAt: Date

        public init(code: String, kind: DeadlineKind, dueAt: Date) {
            self.code = code
            self.kind = kind
            self.dueAt = dueAt
        }
    }

    /// A dossier as the read model holds it now.
    public struct Dossier: Sendable {
        public let facts: DossierFacts
        public let state: DossierState

        public init(facts: DossierFacts, state: DossierState) {
            self.facts = facts
            self.state = state
        }
    }

    public struct Decision: Sendable {
        public var alerts: [OutboxMessage] = []
        /// `apology_issued` journal entries: the automatic letters.
        public var letters: [JournalEntry] = []
        /// Dossiers to replay (their letter changes their state and adds the escalation timer).
        public var project: Set<String> = []
    }

    public static let source = EventSource.worker("deadlines")

    public static func decide(_ due: [Due], dossiers: [String: Dossier], catalog: CatalogSnapshot, now: Date) throws
        -> Decision
    {
        var decision = Decision()
        for timer in due {
            guard let dossier = dossiers[timer.code], dossier.state.status.isTimeRunning else { continue }
            let state = dossier.state
            let facts = dossier.facts
            let name = catalog.procedure(facts.procedureCode, receivedAt: state.receivedAt)?.name
            func alert(_ key: String, escalatedTo: String? = nil) throws -> OutboxMessage {
                try .alert(
                    key, source: source, subject: facts.code,
                    data: DeadlineAlert(
                        dossier: facts, state: state, procedureName: name, now: now,
                        escalatedTo: escalatedTo, dueSoon: timer.kind == .dueSoon),
                    id: DeadlineSchedule.alertId(code: facts.code, kind: timer.kind, dueAt: timer.dueAt))
            }
            switch timer.kind {
            case .dueSoon:
                guard timer.dueAt == state.originalDueAt else { continue }
                decision.alerts.append(try alert("deadline.due_soon.\(facts.unitCode)"))
            case .overdue:
                guard timer.dueAt == state.originalDueAt else { continue }
                decision.alerts.append(try alert("deadline.overdue.\(facts.unitCode)"))
                guard state.apology == nil else { continue }
                let letter = AutomaticLetter.at(
                    state.originalDueAt, procedure: facts.procedureCode,
                    unit: state.handlingUnit, receivedAt: state.receivedAt, catalog: catalog)
                decision.letters.append(
                    JournalEntry(
                        dossierCode: facts.code, type: AutomaticLetter.journalType, at: letter.issuedAt,
                        actor: "motcua",
                        reason: letter.reason, data: try JSONCoding.encodeString(letter), source: source,
                        eventId: DeadlineSchedule.alertId(
                            code: facts.code, kind: AutomaticLetter.journalType,
                            dueAt: letter.newDueAt)))
                decision.project.insert(facts.code)
            case .escalated:
                guard let letter = state.apology, timer.dueAt == letter.newDueAt else { continue }
                // The receiving unit's parent then; once it has ended (a merger), the parent of the unit
                // that holds the dossier.
                let day = VietnamTime.local(timer.dueAt).date
                let holder = catalog.unit(facts.unitCode, on: day) == nil ? state.handlingUnit : facts.unitCode
                let parent = catalog.unit(holder, at: timer.dueAt)?.parent ?? facts.unitCode
                decision.alerts.append(try alert("deadline.escalated.\(parent)", escalatedTo: parent))
            }
        }
        return decision
    }
}
