import Foundation

/// Whether intake may accept one more action, decided by the very rule the recorder replays with:
/// the action takes its place among those already accepted in the order of the `at` times, and the
/// whole sequence is replayed. It is admitted only if it applies there and every action that applied
/// before still does (a back-dated `return` before an accepted `resolve` is refused here, not later).
public enum DossierAdmission {
    public static func check(_ action: DossierAction, after accepted: [DossierAction], initial: DossierState,
                             restart: DossierLifecycle.Restart) -> Result<DossierState, DossierLifecycle.Refusal>
    {
        let before = DossierLifecycle.replay(initial, accepted, restart: restart)
        let after = DossierLifecycle.replay(initial, accepted + [action], restart: restart)
        if let refusal = after.refusals.last ?? nil { return .failure(refusal) }
        for (index, (was, now)) in zip(before.refusals, after.refusals).enumerated() where was == nil {
            if let now {
                let earlier = accepted[index]
                return .failure(DossierLifecycle.Refusal(
                    "cannot \(action.type.rawValue) at \(VietnamTime.rfc3339(action.at)): the \(earlier.type.rawValue) "
                    + "accepted for \(VietnamTime.rfc3339(earlier.at)) would then be refused (\(now))"))
            }
        }
        return .success(after.state)
    }
}
