import Foundation

/// The legal transitions of DOMAIN.md §3 as a pure function of state and action.
public enum DossierLifecycle {
    /// Why an action is refused, in words for the officer who sent it.
    public struct Refusal: Error, Equatable, Sendable, CustomStringConvertible {
        public let description: String
        init(_ description: String) { self.description = description }
    }

    /// The due moment a supplement restarts from its completion time (the full processing time).
    public typealias Restart = @Sendable (Date) -> Date

    /// Applies `action` to `state`, or says why it is illegal there.
    public static func apply(_ action: DossierAction, to state: DossierState, restart: Restart)
        -> Result<DossierState, Refusal>
    {
        var next = state
        let status = state.status
        func refuse(_ why: String) -> Result<DossierState, Refusal> {
            .failure(Refusal("cannot \(action.type.rawValue) a dossier that is \(status.rawValue): \(why)"))
        }
        if status.isClosed && action.type != .return {
            return refuse("it is closed and nothing reopens it")
        }
        // The end of the dossier's linked group closes it whatever an officer asked meanwhile: a
        // supplement request still pending lapses (its pause ends with the dossier).
        if action.linked != nil, status == .supplementRequested {
            next.status = action.type == .reject ? .rejected : .resolved
            next.result = action.result ?? state.result
            close(&next, at: action.at)
            return .success(next)
        }
        switch action.type {
        case .requestSupplement:
            guard status == .received || status == .inProgress else {
                return refuse("a supplement is already requested")
            }
            next.resumeStatus = status
            next.status = .supplementRequested
            next.supplementRequests += 1
        case .supplement:
            guard status == .supplementRequested else { return refuse("no supplement was requested") }
            next.status = state.resumeStatus
            // The citizen gets a new receipt: the restarted due moment replaces the one on the first.
            next.dueAt = restart(action.at)
            next.originalDueAt = next.dueAt
            next.dueCountedFrom = action.at
        case .transfer:
            guard status == .received || status == .inProgress else { return refuse("it waits for a supplement") }
            next.status = .inProgress
            if let unit = action.toUnit { next.handlingUnit = unit }
        case .extend:
            if let letter = state.apology, !letter.timely {
                return refuse(
                    "the pipeline's apology letter was issued at \(VietnamTime.rfc3339(letter.issuedAt)); "
                        + "a new appointment is made at most once")
            }
            guard state.apology == nil else { return refuse("an extension was already filed; it is allowed once") }
            guard action.at < state.dueAt else { return refuse("the due moment has passed") }
            guard let newDueAt = action.newDueAt, newDueAt > state.dueAt else {
                return refuse("newDueAt must be after the current due moment")
            }
            next.apology = ApologyLetter(
                number: "XL-\(state.code)", reason: action.reason ?? "", newDueAt: newDueAt,
                issuedAt: action.at, timely: true)
            next.dueAt = newDueAt
            next.dueCountedFrom = nil
        case .resolve:
            guard status == .received || status == .inProgress else { return refuse("it waits for a supplement") }
            next.status = .resolved
            next.result = action.result ?? state.result
            close(&next, at: action.at)
        case .reject:
            next.status = .rejected
            close(&next, at: action.at)
        case .return:
            guard status == .resolved || status == .rejected else {
                return refuse("only a resolved or rejected dossier is returned")
            }
            next.status = .returned
        case .withdraw:
            next.status = .withdrawn
            next.closedAt = action.at
        }
        return .success(next)
    }

    private static func close(_ state: inout DossierState, at: Date) {
        state.closedAt = at
        state.timing = DossierState.classify(
            closedAt: at, originalDueAt: state.originalDueAt, apology: state.apology,
            supplementRequests: state.supplementRequests)
    }

    /// What the journal replays: an officer's action, or the letter the pipeline issued itself at the
    /// due moment of a dossier still open without one (DOMAIN.md §5.3).
    public enum Step: Sendable, Equatable {
        case action(DossierAction)
        case automaticLetter(AutomaticLetter)
        /// The merger of the unit holding it (`UnitHandover`).
        case handover(UnitHandover)

        public var at: Date {
            switch self {
            case .action(let action): return action.at
            case .automaticLetter(let letter): return letter.issuedAt
            case .handover(let handover): return handover.at
            }
        }

        /// The journal types that are steps: officers' actions, automatic letters and handovers.
        public static let journalTypes =
            ActionType.allCases.map(\.rawValue) + [AutomaticLetter.journalType, UnitHandover.journalType]

