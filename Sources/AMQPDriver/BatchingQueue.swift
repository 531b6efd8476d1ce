import Synchronization

/// Where deliveries wait for their handler: everything that arrived while the previous batch was being
/// applied is taken as the next batch, so under load a batch grows towards the prefetch limit while a
/// lone message is never held back. The rules are a plain struct (`BatchingQueue.State`) returning what to
/// do, tested without a broker; the class only adds the lock and the waiting.
public final class BatchingQueue<Item: Sendable>: Sendable {
    /// The queue's bookkeeping, free of I/O and of waiting.
    public struct State {
        public private(set) var items: [Item] = []
        public private(set) var finished = false
        var waiting = false

        public init() {}

        /// Up to `limit` items, oldest first; or wait; or the end.
        public mutating func take(limit: Int) -> TakeResult {
            if !items.isEmpty {
                let count = min(max(1, limit), items.count)
                let batch = Array(items.prefix(count))
                items.removeFirst(count)
                return .batch(batch)
            }
            if finished { return .end }
            waiting = true
            return .wait
        }

        /// Adds items; true when a waiting taker must be woken.
        public mutating func put(_ new: [Item]) -> Bool {
            guard !finished, !new.isEmpty else { return false }
            items += new
            defer { waiting = false }
            return waiting
        }

        /// No more items will come; true when a waiting taker must be woken.
        public mutating func finish() -> Bool {
            finished = true
            defer { waiting = false }
            return waiting
        }

        public enum TakeResult: Sendable {
            case batch([Item])
            case wait
            case end
        }
    }

    private let state = Mutex<(state: State, waiter: CheckedContinuation<State.TakeResult, Never>?)>((State(), nil))

    public init() {}

    public func put(_ items: [Item]) {
        let waiter = state.withLock { s -> CheckedContinuation<State.TakeResult, Never>? in
            guard s.state.put(items) else { return nil }
            defer { s.waiter = nil }
            return s.waiter
        }
        waiter?.resume(returning: .wait)
    }

    public func finish() {
        let waiter = state.withLock { s -> CheckedContinuation<State.TakeResult, Never>? in
            guard s.state.finish() else { return nil }
            defer { s.waiter = nil }
            return s.waiter
        }
        waiter?.resume(returning: .wait)
    }

    /// The next batch of at most `limit` items, waiting while there is none; nil once finished and empty.
    /// One taker at a time.
    public func take(limit: Int) async -> [Item]? {
        while true {
            let result: State.TakeResult = await withCheckedContinuation { continuation in
                let now = state.withLock { s -> State.TakeResult in
                    let result = s.state.take(limit: limit)
                    if case .wait = result { s.waiter = continuation }
                    return result
                }
                if case .wait = now { return }  // resumed by put or finish
                continuation.resume(returning: now)
            }
            switch result {
            case .batch(let items): return items
            case .end: return nil
            case .wait: continue  // woken: look again
            }
        }
    }
}
