import Domain
import Foundation
import PostgresDriver

/// Loads `DossierRecord`s: each dossier's receipt, its journal's steps and the actions intake accepted
/// that the journal does not hold yet, with its letter's number. Callers hold the dossiers' admission
/// lock (`DossierLocks.lockAdmission`), so no action is being admitted meanwhile and the record is the
/// complete history. Three statements for any number of dossiers.
public enum DossierRecords {
    /// The journal types that are steps of the replay: actions and automatic letters.
    public static let stepTypes = DossierLifecycle.Step.journalTypes

    /// - Parameter issued: whether a dossier intake issued that no worker recorded yet has a record
    ///   (intake's view); the workers act on recorded dossiers only.
    public static func load(
        _ codes: [String], catalog: CatalogSnapshot, issued: Bool = false,
        on connection: PostgresConnection
    ) throws -> [String: DossierRecord] {
        guard !codes.isEmpty else { return [:] }
        let list = PostgresArray.literal(Set(codes).sorted())
        var records: [String: DossierRecord] = [:]
        for row in try connection.execute(
            """
            SELECT code, unit_code, procedure_code, channel, received_at, initial_due_at, receipt_handling_unit
            FROM dossiers
            WHERE code = ANY($1::text[])
            """, [list]
        ).rows {
            let code = try row.string("code")
            let unit = try row.string("unit_code")
            let receivedAt = try row.date("received_at")
            var initial = DossierState(
                code: code, unitCode: unit, receivedAt: receivedAt, dueAt: try row.date("initial_due_at"))
            if let handler: String = row["receipt_handling_unit"] { initial.handlingUnit = handler }
            records[code] = DossierRecord(
                initial: initial,
                steps: [],
                restart: DueRestart.rule(
                    procedure: try row.string("procedure_code"), unit: unit,
                    channel: Channel(rawValue: try row.string("channel")) ?? .direct, receivedAt: receivedAt,
                    catalog: catalog))
        }
        // Issued by intake, not recorded yet: the receipt as intake issued it.
        for code in issued ? Set(codes).subtracting(records.keys).sorted() : [] {
            guard let issued = try IssuedDossiers.find(code: code, on: connection) else { continue }
            let dossier = try JSONCoding.decode(CloudEvent<DossierReceived>.self, from: issued.event).data
            var initial = DossierState(
                code: code, unitCode: dossier.unitCode, receivedAt: dossier.receivedAt, dueAt: dossier.dueAt)
            if let handler = dossier.handlingUnit { initial.handlingUnit = handler }
            records[code] = DossierRecord(
                initial: initial,
                steps: [],
                restart: DueRestart.rule(
                    procedure: dossier.procedureCode, unit: dossier.unitCode,
                    channel: dossier.channel, receivedAt: dossier.receivedAt, catalog: catalog))
        }
        guard !records.isEmpty else { return [:] }
        let found = PostgresArray.literal(records.keys.sorted())
        for row in try connection.execute(
            """
            SELECT dossier_code, part, id, type, data, refused_reason FROM (
                SELECT 0 AS part, j.id, j.dossier_code, j.type, j.data::text AS data, j.refused_reason FROM journal j
                WHERE j.dossier_code = ANY($1::text[]) AND j.type = ANY($2::text[])
                UNION ALL
                SELECT 1, i.id, i.dossier_code, 'action', i.action::text, NULL FROM intake_actions i
                WHERE i.dossier_code = ANY($1::text[])
                    AND NOT EXISTS (SELECT 1 FROM journal j WHERE j.dossier_code = i.dossier_code
                                                              AND j.event_id = i.event_id)
            ) AS facts ORDER BY dossier_code, part, id
            """, [found, PostgresArray.literal(stepTypes)]
        ).rows {
            let code = try row.string("dossier_code")
            let data = try row.string("data")
            let step = try DossierLifecycle.Step.decode(type: try row.string("type"), data: data)
            records[code]?.steps.append(step)
            if try row.int("part") == 1 {
                records[code]?.unrecorded += 1
            } else {
                records[code]?.journal.append((id: try row.string("id"), refused: row["refused_reason"]))
            }
        }
        for (code, numbered) in try ApologyLetters.numbers(of: records.keys.sorted(), on: connection) {
            records[code]?.letterNumber = numbered.number
        }
        return records
    }
}
