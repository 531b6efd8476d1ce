import Foundation

/// When a channel that refuses every publish is to be given up. A quorum queue nacks a publish it could
/// not take; after its leader's node dies, RabbitMQ 3.10 was seen nacking every publish on a channel
/// opened during the election for 30-40 s, while a new channel published at once (the fault test on
/// `ops/cluster`). So: a run of nacks with no ack among them, long enough not to be a blip, means the
/// publisher opens a new connection.
public struct NackStreak: Sendable {
    /// Nacks in a row before the channel is suspect.
    public let count: Int
    /// And for at least this long, so that a burst of nacks in one instant is not enough.
    public let seconds: TimeInterval
    private var nacks = 0
    private var since: Date?

    public init(count: Int = 20, seconds: TimeInterval = 1) {
        self.count = count
        self.seconds = seconds
    }

    /// Records one confirm's outcome; true when the connection should be replaced (the streak restarts).
    public mutating func record(acked: Bool, now: Date = Date()) -> Bool {
        guard !acked else {
            nacks = 0
            since = nil
            return false
        }
        nacks += 1
        let start = since ?? now
        since = start
        guard nacks >= count, now.timeIntervalSince(start) >= seconds else { return false }
        reset()
        return true
    }

    /// A new connection starts with no streak.
    public mutating func reset() {
        nacks = 0
        since = nil
    }
}
