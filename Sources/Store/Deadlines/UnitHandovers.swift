import Domain
import Foundation
import PostgresDriver

/// The open dossiers still held by units that have ended into a successor (`UnitHandover.endings`), claimed
/// by the deadlines role like due timers: only dossiers no recorder is writing now (their worker lock is
/// tried, never awaited), row-locked and skipped when another worker holds them. The handover's journal
/// entry and the projection that moves `handling_unit` commit in the claiming transaction, so a dossier is
/// handed over once: after the commit it is no longer held by the ended unit.
public enum UnitHandovers {
    public struct Held: Sendable, Equatable {
        public let code: String
        public let unit: String
    }

    public static func claim(_ endings: [UnitHandover.Ending], limit: Int, on connection: PostgresConnection) throws
        -> [Held]
    {
        guard !endings.isEmpty else { return [] }
        return try connection.execute(
            """
            SELECT d.code, e.unit FROM unnest($1::text[]) AS e(unit)
            CROSS JOIN LATERAL (
                SELECT code FROM dossiers
                WHERE closed_at IS NULL AND coalesce(handling_unit, unit_code) = e.unit
                    AND pg_try_advisory_xact_lock(\(DossierLocks.workerSpace), hashtext(code))
                LIMIT $2::int FOR UPDATE SKIP LOCKED) AS d
            LIMIT $2::int
            """, [PostgresArray.literal(endings.map(\.unit)), String(limit)]
        ).rows.map { Held(code: try $0.string("code"), unit: try $0.string("unit")) }
    }
}
