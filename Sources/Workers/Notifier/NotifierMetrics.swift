import Domain
import Metrics

/// The notifier on `/metrics`: messages accepted, refused (dead letters), retried and skipped per
/// channel, and the alerts that were not for the citizen.
struct NotifierMetrics: Sendable {
    func sent(_ channel: NotificationChannel, parts: Int?) {
        Counter(label: "motcua_notifier_sent_total", dimensions: [("channel", channel.rawValue)]).increment()
        if let parts {
            Counter(label: "motcua_notifier_sms_parts_total", dimensions: [("channel", channel.rawValue)])
                .increment(by: parts)
        }
    }

    func failed(_ channel: NotificationChannel) {
        Counter(label: "motcua_notifier_failed_total", dimensions: [("channel", channel.rawValue)]).increment()
    }

    func retried(_ channel: NotificationChannel) {
        Counter(label: "motcua_notifier_retries_total", dimensions: [("channel", channel.rawValue)]).increment()
    }

    /// Counted once per alert and channel, when first recorded.
    func skipped(_ channel: NotificationChannel, reason: String) {
        Counter(
            label: "motcua_notifier_skipped_total", dimensions: [("channel", channel.rawValue), ("reason", reason)]
        )
        .increment()
    }

    /// An alert bound to the queue that does not concern the citizen (a step stuck on a partner agency).
    func ignored() {
        Counter(label: "motcua_notifier_alerts_total", dimensions: [("outcome", "not_for_citizen")]).increment()
    }

    func poison() {
        Counter(label: "motcua_notifier_alerts_total", dimensions: [("outcome", "unreadable")]).increment()
    }
}
