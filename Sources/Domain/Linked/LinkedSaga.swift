import Foundation

/// How hard the chain tries a partner (`MOTCUA_PARTNER_*`).
public struct LinkedPolicy: Sendable, Equatable {
    /// Attempts per budget before a step is stuck (`MOTCUA_PARTNER_MAX_ATTEMPTS`, default 5).
    public var maxAttempts: Int
    /// No answer this long after the broker's confirm of a command is a failed attempt
    /// (`MOTCUA_PARTNER_TIMEOUT_SECONDS`, default 60).
    public var timeoutSeconds: Double
    /// The backoff after the first failed attempt; it doubles with each further one
    /// (`MOTCUA_PARTNER_BACKOFF_SECONDS`, default 5).
    public var backoffSeconds: Double
    /// The longest backoff (`MOTCUA_PARTNER_BACKOFF_MAX_SECONDS`, default 300).
    public var maxBackoffSeconds: Double
    /// Commands out at once per agency (steps `sent`) before a scheduled attempt waits for a free place
    /// (`MOTCUA_PARTNER_MAX_IN_FLIGHT`, default 500): under a burst the answers then wait in the queues
    /// for less than the timeout instead of timing out on their way back. Applied by the chains role
    /// when it claims send timers (`LinkedStore.claimDue`), not by the saga.
    public var maxInFlight: Int

    public init(
        maxAttempts: Int = 5, timeoutSeconds: Double = 60, backoffSeconds: Double = 5,
        maxBackoffSeconds: Double = 300, maxInFlight: Int = 500
    ) {
        self.maxAttempts = maxAttempts
        self.timeoutSeconds = timeoutSeconds
        self.backoffSeconds = backoffSeconds
        self.maxBackoffSeconds = maxBackoffSeconds
        self.maxInFlight = maxInFlight
    }

    /// The wait before the next attempt after `failures` failed attempts of the budget (1 for the
    /// first): exponential, capped, with "equal jitter" (half fixed, half random by `random` in 0…1),
    /// so steps that failed together do not all come back at the same moment.
    public func backoff(failures: Int, random: Double) -> TimeInterval {
        let ceiling = Backoff.ceiling(afterFailures: failures, base: backoffSeconds, cap: maxBackoffSeconds)
        return ceiling / 2 + ceiling / 2 * min(max(random, 0), 1)
    }
}

/// What the saga needs from the world, passed in so that it stays a pure function: the time, new
/// request ids, and a random number in 0…1 for the jitter.
public struct LinkedEnvironment: Sendable {
    public var now: Date
    public var newRequestId: @Sendable () -> String
    public var random: @Sendable () -> Double

    public init(
        now: Date, newRequestId: @escaping @Sendable () -> String = { UUID().uuidString.lowercased() },
        random: @escaping @Sendable () -> Double = { Double.random(in: 0...1) }
    ) {
        self.now = now
        self.newRequestId = newRequestId
        self.random = random
    }
}

/// What can happen to a group.
public enum LinkedEvent: Sendable, Equatable {
    /// A partner's answer.
    case answer(LinkedStepResult)
    /// A step's timer: `send` when its next attempt is due, `timeout` when an attempt went unanswered.
    case timer(step: String, requestId: String, kind: LinkedTimerKind)
    /// `motcua linked retry CODE STEP`: re-arm a stuck step with a fresh budget.
    case retry(step: String)
    /// The dossier was closed by something other than the chain (an officer's withdraw, reject…).
    case dossierClosed(status: String)
}

public enum LinkedTimerKind: String, Sendable, Codable {
    case send, timeout
}

/// A command the saga wants sent: an attempt of a step.
public struct LinkedCommand: Sendable, Equatable {
    public var step: String
    public var requestId: String
    public var attempt: Int
    public var inputs: [String: JSONValue]

    public init(step: String, requestId: String, attempt: Int, inputs: [String: JSONValue]) {
        self.step = step
        self.requestId = requestId
        self.attempt = attempt
        self.inputs = inputs
    }
}

