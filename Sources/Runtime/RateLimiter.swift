import Foundation
import Synchronization

/// A token bucket per client: `capacity` requests at once, refilled at `perSecond`.
///
/// Memory is bounded by `maxClients`: past it, buckets idle long enough to be full again are dropped
/// first (forgetting them changes nothing), then the least recently used. A scan from many addresses
/// therefore never resets the limit of the clients that are being limited.
public final class RateLimiter: Sendable {
    private let capacity: Double
    private let perSecond: Double
    private let maxClients: Int
    private let buckets = Mutex<[String: Bucket]>([:])

    struct Bucket {
        var tokens: Double
        var at: Date
    }

    public init(capacity: Double, perSecond: Double, maxClients: Int = 100_000) {
        self.capacity = capacity
        self.perSecond = perSecond
        self.maxClients = max(1, maxClients)
    }

    /// Takes one token for `client`; false when its bucket is empty.
    public func allow(_ client: String, now: Date = Date()) -> Bool {
        buckets.withLock { buckets in
            if buckets[client] == nil && buckets.count >= maxClients { evict(&buckets, now: now) }
            var bucket = buckets[client] ?? Bucket(tokens: capacity, at: now)
            bucket.tokens = min(capacity, bucket.tokens + max(0, now.timeIntervalSince(bucket.at)) * perSecond)
            bucket.at = now
            let allowed = bucket.tokens >= 1
            if allowed { bucket.tokens -= 1 }
            buckets[client] = bucket
            return allowed
        }
    }

    /// How many clients are tracked now.
    public var trackedClients: Int { buckets.withLock { $0.count } }

    /// Frees a tenth of the room at least, so the scan runs once per `maxClients / 10` new clients,
    /// not on every one.
    private func evict(_ buckets: inout [String: Bucket], now: Date) {
        let refill = capacity / perSecond
        buckets = buckets.filter { now.timeIntervalSince($0.value.at) < refill }
        let room = maxClients - max(1, maxClients / 10)
        guard buckets.count > room else { return }
        // Still crowded with active clients: drop the least recently seen.
        let oldest = buckets.sorted { $0.value.at < $1.value.at }.prefix(buckets.count - room)
        for (key, _) in oldest { buckets.removeValue(forKey: key) }
    }
}
