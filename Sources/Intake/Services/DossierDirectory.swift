import Foundation
import Shared

/// What intake knows of a dossier code: the state the workers recorded, or, for a code it issued a
/// moment ago that no worker has recorded yet, the state it was accepted in.
struct DossierDirectory: Sendable {
    let database: PostgresClient
    let issued: IssuedDossiers

    struct Entry: Sendable {
        let state: DossierState
        let unitCode: String
        let procedureCode: String
        let personalIdLast4: String
    }

    func find(_ code: String) async throws -> Entry? {
        guard DossierCode(code) != nil else { return nil }
        let recorded = try await database.withConnection { connection -> Entry? in
            guard let state = try DossierProjection.currentState(code: code, on: connection),
                let row = try connection.execute(
                    "SELECT unit_code, procedure_code, personal_id_last4 FROM dossiers WHERE code = $1", [code]).first
            else { return nil }
            return Entry(state: state, unitCode: try row.string("unit_code"),
                         procedureCode: try row.string("procedure_code"),
                         personalIdLast4: try row.string("personal_id_last4"))
        }
        if let recorded { return recorded }
        guard let record = try await issued.find(code: code) else { return nil }
        let dossier = try DossierIntake.dossier(in: record.event)
        return Entry(state: DossierState(code: code, unitCode: dossier.unitCode, receivedAt: dossier.receivedAt,
                                         dueAt: dossier.dueAt),
                     unitCode: dossier.unitCode, procedureCode: dossier.procedureCode,
                     personalIdLast4: record.personalIdLast4)
    }
}
