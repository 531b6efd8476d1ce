"""The assertions of ops/cluster-fault-test, once its load is over: waits (with deadlines) for the pipeline
to settle and the cluster to heal, then checks the database and the broker against what the client was
answered. `sql(query)` returns rows of strings, `api(path)` the RabbitMQ management API's JSON; each
failure is appended to `failures` as one line naming what failed."""

import subprocess
import time
from collections import Counter

KINDS_FIRED = ("due_soon", "overdue", "escalated")  # the timers of a dossier received three weeks ago
ALERTS = ("due_soon", "overdue", "apology_issued", "escalated")  # and the alerts they make


class Checks:
    def __init__(self, sql, api, say, failures, errors=()):
        self.sql, self.api, self.say, self.failures = sql, api, say, failures
        self.errors = (OSError, ValueError, subprocess.SubprocessError, *errors)

    def poll(self, what, check, seconds):
        """Calls check() -> (ok, detail) every second until ok; a failure naming `what` after `seconds`."""
        started = time.monotonic()
        while True:
            try:
                ok, detail = check()
            except self.errors as error:
                ok, detail = False, str(error)
            if ok:
                return self.say(f"{what}: after {time.monotonic() - started:.0f} s")
            if time.monotonic() > started + seconds:
                return self.failures.append(f"{what}: not within {seconds} s ({detail})")
            time.sleep(1)

    def column(self, query):
        return {row[0] for row in self.sql(query)}

    def counts(self, query):
        return Counter({row[0]: int(row[1]) for row in self.sql(query)})

    def settle(self, load, pg_role, killed_pg):
        accepted = {codes[0] for codes in load.codes.values()}

        def recorded():
            missing = accepted - self.column("SELECT code FROM dossiers")
            return not missing, f"{len(missing)} of {len(accepted)} not in dossiers, e.g. {sorted(missing)[:3]}"

        def paid():
            missing = set(load.payments) - self.column("SELECT transaction_id FROM payments")
            return not missing, f"{len(missing)} of {len(load.payments)} not in payments, e.g. {sorted(missing)[:3]}"

        def fired():
            (late, unsent), = self.sql(
                "SELECT (SELECT count(*) FROM deadline_timers WHERE fired_at IS NULL AND fire_at <= now()),"
                " (SELECT count(*) FROM outbox WHERE sent_at IS NULL)")
            return late == unsent == "0", f"{late} timers unfired past their moment, {unsent} outbox rows unsent"

        def broker():
            down = [n["name"] for n in self.api("/api/nodes") if not n.get("running")]
            queues = [q for q in self.api("/api/queues") if q["name"].startswith("motcua.")]
            short = [q["name"] for q in queues if q.get("type") == "quorum" and len(q.get("online") or []) < 3]
            busy = [f"{q['name']}={q.get('messages')}" for q in queues
                    if q.get("messages") is None or (not q["name"].endswith(".dlq") and q["messages"] != 0)]
            return not (down or short or busy), (f"nodes down {down}, queues with fewer than 3 members online "
                                                 f"{short}, queues not drained (or not reported) {busy}")

        self.poll("every accepted dossier recorded", recorded, 180)
        self.poll("every accepted payment recorded", paid, 120)
        self.poll("every due deadline timer fired, the outbox sent", fired, 120)
        self.poll("RabbitMQ: 3 nodes running, every quorum queue on 3, work queues drained", broker, 120)
        if killed_pg:
            self.poll(f"{killed_pg} rejoined as standby", lambda: (pg_role(killed_pg) == "standby", pg_role(killed_pg)), 120)

    def check(self, load):
        def fail(what, items):
            if items:
                self.failures.append(f"{what}: {len(items)}, e.g. {sorted(items)[:5]}")

        self.failures.extend(load.problems)
        # One code per key, one key per code, and the database agrees.
        codes = {key: got[0] for key, got in load.codes.items()}
        fail("keys answered two different codes", [f"{k}: {sorted(set(g))}" for k, g in load.codes.items() if len(set(g)) > 1])
        fail("codes answered to two keys", [c for c, n in Counter(codes.values()).items() if n > 1])
        issued = dict(self.sql("SELECT idempotency_key, code FROM issued_dossiers WHERE idempotency_key IS NOT NULL"))
        fail("keys whose code in issued_dossiers is not the one answered", [k for k, c in codes.items() if issued.get(k) != c])
        # Every accepted dossier recorded once, and nothing else.
        accepted = set(codes.values())
        recorded = self.column("SELECT code FROM dossiers")
        fail("accepted dossiers not recorded", accepted - recorded)
        fail("dossiers recorded that no answer accepted", recorded - accepted)
        received = self.counts("SELECT dossier_code, count(*) FROM journal WHERE type = 'received' GROUP BY 1")
        fail("dossiers without exactly one 'received' journal entry",
             [f"{c}: {received[c]}" for c in accepted | set(received) if received[c] != 1])
        # Every accepted payment recorded once, on its dossier, and nothing else.
        payments = dict(self.sql("SELECT transaction_id, dossier_code FROM payments"))
        fail("accepted payments not recorded (or on another dossier)",
             [t for t, c in load.payments.items() if payments.get(t) != c])
        fail("payments recorded that no answer accepted", set(payments) - set(load.payments))
        journal = self.counts("SELECT dossier_code, count(*) FROM journal WHERE type = 'payment_succeeded' GROUP BY 1")
        wanted = Counter(load.payments.values())
        fail("dossiers whose 'payment_succeeded' journal entries are not one per payment",
             [f"{c}: {journal[c]} for {wanted[c]}" for c in set(journal) | set(wanted) if journal[c] != wanted[c]])
        # Every deadline timer fired once: the back-dated dossiers' three, each alert once, one letter each.
        past = {codes[k] for k, kind in load.kinds.items() if kind == "past"}
        timers = {(c, k): f for c, k, f in self.sql("SELECT dossier_code, kind, fired_at IS NOT NULL FROM deadline_timers")}
        fail("back-dated dossiers without their due_soon, overdue and escalated timers fired",
             [c for c in past if any(timers.get((c, k)) != "t" for k in KINDS_FIRED)])
        alerts = Counter(tuple(m.split(":")[1:3]) for m, in self.sql(
            "SELECT message_id FROM outbox WHERE message_id LIKE 'deadline:%'"))
        fail("back-dated dossiers without exactly one alert of each kind in the outbox",
             [f"{c} {k}: {alerts[(c, k)]}" for c in past for k in ALERTS if alerts[(c, k)] != 1])
        fail("deadline alerts of dossiers received during the test (none is due)", [f"{c} {k}" for c, k in alerts if c not in past])
        letters = self.counts("SELECT dossier_code, count(*) FROM journal WHERE type = 'apology_issued' GROUP BY 1")
        fail("back-dated dossiers without exactly one apology letter in the journal",
             [f"{c}: {letters[c]}" for c in past | set(letters) if letters[c] != 1])
        # No dead letter: the statistics say none, and fetching one (put back at once) finds none either.
        dead = {q["name"]: q.get("messages") for q in self.api("/api/queues") if q["name"].endswith(".dlq")}
        if not dead:
            self.failures.append("no .dlq queue on the broker")
        for name in dead:
            got = self.api(f"/api/queues/%2f/{name}/get", {"count": 1, "ackmode": "ack_requeue_true", "encoding": "auto"})
            dead[name] = (dead[name], got[0]["payload"][:200] if got else None)
        fail("dead-letter queues not empty (messages, first)", [f"{n}={m}" for n, m in dead.items() if m != (0, None)])