        /// The step a journal row of `type` records in `data`.
        public static func decode(type: String, data: String) throws -> Step {
            switch type {
            case AutomaticLetter.journalType:
                return .automaticLetter(try JSONCoding.decode(AutomaticLetter.self, from: data))
            case UnitHandover.journalType: return .handover(try JSONCoding.decode(UnitHandover.self, from: data))
            default: return .action(try JSONCoding.decode(DossierAction.self, from: data))
            }
        }

        /// Among steps at the same moment: actions in the order of the lifecycle (a `resolve` before
        /// the `return` of the same second), then a letter (an action at the due moment itself is on
        /// time, so it comes before the letter of that moment).
        var rank: Int {
            switch self {
            case .action(let action): return ActionType.allCases.firstIndex(of: action.type) ?? 0
            case .automaticLetter: return ActionType.allCases.count
            case .handover: return ActionType.allCases.count + 1
            }
        }

        /// What breaks a tie of moment and rank: the content, so the order never depends on arrival.
        var content: String {
            switch self {
            case .action(let action): return (try? JSONCoding.encodeString(action, sortedKeys: true)) ?? ""
            case .automaticLetter(let letter): return (try? JSONCoding.encodeString(letter, sortedKeys: true)) ?? ""
            case .handover(let handover): return (try? JSONCoding.encodeString(handover, sortedKeys: true)) ?? ""
            }
        }
    }

    /// The order the steps apply in: by `at`, then rank, then content, so the same set of steps
    /// replays the same way in whatever order it was delivered or recorded (identical steps keep
    /// their given order, which then makes no difference).
    public static func replayOrder(_ steps: [Step]) -> [Int] {
        steps.indices.sorted { a, b in
            let (x, y) = (steps[a], steps[b])
            if x.at != y.at { return x.at < y.at }
            if x.rank != y.rank { return x.rank < y.rank }
            let (cx, cy) = (x.content, y.content)
            return cx != cy ? cx < cy : a < b
        }
    }

    /// Replays every action in the order of its `at` time (`replayOrder`), so that actions delivered
    /// out of order end in the state their times describe. Returns the state and, per action in the
    /// given order, the refusal or nil.
    public static func replay(_ initial: DossierState, _ actions: [DossierAction], restart: Restart)
        -> (state: DossierState, refusals: [Refusal?])
    {
        replay(initial, steps: actions.map(Step.action), restart: restart)
    }

    public static func replay(_ initial: DossierState, steps: [Step], restart: Restart)
        -> (state: DossierState, refusals: [Refusal?])
    {
        let fold = fold(initial, steps: steps, restart: restart)
        return (fold.timeline.last?.state ?? initial, fold.refusals)
    }

    /// The replay, keeping the state after each step in replay order (`timeline`, starting with the
    /// receipt), for the report facts that ask what the dossier was at every moment.
    public static func fold(_ initial: DossierState, steps: [Step], restart: Restart)
        -> (timeline: [(at: Date, state: DossierState)], refusals: [Refusal?])
    {
        var state = initial
        var timeline = [(at: initial.receivedAt, state: initial)]
        var refusals = [Refusal?](repeating: nil, count: steps.count)
        for index in replayOrder(steps) {
            switch steps[index] {
            case .action(let action):
                switch apply(action, to: state, restart: restart) {
                case .success(let next): state = next
                case .failure(let refusal): refusals[index] = refusal
                }
            case .automaticLetter(let letter):
                issue(letter, to: &state)
            case .handover(let handover):
                if !state.status.isClosed { state.handlingUnit = handover.to }
            }
            timeline.append((steps[index].at, state))
        }
        return (timeline, refusals)
    }

    /// A letter sent is a fact: nothing removes or rewrites it (DOMAIN.md §5). The deadline worker
    /// issues one only over a dossier its complete facts show open, not paused and without a letter,
    /// and intake then refuses any action dated before it, so on that path the letter always finds
    /// the dossier so. A history written around those checks (an event published straight to the
    /// broker) still keeps the letter: it stands over an extension (which the letter's presence
    /// refuses, as `apply` says) and marks a dossier closed before it overdue.
    static func issue(_ letter: AutomaticLetter, to state: inout DossierState) {
        guard state.apology?.timely != false else { return }
        state.apology = ApologyLetter(
            number: "XL-\(state.code)", reason: letter.reason, newDueAt: letter.newDueAt,
            issuedAt: letter.issuedAt, timely: false)
        if state.status.isClosed {
            state.timing = .overdue
        } else {
            state.dueAt = letter.newDueAt
            state.dueCountedFrom = letter.issuedAt
        }
    }
}
