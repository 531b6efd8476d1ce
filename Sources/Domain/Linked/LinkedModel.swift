import Foundation

/// A step's status as the read model and the operators see it (CONTRACT.md): `pending` (not commanded:
/// waiting for the first step, or for the next attempt after a backoff), `sent` (an attempt is out),
/// `done`, `rejected` (final), `stuck` (attempts used up, or `missingFields`: waits for a person).
public enum StepStatus: String, Codable, Sendable, CaseIterable {
    case pending, sent, done, rejected, stuck

    /// Done and rejected are final; a stuck step is not (a person can re-arm it).
    public var isFinal: Bool { self == .done || self == .rejected }
}

/// How a group ended (DOMAIN.md §6).
public enum LinkedOutcome: String, Codable, Sendable, CaseIterable {
    case completed, partial, failed
}

extension LinkedGroupKind {
    /// Every step of the group in its canonical order: the first, then the optional ones.
    public var allSteps: [String] { [firstStep] + optionalSteps }

    /// What the first step must produce for the next ones (CONTRACT.md); they are the next steps' inputs.
    public var firstStepOutputs: [String] {
        switch self {
        case .birth: return ["birthCertificateNo", "childPersonalId"]
        case .death: return ["deathCertificateNo"]
        }
    }
}

/// One step of a group: a row of `linked_steps`.
public struct LinkedStep: Sendable, Equatable {
    public var name: String
    public var agency: String
    public var status: StepStatus = .pending
    /// Attempts made in all: it counts on after `motcua linked retry` (CONTRACT.md).
    public var attempts = 0
    /// Attempts made before the current budget began: a retry re-arms with a fresh budget.
    public var budgetStart = 0
    /// The attempt in flight (`sent`), or the next one when it is scheduled (`pending` with `nextAttemptAt`).
    public var requestId: String?
    /// When the next attempt goes out (`pending` only): at once for the first, after the backoff for a retry.
    public var nextAttemptAt: Date?
    public var lastError: String?
    /// What a `done` answer lacked; the step is stuck until a person re-arms it.
    public var missingFields: [String]?
    public var inputs: [String: JSONValue] = [:]
    public var outputs: [String: JSONValue]?
    /// Since when the step has been in its status.
    public var since: Date

    public init(
        name: String, agency: String, status: StepStatus = .pending, attempts: Int = 0, budgetStart: Int = 0,
        requestId: String? = nil, nextAttemptAt: Date? = nil, lastError: String? = nil,
        missingFields: [String]? = nil, inputs: [String: JSONValue] = [:], outputs: [String: JSONValue]? = nil,
        since: Date
    ) {
        self.name = name
        self.agency = agency
        self.status = status
        self.attempts = attempts
        self.budgetStart = budgetStart
        self.requestId = requestId
        self.nextAttemptAt = nextAttemptAt
        self.lastError = lastError
        self.missingFields = missingFields
        self.inputs = inputs
        self.outputs = outputs
        self.since = since
    }

    /// Attempts used from the current budget.
    public var attemptsInBudget: Int { attempts - budgetStart }
}

/// A linked group: a row of `linked_groups` and its steps, the first step first.
public struct LinkedGroup: Sendable, Equatable {
    public let dossierCode: String
    public let unitCode: String
    public let kind: LinkedGroupKind
    public var steps: [LinkedStep]
    /// Set once every step is final; the dossier closes with it.
    public var outcome: LinkedOutcome?
    /// Why the chain stopped without an outcome: the dossier was closed by an officer's action.
    public var stopped: String?
    public var endedAt: Date?

    public init(
        dossierCode: String, unitCode: String, kind: LinkedGroupKind, steps: [LinkedStep],
        outcome: LinkedOutcome? = nil, stopped: String? = nil, endedAt: Date? = nil
    ) {
        self.dossierCode = dossierCode
        self.unitCode = unitCode
        self.kind = kind
        self.steps = steps
        self.outcome = outcome
        self.stopped = stopped
        self.endedAt = endedAt
    }

    public var isOver: Bool { outcome != nil || stopped != nil }

