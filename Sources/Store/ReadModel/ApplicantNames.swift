import Domain
import Foundation
import PostgresDriver

/// The applicant's full name for the receipt, and nothing else of the applicant: as recorded, or as intake
/// accepted it while the workers catch up.
public struct ApplicantNames: Sendable {
    let database: PostgresClient

    public init(database: PostgresClient) { self.database = database }

    /// The name on dossier `code`, or nil for a code neither recorded nor issued.
    public func fullName(of code: String) async throws -> String? {
        try await database.withConnection { connection in
            try connection.execute(
                """
                SELECT coalesce(
                    (SELECT applicant ->> 'fullName' FROM dossiers WHERE code = $1),
                    (SELECT event -> 'data' -> 'applicant' ->> 'fullName' FROM issued_dossiers WHERE code = $1))
                    AS name
                """, [code]
            ).first?["name"]
        }
    }
}
