/// The roles `motcua-workers --role` accepts (CONTRACT.md).
enum WorkerRole: String, CaseIterable {
    case recorder

    /// What `--role all` runs.
    static let all = WorkerRole.allCases
}