/// Something worth a line in the dossier's history.
public struct LinkedNote: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case done = "linked_step_done"
        case rejected = "linked_step_rejected"
        case stuck = "linked_step_stuck"
        case rearmed = "linked_step_rearmed"
        case stopped = "linked_stopped"
    }

    public var kind: Kind
    public var step: String?
    public var detail: String
}

/// What an event did to a group.
public struct LinkedTransition: Sendable {
    public var group: LinkedGroup
    public var commands: [LinkedCommand] = []
    /// Steps that just became stuck: each gets one `linked.step_failed` alert.
    public var stuck: [String] = []
    /// The outcome, when this event ended the group.
    public var ended: LinkedOutcome?
    /// Steps whose row changed (their timers are rewritten too).
    public var changedSteps: Set<String> = []
    public var groupChanged = false
    public var notes: [LinkedNote] = []
    /// Why the event changed nothing (a late, repeated or unknown answer; a stale timer), or nil.
    public var ignored: String?
    /// Why a request (a retry) was refused; nothing changed.
    public var refused: String?

    public var changed: Bool { groupChanged || !changedSteps.isEmpty }
}

/// The saga of a linked group (DOMAIN.md §6) as a pure state machine: state + event → new state,
/// commands, alerts to raise and whether the group ended. No I/O; the chains role, the recorder and the
/// CLI load the state, call it, and write what it returns in one transaction.
///
/// - The first step goes out when the group opens; the others once it is `done`, in parallel, with its
///   outputs as their inputs.
/// - An `error` answer, or no answer within the timeout, is a failed attempt: the next one goes out after
///   an exponential backoff with jitter, until `maxAttempts` attempts of the budget are used; then the
///   step is `stuck`. `done` with missing fields (named by the partner, or a required output absent) is
///   `stuck` at once. `rejected` is final.
/// - A rejected first step fails the group and nothing further is sent; a rejected later step leaves
///   the others running and the group ends `partial`. Every step final → the outcome.
/// - An answer whose `requestId` is not the attempt in flight (late, repeated, unknown) changes nothing.
public enum LinkedSaga {
    /// A new group as chosen on the dossier: every step pending, the first due at once.
    public static func open(
        _ choice: LinkedGroupChoice, dossierCode: String, unitCode: String,
        environment: LinkedEnvironment
    ) -> LinkedGroup {
        let kind = choice.group
        let chosen = Set(choice.steps)
        let names = [kind.firstStep] + kind.optionalSteps.filter { chosen.contains($0) }
        var steps = names.map { name in
            LinkedStep(name: name, agency: LinkedGroupKind.agency(of: name), since: environment.now)
        }
        steps[0].requestId = environment.newRequestId()
        steps[0].nextAttemptAt = environment.now
        return LinkedGroup(dossierCode: dossierCode, unitCode: unitCode, kind: kind, steps: steps)
    }

    public static func handle(
        _ group: LinkedGroup, _ event: LinkedEvent, policy: LinkedPolicy,
        environment: LinkedEnvironment
    ) -> LinkedTransition {
        var machine = Machine(transition: LinkedTransition(group: group), policy: policy, environment: environment)
        machine.apply(event)
        return machine.transition
    }
}

/// One event's work on a group.
private struct Machine {
    var transition: LinkedTransition
    let policy: LinkedPolicy
    let environment: LinkedEnvironment

    var group: LinkedGroup {
        get { transition.group }
        set { transition.group = newValue }
    }
    var now: Date { environment.now }

    mutating func apply(_ event: LinkedEvent) {
        switch event {
        case .answer(let result): answer(result)
        case .timer(let step, let requestId, let kind): timer(step, requestId: requestId, kind: kind)
        case .retry(let step): retry(step)
        case .dossierClosed(let status): dossierClosed(status)
        }
    }

    // ---- answers --------------------------------------------------------------------------------------

