import Foundation

/// Reads dossiers as the workers recorded them.
public struct DossierReadModel: Sendable {
    let database: PostgresClient

    public init(database: PostgresClient) { self.database = database }

    public func find(code: String) async throws -> DossierView? {
        try await database.withConnection { connection in
            guard let row = try connection.execute("""
                SELECT code, status, procedure_code, unit_code, channel, online_level, received_at, due_at,
                       original_due_at, closed_at, timing, components::text AS components,
                       linked_group::text AS linked_group
                FROM dossiers WHERE code = $1
                """, [code]).first
            else { return nil }
            let history = try connection.execute("""
                SELECT type, at, recorded_at, actor, reason FROM journal WHERE dossier_code = $1 ORDER BY at, id
                """, [code]).rows.map { entry in
                HistoryEntry(type: try entry.string("type"), at: try entry.date("at"),
                             recordedAt: try entry.date("recorded_at"), by: entry["actor"], reason: entry["reason"])
            }
            let choice = try row["linked_group"].map { try JSONCoding.decode(LinkedGroupChoice.self, from: $0) }
            return DossierView(
                code: try row.string("code"), status: try row.string("status"),
                procedureCode: try row.string("procedure_code"), unitCode: try row.string("unit_code"),
                channel: Channel(rawValue: try row.string("channel")) ?? .direct,
                onlineLevel: row["online_level"].flatMap(OnlineLevel.init(rawValue:)),
                receivedAt: try row.date("received_at"), dueAt: try row.date("due_at"),
                originalDueAt: try row.date("original_due_at"), closedAt: try row.optionalDate("closed_at"),
                timing: row["timing"], apology: nil,
                components: try JSONCoding.decode([Component].self, from: try row.string("components")),
                result: nil, payments: [], linkedGroup: choice.map(LinkedGroupKind.pendingView), history: history)
        }
    }

    /// The view of a dossier intake accepted that no worker has recorded yet: received, nothing more.
    public static func accepted(_ dossier: DossierReceived) -> DossierView {
        DossierView(code: dossier.code, status: "received", procedureCode: dossier.procedureCode,
                    unitCode: dossier.unitCode, channel: dossier.channel, onlineLevel: dossier.onlineLevel,
                    receivedAt: dossier.receivedAt, dueAt: dossier.dueAt, originalDueAt: dossier.dueAt, closedAt: nil,
                    timing: nil, apology: nil, components: dossier.components, result: nil, payments: [],
                    linkedGroup: dossier.linkedGroup.map(LinkedGroupKind.pendingView), history: [])
    }
}
