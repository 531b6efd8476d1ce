/// The roles `motcua-workers --role` accepts (CONTRACT.md).
enum WorkerRole: String, CaseIterable {
    case recorder, digitization, payments, deadlines, chains, outbox
    /// The partner agencies, simulated with fault injection, for demos and tests: never part of `all`.
    case partnerSim = "partner-sim"
    /// The project's own downstream service (docs/notifier.md): SMS and e-mail to the applicant. Not part
    /// of `all`: it talks to the outside world, so a deployment starts it on purpose (ops/up does).
    case notifier

    /// What `--role all` runs: the pipeline's own roles.
    static let all = WorkerRole.allCases.filter { $0 != .partnerSim && $0 != .notifier }
}