    mutating func answer(_ result: LinkedStepResult) {
        let now = self.now
        guard let index = group.steps.firstIndex(where: { $0.name == result.step }) else {
            return ignore("the group has no step \(result.step)")
        }
        let step = group.steps[index]
        guard step.requestId == result.requestId else {
            return ignore("requestId \(result.requestId) is not the attempt in flight of \(step.name)")
        }
        guard step.status == .sent else {
            return ignore("\(step.name) is \(step.status.rawValue), not waiting for an answer")
        }
        guard !group.isOver else { return ignore("the group is over") }
        switch result.outcome {
        case .done:
            let missing = missingFields(result, step: step.name)
            if !missing.isEmpty {
                update(index) { step in
                    step.outputs = result.outputs
                    step.missingFields = missing
                }
                stick(index, error: "missing fields: " + missing.joined(separator: ", "))
            } else {
                update(index) { step in
                    step.status = .done
                    step.outputs = result.outputs ?? [:]
                    step.lastError = nil
                    step.missingFields = nil
                    step.since = now
                }
                note(.done, step.name, "\(step.name): done")
                if index == 0 { startFollowing(outputs: result.outputs ?? [:]) }
            }
        case .rejected:
            let reason = result.reason.flatMap { $0.isEmpty ? nil : $0 } ?? "rejected by \(step.agency)"
            update(index) { step in
                step.status = .rejected
                step.lastError = reason
                step.since = now
            }
            note(.rejected, step.name, "\(step.name): \(reason)")
        case .error:
            failAttempt(index, error: result.reason.flatMap { $0.isEmpty ? nil : $0 } ?? "error from \(step.agency)")
        }
        settle()
    }

    /// The fields a `done` answer lacks: those the partner names, and the first step's required outputs
    /// that are absent, null or empty.
    func missingFields(_ result: LinkedStepResult, step: String) -> [String] {
        var missing = (result.missingFields ?? []).filter { !$0.isEmpty }
        if step == group.kind.firstStep {
            for field in group.kind.firstStepOutputs where !missing.contains(field) {
                switch result.outputs?[field] {
                case nil, .null?: missing.append(field)
                case .string(let value)? where value.trimmingCharacters(in: .whitespaces).isEmpty: missing.append(field)
                default: break
                }
            }
        }
        return missing
    }

    /// The first step is done: every other step goes out now, with its outputs as inputs.
    mutating func startFollowing(outputs: [String: JSONValue]) {
        let inputs = outputs.filter { group.kind.firstStepOutputs.contains($0.key) }
        for index in group.steps.indices.dropFirst()
        where group.steps[index].status == .pending
            && group.steps[index].attempts == 0
        {
            update(index) { $0.inputs = inputs }
            send(index)
        }
    }

    // ---- attempts -------------------------------------------------------------------------------------

    /// Sends the step's next attempt: the scheduled request id, or a new one.
    mutating func send(_ index: Int) {
        let requestId =
            group.steps[index].requestId.flatMap { group.steps[index].status == .pending ? $0 : nil }
            ?? environment.newRequestId()
        let now = self.now
        update(index) { step in
            step.attempts += 1
            step.status = .sent
            step.requestId = requestId
            step.nextAttemptAt = nil
            step.since = now
        }
        let step = group.steps[index]
        transition.commands.append(
            LinkedCommand(
                step: step.name, requestId: requestId, attempt: step.attempts,
                inputs: step.inputs))
    }

    /// A failed attempt: the next after the backoff, or stuck once the budget is used.
    mutating func failAttempt(_ index: Int, error: String) {
        let step = group.steps[index]
        guard step.attemptsInBudget < policy.maxAttempts else { return stick(index, error: error) }
        let wait = policy.backoff(failures: step.attemptsInBudget, random: environment.random())
        let (now, requestId) = (self.now, environment.newRequestId())
        update(index) { step in
            step.status = .pending
            step.lastError = error
            step.requestId = requestId
            step.nextAttemptAt = now.addingTimeInterval(wait)
            step.since = now
        }
    }

