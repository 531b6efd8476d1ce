import AMQPDriver
import Foundation
import Testing

/// The publisher gives up a channel that nacks every publish for a while (`NackStreak`), not one blip.
@Suite struct NackStreakTests {
    let start = Date(timeIntervalSince1970: 1_000)

    @Test func aLongRunOfNacksReplacesTheConnectionOnce() {
        var streak = NackStreak(count: 20, seconds: 1)
        var replaced = 0
        for i in 0..<40 where streak.record(acked: false, now: start.addingTimeInterval(Double(i) * 0.1)) {
            replaced += 1
        }
        // 20 nacks by 1.9 s: replaced at the 20th (1.9 s >= 1 s); then a new streak of 20 by 3.9 s.
        #expect(replaced == 2)
    }

    @Test func aBurstInOneInstantOrAnAckBetweenIsNotEnough() {
        var burst = NackStreak(count: 20, seconds: 1)
        #expect((0..<100).allSatisfy { _ in !burst.record(acked: false, now: start) })

        var mixed = NackStreak(count: 20, seconds: 1)
        let gaveUp = (0..<100).contains { i in
            mixed.record(acked: i % 10 == 9, now: start.addingTimeInterval(Double(i) * 0.1))
        }
        #expect(!gaveUp)
    }
}
