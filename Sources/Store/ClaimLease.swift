import PostgresDriver

/// The lease on rows a worker claims with `FOR UPDATE SKIP LOCKED` (due deadline timers, due linked-step
/// timers). The claim is the transaction's row lock: a worker that dies loses it at once with its
/// connection. One that stops with the transaction open (SIGSTOP, a process that hangs) would keep it
/// for as long as its connection stays up, and other workers would skip those timers for good; with the
/// lease, PostgreSQL ends its session after `seconds` of silence (`idle_in_transaction_session_timeout`,
/// for this transaction only), the transaction rolls back and the next worker fires the timers.
public struct ClaimLease: Sendable, Equatable {
    /// How long a stopped worker keeps what it claimed (`MOTCUA_TIMER_LEASE_SECONDS`, default 30).
    public var seconds: Int

    public init(seconds: Int = 30) { self.seconds = seconds }

    /// Puts the current transaction under the lease: call it first in the claiming transaction.
    public func take(on connection: PostgresConnection) throws {
        try connection.execute("SELECT set_config('idle_in_transaction_session_timeout', $1, true)", ["\(seconds)s"])
    }
}
