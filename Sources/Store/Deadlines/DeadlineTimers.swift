import Domain
import Foundation
import PostgresDriver

/// The `deadline_timers` table: the timers each dossier's state calls for (`DeadlineSchedule`).
public enum DeadlineTimers {
    /// Makes `codes`' timers what `wanted` says, in two statements: timers no longer wanted go; new or
    /// moved ones are written as pending (a moved one fires again, with a new alert id); a timer that
    /// already fired for the same due moment stays fired.
    public static func replace(
        _ codes: [String], wanted: [(code: String, timer: DeadlineTimer)],
        on connection: PostgresConnection
    ) throws {
        guard !codes.isEmpty else { return }
        try connection.execute(
            """
            DELETE FROM deadline_timers t WHERE t.dossier_code = ANY($1::text[])
                AND NOT EXISTS (SELECT 1 FROM unnest($2::text[], $3::text[]) AS w(c, k)
                                WHERE w.c = t.dossier_code AND w.k = t.kind)
            """,
            [
                PostgresArray.literal(codes), PostgresArray.literal(wanted.map(\.code)),
                PostgresArray.literal(wanted.map(\.timer.kind.rawValue)),
            ])
        guard !wanted.isEmpty else { return }
        // A timer written already due wakes a deadline worker at the commit; later ones wait for its poll.
        try connection.execute(
            """
            WITH written AS (
                INSERT INTO deadline_timers (dossier_code, kind, fire_at, due_at)
                SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::timestamptz[])
                ON CONFLICT (dossier_code, kind) DO UPDATE SET fire_at = EXCLUDED.fire_at, due_at = EXCLUDED.due_at,
                    fired_at = NULL
                WHERE (deadline_timers.fire_at, deadline_timers.due_at)
                    IS DISTINCT FROM (EXCLUDED.fire_at, EXCLUDED.due_at)
                RETURNING fire_at)
            SELECT pg_notify('\(NotifyChannel.deadlines)', '')
            FROM (SELECT 1 FROM written WHERE fire_at <= now() LIMIT 1) AS due_now
            """,
            [
                PostgresArray.literal(wanted.map(\.code)), PostgresArray.literal(wanted.map(\.timer.kind.rawValue)),
                PostgresArray.literal(wanted.map { VietnamTime.rfc3339($0.timer.fireAt) }),
                PostgresArray.literal(wanted.map { VietnamTime.rfc3339($0.timer.dueAt) }),
            ])
    }
}
