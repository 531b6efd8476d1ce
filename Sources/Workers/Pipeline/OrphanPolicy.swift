import Domain
import Foundation

/// A message for a dossier nobody has heard of waits (returned to the queue with backoff) for up to
/// `wait` after it happened, then goes to the dead-letter queue with the reason: never dropped silently.
enum OrphanPolicy {
    static func decide(code: String, eventTime: Date, deliveryCount: Int, wait: TimeInterval, now: Date) -> Disposition
    {
        if now.timeIntervalSince(eventTime) > wait || deliveryCount >= Topology.deliveryLimit - 1 {
            return .poison("dossier \(code) was not recorded within \(Int(wait)) s")
        }
        return .retryLater("dossier \(code) is not recorded yet")
    }
}
