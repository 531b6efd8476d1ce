import Domain
import Foundation
import PostgresDriver

/// Dossier codes as intake issues them (DOMAIN.md §2): a per-unit daily sequence whose row lock
/// keeps codes unique across any number of intake processes, and the event each code travels in,
/// so that a retry with the same idempotency key republishes the very same event.
public struct IssuedDossiers: Sendable {
    let database: PostgresClient

    public init(database: PostgresClient) { self.database = database }

    public enum Outcome: Sendable {
        /// A new code; `event` is the JSON to publish.
        case issued(code: DossierCode, event: String)
        /// The key was seen with an equal request, or the same body without a key was left uncertain:
        /// the same code and event again. `uncertain` when the first publish was never confirmed.
        case replay(code: String, event: String, uncertain: Bool)
        /// The key was seen with a different request.
        case conflict(code: String)
    }

    /// What intake knows of a code it issued.
    public struct Record: Sendable {
        public let code: String
        public let unitCode: String
        public let event: String
        public let personalIdLast4: String
        /// When intake issued the code: the moment the receipt was recorded.
        public let issuedAt: Date
    }

    /// One submission of a batch; `makeEvent` builds its event JSON once it has a code. It runs on the
    /// database thread inside the issuing transaction, so it should only put the code in.
    public struct Request: Sendable {
        public let submission: DossierSubmission
        public let day: LocalDate
        /// The request as compared for idempotency (`DossierSubmission.canonicalJSON`).
        public let canonical: String
        public let makeEvent: @Sendable (DossierCode) throws -> String

        /// - Parameter canonical: `submission.canonicalJSON`, when the caller has it already.
        public init(
            submission: DossierSubmission, day: LocalDate, canonical: String? = nil,
            makeEvent: @escaping @Sendable (DossierCode) throws -> String
        ) {
            self.submission = submission
            self.day = day
            self.canonical = canonical ?? submission.canonicalJSON
            self.makeEvent = makeEvent
        }

        /// Idempotency keys are per unit: the same key at two units is two submissions.
        public var scopedKey: String? { submission.idempotencyKey.map { "\(submission.unitCode) \($0)" } }
    }

    /// Issues one code (a batch of one); a key raced in by another request reads what it stored.
    public func issue(_ request: Request) async throws -> Outcome {
        do {
            return try await issueBatch([request])[0]
        } catch let error as PostgresError where error.isUniqueViolation {
            return try await issueBatch([request])[0]
        }
    }

