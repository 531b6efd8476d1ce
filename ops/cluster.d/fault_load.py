"""The retrying client of ops/cluster-fault-test: threads that submit dossiers and payments to intake and,
on a 503, a connection error or a timeout, send the same body with the same key again until it is accepted.
Every attempt is recorded: (start, end, what, key, outcome), times in seconds since the load began,
outcome an HTTP status or the name of the client-side error."""

import http.client
import json
import random
import threading
import time
from datetime import datetime, timedelta, timezone

VIETNAM = timezone(timedelta(hours=7))
# Received on the Monday four to five weeks before the test, 09:00 (procedure 2.000575: 3 working days, the
# letter's extension 3 more): every deadline timer of these dossiers is due at once, so due_soon, overdue (with
# its letter) and escalated all fire during the test.
_MONTH_AGO = datetime.now(VIETNAM) - timedelta(days=28)
PAST = (_MONTH_AGO - timedelta(days=_MONTH_AGO.weekday())).replace(hour=9, minute=0, second=0, microsecond=0).isoformat()
APPLICANT = {
    "personalId": "051095001234", "fullName": "Nguyễn Văn A", "phone": "0905000000",
    "email": "a@example.vn", "birthYear": 1995, "sex": "male",
}
ACCEPTED = (200, 202)


def now_local():
    return datetime.now(VIETNAM).isoformat(timespec="seconds")


def dossier_body(kind, key):
    """As Tests/TestSupport/HTTP.swift: `plainDossier` (past or now) or `dossierBody` (a birth group)."""
    if kind == "linked":
        return {
            "procedureCode": "1.001193", "unitCode": "000.00.19.H56", "channel": "online", "onlineLevel": "full",
            "applicant": APPLICANT,
            "components": [{"name": "Tờ khai", "digitized": True, "sha256": "ab" * 32, "bytes": 120000,
                            "mediaType": "application/pdf", "signed": True, "reused": False}],
            "linkedGroup": {"group": "birth", "steps": ["permanent_residence", "health_insurance_card"]},
            "receivedAt": now_local(), "idempotencyKey": key,
        }
    return {
        "procedureCode": "2.000575", "unitCode": "000.00.19.H56", "channel": "direct", "applicant": APPLICANT,
        "components": [{"name": "Giấy đề nghị", "digitized": False}],
        "receivedAt": PAST if kind == "past" else now_local(), "idempotencyKey": key,
    }


def payment_body(code, transaction):
    return {"transactionId": transaction, "dossierCode": code, "amountVnd": 100000, "status": "succeeded",
            "gateway": "national", "paidAt": now_local()}


class Load:
    def __init__(self, port, token, seconds, threads=16, timeout=15.0, give_up_after=120.0):
        self.port, self.token, self.timeout = port, token, timeout
        self.threads = threads
        self.t0 = time.monotonic()
        # The load goes on for `seconds` and until `extend` (after the faults' last action) has been called.
        self.end = self.t0 + seconds
        self.extended = threading.Event()
        self.give_up_after = give_up_after
        self.run = datetime.now(timezone.utc).strftime("%H%M%S")
        self.lock = threading.Lock()
        self.attempts = []  # (start, end, what, key, outcome)
        self.codes = {}  # key -> every code a 2xx answer gave it
        self.kinds = {}  # key -> past, linked or plain
        self.payments = {}  # transaction id -> code, once accepted
        self.problems = []  # unexpected answers, keys given up on
        self.workers = [threading.Thread(target=self.worker, args=(n,), daemon=True) for n in range(threads)]

    def now(self):
        return time.monotonic() - self.t0

    def extend(self, seconds):
        self.end = max(self.end, time.monotonic() + seconds)
        self.extended.set()

    def running(self):
        return time.monotonic() < self.end or not self.extended.is_set()

    def start(self):
        for w in self.workers:
            w.start()

    def join(self):
        for w in self.workers:
            w.join()

    def post(self, path, body):
        """One attempt, on a connection of its own: (status or error name, parsed JSON or None)."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        try:
            conn.request("POST", path, body=body, headers={
                "Authorization": f"Bearer {self.token}", "Content-Type": "application/json"})
            answer = conn.getresponse()
            data = answer.read()
            try:
                return answer.status, json.loads(data)
            except ValueError:
                return answer.status, None
        except (OSError, http.client.HTTPException) as error:
            return type(error).__name__, None
        finally:
            conn.close()

    def until_accepted(self, path, body, what, key, log):
        """Sends `body` until a 2xx: (status, answer); None after an unexpected answer or past the give-up moment."""
        raw = json.dumps(body).encode()
        while True:
            start = self.now()
            outcome, answer = self.post(path, raw)
            log.append((start, self.now(), what, key, outcome))
            if outcome in ACCEPTED:
                return outcome, answer or {}
            if outcome != 503 and not isinstance(outcome, str):
                with self.lock:
                    self.problems.append(f"{what} {key}: unexpected {outcome} {json.dumps(answer)[:300]}")
                return None
            if self.extended.is_set() and time.monotonic() > self.end + self.give_up_after:
                with self.lock:
                    self.problems.append(f"{what} {key}: still {outcome} {self.now():.0f} s in; gave up")
                return None
            time.sleep(0.1 + random.random() * 0.2)

    def worker(self, n):
        log, codes, kinds, payments = [], {}, {}, {}
        i = 0
        while self.running():
            i += 1
            key = f"fault-{self.run}-{n}-{i}"
            kind = ("past", "linked", "plain", "plain")[(n + i) % 4]
            body = dossier_body(kind, key)
            before = len(log)
            accepted = self.until_accepted("/v1/dossiers", body, "dossier", key, log)
            if accepted is None:
                continue
            answer = accepted[1]
            kinds[key] = kind
            codes[key] = [answer.get("code")]
            # The same key must give the same code: asked again after every retried submission, and one in eight.
            if len(log) - before > 1 or i % 8 == 0:
                again = self.until_accepted("/v1/dossiers", body, "dossier again", key, log)
                if again is not None:
                    codes[key].append(again[1].get("code"))
                    if again[0] != 200:
                        with self.lock:
                            self.problems.append(f"dossier {key}: the same body again answered {again[0]}, not 200")
            if kind != "linked":
                transaction = f"tx-{key}"
                if self.until_accepted("/v1/payments", payment_body(codes[key][0], transaction), "payment",
                                       transaction, log) is not None:
                    payments[transaction] = codes[key][0]
        with self.lock:
            self.attempts += log
            self.codes.update(codes)
            self.kinds.update(kinds)
            self.payments.update(payments)


def failed(outcome):
    return outcome == 503 or isinstance(outcome, str)


def outage_windows(attempts):
    """Each window runs from a failed answer (503, connection error; a timeout from when it was sent) to the
    answer of the first attempt sent after that which succeeded: (start, end or None if none did, failures)."""
    fails = sorted(a[0] if a[4] == "TimeoutError" else a[1] for a in attempts if failed(a[4]))
    successes = sorted((a[0], a[1]) for a in attempts if a[4] in ACCEPTED)
    windows, i = [], 0
    while i < len(fails):
        start = fails[i]
        end = min((e for s, e in successes if s >= start), default=None)
        j = i
        while j < len(fails) and (end is None or fails[j] < end):
            j += 1
        windows.append((start, end, j - i))
        if end is None:
            break
        i = j
    return windows
