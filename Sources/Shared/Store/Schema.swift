/// The database schema as numbered migrations. `motcua migrate` applies the missing ones under an
/// advisory lock, so running it twice, or from two places at once, is safe.
public enum Schema {
    public static let migrations: [(version: Int, sql: String)] = [
        (1, """
            CREATE TABLE units (
                code text PRIMARY KEY,
                name text NOT NULL,
                level text NOT NULL,
                parent text,
                office_hours jsonb,
                updated_at timestamptz NOT NULL DEFAULT now()
            );
            CREATE TABLE procedures (
                code text PRIMARY KEY,
                document jsonb NOT NULL,
                updated_at timestamptz NOT NULL DEFAULT now()
            );
            CREATE TABLE calendar_years (
                year int PRIMARY KEY,
                holidays jsonb NOT NULL,
                make_up_days jsonb NOT NULL,
                updated_at timestamptz NOT NULL DEFAULT now()
            );
            -- One row per unit and local day; the row lock serialises code issuance across intakes.
            CREATE TABLE dossier_sequences (
                unit_code text NOT NULL,
                day date NOT NULL,
                last int NOT NULL,
                PRIMARY KEY (unit_code, day)
            );
            -- Every code intake issued, with the event that carries it, so a retry republishes the same event.
            CREATE TABLE issued_dossiers (
                code text PRIMARY KEY,
                unit_code text NOT NULL,
                procedure_code text NOT NULL,
                idempotency_key text UNIQUE,
                request jsonb NOT NULL,
                event jsonb NOT NULL,
                personal_id_last4 text NOT NULL,
                issued_at timestamptz NOT NULL DEFAULT now()
            );
            -- Messages already applied, by CloudEvents source and id: the exactly-once ledger.
            CREATE TABLE inbox (
                source text NOT NULL,
                id text NOT NULL,
                processed_at timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (source, id)
            );
            CREATE TABLE dossiers (
                code text PRIMARY KEY,
                unit_code text NOT NULL,
                procedure_code text NOT NULL,
                channel text NOT NULL,
                online_level text,
                status text NOT NULL,
                received_at timestamptz NOT NULL,
                due_at timestamptz NOT NULL,
                original_due_at timestamptz NOT NULL,
                closed_at timestamptz,
                timing text,
                applicant jsonb NOT NULL,
                personal_id_last4 text NOT NULL,
                components jsonb NOT NULL DEFAULT '[]',
                linked_group jsonb,
                recorded_at timestamptz NOT NULL DEFAULT now(),
                updated_at timestamptz NOT NULL DEFAULT now()
            );
            CREATE INDEX dossiers_unit_received ON dossiers (unit_code, received_at);
            -- The append-only journal: `at` is when it happened, `recorded_at` when it was written.
            CREATE TABLE journal (
                id bigserial PRIMARY KEY,
                dossier_code text NOT NULL,
                type text NOT NULL,
                at timestamptz NOT NULL,
                recorded_at timestamptz NOT NULL DEFAULT now(),
                actor text,
                reason text,
                data jsonb NOT NULL DEFAULT '{}',
                event_source text,
                event_id text
            );
            CREATE INDEX journal_dossier ON journal (dossier_code, at, id);
            -- Messages workers emit, written with the state change and published by the relay.
            CREATE TABLE outbox (
                id bigserial PRIMARY KEY,
                exchange text NOT NULL,
                routing_key text NOT NULL,
                message_id text NOT NULL,
                body text NOT NULL,
                created_at timestamptz NOT NULL DEFAULT now(),
                sent_at timestamptz
            );
            CREATE INDEX outbox_unsent ON outbox (id) WHERE sent_at IS NULL;
            """),
    ]
}
