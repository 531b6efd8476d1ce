/// The 12-digit personal ID (số định danh cá nhân), DOMAIN.md §9:
/// province of birth registration (3), century and sex (1), year of birth (2), random (6).
public struct PersonalID: Hashable, Sendable {
    public enum Sex: String, Sendable, CaseIterable { case male, female }

    public let value: String
    public let provinceCode: String
    public let birthYear: Int
    public let sex: Sex

    /// The last four digits, all a citizen needs to prove to look a dossier up.
    public var last4: String { Self.last4(of: value) }

    /// The last four digits of a number as stored (already validated at intake).
    public static func last4(of number: String) -> String { String(number.suffix(4)) }

    /// Why a number is refused, worded for the applicant.
    public enum Problem: Error, Equatable, Sendable, CustomStringConvertible {
        case length
        case nonDigit
        case unknownProvince(String)
        case birthYearInFuture(Int)
        case birthYearMismatch(stated: Int, encoded: Int)
        case sexMismatch(stated: Sex, encoded: Sex)

        public var description: String {
            switch self {
            case .length: return "must be exactly 12 digits"
            case .nonDigit: return "must contain digits only"
            case .unknownProvince(let code): return "province code \(code) is not in the official table"
            case .birthYearInFuture(let year): return "encodes birth year \(year), which is in the future"
            case .birthYearMismatch(let stated, let encoded):
                return "encodes birth year \(encoded), but birthYear says \(stated)"
            case .sexMismatch(let stated, let encoded):
                return "encodes sex \(encoded.rawValue), but sex says \(stated.rawValue)"
            }
        }
    }

    /// Checks a number against the rules and, when given, the applicant's stated birth year and sex.
    public static func parse(
        _ text: String, currentYear: Int, statedBirthYear: Int? = nil,
        statedSex: Sex? = nil
    ) -> Result<PersonalID, Problem> {
        guard text.count == 12 else { return .failure(.length) }
        guard text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return .failure(.nonDigit) }
        let digits = text.utf8.map { Int($0 - 48) }
        let province = String(text.prefix(3))
        guard ProvinceCodes.names[province] != nil else { return .failure(.unknownProvince(province)) }
        let centuryDigit = digits[3]
        let year = 1900 + (centuryDigit / 2) * 100 + digits[4] * 10 + digits[5]
        let sex: Sex = centuryDigit % 2 == 0 ? .male : .female
        guard year <= currentYear else { return .failure(.birthYearInFuture(year)) }
        if let statedBirthYear, statedBirthYear != year {
            return .failure(.birthYearMismatch(stated: statedBirthYear, encoded: year))
        }
        if let statedSex, statedSex != sex { return .failure(.sexMismatch(stated: statedSex, encoded: sex)) }
        return .success(PersonalID(value: text, provinceCode: province, birthYear: year, sex: sex))
    }

    /// A form safe for logs: the province code and the last two digits only.
    public static func redacted(_ text: String) -> String {
        text.count == 12 ? "\(text.prefix(3))*******\(text.suffix(2))" : "***"
    }
}
