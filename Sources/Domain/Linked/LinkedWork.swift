import Foundation

/// A group's dossier as the chain needs it: whether it is still open, and the applicant for the commands.
public struct LinkedDossier: Sendable, Equatable {
    public var status: DossierStatus
    public var applicant: Applicant

    public init(status: DossierStatus, applicant: Applicant) {
        self.status = status
        self.applicant = applicant
    }
}

/// A group to write back, and what of it changed.
public struct LinkedChange: Sendable, Equatable {
    public var group: LinkedGroup
    public var steps: Set<String>
    public var groupRow: Bool
}

/// Everything a batch of saga events writes, built without I/O: rows to update, commands and alerts for
/// the outbox, history lines and closing actions for the journal, dossiers to replay.
public struct LinkedEffects: Sendable {
    public var changes: [String: LinkedChange] = [:]
    public var outbox: [OutboxMessage] = []
    /// History lines and the closing actions, in order.
    public var journal: [JournalEntry] = []
    /// The closing actions (also in `journal`): intake checks officers' actions against them.
    public var closures: [JournalEntry] = []
    /// Dossiers the closing actions change: replayed by the projection (which cancels their deadline timers).
    public var project: Set<String> = []

    public init() {}

    public var isEmpty: Bool { changes.isEmpty && outbox.isEmpty && journal.isEmpty && project.isEmpty }
}

/// Applies saga events to loaded groups, one after another (several events for one group in a batch see
/// each other's effects), and turns the transitions into effects. Pure.
public struct LinkedWork: Sendable {
    public static let source = EventSource.worker("chains")

    public let policy: LinkedPolicy
    public let environment: LinkedEnvironment
    public private(set) var groups: [String: LinkedGroup]
    public let dossiers: [String: LinkedDossier]
    public private(set) var effects = LinkedEffects()

    public init(
        policy: LinkedPolicy, environment: LinkedEnvironment, groups: [String: LinkedGroup],
        dossiers: [String: LinkedDossier]
    ) {
        self.policy = policy
        self.environment = environment
        self.groups = groups
        self.dossiers = dossiers
    }

    /// Applies `event` to the group of dossier `code`; nil when the dossier has no group. A group whose
    /// dossier an officer closed stops first (and the event then changes nothing).
    /// - Parameters:
    ///   - source: the CloudEvents source of the message that caused it, for the journal.
    ///   - actor: who did it, for the history (a partner's agency, an operator…).
    @discardableResult
    public mutating func apply(
        _ event: LinkedEvent, to code: String, source: String = LinkedWork.source,
        eventId: String? = nil, actor: String? = nil
    ) throws -> LinkedTransition? {
        guard groups[code] != nil else { return nil }
        try stopIfClosed(code, source: source, eventId: eventId)
        let transition = LinkedSaga.handle(groups[code]!, event, policy: policy, environment: environment)
        try record(transition, source: source, eventId: eventId, actor: actor)
        return transition
    }

    /// Stops the group of `code` if its dossier is closed and the group still runs.
    public mutating func stopIfClosed(_ code: String, source: String = LinkedWork.source, eventId: String? = nil)
        throws
    {
        guard let group = groups[code], let status = dossiers[code]?.status, status.isClosed, !group.isOver else {
            return
        }
        try record(
            LinkedSaga.handle(
                group, .dossierClosed(status: status.rawValue), policy: policy,
                environment: environment), source: source, eventId: eventId, actor: "motcua")
    }

