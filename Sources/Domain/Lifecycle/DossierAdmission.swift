import Foundation

/// Whether intake may accept one more action, decided by the very rule the recorder replays with:
/// the action takes its place among the dossier's facts (`DossierRecord`: its journal and every action
/// intake accepted) in replay order, and the whole history is replayed. It is admitted only if it
/// applies there and every action that applied before still does (a back-dated `return` before an
/// accepted `resolve` is refused here, not later), and if it does not reach behind a letter the
/// pipeline issued: what the citizen was told stands.
public enum DossierAdmission {
    /// The most actions one dossier takes (`POST …/actions` answers 409 past it). Each admission
    /// replays the dossier's whole history, so this bounds its cost; a real dossier has a handful.
    public static let maxActions = 500

    public static func check(_ action: DossierAction, record: DossierRecord)
        -> Result<DossierState, DossierLifecycle.Refusal>
    {
        let actions = record.steps.filter { if case .action = $0 { return true } else { return false } }
        guard actions.count < maxActions else {
            return .failure(
                DossierLifecycle.Refusal(
                    "cannot \(action.type.rawValue): dossier \(record.initial.code) already has \(actions.count) actions, "
                        + "the most one dossier takes (\(maxActions))"))
        }
        if let letter = record.automaticLetter, action.at <= letter.issuedAt || action.type == .extend {
            let number = record.letterNumber ?? "of \(record.initial.code)"
            let why =
                action.type == .extend && action.at > letter.issuedAt
                ? "a new appointment is made at most once"
                : "nothing dated at or before it can change the dossier"
            return .failure(
                DossierLifecycle.Refusal(
                    "cannot \(action.type.rawValue) at \(VietnamTime.rfc3339(action.at)): the apology letter \(number) "
                        + "was issued at \(VietnamTime.rfc3339(letter.issuedAt)); \(why)"))
        }
        let before = DossierLifecycle.replay(record.initial, steps: record.steps, restart: record.restart)
        let after = DossierLifecycle.replay(
            record.initial, steps: record.steps + [.action(action)],
            restart: record.restart)
        if let refusal = after.refusals.last ?? nil { return .failure(refusal) }
        for (index, (was, now)) in zip(before.refusals, after.refusals).enumerated() where was == nil {
            if let now, case .action(let earlier) = record.steps[index] {
                return .failure(
                    DossierLifecycle.Refusal(
                        "cannot \(action.type.rawValue) at \(VietnamTime.rfc3339(action.at)): the \(earlier.type.rawValue) "
                            + "accepted for \(VietnamTime.rfc3339(earlier.at)) would then be refused (\(now))"))
            }
        }
        return .success(after.state)
    }

    /// The same over a bare list of accepted actions (no journal, no letter).
    public static func check(
        _ action: DossierAction, after accepted: [DossierAction], initial: DossierState,
        restart: @escaping DossierLifecycle.Restart
    )
        -> Result<DossierState, DossierLifecycle.Refusal>
    {
        check(
            action,
            record: DossierRecord(
                initial: initial, steps: accepted.map(DossierLifecycle.Step.action),
                restart: restart))
    }
}
