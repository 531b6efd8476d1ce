/// A legal regime of the one-stop mechanism: the decree and circular in force from a day, and the forms
/// they prescribe (DOMAIN.md §11). The regime in force at a dossier's receipt decides the forms it gets, so
/// a 2023 dossier prints Circular 01/2018's Mẫu 04 and one received today Circular 03/2025's. Data, never
/// code: provinces word the titles slightly differently, and the data wins.
public struct Regime: Codable, Sendable, Equatable {
    /// The first local day in force. A regime holds until the next one takes effect.
    public var effectiveFrom: LocalDate
    /// The last local day in force, when it is known; the next regime must start the day after.
    public var effectiveTo: LocalDate?
    public var decree: String
    public var circular: String
    /// The forms by kind (`FormKind`), each with its number and title.
    public var forms: [String: Form]
    /// The line printed as the legal basis; absent, it is made from the decree and the circular.
    public var legalBasis: String?
    /// Whether a one-stop unit may receive a dossier that another unit of the same province handles
    /// (Decree 118/2025: receiving regardless of boundary). Absent is false.
    public var receptionAcrossUnits: Bool?

    public struct Form: Codable, Sendable, Equatable {
        public var number: String
        public var title: String

        public init(number: String, title: String) {
            self.number = number
            self.title = title
        }
    }

    /// The forms a regime may name; the first four every regime must have.
    public enum FormKind: String, CaseIterable, Sendable {
        case receipt, supplementRequest, refusal, apology, stopNotice, controlSlip, register

        public static let required: [FormKind] = [.receipt, .supplementRequest, .refusal, .apology]
    }

    public init(
        effectiveFrom: LocalDate, effectiveTo: LocalDate? = nil, decree: String, circular: String,
        forms: [String: Form], legalBasis: String? = nil
    ) {
        self.effectiveFrom = effectiveFrom
        self.effectiveTo = effectiveTo
        self.decree = decree
        self.circular = circular
        self.forms = forms
        self.legalBasis = legalBasis
    }

    public func form(_ kind: FormKind) -> Form? { forms[kind.rawValue] }

    /// What a printed form cites as its ground.
    public var basis: String {
        legalBasis ?? "Căn cứ Nghị định số \(decree) và Thông tư số \(circular)"
    }

    /// The short name operators see: "Nghị định 118/2025/NĐ-CP (từ 2025-07-01)".
    public var label: String { "Nghị định \(decree) (từ \(effectiveFrom))" }
}
