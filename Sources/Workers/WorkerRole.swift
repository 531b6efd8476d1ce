/// The roles `motcua-workers --role` accepts (CONTRACT.md).
enum WorkerRole: String, CaseIterable {
    case recorder, digitization, payments, deadlines, chains, outbox
    /// The partner agencies, simulated with fault injection, for demos and tests: never part of `all`.
    case partnerSim = "partner-sim"

    /// What `--role all` runs: the pipeline's own roles.
    static let all = WorkerRole.allCases.filter { $0 != .partnerSim }
}
