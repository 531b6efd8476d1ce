/// The reference data the pipeline runs on: units, procedures and holiday calendars.
/// It is the shape of the catalog file of CONTRACT.md, loaded by `motcua catalog load`.
public struct Catalog: Codable, Sendable, Equatable {
    public var units: [Unit]
    public var procedures: [Procedure]
    public var calendars: [CalendarYear]
    /// The Decision 766 indicators reports score, each version with the day it takes effect.
    public var index766: [Indicator766]
    /// The legal regimes by the day each takes effect: the forms and legal basis a dossier gets (DOMAIN.md §11).
    public var regimes: [Regime]

    public init(
        units: [Unit] = [], procedures: [Procedure] = [], calendars: [CalendarYear] = [],
        index766: [Indicator766] = [], regimes: [Regime] = []
    ) {
        self.units = units
        self.procedures = procedures
        self.calendars = calendars
        self.index766 = index766
        self.regimes = regimes
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        units = try container.decodeIfPresent([Unit].self, forKey: .units) ?? []
        procedures = try container.decodeIfPresent([Procedure].self, forKey: .procedures) ?? []
        calendars = try container.decodeIfPresent([CalendarYear].self, forKey: .calendars) ?? []
        index766 = try container.decodeIfPresent([Indicator766].self, forKey: .index766) ?? []
        regimes = try container.decodeIfPresent([Regime].self, forKey: .regimes) ?? []
    }
}

/// A receiving or resolving body (đơn vị). A code may have several versions, each with its own validity
/// (a commune whose district ended takes the province as parent from the next day); a unit ended by a
/// merger names its `successor`, which takes over its open dossiers (DOMAIN.md §11).
public struct Unit: Codable, Sendable, Equatable {
    public enum Level: String, Codable, Sendable, CaseIterable { case commune, district, province, department }

    public var code: String
    public var name: String
    public var level: Level
    public var parent: String?
    /// Absent means the standard hours of DOMAIN.md §4.
    public var officeHours: [[String]]?
    /// The first and last local days of this version, both included; nil is the start (end) of time.
    public var validFrom: LocalDate?
    public var validTo: LocalDate?
    /// The unit that takes over at `validTo`, for a unit ended by a merger.
    public var successor: String?

    public init(
        code: String, name: String, level: Level, parent: String?, officeHours: [[String]]? = nil,
        validFrom: LocalDate? = nil, validTo: LocalDate? = nil, successor: String? = nil
    ) {
        self.code = code
        self.name = name
        self.level = level
        self.parent = parent
        self.officeHours = officeHours
        self.validFrom = validFrom
        self.validTo = validTo
        self.successor = successor
    }

    /// Whether this version is in force on `day`.
    public func isInForce(on day: LocalDate) -> Bool {
        (validFrom.map { $0 <= day } ?? true) && (validTo.map { day <= $0 } ?? true)
    }

    public var hours: OfficeHours { officeHours.flatMap(OfficeHours.init(pairs:)) ?? .standard }
}

/// An administrative procedure (thủ tục hành chính).
public struct Procedure: Codable, Sendable, Equatable {
    public var code: String
    public var name: String
    public var field: String
    public var processing: ProcessingTime
    public var feeVnd: Int
    /// The online level offered: `full` offers both levels, `partial` only partial, nil none.
    public var onlineLevel: OnlineLevel?
    public var paperResult: Bool
    /// The group this procedure opens, if any.
    public var linkedGroup: LinkedGroupKind?
    /// The new due moment an automatic apology grants (default: the processing time again).
    public var apologyExtension: ProcessingTime?
    /// The first local day of this version (a decree changing the time limit or the fee from a date);
    /// nil is the start of time. A version holds until the next one of the same code.
    public var effectiveFrom: LocalDate?

    public init(
        code: String, name: String, field: String, processing: ProcessingTime, feeVnd: Int,
        onlineLevel: OnlineLevel?, paperResult: Bool, linkedGroup: LinkedGroupKind? = nil,
        apologyExtension: ProcessingTime? = nil, effectiveFrom: LocalDate? = nil
    ) {
        self.effectiveFrom = effectiveFrom
        self.code = code
        self.name = name
        self.field = field
        self.processing = processing
        self.feeVnd = feeVnd
        self.onlineLevel = onlineLevel
        self.paperResult = paperResult
        self.linkedGroup = linkedGroup
        self.apologyExtension = apologyExtension
    }

    /// Whether a dossier may come in online at `level`.
    public func offers(_ level: OnlineLevel) -> Bool {
        switch onlineLevel {
        case .full: return true
        case .partial: return level == .partial
        case nil: return false
        }
    }
}

/// One year's public holidays on weekdays and make-up working Saturdays.
public struct CalendarYear: Codable, Sendable, Equatable {
    public var year: Int
    public var holidays: [LocalDate]
    public var makeUpDays: [LocalDate]

    public init(year: Int, holidays: [LocalDate], makeUpDays: [LocalDate]) {
        self.year = year
        self.holidays = holidays
        self.makeUpDays = makeUpDays
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        year = try container.decode(Int.self, forKey: .year)
        holidays = try container.decodeIfPresent([LocalDate].self, forKey: .holidays) ?? []
        makeUpDays = try container.decodeIfPresent([LocalDate].self, forKey: .makeUpDays) ?? []
    }
}
