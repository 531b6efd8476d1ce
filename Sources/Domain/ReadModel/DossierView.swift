import Foundation

/// `GET /v1/dossiers/{code}`, CONTRACT.md: the dossier as recorded so far.
public struct DossierView: Encodable, Sendable, Equatable {
    public var code: String
    public var status: String
    public var procedureCode: String
    public var unitCode: String
    public var channel: Channel
    @ExplicitNull public var onlineLevel: OnlineLevel?
    public var receivedAt: Date
    public var dueAt: Date
    public var originalDueAt: Date
    @ExplicitNull public var closedAt: Date?
    @ExplicitNull public var timing: String?
    @ExplicitNull public var apology: ApologyLetter?
    public var components: [Component]
    @ExplicitNull public var result: FileView?
    public var payments: [PaymentView]
    @ExplicitNull public var linkedGroup: LinkedGroupView?
    public var history: [HistoryEntry]
    /// Every component has a file (DOMAIN.md §7). An addition to the contract's fields.
    public var fullyDigitized: Bool
    /// A result file is recorded; null for procedures whose result is not a paper document.
    @ExplicitNull public var resultDigitized: Bool?
    /// The unit handling it now (after a transfer). An addition to the contract's fields.
    @ExplicitNull public var handlingUnit: String?

    /// What the applicant has paid, net: succeeded notices minus refunds (`PaymentView.net`).
    public var paidNetVnd = 0
    /// Whether `dueAt` was counted over a year whose holiday decision is not loaded (DOMAIN.md §11), so that
    /// loading it may still move it; always present, false for a closed dossier. An addition to the contract.
    public var provisional = false
    /// The unit that received it (`unitCode`, the one its code names); `handlingUnit` is the one resolving it
    /// (DOMAIN.md §11: receiving regardless of boundary). An addition to the contract.
    public var receivingUnit: String
    /// The same, under CONTRACT.md's name for it (`POST /v1/dossiers`'s `receivingUnitCode`: "the read model
    /// shows it").
    public var receivingUnitCode: String

    public init(
        code: String, status: String, procedureCode: String, unitCode: String, channel: Channel,
        onlineLevel: OnlineLevel? = nil, receivedAt: Date, dueAt: Date, originalDueAt: Date, closedAt: Date? = nil,
        timing: String? = nil, apology: ApologyLetter? = nil, components: [Component], result: FileView? = nil,
        payments: [PaymentView], linkedGroup: LinkedGroupView? = nil, history: [HistoryEntry], fullyDigitized: Bool,
        resultDigitized: Bool? = nil, handlingUnit: String? = nil, paidNetVnd: Int = 0
    ) {
        self.code = code
        self.status = status
        self.procedureCode = procedureCode
        self.unitCode = unitCode
        self.receivingUnit = unitCode
        self.receivingUnitCode = unitCode
        self.channel = channel
        self.onlineLevel = onlineLevel
        self.receivedAt = receivedAt
        self.dueAt = dueAt
        self.originalDueAt = originalDueAt
        self.closedAt = closedAt
        self.timing = timing
        self.apology = apology
        self.components = components
        self.result = result
        self.payments = payments
        self.linkedGroup = linkedGroup
        self.history = history
        self.fullyDigitized = fullyDigitized
        self.resultDigitized = resultDigitized
        self.handlingUnit = handlingUnit
        self.paidNetVnd = paidNetVnd
    }
}

public struct ApologyLetter: Codable, Sendable, Equatable {
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

public struct LinkedGroupView: Encodable, Sendable, Equatable {
    public var group: LinkedGroupKind
    /// Null while any step is not final (a stuck step is not final), then completed, partial or failed.
    @ExplicitNull public var outcome: String?
    /// Why the chain stopped without an outcome (an officer closed the dossier). An addition to the contract.
    @ExplicitNull public var stopped: String?
    public var steps: [LinkedStepView]

    public init(group: LinkedGroupKind, outcome: String?, stopped: String? = nil, steps: [LinkedStepView]) {
        self.group = group
        self.outcome = outcome
        self.stopped = stopped
        self.steps = steps
    }
}

public struct LinkedStepView: Codable, Sendable, Equatable {
    public var step: String
    public var agency: String
    public var status: String
    public var attempts: Int
    @ExplicitNull public var lastError: String?
    /// What a `done` answer lacked (the step is stuck for a person). An addition to the contract, as are
    /// the two below.
    @ExplicitNull public var missingFields: [String]?
    /// When the next attempt goes out (a pending step after a backoff, or a re-armed one).
    @ExplicitNull public var nextAttemptAt: Date?
    /// Since when the step has been in its status.
    @ExplicitNull public var waitingSince: Date?

    public init(
        step: String, agency: String, status: String, attempts: Int, lastError: String?,
        missingFields: [String]? = nil, nextAttemptAt: Date? = nil, waitingSince: Date? = nil
    ) {
        self.step = step
        self.agency = agency
        self.status = status
        self.attempts = attempts
        self.lastError = lastError
        self.missingFields = missingFields
        self.nextAttemptAt = nextAttemptAt
        self.waitingSince = waitingSince
    }

    /// As `linked.completed` carries it (a consumer reading the alert back).
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            step: try c.decode(String.self, forKey: .step), agency: try c.decode(String.self, forKey: .agency),
            status: try c.decode(String.self, forKey: .status), attempts: try c.decode(Int.self, forKey: .attempts),
            lastError: try c.decodeIfPresent(String.self, forKey: .lastError),
            missingFields: try c.decodeIfPresent([String].self, forKey: .missingFields),
            nextAttemptAt: try c.decodeIfPresent(Date.self, forKey: .nextAttemptAt),
            waitingSince: try c.decodeIfPresent(Date.self, forKey: .waitingSince))
    }
}

public struct HistoryEntry: Encodable, Sendable, Equatable {
    public var type: String
    public var at: Date
    public var recordedAt: Date
    @ExplicitNull public var by: String?
    @ExplicitNull public var reason: String?
    /// Why the action was refused (illegal in the state its time put it in), or null when it applied.
    @ExplicitNull public var refused: String?

    /// A dossier's first entry, as `DossierJournal.recordReceived` writes it: `received` at its receipt, by
    /// its channel, without a reason.
    public static func receipt(of dossier: DossierReceived, recordedAt: Date) -> HistoryEntry {
        HistoryEntry(
            type: "received", at: dossier.receivedAt, recordedAt: recordedAt, by: dossier.receiptBy,
            reason: nil, refused: nil)
    }

    public init(
        type: String, at: Date, recordedAt: Date, by: String? = nil, reason: String? = nil, refused: String? = nil
    ) {
        self.type = type
        self.at = at
        self.recordedAt = recordedAt
        self.by = by
        self.reason = reason
        self.refused = refused
    }
}

extension DossierReceived {
    /// Who the journal names for the receipt: the channel it came in by.
    public var receiptBy: String { channel.rawValue }
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
        let chosen = Set(choice.steps)
        let steps = choice.group.allSteps.filter { $0 == choice.group.firstStep || chosen.contains($0) }
        return LinkedGroupView(
            group: choice.group, outcome: nil,
            steps: steps.map {
                LinkedStepView(step: $0, agency: agency(of: $0), status: "pending", attempts: 0, lastError: nil)
            })
    }
}
