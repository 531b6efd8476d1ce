import Foundation

/// The publisher's confirm bookkeeping for one connection, free of I/O: each publish gets the next
/// delivery tag; a broker ack or nack (possibly `multiple`) settles the waiters it covers; a
/// returned message fails its waiter at its ack. `Waiter` is a continuation in the publisher, any
/// value in tests.
public struct Confirmations<Waiter> {
    public enum Outcome: Equatable, Sendable {
        case confirmed
        /// The broker nacked it: it may or may not be queued.
        case nacked
        /// Unroutable: it reached no queue.
        case returned
    }

    private var lastTag: UInt64 = 0
    private var inFlight: [UInt64: (waiter: Waiter, messageId: String, sentAt: Date)] = [:]
    private var returned: Set<String> = []

    public init() {}

    public var isEmpty: Bool { inFlight.isEmpty }

    /// Records a publish written to the socket; returns its delivery tag.
    @discardableResult
    public mutating func sent(_ waiter: Waiter, messageId: String, at time: Date = Date()) -> UInt64 {
        lastTag += 1
        inFlight[lastTag] = (waiter, messageId, time)
        return lastTag
    }

    /// The broker returned a message (`mandatory`, no queue): its ack follows.
    public mutating func returned(messageId: String) { returned.insert(messageId) }

    /// The waiters an ack (`acked`) or nack settles, oldest first, each with its outcome.
    public mutating func settle(_ tag: UInt64, multiple: Bool, acked: Bool) -> [(waiter: Waiter, outcome: Outcome)] {
        let tags = multiple ? inFlight.keys.filter { $0 <= tag }.sorted() : [tag]
        return tags.compactMap { tag in
            guard let entry = inFlight.removeValue(forKey: tag) else { return nil }
            if !acked { return (entry.waiter, .nacked) }
            if returned.remove(entry.messageId) != nil { return (entry.waiter, .returned) }
            return (entry.waiter, .confirmed)
        }
    }

    /// Whether a confirm is later than `timeout`: the connection is not to be trusted.
    public func isOverdue(now: Date = Date(), timeout: TimeInterval) -> Bool {
        let limit = now.addingTimeInterval(-timeout)
        return inFlight.values.contains { $0.sentAt < limit }
    }

    /// The connection is gone: every waiter's outcome is unknown; a new connection numbers from 1.
    public mutating func connectionLost() -> [Waiter] {
        defer {
            inFlight.removeAll()
            returned.removeAll()
            lastTag = 0
        }
        return inFlight.keys.sorted().compactMap { inFlight[$0]?.waiter }
    }
}
