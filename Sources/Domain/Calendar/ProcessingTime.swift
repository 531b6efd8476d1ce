/// A procedure's legal time limit (DOMAIN.md §1).
public enum ProcessingTime: Hashable, Sendable {
    case workingDays(Int)
    case workingHours(Int)
    case sameDay
}

extension ProcessingTime: Codable {
    private enum Keys: String, CodingKey { case workingDays, workingHours, sameDay }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: Keys.self)
        let days = try container.decodeIfPresent(Int.self, forKey: .workingDays)
        let hours = try container.decodeIfPresent(Int.self, forKey: .workingHours)
        let same = try container.decodeIfPresent(Bool.self, forKey: .sameDay)
        switch (days, hours, same) {
        case (let n?, nil, nil) where n > 0: self = .workingDays(n)
        case (nil, let n?, nil) where n > 0: self = .workingHours(n)
        case (nil, nil, true): self = .sameDay
        default:
            throw DecodingError.dataCorrupted(
                .init(
                    codingPath: decoder.codingPath,
                    debugDescription: "must be exactly one of {workingDays: N>0}, {workingHours: N>0}, {sameDay: true}")
            )
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        switch self {
        case .workingDays(let n): try container.encode(n, forKey: .workingDays)
        case .workingHours(let n): try container.encode(n, forKey: .workingHours)
        case .sameDay: try container.encode(true, forKey: .sameDay)
        }
    }
}
