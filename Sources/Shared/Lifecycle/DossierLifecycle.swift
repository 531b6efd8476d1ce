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
        switch action.type {
        case .requestSupplement:
            guard status == .received || status == .inProgress else { return refuse("a supplement is already requested") }
            next.resumeStatus = status
            next.status = .supplementRequested
            next.supplementRequests += 1
        case .supplement:
            guard status == .supplementRequested else { return refuse("no supplement was requested") }
            next.status = state.resumeStatus
            // The citizen gets a new receipt: the restarted due moment replaces the one on the first.
            next.dueAt = restart(action.at)
            next.originalDueAt = next.dueAt
        case .transfer:
            guard status == .received || status == .inProgress else { return refuse("it waits for a supplement") }
            next.status = .inProgress
            if let unit = action.toUnit { next.handlingUnit = unit }
        case .extend:
            guard state.apology == nil else { return refuse("an extension was already filed; it is allowed once") }
            guard action.at < state.dueAt else { return refuse("the due moment has passed") }
            guard let newDueAt = action.newDueAt, newDueAt > state.dueAt else {
                return refuse("newDueAt must be after the current due moment")
            }
            next.apology = ApologyView(number: "XL-\(state.code)", reason: action.reason ?? "", newDueAt: newDueAt,
                                       issuedAt: action.at, timely: true)
            next.dueAt = newDueAt
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
        state.timing = DossierState.classify(closedAt: at, originalDueAt: state.originalDueAt, apology: state.apology,
                                             supplementRequests: state.supplementRequests)
    }

    /// What the journal replays: an officer's action, or the letter the pipeline issued itself at the
    /// due moment of a dossier still open without one (DOMAIN.md §5.3).
    public enum Step: Sendable {
        case action(DossierAction)
        case automaticLetter(AutomaticLetter)

        var at: Date {
            switch self {
            case .action(let action): return action.at
            case .automaticLetter(let letter): return letter.issuedAt
            }
        }
    }

    /// Replays every action in the order of its `at` time (ties by the order recorded), so that
    /// actions delivered out of order end in the state their times describe. Returns the state and,
    /// per action in the given order, the refusal or nil.
    public static func replay(_ initial: DossierState, _ actions: [DossierAction], restart: Restart)
        -> (state: DossierState, refusals: [Refusal?])
    {
        replay(initial, steps: actions.map(Step.action), restart: restart)
    }

    public static func replay(_ initial: DossierState, steps: [Step], restart: Restart)
        -> (state: DossierState, refusals: [Refusal?])
    {
        let order = steps.indices.sorted { (steps[$0].at, $0) < (steps[$1].at, $1) }
        var state = initial
        var refusals = [Refusal?](repeating: nil, count: steps.count)
        for index in order {
            switch steps[index] {
            case .action(let action):
                switch apply(action, to: state, restart: restart) {
                case .success(let next): state = next
                case .failure(let refusal): refusals[index] = refusal
                }
            case .automaticLetter(let letter):
                // A letter sent is a fact: it stands unless another letter came first or the dossier closed.
                guard state.apology == nil, !state.status.isClosed else { continue }
                state.apology = ApologyView(number: "XL-\(state.code)", reason: letter.reason, newDueAt: letter.newDueAt,
                                            issuedAt: letter.issuedAt, timely: false)
                state.dueAt = letter.newDueAt
            }
        }
        return (state, refusals)
    }
}
