import Domain
import Foundation
import PostgresDriver

/// The `digitizations` table: the current file of each target.
public enum DigitizationStore {
    /// The files recorded for `codes`: ONE statement.
    public static func current(codes: [String], on connection: PostgresConnection) throws
        -> [DigitizedFiles.Key: DigitizationRecord]
    {
        guard !codes.isEmpty else { return [:] }
        var files: [DigitizedFiles.Key: DigitizationRecord] = [:]
        for row in try connection.execute(
            """
            SELECT dossier_code, target, name, sha256, bytes, media_type, signed, reused FROM digitizations
            WHERE dossier_code = ANY($1::text[])
            """, [PostgresArray.literal(Set(codes).sorted())]
        ).rows {
            let record = try self.record(row)
            files[record.key] = record
        }
        return files
    }

    /// Inserts or replaces the files in ONE statement (at most one per key).
    public static func upsert(_ records: [DigitizationRecord], on connection: PostgresConnection) throws {
        guard !records.isEmpty else { return }
        try connection.execute(
            """
            INSERT INTO digitizations (dossier_code, target, name, sha256, bytes, media_type, signed, reused)
            SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::text[],
                                 $7::boolean[], $8::boolean[])
            ON CONFLICT (dossier_code, target, name) DO UPDATE SET sha256 = EXCLUDED.sha256, bytes = EXCLUDED.bytes,
                media_type = EXCLUDED.media_type, signed = EXCLUDED.signed, reused = EXCLUDED.reused,
                recorded_at = now()
            """,
            [
                PostgresArray.literal(records.map(\.dossierCode)),
                PostgresArray.literal(records.map(\.target.rawValue)),
                PostgresArray.literal(records.map(\.name)), PostgresArray.literal(records.map(\.sha256)),
                PostgresArray.literal(records.map { String($0.bytes) }),
                PostgresArray.literal(records.map(\.mediaType)),
                PostgresArray.literal(records.map { $0.signed ? "true" : "false" }),
                PostgresArray.literal(records.map { $0.reused ? "true" : "false" }),
            ])
    }

    /// The files of one dossier, in the order recorded (for its view).
    public static func files(of code: String, on connection: PostgresConnection) throws -> [DigitizationRecord] {
        try connection.execute(
            """
            SELECT dossier_code, target, name, sha256, bytes, media_type, signed, reused FROM digitizations
            WHERE dossier_code = $1 ORDER BY recorded_at
            """, [code]
        ).rows.map(record)
    }

    private static func record(_ row: PostgresRow) throws -> DigitizationRecord {
        DigitizationRecord(
            dossierCode: try row.string("dossier_code"),
            target: DigitizationRecord.Target(rawValue: try row.string("target")) ?? .component,
            name: try row.string("name"), sha256: try row.string("sha256"), bytes: try row.int("bytes"),
            mediaType: try row.string("media_type"), signed: try row.bool("signed"),
            reused: try row.bool("reused"))
    }
}
