/// The roles `motcua-workers --role` accepts (CONTRACT.md). Deadlines and chains come with their issues.
enum WorkerRole: String, CaseIterable {
    case recorder, digitization, payments, outbox

    /// What `--role all` runs.
    static let all = WorkerRole.allCases
}
