/// The roles `motcua-workers --role` accepts (CONTRACT.md). Chains come with their issue.
enum WorkerRole: String, CaseIterable {
    case recorder, digitization, payments, deadlines, outbox

    /// What `--role all` runs.
    static let all = WorkerRole.allCases
}
