import Domain
import Foundation
import PostgresDriver

/// A dossier's apology letter with every field of the apology form of the regime in force at its receipt,
/// as `motcua apology show` and the console print it.
public enum ApologyLetterLookup {
    public enum Found: Sendable {
        case noDossier
        case noLetter
        case letter(ApologyLetterText.Fields)
    }

    public static func find(code: String, database: PostgresClient, catalog: CatalogSnapshot) async throws -> Found {
        let row = try await database.withConnection { connection in
            try connection.execute(
                """
                SELECT d.apology::text AS apology, d.applicant::text AS applicant, d.procedure_code, d.received_at,
                       d.original_due_at, coalesce(l.unit_code, d.handling_unit, d.unit_code) AS issuing_unit
                FROM dossiers d LEFT JOIN apology_letters l ON l.dossier_code = d.code WHERE d.code = $1
                """, [code]
            ).first
        }
        guard let row else { return .noDossier }
        guard let apology = row["apology"] else { return .noLetter }
        let unit = try row.string("issuing_unit")
        let procedure = try row.string("procedure_code")
        let receivedAt = try row.date("received_at")
        return .letter(
            .init(
                letter: try JSONCoding.decode(ApologyLetter.self, from: apology),
                issuingUnitName: catalog.unit(unit, at: receivedAt)?.name ?? unit, dossierCode: code,
                applicantName: try JSONCoding.decode(Applicant.self, from: try row.string("applicant")).fullName,
                procedureName: catalog.procedure(procedure, receivedAt: receivedAt)?.name ?? procedure,
                receivedAt: receivedAt, originalDueAt: try row.date("original_due_at"),
                regime: catalog.regime(on: VietnamTime.local(receivedAt).date)))
    }
}
