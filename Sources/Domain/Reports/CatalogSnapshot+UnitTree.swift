extension CatalogSnapshot {
    /// The units whose parent is `code` on `day`, by code.
    public func children(of code: String, on day: LocalDate) -> [Unit] {
        treeEpochs.first { $0.contains(day) }.map { epoch in
            epoch.children(of: code).compactMap { unit($0, on: day) }
        } ?? []
    }

    /// `code` and every unit below it on `day`, by code.
    public func subtree(of code: String, on day: LocalDate) -> [String] {
        treeEpochs.first { $0.contains(day) }?.subtree(of: code) ?? [code]
    }
}