    /// The places this group holds at its agencies (`MOTCUA_PARTNER_MAX_IN_FLIGHT`): one per step `sent`
    /// while it runs, none once it ended, however it ended. `LinkedStore.claimDue` counts the same in SQL.
    public var placesHeld: [String: Int] {
        guard !isOver else { return [:] }
        return steps.filter { $0.status == .sent }.reduce(into: [:]) { $0[$1.agency, default: 0] += 1 }
    }

    public func step(_ name: String) -> LinkedStep? { steps.first { $0.name == name } }
}

/// The partner command's `data` (CONTRACT.md): on `motcua.partners`, routing key = the step.
public struct PartnerCommand: Codable, Sendable, Equatable {
    public var requestId: String
    public var dossierCode: String
    public var group: LinkedGroupKind
    public var step: String
    public var attempt: Int
    public var applicant: Applicant
    public var inputs: [String: JSONValue]

    public init(
        requestId: String, dossierCode: String, group: LinkedGroupKind, step: String, attempt: Int,
        applicant: Applicant, inputs: [String: JSONValue]
    ) {
        self.requestId = requestId
        self.dossierCode = dossierCode
        self.group = group
        self.step = step
        self.attempt = attempt
        self.applicant = applicant
        self.inputs = inputs
    }
}

/// `linked.step_result`'s `data` (CONTRACT.md): a partner adapter's answer, on `motcua.events`.
public struct LinkedStepResult: Codable, Sendable, Equatable {
    public enum Outcome: String, Codable, Sendable { case done, rejected, error }

    public var requestId: String
    public var dossierCode: String
    public var step: String
    public var outcome: Outcome
    public var reason: String?
    public var outputs: [String: JSONValue]?
    public var missingFields: [String]?

    public init(
        requestId: String, dossierCode: String, step: String, outcome: Outcome, reason: String? = nil,
        outputs: [String: JSONValue]? = nil, missingFields: [String]? = nil
    ) {
        self.requestId = requestId
        self.dossierCode = dossierCode
        self.step = step
        self.outcome = outcome
        self.reason = reason
        self.outputs = outputs
        self.missingFields = missingFields
    }
}

/// `linked.step_failed.<group>`'s `data` (CONTRACT.md).
public struct LinkedStepFailed: Codable, Sendable, Equatable {
    public var dossierCode: String
    public var unitCode: String
    public var group: LinkedGroupKind
    public var step: String
    public var agency: String
    public var attempts: Int
    public var lastError: String?
    public var missingFields: [String]?

    public init(
        dossierCode: String, unitCode: String, group: LinkedGroupKind, step: String, agency: String,
        attempts: Int, lastError: String?, missingFields: [String]?
    ) {
        self.dossierCode = dossierCode
        self.unitCode = unitCode
        self.group = group
        self.step = step
        self.agency = agency
        self.attempts = attempts
        self.lastError = lastError
        self.missingFields = missingFields
    }

    // Both are in every alert, null when there is none (the contract lists them as fields).
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(dossierCode, forKey: .dossierCode)
        try container.encode(unitCode, forKey: .unitCode)
        try container.encode(group, forKey: .group)
        try container.encode(step, forKey: .step)
        try container.encode(agency, forKey: .agency)
        try container.encode(attempts, forKey: .attempts)
        try container.encode(lastError, forKey: .lastError)
        try container.encode(missingFields, forKey: .missingFields)
    }
}

/// `linked.completed.<group>`'s `data` (CONTRACT.md): the outcome and every step as the read model shows it.
public struct LinkedCompleted: Codable, Sendable, Equatable {
    public var dossierCode: String
    public var unitCode: String
    public var group: LinkedGroupKind
    public var outcome: LinkedOutcome
    public var steps: [LinkedStepView]
}

extension JSONValue: Encodable {
    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .int(let value): try container.encode(value)
        case .double(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let values): try container.encode(values)
        case .object(let fields): try container.encode(fields)
        }
    }

    /// The value as one would print it: a string as it is, anything else as JSON.
    public var text: String {
        if case .string(let value) = self { return value }
        return (try? JSONCoding.encodeString(self, sortedKeys: true)) ?? ""
    }
}