    private mutating func record(_ transition: LinkedTransition, source: String, eventId: String?, actor: String?)
        throws
    {
        guard transition.changed else { return }
        let group = transition.group
        let code = group.dossierCode
        groups[code] = group
        var change = effects.changes[code] ?? LinkedChange(group: group, steps: [], groupRow: false)
        change.group = group
        change.steps.formUnion(transition.changedSteps)
        change.groupRow = change.groupRow || transition.groupChanged
        effects.changes[code] = change
        let now = environment.now

        for command in transition.commands {
            guard let applicant = dossiers[code]?.applicant else {
                throw LinkedWorkError("dossier \(code) of a linked group is not recorded")
            }
            let data = PartnerCommand(
                requestId: command.requestId, dossierCode: code, group: group.kind,
                step: command.step, attempt: command.attempt, applicant: applicant,
                inputs: command.inputs)
            let event = CloudEvent(
                id: command.requestId, source: Self.source, routingKey: command.step,
                exchange: Topology.partners, time: now, subject: code, data: data)
            effects.outbox.append(
                OutboxMessage(
                    exchange: Topology.partners, routingKey: command.step,
                    messageId: command.requestId, body: try JSONCoding.encodeString(event)))
        }
        for note in transition.notes {
            let agency = note.step.map { LinkedGroupKind.agency(of: $0) }
            effects.journal.append(
                JournalEntry(
                    dossierCode: code, type: note.kind.rawValue, at: now,
                    actor: note.kind == .rearmed ? (actor ?? "operator") : (agency ?? actor ?? "motcua"),
                    reason: note.detail, source: source, eventId: eventId))
        }
        for name in transition.stuck {
            guard let step = group.step(name) else { continue }
            let alert = LinkedStepFailed(
                dossierCode: code, unitCode: group.unitCode, group: group.kind, step: name,
                agency: step.agency, attempts: step.attempts, lastError: step.lastError,
                missingFields: step.missingFields)
            effects.outbox.append(
                try .alert(
                    "linked.step_failed.\(group.kind.rawValue)", source: Self.source,
                    subject: code, data: alert, time: now,
                    id: "linked:\(code):\(name):stuck:\(step.attempts)"))
        }
        if let outcome = transition.ended {
            let action = DossierAction(
                type: outcome == .failed ? .reject : .resolve, at: now, by: "motcua",
                reason: Self.closingReason(group, outcome), linked: outcome)
            let entry = try JournalEntry.action(
                DossierActionEvent(code: code, action: action), source: Self.source,
                eventId: "linked:\(code):\(outcome.rawValue)")
            effects.journal.append(entry)
            effects.closures.append(entry)
            effects.project.insert(code)
            let completed = LinkedCompleted(
                dossierCode: code, unitCode: group.unitCode, group: group.kind,
                outcome: outcome, steps: group.steps.map(LinkedStepView.init))
            effects.outbox.append(
                try .alert(
                    "linked.completed.\(group.kind.rawValue)", source: Self.source,
                    subject: code, data: completed, time: now,
                    id: "linked:\(code):completed"))
        }
    }

    /// Why the chain closes the dossier, for its history.
    static func closingReason(_ group: LinkedGroup, _ outcome: LinkedOutcome) -> String {
        let rejected = group.steps.filter { $0.status == .rejected }
            .map { "\($0.name) (\($0.lastError ?? "rejected"))" }
        switch outcome {
        case .completed: return "linked \(group.kind.rawValue) group completed: every step done"
        case .partial:
            return "linked \(group.kind.rawValue) group partial: rejected " + rejected.joined(separator: ", ")
        case .failed: return "linked \(group.kind.rawValue) group failed: rejected " + rejected.joined(separator: ", ")
        }
    }
}

public struct LinkedWorkError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

extension LinkedStepView {
    /// A step as the read model, `motcua linked list` and `linked.completed` show it.
    public init(_ step: LinkedStep) {
        self.init(
            step: step.name, agency: step.agency, status: step.status.rawValue, attempts: step.attempts,
            lastError: step.lastError, missingFields: step.missingFields, nextAttemptAt: step.nextAttemptAt,
            waitingSince: step.since)
    }
}

extension LinkedGroupView {
    public init(_ group: LinkedGroup) {
        self.init(
            group: group.kind, outcome: group.outcome?.rawValue, stopped: group.stopped,
            steps: group.steps.map(LinkedStepView.init))
    }
}
