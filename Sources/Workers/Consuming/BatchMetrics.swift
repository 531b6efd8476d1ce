import AMQPDriver
import Dispatch
import Domain
import Foundation
import Metrics

/// What a role's batches look like from outside (`/metrics` on `MOTCUA_METRICS_PORT`): messages per
/// outcome, batch sizes and durations, and how far behind the event's time a message was recorded.
struct BatchMetrics: Sendable {
    let role: String
    private let applied: Counter
    private let duplicate: Counter
    private let retryLater: Counter
    private let poison: Counter
    private let unsettled: Counter
    private let size: Metrics.Recorder
    private let duration: Metrics.Timer
    private let lag: Metrics.Timer

    init(role: String) {
        self.role = role
        func messages(_ outcome: String) -> Counter {
            Counter(label: "motcua_worker_messages_total", dimensions: [("role", role), ("outcome", outcome)])
        }
        applied = messages("applied")
        duplicate = messages("duplicate")
        retryLater = messages("retry_later")
        poison = messages("poison")
        unsettled = messages("unsettled")
        size = Metrics.Recorder(label: "motcua_worker_batch_size", dimensions: [("role", role)])
        duration = Metrics.Timer(label: "motcua_worker_batch_duration_seconds", dimensions: [("role", role)])
        lag = Metrics.Timer(label: "motcua_worker_recording_lag_seconds", dimensions: [("role", role)])
    }

    /// - Parameter outcomes: per message, or nil when the batch was left for the broker to redeliver.
    func record(_ batch: [Delivery], headers: [EventHeader?], outcomes: [Disposition]?, since start: DispatchTime) {
        duration.recordInterval(since: start)
        size.record(batch.count)
        guard let outcomes else {
            unsettled.increment(by: batch.count)
            return
        }
        let now = Date()
        for (header, outcome) in zip(headers, outcomes) {
            switch outcome {
            case .applied:
                applied.increment()
                if let time = header?.time {
                    lag.recordNanoseconds(Int64(max(0, now.timeIntervalSince(time)) * 1_000_000_000))
                }
            case .duplicate: duplicate.increment()
            case .retryLater: retryLater.increment()
            case .poison: poison.increment()
            }
        }
    }
}
