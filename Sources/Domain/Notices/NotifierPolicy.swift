/// How the notifier retries a channel that fails for a while (`MOTCUA_NOTIFIER_*`): a 5xx answer, a
/// timeout or a connection refused is tried again after an exponential backoff with jitter, up to
/// `maxAttempts`; then, as for a refusal, the alert becomes a dead letter with the reason.
public struct NotifierPolicy: Sendable, Equatable {
    public var maxAttempts: Int

    /// The most attempts per channel that `channels` channels may have: each retry is a redelivery of the
    /// alert (it is requeued until its backoff ends), and `motcua.notifier` dead-letters an alert past
    /// `Topology.deliveryLimit` deliveries without a reason, which would leave its rows pending. Every
    /// channel's retries, the first delivery and one spare (a restart, a lease held by another notifier)
    /// must fit: 5 with both channels, 9 with one.
    public static func mostAttempts(channels: Int) -> Int { (Topology.deliveryLimit - 2) / max(1, channels) + 1 }
    public var backoffSeconds: Double
    public var maxBackoffSeconds: Double
    /// How long one send may take (HTTP request, or an SMTP session) before it counts as failed.
    public var sendTimeoutSeconds: Double
    /// How long a notifier holds a notification it is sending: another notifier (a redelivery after a
    /// lost connection) waits that long before it may send it again. Above `sendTimeoutSeconds`.
    public var leaseSeconds: Int

    public init(
        maxAttempts: Int = 5, backoffSeconds: Double = 2, maxBackoffSeconds: Double = 300,
        sendTimeoutSeconds: Double = 10, leaseSeconds: Int = 30
    ) {
        self.maxAttempts = maxAttempts
        self.backoffSeconds = backoffSeconds
        self.maxBackoffSeconds = maxBackoffSeconds
        self.sendTimeoutSeconds = sendTimeoutSeconds
        self.leaseSeconds = leaseSeconds
    }

    /// The pause after the `attempts`-th failed attempt: base × 2^(attempts-1), capped, times a jitter
    /// factor in 0.5…1.5 (`random` in 0..<1), so a burst that failed together does not retry together.
    public func backoff(afterAttempts attempts: Int, random: Double) -> Double {
        Backoff.ceiling(afterFailures: attempts, base: backoffSeconds, cap: maxBackoffSeconds) * (0.5 + random)
    }
}

/// What became of one attempt to send.
public enum SendOutcome: Sendable, Equatable {
    /// Accepted: the gateway answered 2xx, the SMTP server 250 to the message.
    case accepted
    /// Refused for good (HTTP 4xx, SMTP 5xx): retrying cannot help.
    case refused(String)
    /// Failed for now (HTTP 5xx, SMTP 4xx, a timeout, no connection): try again later.
    case transient(String)

    /// An HTTP gateway's answer.
    public static func http(status: Int, body: String) -> SendOutcome {
        let detail = "HTTP \(status)" + (body.isEmpty ? "" : ": " + String(body.prefix(200)))
        switch status {
        case 200..<300: return .accepted
        // 408 and 429 are the gateway asking for time, not refusing the message.
        case 408, 429: return .transient(detail)
        case 400..<500: return .refused(detail)
        default: return .transient(detail)
        }
    }
}
