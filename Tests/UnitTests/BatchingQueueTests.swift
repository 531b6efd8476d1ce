import AMQPDriver
import Testing

/// The workers' batching queue: what arrives while a batch is applied is the next batch.
@Suite struct BatchingQueueTests {
    @Test func everythingWaitingIsOneBatchUpToTheLimit() {
        var state = BatchingQueue<Int>.State()
        #expect(state.put([1, 2]) == false)
        #expect(state.put([3]) == false)
        guard case .batch(let first) = state.take(limit: 2) else {
            Issue.record("no batch")
            return
        }
        #expect(first == [1, 2])
        guard case .batch(let second) = state.take(limit: 10) else {
            Issue.record("no batch")
            return
        }
        #expect(second == [3])
    }

    @Test func aTakerWaitsAndIsWokenByPutOrFinish() {
        var state = BatchingQueue<Int>.State()
        guard case .wait = state.take(limit: 5) else {
            Issue.record("did not wait")
            return
        }
        #expect(state.put([7]) == true)
        guard case .batch(let batch) = state.take(limit: 5) else {
            Issue.record("no batch")
            return
        }
        #expect(batch == [7])
        guard case .wait = state.take(limit: 5) else {
            Issue.record("did not wait")
            return
        }
        #expect(state.finish() == true)
        guard case .end = state.take(limit: 5) else {
            Issue.record("did not end")
            return
        }
    }

    @Test func anEmptyPutKeepsTheTakerWaiting() {
        var state = BatchingQueue<Int>.State()
        guard case .wait = state.take(limit: 5) else {
            Issue.record("did not wait")
            return
        }
        #expect(state.put([]) == false)
        #expect(state.put([1]) == true)  // still woken by the next real put
    }

    @Test func whatWasBufferedIsStillTakenAfterFinish() {
        var state = BatchingQueue<Int>.State()
        _ = state.put([1])
        #expect(state.finish() == false)
        #expect(state.put([2]) == false)  // nothing after the end
        guard case .batch(let batch) = state.take(limit: 5) else {
            Issue.record("no batch")
            return
        }
        #expect(batch == [1])
        guard case .end = state.take(limit: 5) else {
            Issue.record("did not end")
            return
        }
    }

    @Test func theAsyncMailboxHandsOverInOrder() async {
        let queue = BatchingQueue<Int>()
        async let taken: [[Int]] = {
            var batches: [[Int]] = []
            while let batch = await queue.take(limit: 100) { batches.append(batch) }
            return batches
        }()
        for i in 0..<50 { queue.put([i]) }
        queue.finish()
        let batches = await taken
        #expect(batches.flatMap { $0 } == Array(0..<50))
    }
}