    mutating func stick(_ index: Int, error: String) {
        let now = self.now
        update(index) { step in
            step.status = .stuck
            step.lastError = error
            step.nextAttemptAt = nil
            step.since = now
        }
        let step = group.steps[index]
        transition.stuck.append(step.name)
        note(.stuck, step.name, "\(step.name) after \(step.attempts) attempts: \(error)")
    }

    // ---- timers ---------------------------------------------------------------------------------------

    mutating func timer(_ name: String, requestId: String, kind: LinkedTimerKind) {
        guard let index = group.steps.firstIndex(where: { $0.name == name }) else {
            return ignore("the group has no step \(name)")
        }
        let step = group.steps[index]
        guard step.requestId == requestId, !group.isOver else {
            return ignore("stale \(kind.rawValue) timer of \(name)")
        }
        switch kind {
        case .send:
            guard step.status == .pending, step.nextAttemptAt != nil else {
                return ignore("stale send timer of \(name)")
            }
            send(index)
        case .timeout:
            guard step.status == .sent else { return ignore("stale timeout of \(name)") }
            failAttempt(
                index, error: "no answer within \(Self.seconds(policy.timeoutSeconds)) (attempt \(step.attempts))")
        }
    }

    static func seconds(_ value: Double) -> String {
        value == value.rounded() ? "\(Int(value)) s" : String(format: "%.1f s", value)
    }

    // ---- people ---------------------------------------------------------------------------------------

    mutating func retry(_ name: String) {
        guard let index = group.steps.firstIndex(where: { $0.name == name }) else {
            return refuse(
                "dossier \(group.dossierCode)'s \(group.kind.rawValue) group has no step \(name) (its steps: "
                    + group.steps.map(\.name).joined(separator: ", ") + ")")
        }
        let step = group.steps[index]
        if let stopped = group.stopped {
            return refuse("\(name) of \(group.dossierCode) cannot be retried: \(stopped)")
        }
        guard step.status == .stuck else {
            return refuse("\(name) of \(group.dossierCode) is \(step.status.rawValue), not stuck: nothing to retry")
        }
        let (now, requestId) = (self.now, environment.newRequestId())
        update(index) { step in
            step.status = .pending
            step.budgetStart = step.attempts
            step.missingFields = nil
            step.requestId = requestId
            step.nextAttemptAt = now
            step.since = now
        }
        note(.rearmed, name, "\(name): re-armed with \(policy.maxAttempts) more attempts")
    }

    mutating func dossierClosed(_ status: String) {
        guard !group.isOver else { return ignore("the group is over") }
        group.stopped = "the dossier was \(status) by an officer"
        group.endedAt = now
        transition.groupChanged = true
        for index in group.steps.indices
        where !group.steps[index].status.isFinal
            && group.steps[index].nextAttemptAt != nil
        {
            update(index) { $0.nextAttemptAt = nil }
        }
        note(.stopped, nil, "linked group stopped: the dossier was \(status)")
    }

    // ---- the outcome ----------------------------------------------------------------------------------

    /// Sets the outcome once every step is final (DOMAIN.md §6).
    mutating func settle() {
        guard !group.isOver else { return }
        let outcome: LinkedOutcome
        if group.steps[0].status == .rejected {
            outcome = .failed
        } else if group.steps.allSatisfy(\.status.isFinal) {
            outcome = group.steps.contains { $0.status == .rejected } ? .partial : .completed
        } else {
            return
        }
        group.outcome = outcome
        group.endedAt = now
        transition.groupChanged = true
        transition.ended = outcome
    }

    // ---- helpers --------------------------------------------------------------------------------------

    mutating func update(_ index: Int, _ change: (inout LinkedStep) -> Void) {
        change(&transition.group.steps[index])
        transition.changedSteps.insert(group.steps[index].name)
    }

    mutating func note(_ kind: LinkedNote.Kind, _ step: String?, _ detail: String) {
        transition.notes.append(LinkedNote(kind: kind, step: step, detail: detail))
    }

    mutating func ignore(_ why: String) { transition.ignored = why }
    mutating func refuse(_ why: String) { transition.refused = why }
}
