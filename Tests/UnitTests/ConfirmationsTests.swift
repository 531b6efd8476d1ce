import AMQPDriver
import Foundation
import Testing

/// The publisher's confirm bookkeeping, without a broker: which callers an ack, a nack, a return or a
/// lost connection settles.
@Suite struct ConfirmationsTests {
    @Test func aMultipleAckSettlesEveryEarlierPublishInOrder() {
        var book = Confirmations<String>()
        for name in ["a", "b", "c"] { book.sent(name, messageId: name) }
        #expect(book.settle(2, multiple: true, acked: true).map(\.waiter) == ["a", "b"])
        #expect(!book.isEmpty)
        #expect(book.settle(3, multiple: false, acked: true).map(\.outcome) == [.confirmed])
        #expect(book.isEmpty)
    }

    @Test func aReturnedMessageFailsAtItsAckAndANackIsNotAConfirm() {
        var book = Confirmations<String>()
        book.sent("routed", messageId: "m1")
        book.sent("unroutable", messageId: "m2")
        book.sent("refused", messageId: "m3")
        book.returned(messageId: "m2")
        let acked = book.settle(2, multiple: true, acked: true)
        #expect(acked.map(\.outcome) == [.confirmed, .returned])
        #expect(book.settle(3, multiple: false, acked: false).map(\.outcome) == [.nacked])
        #expect(book.settle(3, multiple: false, acked: true).isEmpty, "a tag settles once")
    }

    @Test func aLostConnectionFailsEveryWaiterAndTagsStartAgain() {
        var book = Confirmations<String>()
        let start = Date(timeIntervalSince1970: 1_000)
        book.sent("a", messageId: "a", at: start)
        book.sent("b", messageId: "b", at: start.addingTimeInterval(5))
        #expect(!book.isOverdue(now: start.addingTimeInterval(9), timeout: 10))
        #expect(book.isOverdue(now: start.addingTimeInterval(11), timeout: 10))
        #expect(book.connectionLost() == ["a", "b"])
        #expect(book.isEmpty)
        #expect(book.sent("c", messageId: "c") == 1)
    }
}
