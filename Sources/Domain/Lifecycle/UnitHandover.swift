import Foundation

/// An open dossier passing from a unit ended by a merger to its successor (DOMAIN.md §11, Resolution
/// 190/2025 art. 5.2): at the first moment after the unit's last day, written by the deadlines workers to
/// the journal like a timer's effect. The dossier keeps its code, receipt, due moments and timers; only the
/// unit handling it changes, and its history says why. Nothing is refiled by the citizen.
public struct UnitHandover: Codable, Sendable, Equatable {
    public var from: String
    public var to: String
    public var at: Date

    public init(from: String, to: String, at: Date) {
        self.from = from
        self.to = to
        self.at = at
    }

    public static let journalType = "unit_handover"
    public static let actor = "motcua"

    /// The history's reason, naming both units.
    public func reason(catalog: CatalogSnapshot) -> String {
        func named(_ code: String) -> String { catalog.units[code].map { "\($0.name) (\(code))" } ?? code }
        return "chuyển do sắp xếp đơn vị hành chính: từ \(named(from)) sang \(named(to))"
    }

    /// A unit whose open dossiers are due to pass to its successor.
    public struct Ending: Sendable, Equatable {
        public let unit: String
        public let successor: String
        /// 00:00 local on the day after its last day.
        public let at: Date
    }

    /// When a dossier held by `ending`'s unit passes on: at the unit's end, or, for one that came to the unit
    /// later (a transfer to it after its end), at that transfer, after which the handover replays (it ranks
    /// after every action of the same moment). Never before the step that made the unit its holder, so the
    /// replay ends at the successor and the dossier is handed over once.
    public static func moment(_ ending: Ending, after steps: [DossierLifecycle.Step]) -> Date {
        let moves = steps.filter {
            switch $0 {
            case .action(let action): return action.type == .transfer
            case .handover: return true
            case .automaticLetter: return false
            }
        }
        return max(ending.at, moves.map(\.at).max() ?? ending.at)
    }

    /// The units ended with a successor by `now`, which hold no version in force then.
    public static func endings(catalog: CatalogSnapshot, now: Date) -> [Ending] {
        let today = VietnamTime.local(now).date
        return catalog.unitVersions.keys.sorted().compactMap { code -> Ending? in
            guard catalog.unit(code, on: today) == nil,
                let last = catalog.unitVersions[code]?.last(where: { $0.successor != nil && $0.validTo != nil }),
                let end = last.validTo, let successor = last.successor
            else { return nil }
            let at = VietnamTime.instant(end.adding(days: 1), seconds: 0)
            return at <= now ? Ending(unit: code, successor: successor, at: at) : nil
        }
    }
}
