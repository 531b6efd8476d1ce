/// The broker topology of CONTRACT.md. Intake and every worker declare all of it on connect, so
/// any event intake publishes is routable to its quorum queue whichever process started first.
public enum Topology {
    public static let events = "motcua.events"
    public static let alerts = "motcua.alerts"
    public static let partners = "motcua.partners"
    public static let deadLetters = "motcua.dlx"

    /// How many times a message is delivered before the broker dead-letters it.
    public static let deliveryLimit = 10

    /// A quorum work queue, the routing keys it takes from its exchange (`motcua.events`, or
    /// `motcua.alerts` for the notifier), and its dead-letter queue.
    public struct WorkQueue: Sendable, Hashable {
        public let name: String
        public let bindings: [String]
        /// Where its messages come from, and where `motcua dlq replay` puts a dead letter back.
        public var exchange = Topology.events
        public var deadLetterQueue: String { name + ".dlq" }
    }

    public static let recorder = WorkQueue(name: "motcua.recorder", bindings: ["dossier.received", "dossier.action.*"])
    public static let digitization = WorkQueue(name: "motcua.digitization", bindings: ["dossier.digitized"])
    public static let payments = WorkQueue(name: "motcua.payments", bindings: ["payment.*"])
    public static let chains = WorkQueue(name: "motcua.chains", bindings: ["linked.step_result"])

    public static let workQueues = [recorder, digitization, payments, chains]

    /// The project's own downstream service (`--role notifier`): what reaches the citizen. Declared only by
    /// the notifier role and the tools that look at it, so that alerts do not pile up in a queue nobody
    /// consumes where no notifier runs.
    public static let notifier = WorkQueue(
        name: "motcua.notifier", bindings: CitizenAlert.bindings, exchange: Topology.alerts)

    /// Every work queue `motcua queues` and `motcua dlq` know.
    public static let allWorkQueues = workQueues + [notifier]
}
