import Foundation
import Synchronization

/// A token bucket per client: `capacity` requests at once, refilled at `perSecond`.
final class RateLimiter: Sendable {
    private let capacity: Double
    private let perSecond: Double
    private let buckets = Mutex<[String: (tokens: Double, at: Date)]>([:])

    init(capacity: Double, perSecond: Double) {
        self.capacity = capacity
        self.perSecond = perSecond
    }

    /// Takes one token for `client`; false when its bucket is empty.
    func allow(_ client: String, now: Date = Date()) -> Bool {
        buckets.withLock { buckets in
            if buckets.count > 100_000 { buckets.removeAll() }  // bounded memory under a scan
            var bucket = buckets[client] ?? (capacity, now)
            bucket.tokens = min(capacity, bucket.tokens + now.timeIntervalSince(bucket.at) * perSecond)
            bucket.at = now
            guard bucket.tokens >= 1 else {
                buckets[client] = bucket
                return false
            }
            bucket.tokens -= 1
            buckets[client] = bucket
            return true
        }
    }
}
