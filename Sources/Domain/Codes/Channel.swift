/// How a dossier came in (DOMAIN.md §1).
public enum Channel: String, Codable, Sendable, CaseIterable {
    case direct, online, postal

    /// Paper channels are subject to the 15:00 receipt rule.
    public var isPaper: Bool { self != .online }
}

/// The level of online service: one part online (một phần) or entirely (toàn trình).
public enum OnlineLevel: String, Codable, Sendable, CaseIterable {
    case partial, full
}

/// The linked groups of Decree 63/2024 (DOMAIN.md §6).
public enum LinkedGroupKind: String, Codable, Sendable, CaseIterable {
    case birth, death

    /// The step every group of this kind starts with.
    public var firstStep: String { self == .birth ? "birth_registration" : "death_registration" }

    /// The steps a citizen may add after the first.
    public var optionalSteps: [String] {
        switch self {
        case .birth: return ["permanent_residence", "health_insurance_card"]
        case .death: return ["residence_removal", "funeral_allowance", "survivor_benefits"]
        }
    }
}
