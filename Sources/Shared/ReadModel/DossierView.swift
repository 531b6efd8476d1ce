import Foundation

/// `GET /v1/dossiers/{code}`, CONTRACT.md: the dossier as recorded so far.
public struct DossierView: Encodable, Sendable, Equatable {
    public var code: String
    public var status: String
    public var procedureCode: String
    public var unitCode: String
    public var channel: Channel
    public var onlineLevel: OnlineLevel?
    public var receivedAt: Date
    public var dueAt: Date
    public var originalDueAt: Date
    public var closedAt: Date?
    public var timing: String?
    public var apology: ApologyView?
    public var components: [Component]
    public var result: FileView?
    public var payments: [PaymentView]
    public var linkedGroup: LinkedGroupView?
    public var history: [HistoryEntry]
    /// Every component has a file (DOMAIN.md §7). An addition to the contract's fields.
    public var fullyDigitized: Bool
    /// A result file is recorded; null for procedures whose result is not a paper document.
    public var resultDigitized: Bool?
    /// The unit handling it now (after a transfer). An addition to the contract's fields.
    public var handlingUnit: String?

    /// What the applicant has paid, net: succeeded notices minus refunds (failed ones count nothing).
    public var paidNetVnd: Int {
        payments.reduce(0) { total, payment in
            switch payment.status {
            case "succeeded": return total + payment.amountVnd
            case "refunded": return total - payment.amountVnd
            default: return total
            }
        }
    }

    /// Optionals are written as null rather than left out: integrators read a fixed shape.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(code, forKey: .code)
        try c.encode(status, forKey: .status)
        try c.encode(procedureCode, forKey: .procedureCode)
        try c.encode(unitCode, forKey: .unitCode)
        try c.encode(channel, forKey: .channel)
        try c.encode(onlineLevel, forKey: .onlineLevel)
        try c.encode(receivedAt, forKey: .receivedAt)
        try c.encode(dueAt, forKey: .dueAt)
        try c.encode(originalDueAt, forKey: .originalDueAt)
        try c.encode(closedAt, forKey: .closedAt)
        try c.encode(timing, forKey: .timing)
        try c.encode(apology, forKey: .apology)
        try c.encode(components, forKey: .components)
        try c.encode(result, forKey: .result)
        try c.encode(payments, forKey: .payments)
        try c.encode(linkedGroup, forKey: .linkedGroup)
        try c.encode(history, forKey: .history)
        try c.encode(fullyDigitized, forKey: .fullyDigitized)
        try c.encode(resultDigitized, forKey: .resultDigitized)
        try c.encode(handlingUnit, forKey: .handlingUnit)
        try c.encode(paidNetVnd, forKey: .paidNetVnd)
    }

    enum CodingKeys: String, CodingKey {
        case code, status, procedureCode, unitCode, channel, onlineLevel, receivedAt, dueAt, originalDueAt, closedAt
        case timing, apology, components, result, payments, linkedGroup, history, fullyDigitized, resultDigitized
        case handlingUnit, paidNetVnd
    }
}

public struct ApologyView: Codable, Sendable, Equatable {
    public var number: String
    public var reason: String
    public var newDueAt: Date
    public var issuedAt: Date
    public var timely: Bool

    public init(number: String, reason: String, newDueAt: Date, issuedAt: Date, timely: Bool) {
        self.number = number
        self.reason = reason
        self.newDueAt = newDueAt
        self.issuedAt = issuedAt
        self.timely = timely
    }
}

public struct FileView: Codable, Sendable, Equatable {
    public var sha256: String
    public var bytes: Int
    public var mediaType: String
    public var signed: Bool

    public init(sha256: String, bytes: Int, mediaType: String, signed: Bool) {
        self.sha256 = sha256
        self.bytes = bytes
        self.mediaType = mediaType
        self.signed = signed
    }
}

public struct PaymentView: Codable, Sendable, Equatable {
    public var transactionId: String
    public var amountVnd: Int
    public var status: String
    public var gateway: String
    public var paidAt: Date
    /// The amount differs from the procedure's fee.
    public var mismatch: Bool
}

public struct LinkedGroupView: Codable, Sendable, Equatable {
    public var group: LinkedGroupKind
    public var outcome: String?
    public var steps: [LinkedStepView]

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(group, forKey: .group)
        try c.encode(outcome, forKey: .outcome)
        try c.encode(steps, forKey: .steps)
    }
}

public struct LinkedStepView: Codable, Sendable, Equatable {
    public var step: String
    public var agency: String
    public var status: String
    public var attempts: Int
    public var lastError: String?

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(step, forKey: .step)
        try c.encode(agency, forKey: .agency)
        try c.encode(status, forKey: .status)
        try c.encode(attempts, forKey: .attempts)
        try c.encode(lastError, forKey: .lastError)
    }
}

public struct HistoryEntry: Codable, Sendable, Equatable {
    public var type: String
    public var at: Date
    public var recordedAt: Date
    public var by: String?
    public var reason: String?
    /// Why the action was refused (illegal in the state its time put it in), or null when it applied.
    public var refused: String?

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(type, forKey: .type)
        try c.encode(at, forKey: .at)
        try c.encode(recordedAt, forKey: .recordedAt)
        try c.encode(by, forKey: .by)
        try c.encode(reason, forKey: .reason)
        try c.encode(refused, forKey: .refused)
    }
}

extension LinkedGroupKind {
    /// The partner agency that handles a step.
    public static func agency(of step: String) -> String {
        switch step {
        case "birth_registration", "death_registration": return "justice"
        case "permanent_residence", "residence_removal": return "police"
        case "health_insurance_card", "survivor_benefits": return "social_insurance"
        case "funeral_allowance": return "labour_social_affairs"
        default: return "unknown"
        }
    }

    /// A group as chosen, before any step ran.
    public static func pendingView(_ choice: LinkedGroupChoice) -> LinkedGroupView {
        LinkedGroupView(group: choice.group, outcome: nil, steps: ([choice.group.firstStep] + choice.steps).map {
            LinkedStepView(step: $0, agency: agency(of: $0), status: "pending", attempts: 0, lastError: nil)
        })
    }
}
