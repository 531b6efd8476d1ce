/// How the notifier reaches a citizen (docs/notifier.md).
public enum NotificationChannel: String, Sendable, CaseIterable, Codable {
    case sms, email

    /// The idempotency key of one alert on one channel: recorded before the message is sent, and sent
    /// with it (the SMS gateway's `reference`, the e-mail's `Message-ID`), so a repeat can be recognised.
    public func reference(alertId: String) -> String { "\(alertId):\(rawValue)" }
}

/// Where a notification stands (`notifications.status`).
public enum NotificationStatus: String, Sendable, Codable, CaseIterable {
    /// Recorded, not yet known to be sent: the notifier (re)tries it.
    case pending
    /// The gateway or the SMTP server accepted it.
    case sent
    /// Refused for good, or out of attempts: its alert went to `motcua.notifier.dlq` with the reason.
    case failed
    /// Not sent: the citizen gave no phone (or e-mail) or the address is unusable; counted in the metrics.
    case skipped
}
