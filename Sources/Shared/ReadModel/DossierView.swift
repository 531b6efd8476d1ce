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
    @ExplicitNull public var apology: ApologyView?
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

public struct LinkedGroupView: Encodable, Sendable, Equatable {
    public var group: LinkedGroupKind
    @ExplicitNull public var outcome: String?
    public var steps: [LinkedStepView]

}

public struct LinkedStepView: Encodable, Sendable, Equatable {
    public var step: String
    public var agency: String
    public var status: String
    public var attempts: Int
    @ExplicitNull public var lastError: String?

}

public struct HistoryEntry: Encodable, Sendable, Equatable {
    public var type: String
    public var at: Date
    public var recordedAt: Date
    @ExplicitNull public var by: String?
    @ExplicitNull public var reason: String?
    /// Why the action was refused (illegal in the state its time put it in), or null when it applied.
    @ExplicitNull public var refused: String?

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
