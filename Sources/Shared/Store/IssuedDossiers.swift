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

    /// One submission of a batch; `makeEvent` builds its event JSON once it has a code.
    public struct Request: Sendable {
        public let submission: DossierSubmission
        public let day: LocalDate
        public let makeEvent: @Sendable (DossierCode) throws -> String

        public init(submission: DossierSubmission, day: LocalDate,
                    makeEvent: @escaping @Sendable (DossierCode) throws -> String)
        {
            self.submission = submission
            self.day = day
            self.makeEvent = makeEvent
        }
    }

    /// Issues codes for many submissions in ONE transaction: a handful of statements and one commit
    /// instead of four round trips and a commit each. Idempotency keys must be distinct within the
    /// batch. Any failure fails the whole batch, and nothing of it is written.
    public func issueBatch(_ requests: [Request]) async throws -> [Outcome] {
        let canonical = requests.map { $0.submission.canonicalJSON }
        return try await database.withTransaction { connection in
            var outcomes = [Outcome?](repeating: nil, count: requests.count)
            let keyed = requests.indices.filter { requests[$0].submission.idempotencyKey != nil }
            if !keyed.isEmpty {
                let seen = try connection.execute("""
                    SELECT k.i, d.code, d.event::text AS event, d.request = k.req AS same
                    FROM unnest($1::int[], $2::text[], $3::jsonb[]) AS k(i, key, req)
                    JOIN issued_dossiers d ON d.idempotency_key = k.key
                    """, [PostgresArray.literal(keyed.map { String($0) }),
                          PostgresArray.literal(keyed.map { requests[$0].submission.idempotencyKey }),
                          PostgresArray.literal(keyed.map { canonical[$0] })])
                for row in seen.rows {
                    let code = try row.string("code")
                    outcomes[try row.int("i")] = try row.bool("same")
                        ? .replay(code: code, event: try row.string("event")) : .conflict(code: code)
                }
            }
            // Codes: one sequence step per unit and day, numbered in arrival order.
            let fresh = requests.indices.filter { outcomes[$0] == nil }
            var codes: [Int: DossierCode] = [:]
            let groups = Dictionary(grouping: fresh) { "\(requests[$0].submission.unitCode) \(requests[$0].day)" }
            for indices in groups.values.map({ $0.sorted() }) {
                let first = requests[indices[0]]
                let last = try connection.execute("""
                    INSERT INTO dossier_sequences (unit_code, day, last) VALUES ($1, $2, $3)
                    ON CONFLICT (unit_code, day) DO UPDATE SET last = dossier_sequences.last + EXCLUDED.last
                    RETURNING last
                    """, [first.submission.unitCode, first.day.description, String(indices.count)]).first!.int("last")
                for (offset, index) in indices.enumerated() {
                    codes[index] = DossierCode(unitCode: first.submission.unitCode, day: first.day,
                                               sequence: last - indices.count + 1 + offset)
                }
            }
            guard !fresh.isEmpty else { return outcomes.map { $0! } }
            var events: [String] = []
            for index in fresh {
                let event = try requests[index].makeEvent(codes[index]!)
                events.append(event)
                outcomes[index] = .issued(code: codes[index]!.description, event: event)
            }
            try connection.execute("""
                INSERT INTO issued_dossiers
                    (code, unit_code, procedure_code, idempotency_key, request, event, personal_id_last4)
                SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::jsonb[], $6::jsonb[], $7::text[])
                """, [PostgresArray.literal(fresh.map { codes[$0]!.description }),
                      PostgresArray.literal(fresh.map { requests[$0].submission.unitCode }),
                      PostgresArray.literal(fresh.map { requests[$0].submission.procedureCode }),
                      PostgresArray.literal(fresh.map { requests[$0].submission.idempotencyKey }),
                      PostgresArray.literal(fresh.map { canonical[$0] }), PostgresArray.literal(events),
                      PostgresArray.literal(fresh.map { String(requests[$0].submission.applicant.personalId.suffix(4)) })])
            return outcomes.map { $0! }
        }
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
