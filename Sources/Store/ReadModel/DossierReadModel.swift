import Domain
import Foundation
import PostgresDriver

/// Reads dossiers as the workers recorded them.
public struct DossierReadModel: Sendable {
    let database: PostgresClient

    public init(database: PostgresClient) { self.database = database }

    public func find(code: String, catalog: CatalogSnapshot) async throws -> DossierView? {
        try await database.withConnection {
            try $0.snapshot { connection in
                guard
                    let row = try connection.execute(
                        """
                        SELECT code, status, procedure_code, unit_code, handling_unit, channel, online_level, received_at,
                               due_at, original_due_at, closed_at, timing, components::text AS components,
                               linked_group::text AS linked_group, apology::text AS apology, result::text AS result,
                               provisional_years <> '{}' AS provisional
                        FROM dossiers WHERE code = $1
                        """, [code]
                    ).first
                else { return nil }
                let history = try connection.execute(
                    """
                    SELECT type, at, recorded_at, actor, reason, refused_reason FROM journal WHERE dossier_code = $1
                    ORDER BY at, id
                    """, [code]
                ).rows.map { entry in
                    HistoryEntry(
                        type: try entry.string("type"), at: try entry.date("at"),
                        recordedAt: try entry.date("recorded_at"), by: entry["actor"], reason: entry["reason"],
                        refused: entry["refused_reason"])
                }
                let payments = try connection.execute(
                    """
                    SELECT transaction_id, amount_vnd, status, gateway, paid_at, mismatch FROM payments
                    WHERE dossier_code = $1 ORDER BY paid_at, recorded_at
                    """, [code]
                ).rows.map { p in
                    PaymentView(
                        transactionId: try p.string("transaction_id"), amountVnd: try p.int("amount_vnd"),
                        status: try p.string("status"), gateway: try p.string("gateway"),
                        paidAt: try p.date("paid_at"), mismatch: try p.bool("mismatch"))
                }
                let (components, resultFile) = DigitizedFiles.merge(
                    components: try JSONCoding.decode([Component].self, from: try row.string("components")),
                    result: try row["result"].map { try JSONCoding.decode(FileView.self, from: $0) },
                    files: try DigitizationStore.files(of: code, on: connection))
                let procedure = catalog.procedure(try row.string("procedure_code"), forDossier: code)
                let choice = try row["linked_group"].map { try JSONCoding.decode(LinkedGroupChoice.self, from: $0) }
                // The group as the chain moved it; as chosen while it has no rows (recorded before migration 7).
                let linked =
                    try choice == nil
                    ? nil
                    : (LinkedStore.groups([code], on: connection)[code].map(LinkedGroupView.init)
                        ?? choice.map(LinkedGroupKind.pendingView))
                var view = DossierView(
                    code: try row.string("code"), status: try row.string("status"),
                    procedureCode: try row.string("procedure_code"), unitCode: try row.string("unit_code"),
                    channel: Channel(rawValue: try row.string("channel")) ?? .direct,
                    onlineLevel: row["online_level"].flatMap(OnlineLevel.init(rawValue:)),
                    receivedAt: try row.date("received_at"), dueAt: try row.date("due_at"),
                    originalDueAt: try row.date("original_due_at"), closedAt: try row.optionalDate("closed_at"),
                    timing: row["timing"],
                    apology: try row["apology"].map { try JSONCoding.decode(ApologyLetter.self, from: $0) },
                    components: components, result: resultFile, payments: payments,
                    linkedGroup: linked, history: history,
                    fullyDigitized: !components.isEmpty && components.allSatisfy(\.digitized),
                    resultDigitized: procedure?.paperResult == false ? nil : resultFile != nil,
                    handlingUnit: row["handling_unit"])
                view.paidNetVnd = PaymentView.net(payments)
                view.provisional = try row.bool("provisional")
                return view
            }
        }
    }
}
