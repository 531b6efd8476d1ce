import Foundation
import Shared

/// What intake knows of a dossier code: the dossier it issued with every action it accepted since,
/// replayed, so an action is checked against what intake already promised even while the workers
/// catch up. Dossiers intake did not issue (published straight to the broker) read as recorded.
struct DossierDirectory: Sendable {
    let database: PostgresClient
    let issued: IssuedDossiers
    let actions: AcceptedActions
    let catalog: CatalogCache

    struct Entry: Sendable {
        let state: DossierState
        let unitCode: String
        let procedureCode: String
        let personalIdLast4: String
    }

    func find(_ code: String) async throws -> Entry? {
        guard DossierCode(code) != nil else { return nil }
        if let record = try await issued.find(code: code) {
            let dossier = try DossierIntake.dossier(in: record.event)
            let initial = DossierState(code: code, unitCode: dossier.unitCode, receivedAt: dossier.receivedAt,
                                       dueAt: dossier.dueAt)
            let restart = DossierProjection.restartRule(procedure: dossier.procedureCode, unit: dossier.unitCode,
                                                        channel: dossier.channel, catalog: catalog.current)
            let state = DossierLifecycle.replay(initial, try await actions.list(code: code), restart: restart).state
            return Entry(state: state, unitCode: dossier.unitCode, procedureCode: dossier.procedureCode,
                         personalIdLast4: record.personalIdLast4)
        }
        return try await database.withConnection { connection -> Entry? in
            guard let state = try DossierProjection.currentState(code: code, on: connection),
                let row = try connection.execute(
                    "SELECT unit_code, procedure_code, personal_id_last4 FROM dossiers WHERE code = $1", [code]).first
            else { return nil }
            return Entry(state: state, unitCode: try row.string("unit_code"),
                         procedureCode: try row.string("procedure_code"),
                         personalIdLast4: try row.string("personal_id_last4"))
        }
    }
}
