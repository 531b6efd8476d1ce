import Foundation

/// The apology letter (Mẫu 04) the pipeline issues itself when a dossier is still open at the due
/// moment on its receipt and the agency filed none: not timely, a default reason, and a new due
/// moment by the procedure's `apologyExtension` (else its processing time again) from that moment.
/// Journalled as `apology_issued`; its number is given when the projection writes it.
public struct AutomaticLetter: Codable, Sendable, Equatable {
    public var reason: String
    public var newDueAt: Date
    public var issuedAt: Date

    public init(reason: String, newDueAt: Date, issuedAt: Date) {
        self.reason = reason
        self.newDueAt = newDueAt
        self.issuedAt = issuedAt
    }

    public static let journalType = "apology_issued"
    public static let defaultReason =
        "Hồ sơ chưa được giải quyết đúng hạn; cơ quan giải quyết xin lỗi và hẹn lại ngày trả kết quả."

    /// The letter for a dossier of `procedure` at `unit`, received at `receivedAt` (which picks the
    /// procedure's version), whose receipt's due moment is `due`.
    public static func at(
        _ due: Date, procedure code: String, unit: String, receivedAt: Date, catalog: CatalogSnapshot
    ) -> AutomaticLetter {
        let procedure = catalog.procedure(code, receivedAt: receivedAt)
        let extension_ = procedure?.apologyExtension ?? procedure?.processing ?? .workingDays(1)
        let newDue = DueMoment.compute(
            receivedAt: due, processing: extension_, paper: false,
            officeHours: catalog.unit(unit, at: due)?.hours ?? .standard, calendar: catalog.calendar)
        return AutomaticLetter(reason: defaultReason, newDueAt: newDue, issuedAt: due)
    }
}

/// The `data` of every `deadline.*` alert (CONTRACT.md): no personal ID, only how to reach the applicant.
public struct DeadlineAlert: Codable, Sendable, Equatable {
    public struct Contact: Codable, Sendable, Equatable {
        public var fullName: String
        public var phone: String?
        public var email: String?

        /// Every field written, `null` when absent: CONTRACT.md gives the alert a fixed shape.
        public func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(fullName, forKey: .fullName)
            try container.encode(phone, forKey: .phone)
            try container.encode(email, forKey: .email)
        }
    }

    public var dossierCode: String
    public var unitCode: String
    public var procedureCode: String
    public var procedureName: String?
    public var channel: Channel
    public var applicant: Contact
    public var receivedAt: Date
    public var dueAt: Date
    public var originalDueAt: Date
    public var overdueSeconds: Int
    public var apology: ApologyLetter?
    /// Escalations only: the supervising unit.
    public var escalatedTo: String?

    public init(
        dossier: DossierFacts, state: DossierState, procedureName: String?, now: Date, escalatedTo: String? = nil,
        dueSoon: Bool = false
    ) {
        dossierCode = dossier.code
        unitCode = dossier.unitCode
        procedureCode = dossier.procedureCode
        self.procedureName = procedureName
        channel = dossier.channel
        applicant = Contact(
            fullName: dossier.applicant.fullName, phone: dossier.applicant.phone,
            email: dossier.applicant.email)
        receivedAt = state.receivedAt
        dueAt = state.dueAt
        originalDueAt = state.originalDueAt
        overdueSeconds = dueSoon ? 0 : max(0, Int(now.timeIntervalSince(state.originalDueAt)))
        apology = state.apology
        self.escalatedTo = escalatedTo
    }

    /// CONTRACT.md's fixed shape: `procedureName` and `apology` are `null` when absent; `escalatedTo`
    /// is only in escalations ("its data adds `escalatedTo`").
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(dossierCode, forKey: .dossierCode)
        try container.encode(unitCode, forKey: .unitCode)
        try container.encode(procedureCode, forKey: .procedureCode)
        try container.encode(procedureName, forKey: .procedureName)
        try container.encode(channel, forKey: .channel)
        try container.encode(applicant, forKey: .applicant)
        try container.encode(receivedAt, forKey: .receivedAt)
        try container.encode(dueAt, forKey: .dueAt)
        try container.encode(originalDueAt, forKey: .originalDueAt)
        try container.encode(overdueSeconds, forKey: .overdueSeconds)
        try container.encode(apology, forKey: .apology)
        try container.encodeIfPresent(escalatedTo, forKey: .escalatedTo)
    }
}

/// What deadlines need to know of a dossier beyond its state.
public struct DossierFacts: Sendable {
    public let code: String
    public let unitCode: String
    public let procedureCode: String
    public let channel: Channel
    public let applicant: Applicant

    public init(code: String, unitCode: String, procedureCode: String, channel: Channel, applicant: Applicant) {
        self.code = code
        self.unitCode = unitCode
        self.procedureCode = procedureCode
        self.channel = channel
        self.applicant = applicant
    }
}
