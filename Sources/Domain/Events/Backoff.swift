import Foundation

/// The exponential part of a retry's wait, shared by the chains (`LinkedPolicy`) and the notifier
/// (`NotifierPolicy`); each adds its own jitter.
public enum Backoff {
    /// `base` × 2^(failures−1), at most `cap` (and 0 failures counts as 1).
    public static func ceiling(afterFailures failures: Int, base: Double, cap: Double) -> Double {
        min(cap, base * pow(2, Double(max(0, min(failures - 1, 30)))))
    }
}