    /// Issues codes for many submissions in ONE transaction: a handful of statements and one commit
    /// instead of four round trips and a commit each. Scoped idempotency keys must be distinct within
    /// the batch. Any failure fails the whole batch, and nothing of it is written.
    ///
    /// The requests and events travel as one JSON array each (`jsonb_array_elements`), not as array
    /// literals: JSON goes in as it is, where a literal escaped every character of every document on the
    /// database thread (half of that thread's time under load) and made the server unescape it again.
    public func issueBatch(_ requests: [Request]) async throws -> [Outcome] {
        let units = PostgresArray.literal(requests.map { $0.submission.unitCode })
        let keys = PostgresArray.literal(requests.map { $0.submission.idempotencyKey })
        let canonical = Self.jsonArray(requests.map(\.canonical))
        return try await database.withTransaction { connection in
            var outcomes = [Outcome?](repeating: nil, count: requests.count)
            // A key seen before at this unit; or, without a key, the identical body of a submission whose
            // publish was left uncertain.
            // Two arms, each on its own index: (unit_code, idempotency_key), and the small partial index of
            // uncertain keyless rows.
            let seen = try connection.execute(
                """
                WITH k AS (
                    SELECT i - 1 AS i, unit, key, req
                    FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS t(unit, key, i)
                    JOIN jsonb_array_elements($3::jsonb) WITH ORDINALITY AS r(req, i) USING (i))
                SELECT k.i, d.code, d.event::text AS event, d.request = k.req AS same, d.uncertain
                FROM k JOIN issued_dossiers d ON d.unit_code = k.unit AND d.idempotency_key = k.key
                UNION ALL
                SELECT k.i, d.code, d.event::text, true, d.uncertain
                FROM k JOIN issued_dossiers d ON d.unit_code = k.unit AND k.key IS NULL AND d.idempotency_key IS NULL
                    AND d.uncertain AND md5(d.request::text) = md5(k.req::text) AND d.request = k.req
                    AND d.issued_at > now() - interval '24 hours'
                """, [units, keys, canonical])
            for row in seen.rows {
                let code = try row.string("code")
                outcomes[try row.int("i")] =
                    try row.bool("same")
                    ? .replay(code: code, event: try row.string("event"), uncertain: try row.bool("uncertain"))
                    : .conflict(code: code)
            }
            // Codes: one sequence step per unit and day, numbered in arrival order, for every unit and day of
            // the batch in ONE statement. Rows are locked in (unit, day) order, so two intakes issuing
            // batches at once wait for each other instead of deadlocking.
            let fresh = requests.indices.filter { outcomes[$0] == nil }
            guard !fresh.isEmpty else { return outcomes.compactMap { $0 } }
            let groups = Dictionary(grouping: fresh) {
                SequenceKey(
                    unit: requests[$0].submission.unitCode,
                    day: requests[$0].day.description)
            }
            let keys = groups.keys.sorted()
            let steps = try connection.execute(
                """
                INSERT INTO dossier_sequences (unit_code, day, last)
                SELECT * FROM unnest($1::text[], $2::date[], $3::int[]) ORDER BY 1, 2
                ON CONFLICT (unit_code, day) DO UPDATE SET last = dossier_sequences.last + EXCLUDED.last
                RETURNING unit_code, day::text AS day, last
                """,
                [
                    PostgresArray.literal(keys.map(\.unit)), PostgresArray.literal(keys.map(\.day)),
                    PostgresArray.literal(keys.map { String(groups[$0]!.count) }),
                ])
            var codes: [Int: DossierCode] = [:]
            for row in steps.rows {
                let key = SequenceKey(unit: try row.string("unit_code"), day: try row.string("day"))
                guard let indices = groups[key]?.sorted() else {
                    throw PostgresError(kind: .decoding, context: "sequence of another unit or day")
                }
                let last = try row.int("last")
                for (offset, index) in indices.enumerated() {
                    codes[index] = DossierCode(
                        unitCode: key.unit, day: requests[index].day,
                        sequence: last - indices.count + 1 + offset)
                }
            }
            var rows: [(code: String, request: Request, event: String)] = []
            for index in fresh {
                guard let code = codes[index] else { throw PostgresError(kind: .decoding, context: "issued code") }
                let event = try requests[index].makeEvent(code)
                rows.append((code.description, requests[index], event))
                outcomes[index] = .issued(code: code, event: event)
            }
            try connection.execute(
                """
                INSERT INTO issued_dossiers
                    (code, unit_code, procedure_code, idempotency_key, request, event, personal_id_last4)
                SELECT t.code, t.unit, t.procedure, t.key, r.request, e.event, t.last4
                FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[])
                        WITH ORDINALITY AS t(code, unit, procedure, key, last4, i)
                    JOIN jsonb_array_elements($6::jsonb) WITH ORDINALITY AS r(request, i) ON r.i = t.i
                    JOIN jsonb_array_elements($7::jsonb) WITH ORDINALITY AS e(event, i) ON e.i = t.i
                """,
                [
                    PostgresArray.literal(rows.map(\.code)),
                    PostgresArray.literal(rows.map(\.request.submission.unitCode)),
                    PostgresArray.literal(rows.map(\.request.submission.procedureCode)),
                    PostgresArray.literal(rows.map(\.request.submission.idempotencyKey)),
                    PostgresArray.literal(rows.map(\.request.submission.applicant.personalIdLast4)),
                    Self.jsonArray(rows.map(\.request.canonical)), Self.jsonArray(rows.map(\.event)),
                ])
            return outcomes.compactMap { $0 }
        }
    }

    /// JSON documents as one JSON array: each is already JSON, so nothing needs escaping.
    private static func jsonArray(_ documents: [String]) -> String { "[" + documents.joined(separator: ",") + "]" }

    /// A unit's day, as `dossier_sequences` keys its rows.
    private struct SequenceKey: Hashable, Comparable {
        let unit: String
        let day: String

        static func < (a: Self, b: Self) -> Bool { (a.unit, a.day) < (b.unit, b.day) }
    }

    /// Forgets a code whose event certainly never reached the broker and that no key can retry.
    public func withdrawUnpublished(code: String) async throws {
        try await database.withConnection { connection in
            try connection.execute("DELETE FROM issued_dossiers WHERE code = $1 AND idempotency_key IS NULL", [code])
        }
    }

    /// Marks a code whose publish may or may not have reached the broker: a retry republishes its event,
    /// and so does intake itself after a minute (`UncertainRepair`).
    public func markUncertain(code: String) async throws {
        try await database.withConnection { connection in
            try connection.execute("UPDATE issued_dossiers SET uncertain = true WHERE code = $1", [code])
        }
    }

    /// A republish of an uncertain code was confirmed: nothing is left to repair. The row stays
    /// `uncertain`, so that the identical keyless retry still finds its code.
    public func markConfirmed(code: String) async throws {
        try await database.withConnection { connection in
            try connection.execute(
                """
                UPDATE issued_dossiers SET republished_at = now() WHERE code = $1 AND uncertain AND republished_at IS NULL
                """, [code])
        }
    }

    public func find(code: String) async throws -> Record? {
        try await database.withConnection { connection in try Self.find(code: code, on: connection) }
    }

    static func find(code: String, on connection: PostgresConnection) throws -> Record? {
        try connection.execute(
            """
            SELECT code, unit_code, event::text AS event, personal_id_last4, issued_at FROM issued_dossiers
            WHERE code = $1
            """, [code]
        ).first.map { row in
            Record(
                code: try row.string("code"), unitCode: try row.string("unit_code"),
                event: try row.string("event"), personalIdLast4: try row.string("personal_id_last4"),
                issuedAt: try row.date("issued_at"))
        }
    }
}
