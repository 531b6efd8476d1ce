/// The consumer's acknowledgement bookkeeping for one connection, free of I/O: which delivery tags
/// are still unsettled, and how to settle a set of them with as few frames as possible. A `multiple`
/// ack settles every unsettled tag up to it, so it is sent only for a run of tags that are ALL being
/// acked: a message waiting for its delayed requeue, or still in the batching queue, is never acked by it.
public struct Acknowledgements: Sendable {
    public enum Frame: Sendable, Equatable {
        case ack(UInt64, multiple: Bool)
        case nack(UInt64, requeue: Bool)
    }

    /// Delivered and not settled, in the order delivered (tags grow on a channel).
    private var unsettled: [UInt64] = []

    public init() {}

    public var pending: Int { unsettled.count }

    public mutating func delivered(_ tag: UInt64) { unsettled.append(tag) }

    /// A new connection: the old one's tags mean nothing on it.
    public mutating func reset() { unsettled.removeAll(keepingCapacity: true) }

    /// The frames that ack `acks` and nack `nacks`; tags not unsettled here are left out.
    public mutating func settle(acks: [UInt64], nacks: [(tag: UInt64, requeue: Bool)] = []) -> [Frame] {
        var frames: [Frame] = []
        var toAck = Set(acks)
        // The longest run from the oldest unsettled tag that is all acked: one multiple ack.
        var run = 0
        while run < unsettled.count, toAck.contains(unsettled[run]) { run += 1 }
        if run > 0 {
            frames.append(.ack(unsettled[run - 1], multiple: run > 1))
            for tag in unsettled[..<run] { toAck.remove(tag) }
            unsettled.removeFirst(run)
        }
        let nacked = Dictionary(nacks.map { ($0.tag, $0.requeue) }, uniquingKeysWith: { first, _ in first })
        unsettled.removeAll { tag in
            if toAck.contains(tag) {
                frames.append(.ack(tag, multiple: false))
                return true
            }
            if let requeue = nacked[tag] {
                frames.append(.nack(tag, requeue: requeue))
                return true
            }
            return false
        }
        return frames
    }
}
