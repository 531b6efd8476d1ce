import AMQPDriver
import Testing

/// The consumer's ack bookkeeping: as few frames as possible, and never a `multiple` ack over a
/// message that is not being acked.
@Suite struct AcknowledgementsTests {
    static func delivered(_ tags: ClosedRange<UInt64>) -> Acknowledgements {
        var book = Acknowledgements()
        for tag in tags { book.delivered(tag) }
        return book
    }

    @Test func aWholeBatchIsOneMultipleAck() {
        var book = Self.delivered(1...5)
        #expect(book.settle(acks: [3, 1, 2, 5, 4]) == [.ack(5, multiple: true)])
        #expect(book.pending == 0)
    }

    @Test func aMessageHeldBackStopsTheRun() {
        var book = Self.delivered(1...6)
        // 3 waits for its delayed requeue; 6 is still in the queue.
        #expect(
            book.settle(acks: [1, 2, 4, 5]) == [
                .ack(2, multiple: true), .ack(4, multiple: false),
                .ack(5, multiple: false),
            ])
        #expect(book.pending == 2)
        #expect(book.settle(acks: [], nacks: [(3, true)]) == [.nack(3, requeue: true)])
        #expect(book.settle(acks: [6]) == [.ack(6, multiple: false)])
        #expect(book.pending == 0)
    }

    @Test func aLoneAckIsNotMultipleAndUnknownTagsAreLeftOut() {
        var book = Self.delivered(7...8)
        #expect(book.settle(acks: [7, 99]) == [.ack(7, multiple: false)])
        book.reset()
        #expect(book.settle(acks: [8]) == [])
    }
}
