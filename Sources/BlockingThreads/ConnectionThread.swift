import Foundation

/// A thread of its own that runs jobs one at a time, for a blocking C handle.
///
/// Not a `DispatchQueue`: on Linux, libdispatch runs the queues it creates on a pool about as wide
/// as the machine has cores and cannot see that a thread is blocked in libpq, so eight "serial
/// queues" on two cores ran two database calls at a time.
public final class ConnectionThread: @unchecked Sendable {
    // Invariant for @unchecked Sendable: `jobs` and `stopped` are only touched while holding `condition`.
    private let condition = NSCondition()
    private var jobs: [() -> Void] = []
    private var stopped = false

    public init(name: String) {
        let thread = Thread { [self] in loop() }
        thread.name = name
        thread.start()
    }

    /// Queues `job`; jobs run in order on the thread.
    public func run(_ job: @escaping () -> Void) {
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    /// Lets the thread end once the queued jobs ran.
    public func stop() {
        condition.lock()
        stopped = true
        condition.signal()
        condition.unlock()
    }

    private func loop() {
        while true {
            condition.lock()
            while jobs.isEmpty && !stopped { condition.wait() }
            if jobs.isEmpty && stopped {
                condition.unlock()
                return
            }
            let job = jobs.removeFirst()
            condition.unlock()
            job()
        }
    }
}
