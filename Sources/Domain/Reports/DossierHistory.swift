import Foundation

/// Everything recorded about one dossier that its report facts come from: the receipt, the journal's
/// steps (actions and automatic letters, in the order recorded), its file records and its payments.
public struct DossierHistory: Sendable {
    /// A `digitized` / `digitization_replaced` journal entry: a file recorded at `at`.
    public struct FileEntry: Sendable, Equatable {
        public var at: Date
        public var target: DigitizationRecord.Target
        /// The component's name (empty for the result).
        public var name: String

        public init(at: Date, target: DigitizationRecord.Target, name: String) {
            self.at = at
            self.target = target
            self.name = name
        }

        /// The journal's `reason` of such an entry: `result` or `component NAME`.
        public init?(at: Date, reason: String?) {
            guard let reason else { return nil }
            if reason == "result" {
                self.init(at: at, target: .result, name: "")
            } else if reason.hasPrefix("component ") {
                self.init(at: at, target: .component, name: String(reason.dropFirst(10)))
            } else {
                return nil
            }
        }
    }

    /// A payment notice as recorded.
    public struct Payment: Codable, Sendable, Equatable {
        public var status: PaymentNotice.Status
        public var amountVnd: Int
        public var paidAt: Date

        public init(status: PaymentNotice.Status, amountVnd: Int, paidAt: Date) {
            self.status = status
            self.amountVnd = amountVnd
            self.paidAt = paidAt
        }
    }

    public var code: String
    public var unitCode: String
    /// The unit named at receipt to handle it when it is not the receiving unit (DOMAIN.md §11); nil: the
    /// receiving unit handles it. The replay starts from it, so `closedBy` is whoever held it at its close.
    public var handlingUnit: String?
    public var procedureCode: String
    public var channel: Channel
    public var onlineLevel: OnlineLevel?
    public var receivedAt: Date
    /// The due moment on the first receipt.
    public var initialDueAt: Date
    public var components: [Component]
    public var linkedGroup: LinkedGroupKind?
    /// The group's outcome where one is recorded (`completed`, `partial`, `failed`).
    public var linkedOutcome: String?
    public var steps: [DossierLifecycle.Step]
    public var fileEntries: [FileEntry]
    /// The current file records (whether the result is signed, a component reused).
    public var files: [DigitizationRecord]
    public var payments: [Payment]

    public init(
        code: String, unitCode: String, procedureCode: String, channel: Channel, onlineLevel: OnlineLevel? = nil,
        receivedAt: Date, initialDueAt: Date, components: [Component] = [], linkedGroup: LinkedGroupKind? = nil,
        linkedOutcome: String? = nil, steps: [DossierLifecycle.Step] = [], fileEntries: [FileEntry] = [],
        files: [DigitizationRecord] = [], payments: [Payment] = [], handlingUnit: String? = nil
    ) {
        self.code = code
        self.unitCode = unitCode
        self.handlingUnit = handlingUnit
        self.procedureCode = procedureCode
        self.channel = channel
        self.onlineLevel = onlineLevel
        self.receivedAt = receivedAt
        self.initialDueAt = initialDueAt
        self.components = components
        self.linkedGroup = linkedGroup
        self.linkedOutcome = linkedOutcome
        self.steps = steps
        self.fileEntries = fileEntries
        self.files = files
        self.payments = payments
    }
}
