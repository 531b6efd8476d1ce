import Domain

/// The database schema as numbered migrations. `motcua migrate` (`Migrator`) applies the missing ones
/// under an advisory lock, each in a transaction of its own, then builds the indexes they declare
/// concurrently; running it twice, or from two places at once, is safe. A plain index goes in a
/// migration's `indexes`, never in its `sql` (a test holds to it), so that it is built without blocking writes.
public enum Schema {
    public static let migrations: [Migration] = [
        Migration(
            1,
            """
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
            """,
            indexes: [
                SchemaIndex("dossiers_unit_received", on: "dossiers", "(unit_code, received_at)"),
                SchemaIndex("journal_dossier", on: "journal", "(dossier_code, at, id)"),
                SchemaIndex("outbox_unsent", on: "outbox", "(id) WHERE sent_at IS NULL"),
            ]),
        Migration(
            2,
            """
            -- Actions: the journal keeps each one's fields; a refusal found on replay is written beside it.
            ALTER TABLE journal ADD COLUMN refused_reason text;
            ALTER TABLE dossiers ADD COLUMN apology jsonb, ADD COLUMN result jsonb, ADD COLUMN handling_unit text,
                ADD COLUMN supplement_requests int NOT NULL DEFAULT 0, ADD COLUMN initial_due_at timestamptz;
            UPDATE dossiers SET initial_due_at = original_due_at, handling_unit = unit_code;
            -- Payment notices as intake accepted them: the same transaction and status twice is one notice.
            CREATE TABLE payment_notices (
                transaction_id text NOT NULL,
                status text NOT NULL,
                dossier_code text NOT NULL,
                request jsonb NOT NULL,
                event jsonb NOT NULL,
                accepted_at timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (transaction_id, status)
            );
            CREATE TABLE payments (
                transaction_id text NOT NULL,
                status text NOT NULL,
                dossier_code text NOT NULL,
                amount_vnd bigint NOT NULL,
                gateway text NOT NULL,
                paid_at timestamptz NOT NULL,
                expected_fee_vnd bigint,
                mismatch boolean NOT NULL DEFAULT false,
                recorded_at timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (transaction_id, status)
            );
            -- A relay claims outbox rows for a while; a crashed relay's claims lapse and another takes them.
            ALTER TABLE outbox ADD COLUMN claimed_until timestamptz;
            -- Actions intake accepted, so it checks the next one against them even before a worker recorded them.
            CREATE TABLE intake_actions (
                id bigserial PRIMARY KEY,
                dossier_code text NOT NULL,
                action jsonb NOT NULL,
                event_id text NOT NULL,
                accepted_at timestamptz NOT NULL DEFAULT now()
            );
            -- The current file of each component and of the result; a new record replaces the old one.
            CREATE TABLE digitizations (
                dossier_code text NOT NULL,
                target text NOT NULL,
                name text NOT NULL,
                sha256 text NOT NULL,
                bytes bigint NOT NULL,
                media_type text NOT NULL,
                signed boolean NOT NULL,
                reused boolean NOT NULL,
                recorded_at timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (dossier_code, target, name)
            );
            """,
            indexes: [
                SchemaIndex("payments_dossier", on: "payments", "(dossier_code)"),
                SchemaIndex("intake_actions_dossier", on: "intake_actions", "(dossier_code, id)"),
            ]),
        Migration(
            3,
            """
            -- Idempotency keys and transaction ids belong to a unit: one unit cannot squat another's.
            ALTER TABLE issued_dossiers DROP CONSTRAINT issued_dossiers_idempotency_key_key;
            ALTER TABLE issued_dossiers ADD CONSTRAINT issued_dossiers_unit_key UNIQUE (unit_code, idempotency_key);
            -- A publish whose confirm never came is kept, marked, so that a retry republishes the same event id.
            ALTER TABLE issued_dossiers ADD COLUMN uncertain boolean NOT NULL DEFAULT false;
            ALTER TABLE intake_actions ADD COLUMN uncertain boolean NOT NULL DEFAULT false,
                ADD COLUMN request text NOT NULL DEFAULT '';
            ALTER TABLE payment_notices ADD COLUMN unit_code text;
            UPDATE payment_notices SET unit_code = split_part(dossier_code, '-', 1);
            ALTER TABLE payment_notices ALTER COLUMN unit_code SET NOT NULL,
                DROP CONSTRAINT payment_notices_pkey, ADD PRIMARY KEY (unit_code, transaction_id, status);
            ALTER TABLE payments ADD COLUMN unit_code text;
            UPDATE payments SET unit_code = split_part(dossier_code, '-', 1);
            ALTER TABLE payments ALTER COLUMN unit_code SET NOT NULL,
                DROP CONSTRAINT payments_pkey, ADD PRIMARY KEY (unit_code, transaction_id, status);
            """,
            indexes: [
                SchemaIndex(
                    "issued_dossiers_uncertain", on: "issued_dossiers",
                    "(unit_code, md5(request::text)) WHERE uncertain AND idempotency_key IS NULL")
            ]),
        Migration(
            4,
            """
            -- Uncertain publishes are repaired by intake itself: republished (same event id) once, then
            -- marked. `uncertain` stays set, so the identical retry still finds the same code or action.
            ALTER TABLE issued_dossiers ADD COLUMN republished_at timestamptz;
            ALTER TABLE intake_actions ADD COLUMN republished_at timestamptz;
            ALTER TABLE payment_notices ADD COLUMN uncertain boolean NOT NULL DEFAULT false,
                ADD COLUMN republished_at timestamptz;
            """,
            indexes: [
                SchemaIndex(
                    "issued_dossiers_unrepaired", on: "issued_dossiers",
                    "(issued_at) WHERE uncertain AND republished_at IS NULL"),
                SchemaIndex(
                    "intake_actions_unrepaired", on: "intake_actions",
                    "(accepted_at) WHERE uncertain AND republished_at IS NULL"),
                SchemaIndex(
                    "payment_notices_unrepaired", on: "payment_notices",
                    "(accepted_at) WHERE uncertain AND republished_at IS NULL"),
            ]),
        Migration(
            5,
            """
            -- DOMAIN.md §3/§5: a completed supplement's restart replaces originalDueAt (the receipt's due
            -- moment), and closing classifies against it. Dossiers with a supplement are replayed again
            -- by `motcua migrate` (DossierProjection.reprojectPending), a batch at a time, resumably.
            CREATE TABLE reprojection_pending (code text PRIMARY KEY);
            INSERT INTO reprojection_pending SELECT DISTINCT dossier_code FROM journal WHERE type = 'supplement';
            """),
        Migration(
            6,
            """
            -- Durable deadline timers (DOMAIN.md §5): the ones each open dossier's state calls for, written
            -- by the projection with the journal change; `fired_at` once the deadline worker fired it.
            CREATE TABLE deadline_timers (
                dossier_code text NOT NULL,
                kind text NOT NULL,
                fire_at timestamptz NOT NULL,
                due_at timestamptz NOT NULL,
                fired_at timestamptz,
                PRIMARY KEY (dossier_code, kind)
            );
            -- Apology letters, numbered per issuing unit and year of issue.
            CREATE TABLE apology_sequences (unit_code text, year int, last int NOT NULL, PRIMARY KEY (unit_code, year));
            CREATE TABLE apology_letters (
                dossier_code text PRIMARY KEY,
                unit_code text NOT NULL,
                year int NOT NULL,
                n int NOT NULL,
                UNIQUE (unit_code, year, n)
            );
            -- Open dossiers recorded before timers existed get theirs from `motcua migrate`'s replay.
            INSERT INTO reprojection_pending SELECT code FROM dossiers
                WHERE status NOT IN ('resolved', 'rejected', 'returned', 'withdrawn') ON CONFLICT DO NOTHING;
            """,
            indexes: [
                // The due scan: an index range scan on pending timers, however many millions wait.
                SchemaIndex("deadline_timers_pending", on: "deadline_timers", "(fire_at) WHERE fired_at IS NULL")
            ]),
        Migration(
            7,
            """
            -- Linked groups as sagas (DOMAIN.md §6): a group per dossier opened with `linkedGroup`, a row per
            -- chosen step, written by the recorder with the dossier and moved by the chains role.
            CREATE TABLE linked_groups (
                dossier_code text PRIMARY KEY,
                unit_code text NOT NULL,
                kind text NOT NULL,
                outcome text,
                stopped text,
                created_at timestamptz NOT NULL DEFAULT now(),
                ended_at timestamptz,
                updated_at timestamptz NOT NULL DEFAULT now()
            );
            CREATE TABLE linked_steps (
                dossier_code text NOT NULL,
                step text NOT NULL,
                position int NOT NULL,
                agency text NOT NULL,
                status text NOT NULL,
                attempts int NOT NULL DEFAULT 0,
                budget_start int NOT NULL DEFAULT 0,
                request_id text,
                next_attempt_at timestamptz,
                timeout_seconds float8 NOT NULL DEFAULT 60,
                last_error text,
                missing_fields jsonb,
                inputs jsonb NOT NULL DEFAULT '{}',
                outputs jsonb,
                since timestamptz NOT NULL DEFAULT now(),
                updated_at timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (dossier_code, step)
            );
            -- Durable step timers: `send` (the next attempt is due), `timeout` (armed by the outbox relay at
            -- the broker's confirm of the command). Claimed with FOR UPDATE SKIP LOCKED, deleted when fired.
            CREATE TABLE linked_timers (
                request_id text NOT NULL,
                kind text NOT NULL,
                dossier_code text NOT NULL,
                step text NOT NULL,
                fire_at timestamptz NOT NULL,
                PRIMARY KEY (request_id, kind)
            );
            -- The partner simulator's own registry (`--role partner-sim`, demos and tests only): what each
            -- simulated agency registered per dossier and step, so a repeated attempt gets the same numbers.
            CREATE TABLE partner_sim_records (
                dossier_code text NOT NULL,
                step text NOT NULL,
                outputs jsonb NOT NULL,
                request_id text NOT NULL,
                commands int NOT NULL DEFAULT 1,
                created_at timestamptz NOT NULL DEFAULT now(),
                updated_at timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (dossier_code, step)
            );
            -- Open dossiers recorded with a linked group before this migration get theirs now, the first
            -- step due at once.
            INSERT INTO linked_groups (dossier_code, unit_code, kind)
                SELECT code, unit_code, linked_group ->> 'group' FROM dossiers
                WHERE linked_group IS NOT NULL AND status NOT IN ('resolved', 'rejected', 'returned', 'withdrawn');
            INSERT INTO linked_steps (dossier_code, step, position, agency, status, request_id, next_attempt_at)
                SELECT g.dossier_code, s.step, s.position - 1,
                       CASE s.step WHEN 'birth_registration' THEN 'justice' WHEN 'death_registration' THEN 'justice'
                                   WHEN 'permanent_residence' THEN 'police' WHEN 'residence_removal' THEN 'police'
                                   WHEN 'funeral_allowance' THEN 'labour_social_affairs' ELSE 'social_insurance' END,
                       'pending', CASE WHEN s.position = 1 THEN gen_random_uuid()::text END,
                       CASE WHEN s.position = 1 THEN now() END
                FROM linked_groups g JOIN dossiers d ON d.code = g.dossier_code
                CROSS JOIN LATERAL (
                    SELECT step, row_number() OVER (ORDER BY array_position(ARRAY['birth_registration',
                        'permanent_residence', 'health_insurance_card', 'death_registration', 'residence_removal',
                        'funeral_allowance', 'survivor_benefits'], step)) AS position
                    FROM (SELECT CASE g.kind WHEN 'birth' THEN 'birth_registration' ELSE 'death_registration' END AS step
                          UNION SELECT jsonb_array_elements_text(d.linked_group -> 'steps')) AS chosen) AS s;
            INSERT INTO linked_timers (request_id, kind, dossier_code, step, fire_at)
                SELECT request_id, 'send', dossier_code, step, next_attempt_at FROM linked_steps
                WHERE request_id IS NOT NULL;
            """,
            indexes: [
                SchemaIndex("linked_groups_created", on: "linked_groups", "(created_at)"),
                // The outbox relay finds the step of each partner command it published by its request id.
                SchemaIndex("linked_steps_request", on: "linked_steps", "(request_id)"),
                SchemaIndex("linked_steps_stuck", on: "linked_steps", "(since) WHERE status = 'stuck'"),
                SchemaIndex("linked_timers_due", on: "linked_timers", "(fire_at)"),
                SchemaIndex("linked_timers_step", on: "linked_timers", "(dossier_code, step)"),
            ]),
        Migration(
            8,
            """
            -- Reports (DOMAIN.md §10): each dossier's facts as moments (DossierReportFacts), written by the
            -- workers with the journal change (ReportLedger); reports count them over these indexes.
            -- Dossiers recorded before are written by `motcua migrate` (ReportLedger.backfill).
            CREATE TABLE report_dossiers (
                code text PRIMARY KEY,
                unit_code text NOT NULL,
                received_at timestamptz NOT NULL,
                -- When it closed; 'infinity' while open.
                open_until timestamptz NOT NULL,
                channel text NOT NULL,
                online_level text,
                online_offered boolean NOT NULL,
                fee_bearing boolean NOT NULL,
                paper_result boolean NOT NULL,
                closing text,
                timing text,
                -- (from, to] intervals: open and overdue; paid (net of refunds) above zero.
                overdue tstzmultirange NOT NULL,
                fully_digitized_at timestamptz,
                reused_at timestamptz,
                result_digitized_at timestamptz,
                result_signed boolean NOT NULL,
                paid tstzmultirange NOT NULL,
                linked_group text,
                linked_completed boolean NOT NULL,
                apology_at timestamptz,
                apology_timely boolean,
                escalation_at timestamptz
            );
            -- The Decision 766 indicators as data: formula, threshold, maximum, by the day they take effect.
            CREATE TABLE index766_rules (
                indicator text NOT NULL,
                effective_from date NOT NULL,
                document jsonb NOT NULL,
                updated_at timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (indicator, effective_from)
            );
            """,
            indexes: [
                SchemaIndex("report_dossiers_unit_received", on: "report_dossiers", "(unit_code, received_at)"),
                SchemaIndex("report_dossiers_unit_open", on: "report_dossiers", "(unit_code, open_until)"),
                SchemaIndex("payments_unit_paid", on: "payments", "(unit_code, paid_at)"),
            ]),
        Migration(
            9,
            indexes: [
                // The console's deadlines page: open dossiers, soonest due first, without a scan of closed ones.
                SchemaIndex("dossiers_open_due", on: "dossiers", "(due_at, code) WHERE closed_at IS NULL")
            ]),
        Migration(
            10,
            indexes: [
                // The chains role counts the commands out per agency before it sends more (MOTCUA_PARTNER_MAX_IN_FLIGHT).
                SchemaIndex("linked_steps_in_flight", on: "linked_steps", "(agency) WHERE status = 'sent'")
            ]),
        Migration(
            11,
            """
            -- Dated catalog entries (DOMAIN.md §11): a unit's versions by the first day each holds ('-infinity'
            -- for the start of time), its end and successor; a procedure's versions by the day each takes
            -- effect; the legal regimes by the day each takes effect.
            ALTER TABLE units ADD COLUMN valid_from date NOT NULL DEFAULT '-infinity',
                ADD COLUMN valid_to date, ADD COLUMN successor text;
            ALTER TABLE units DROP CONSTRAINT units_pkey, ADD PRIMARY KEY (code, valid_from);
            ALTER TABLE procedures ADD COLUMN effective_from date NOT NULL DEFAULT '-infinity';
            ALTER TABLE procedures DROP CONSTRAINT procedures_pkey, ADD PRIMARY KEY (code, effective_from);
            CREATE TABLE regimes (
                effective_from date PRIMARY KEY,
                document jsonb NOT NULL,
                updated_at timestamptz NOT NULL DEFAULT now()
            );
            """,
            indexes: [
                // The deadlines role's handovers: open dossiers by the unit holding them (UnitHandovers).
                SchemaIndex(
                    "dossiers_open_holder", on: "dossiers",
                    "((coalesce(handling_unit, unit_code))) WHERE closed_at IS NULL")
            ]),
        Migration(
            12,
            """
            -- Provisional due moments (DOMAIN.md §11): the years without a loaded holiday decision that the due
            -- moment in force was counted over, as the projection last wrote it; empty when none (and when
            -- closed). Loading a year's decision recomputes the open dossiers that list it (DueRecomputations).
            ALTER TABLE dossiers ADD COLUMN IF NOT EXISTS provisional_years int[] NOT NULL DEFAULT '{}';
            -- Open dossiers recorded before: the undecided years from the receipt through the due moment.
            UPDATE dossiers d SET provisional_years = ARRAY(
                SELECT y FROM generate_series(
                    extract(year FROM (d.received_at AT TIME ZONE 'UTC') + interval '7 hours')::int,
                    extract(year FROM (d.due_at AT TIME ZONE 'UTC') + interval '7 hours')::int) AS y
                WHERE NOT EXISTS (SELECT 1 FROM calendar_years c WHERE c.year = y) ORDER BY y)
            WHERE d.closed_at IS NULL AND d.apology IS NULL AND d.provisional_years = '{}'
                AND NOT EXISTS (SELECT 1 FROM calendar_years c
                                WHERE c.year = extract(year FROM (d.due_at AT TIME ZONE 'UTC') + interval '7 hours')::int);
            """,
            indexes: [
                // The deadline workers find the open provisional dossiers of a year whose decision was loaded.
                SchemaIndex(
                    "dossiers_provisional_years", on: "dossiers",
                    "USING gin (provisional_years) WHERE provisional_years <> '{}'")
            ]),
        Migration(
            13,
            """
            -- Receiving regardless of boundary (DOMAIN.md §11): the unit of the province named at receipt to
            -- handle a dossier another unit received; null when the receiving unit handles it. The replay of
            -- its history starts from it (`handling_unit` is where the history has led since).
            ALTER TABLE dossiers ADD COLUMN IF NOT EXISTS receipt_handling_unit text;
            """),
        Migration(
            14,
            """
            -- "Resolved by" (DOMAIN.md §11): the unit that closed a dossier, the one handling it at its closing
            -- step; null while it is open. Rows written before are filled by `motcua migrate`
            -- (ReportLedger.backfillClosers), a batch at a time.
            ALTER TABLE report_dossiers ADD COLUMN IF NOT EXISTS closed_by text;
            """,
            indexes: [
                // A report's "resolved by" counts: the dossiers each unit closed in the period.
                SchemaIndex(
                    "report_dossiers_closer_closed", on: "report_dossiers",
                    "(closed_by, open_until) WHERE closed_by IS NOT NULL")
            ]),
        Migration(
            15,
            """
            -- Repairs what `motcua migrate` of migrations 11-13 could leave on an upgraded database: it checked
            -- the whole default catalog but wrote only its new rows, so a unit the operator had loaded before
            -- (one open-ended version) got the default catalog's later version beside it. A later version that
            -- starts inside an earlier one of the same code can come from nowhere else (a catalog load refuses
            -- overlaps), so it goes; the operator's version stays as they loaded it.
            DELETE FROM units later USING units earlier
            WHERE later.code = earlier.code AND later.valid_from > earlier.valid_from
                AND (earlier.valid_to IS NULL OR earlier.valid_to >= later.valid_from);
            """),
        Migration(
            16,
            """
            -- The notifier (docs/notifier.md): one row per alert and channel, written BEFORE the message is
            -- sent, with the reference the gateway deduplicates on. `attempts` counts the sends begun;
            -- `claimed_until` is the lease of the notifier sending it; `next_attempt_at` the backoff's end.
            CREATE TABLE IF NOT EXISTS notifications (
                alert_id text NOT NULL,
                channel text NOT NULL,
                reference text NOT NULL UNIQUE,
                dossier_code text NOT NULL,
                kind text NOT NULL,
                status text NOT NULL,
                attempts int NOT NULL DEFAULT 0,
                last_error text,
                parts int,
                created_at timestamptz NOT NULL DEFAULT now(),
                updated_at timestamptz NOT NULL DEFAULT now(),
                claimed_until timestamptz,
                next_attempt_at timestamptz,
                sent_at timestamptz,
                PRIMARY KEY (alert_id, channel)
            );
            """,
            indexes: [
                // The console's dossier page and `motcua notifications list --dossier`.
                SchemaIndex("notifications_dossier", on: "notifications", "(dossier_code, created_at)"),
                // `motcua notifications list --failed`.
                SchemaIndex("notifications_failed", on: "notifications", "(updated_at) WHERE status = 'failed'"),
            ]),
    ]
}
