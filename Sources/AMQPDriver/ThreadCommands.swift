import Synchronization

/// Commands for a thread that owns a broker connection (the publisher's, the consumer's): any task
/// puts commands in; the thread takes them all at once between socket reads, woken by `wakeup`.
/// `close()` asks the thread to finish and waits until it has.
final class ThreadCommands<Command: Sendable>: Sendable {
    private struct State {
        var pending: [Command] = []
        var closing = false
        var exited = false
        var finished: CheckedContinuation<Void, Never>?
    }

    enum Refusal: Sendable {
        case closing
        case full
    }

    private let state = Mutex(State())
    let wakeup = Wakeup()

    /// Queues a command unless the thread is closing or `limit` commands already wait.
    @discardableResult
    func put(_ command: Command, limit: Int = .max) -> Refusal? {
        let refusal = state.withLock { state -> Refusal? in
            if state.closing { return .closing }
            if state.pending.count >= limit { return .full }
            state.pending.append(command)
            return nil
        }
        if refusal == nil { wakeup.signal() }
        return refusal
    }

    /// Queues a command even while closing (acks the consumer still owes the broker).
    func putAlways(_ command: Command) {
        state.withLock { $0.pending.append(command) }
        wakeup.signal()
    }

    /// On the thread: every waiting command, and whether to finish.
    func take() -> (commands: [Command], closing: Bool) {
        state.withLock { state in
            defer { state.pending.removeAll(keepingCapacity: true) }
            return (state.pending, state.closing)
        }
    }

    /// Asks the thread to finish, and returns once it has.
    func close() async {
        await withCheckedContinuation { continuation in
            let done = state.withLock { state -> Bool in
                state.closing = true
                if state.exited { return true }
                state.finished = continuation
                return false
            }
            if done { continuation.resume() } else { wakeup.signal() }
        }
    }

    /// On the thread, last.
    func markExited() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            state.exited = true
            defer { state.finished = nil }
            return state.finished
        }
        waiter?.resume()
    }
}
