import Foundation

/// Dossier codes as intake issues them (DOMAIN.md §2): a per-unit daily sequence whose row lock
/// keeps codes unique across any number of intake processes, and the event each code travels in,
/// so that a retry with the same idempotency key republishes the very same event.
public struct IssuedDossiers: Sendable {
    let database: PostgresClient

    public init(database: PostgresClient) { self.database = database }

    public enum Outcome: Sendable {
        /// A new code; `event` is the JSON to publish.
        case issued(code: String, event: String)
        /// The key was seen with an equal request: the same code and event again.
        case replay(code: String, event: String)
        /// The key was seen with a different request.
        case conflict(code: String)
    }

    /// What intake knows of a code it issued.
    public struct Record: Sendable {
        public let code: String
        public let unitCode: String
        public let event: String
        public let personalIdLast4: String
    }

    /// Issues a code for `submission` received on local day `day`, unless its idempotency key was seen.
    /// `makeEvent` builds the event JSON for the new code inside the transaction.
    public func issue(_ submission: DossierSubmission, day: LocalDate,
                      makeEvent: @escaping @Sendable (DossierCode) throws -> String) async throws -> Outcome
    {
        let request = submission.canonicalJSON
        let key = submission.idempotencyKey
        for attempt in 0..<2 {
            do {
                return try await database.withTransaction { connection in
                    if let key, let seen = try connection.execute("""
                        SELECT code, event::text AS event, request = $2::jsonb AS same
                        FROM issued_dossiers WHERE idempotency_key = $1
                        """, [key, request]).first
                    {
                        let code = try seen.string("code")
                        return try seen.bool("same") ? .replay(code: code, event: try seen.string("event"))
                                                     : .conflict(code: code)
                    }
                    let sequence = try connection.execute("""
                        INSERT INTO dossier_sequences (unit_code, day, last) VALUES ($1, $2, 1)
                        ON CONFLICT (unit_code, day) DO UPDATE SET last = dossier_sequences.last + 1
                        RETURNING last
                        """, [submission.unitCode, day.description]).first!.int("last")
                    let code = DossierCode(unitCode: submission.unitCode, day: day, sequence: sequence)
                    let event = try makeEvent(code)
                    try connection.execute("""
                        INSERT INTO issued_dossiers
                            (code, unit_code, procedure_code, idempotency_key, request, event, personal_id_last4)
                        VALUES ($1, $2, $3, $4, $5::jsonb, $6::jsonb, $7)
                        """, [code.description, submission.unitCode, submission.procedureCode, key, request, event,
                              String(submission.applicant.personalId.suffix(4))])
                    return .issued(code: code.description, event: event)
                }
            } catch let error as PostgresError where error.isUniqueViolation && attempt == 0 {
                continue  // the same key raced in from another request: read what it stored
            }
        }
        throw PostgresError(kind: .query, sqlState: "23505", context: "issue")
    }

    /// Forgets a code whose event the broker never confirmed and that no idempotency key can retry.
    public func withdrawUnpublished(code: String) async throws {
        try await database.withConnection { connection in
            try connection.execute("DELETE FROM issued_dossiers WHERE code = $1 AND idempotency_key IS NULL", [code])
        }
    }

    public func find(code: String) async throws -> Record? {
        try await database.withConnection { connection in
            try connection.execute(
                "SELECT code, unit_code, event::text AS event, personal_id_last4 FROM issued_dossiers WHERE code = $1",
                [code]
            ).first.map { row in
                Record(code: try row.string("code"), unitCode: try row.string("unit_code"),
                       event: try row.string("event"), personalIdLast4: try row.string("personal_id_last4"))
            }
        }
    }
}
