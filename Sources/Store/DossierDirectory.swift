import Domain
import Foundation
import PostgresDriver

/// What intake knows of a dossier code: its whole record (`DossierRecords`), the receipt it issued or
/// the workers recorded with every fact since, so an action is checked against what intake already
/// promised even while the workers catch up.
public struct DossierDirectory: Sendable {
    let database: PostgresClient
    let catalog: CatalogCache

    public init(database: PostgresClient, catalog: CatalogCache) {
        self.database = database
        self.catalog = catalog
    }

    /// The dossier's whole record (`DossierRecords`), or nil for a code neither issued nor recorded.
    public func find(_ code: String) async throws -> DossierRecord? {
        guard DossierCode(code) != nil else { return nil }
        let snapshot = catalog.current
        return try await database.withConnection { connection in
            try DossierRecords.load([code], catalog: snapshot, issued: true, on: connection)[code]
        }
    }

    /// The unit handling the dossier now, when it is not the one its code names (a transfer, a merger, or a
    /// unit of the province named at receipt); nil when unknown. One indexed query.
    public func handlingUnit(_ code: String) async throws -> String? {
        guard DossierCode(code) != nil else { return nil }
        return try await database.withConnection { connection in
            try connection.execute(
                """
                SELECT coalesce(
                    (SELECT handling_unit FROM dossiers WHERE code = $1),
                    (SELECT event -> 'data' ->> 'handlingUnit' FROM issued_dossiers WHERE code = $1)) AS unit
                """, [code]
            ).first?["unit"]
        }
    }

    /// Whether intake issued the code or a worker recorded it: one indexed query, no replay.
    public func isKnown(_ code: String) async throws -> Bool {
        guard DossierCode(code) != nil else { return false }
        return try await personalIdLast4(code) != nil
    }

    /// The last four digits of the applicant's personal ID, in ONE query whether or not the code exists,
    /// so that a wrong pair and an unknown code cost the same.
    public func personalIdLast4(_ code: String) async throws -> String? {
        try await database.withConnection { connection in
            try connection.execute(
                """
                SELECT personal_id_last4 FROM issued_dossiers WHERE code = $1
                UNION ALL SELECT personal_id_last4 FROM dossiers WHERE code = $1 LIMIT 1
                """, [code]
            ).first?.string("personal_id_last4")
        }
    }
}
