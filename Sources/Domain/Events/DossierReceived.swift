import Foundation

/// `dossier.received`: a dossier intake accepted, with its code and due moment.
public struct DossierReceived: Codable, Sendable, Equatable {
    public var code: String
    public var procedureCode: String
    public var unitCode: String
    public var channel: Channel
    public var onlineLevel: OnlineLevel?
    public var applicant: Applicant
    public var components: [Component]
    public var receivedAt: Date
    public var dueAt: Date
    public var idempotencyKey: String?
    public var linkedGroup: LinkedGroupChoice?
    /// The years without a loaded decision that `dueAt` was counted over (DOMAIN.md §11); absent when none,
    /// and in events made before provisional due moments existed.
    public var provisionalYears: [Int]?
    /// The unit of the same province that handles it, when another unit received it; absent otherwise.
    public var handlingUnit: String?

    public init(
        code: String, procedureCode: String, unitCode: String, channel: Channel, onlineLevel: OnlineLevel?,
        applicant: Applicant, components: [Component], receivedAt: Date, dueAt: Date,
        idempotencyKey: String?, linkedGroup: LinkedGroupChoice?, provisionalYears: [Int]? = nil
    ) {
        self.code = code
        self.procedureCode = procedureCode
        self.unitCode = unitCode
        self.channel = channel
        self.onlineLevel = onlineLevel
        self.applicant = applicant
        self.components = components
        self.receivedAt = receivedAt
        self.dueAt = dueAt
        self.idempotencyKey = idempotencyKey
        self.linkedGroup = linkedGroup
        self.provisionalYears = provisionalYears.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Whether the due moment on the receipt may still move when a yearly decision is loaded.
    public var provisional: Bool { !(provisionalYears ?? []).isEmpty }
}

/// The applicant. Personal data: stored, never logged.
public struct Applicant: Codable, Sendable, Equatable {
    public var personalId: String
    public var fullName: String
    public var phone: String?
    public var email: String?
    public var birthYear: Int?
    public var sex: PersonalID.Sex?

    public init(
        personalId: String, fullName: String, phone: String? = nil, email: String? = nil,
        birthYear: Int? = nil, sex: PersonalID.Sex? = nil
    ) {
        self.personalId = personalId
        self.fullName = fullName
        self.phone = phone
        self.email = email
        self.birthYear = birthYear
        self.sex = sex
    }
}

extension PersonalID.Sex: Codable {}

/// A part of the dossier (thành phần hồ sơ) and, when digitized, its file.
public struct Component: Codable, Sendable, Equatable {
    public var name: String
    public var digitized: Bool
    public var sha256: String?
    public var bytes: Int?
    public var mediaType: String?
    public var signed: Bool?
    public var reused: Bool?

    public init(
        name: String, digitized: Bool, sha256: String? = nil, bytes: Int? = nil, mediaType: String? = nil,
        signed: Bool? = nil, reused: Bool? = nil
    ) {
        self.name = name
        self.digitized = digitized
        self.sha256 = sha256
        self.bytes = bytes
        self.mediaType = mediaType
        self.signed = signed
        self.reused = reused
    }
}

/// The linked group a citizen chose and its optional steps.
public struct LinkedGroupChoice: Codable, Sendable, Equatable {
    public var group: LinkedGroupKind
    public var steps: [String]

    public init(group: LinkedGroupKind, steps: [String]) {
        self.group = group
        self.steps = steps
    }
}

extension Applicant {
    /// The last four digits of the personal ID: all that citizen lookup compares, and all that is kept
    /// outside the applicant's own record.
    public var personalIdLast4: String { PersonalID.last4(of: personalId) }
}
