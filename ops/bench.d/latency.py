#!/usr/bin/env python3
"""Idle latency, for `ops/bench latency`: submits dossiers one at a time over one keep-alive HTTP
connection and, after each 202, polls PostgreSQL (one connection, libpq through ctypes, no extra
packages) until the dossier's row is in `dossiers`. Writes one line per dossier to --out,
"code post_ms visible_ms polls" (visible_ms from the moment the 202 arrived; polls = 1 when the row
was already there at the first look), and prints a summary.

Usage: latency.py --url http://127.0.0.1:8080 --token T --units A,B --count N --dsn DSN [--pause S]
"""
import argparse
import ctypes
import ctypes.util
import http.client
import json
import sys
import time
import urllib.parse


def percentile(values, p):
    """Nearest-rank percentile of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * p // 100))  # ceil(n * p / 100), at least 1
    return ordered[int(rank) - 1]


class Postgres:
    """Just enough libpq: one connection, one-row queries with parameters."""

    def __init__(self, dsn):
        name = ctypes.util.find_library("pq") or "libpq.so.5"
        self.pq = pq = ctypes.CDLL(name)
        pq.PQconnectdb.restype = ctypes.c_void_p
        pq.PQconnectdb.argtypes = [ctypes.c_char_p]
        pq.PQstatus.argtypes = [ctypes.c_void_p]
        pq.PQerrorMessage.restype = ctypes.c_char_p
        pq.PQerrorMessage.argtypes = [ctypes.c_void_p]
        pq.PQexecParams.restype = ctypes.c_void_p
        pq.PQexecParams.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int, ctypes.c_void_p,
                                    ctypes.POINTER(ctypes.c_char_p), ctypes.c_void_p, ctypes.c_void_p,
                                    ctypes.c_int]
        pq.PQresultStatus.argtypes = [ctypes.c_void_p]
        pq.PQntuples.argtypes = [ctypes.c_void_p]
        pq.PQclear.argtypes = [ctypes.c_void_p]
        pq.PQfinish.argtypes = [ctypes.c_void_p]
        self.conn = pq.PQconnectdb(dsn.encode())
        if pq.PQstatus(self.conn) != 0:  # CONNECTION_OK
            sys.exit("latency.py: PostgreSQL: " + pq.PQerrorMessage(self.conn).decode(errors="replace"))

    def rows(self, sql, *params):
        values = (ctypes.c_char_p * len(params))(*[p.encode() for p in params])
        result = self.pq.PQexecParams(self.conn, sql.encode(), len(params), None, values, None, None, 0)
        try:
            if self.pq.PQresultStatus(result) != 2:  # PGRES_TUPLES_OK
                sys.exit("latency.py: query failed: " + self.pq.PQerrorMessage(self.conn).decode(errors="replace"))
            return self.pq.PQntuples(result)
        finally:
            self.pq.PQclear(result)

    def close(self):
        self.pq.PQfinish(self.conn)


def body(unit):
    return json.dumps({
        "procedureCode": "1.004222", "unitCode": unit, "channel": "online", "onlineLevel": "full",
        "applicant": {"personalId": "051095001234", "fullName": "Nguyễn Văn A", "birthYear": 1995, "sex": "male"},
        "components": [{"name": "Tờ khai", "digitized": True, "sha256": "ab" * 32, "bytes": 120000,
                        "mediaType": "application/pdf", "signed": True}],
    }, ensure_ascii=False).encode()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--units", required=True)
    parser.add_argument("--count", type=int, required=True)
    parser.add_argument("--dsn", required=True)
    parser.add_argument("--pause", type=float, default=0.05, help="seconds between a row's arrival and the next POST")
    parser.add_argument("--poll", type=float, default=0.0005, help="seconds between two polls")
    parser.add_argument("--timeout", type=float, default=30.0, help="give up on a row after this many seconds")
    parser.add_argument("--out", required=True)
    args = parser.parse_args()

    units = [u for u in args.units.split(",") if u]
    target = urllib.parse.urlsplit(args.url)
    http_conn = http.client.HTTPConnection(target.hostname, target.port or 80, timeout=30)
    db = Postgres(args.dsn)
    headers = {"Authorization": "Bearer " + args.token, "Content-Type": "application/json"}
    posts, visible, polls_seen, failures = [], [], [], 0
    with open(args.out, "w") as out:
        for i in range(args.count):
            payload = body(units[i % len(units)])
            sent = time.perf_counter()
            http_conn.request("POST", "/v1/dossiers", body=payload, headers=headers)
            response = http_conn.getresponse()
            answer = response.read()
            answered = time.perf_counter()
            if response.status != 202:
                failures += 1
                print(f"latency.py: answer {response.status}: {answer[:200]!r}", file=sys.stderr)
                continue
            code = json.loads(answer)["code"]
            polls = 0
            while True:
                polls += 1
                if db.rows("SELECT 1 FROM dossiers WHERE code = $1", code):
                    seen = time.perf_counter()
                    break
                if time.perf_counter() - answered > args.timeout:
                    sys.exit(f"latency.py: {code} not in PostgreSQL {args.timeout:.0f} s after its 202")
                time.sleep(args.poll)
            posts.append((answered - sent) * 1000)
            visible.append((seen - answered) * 1000)
            polls_seen.append(polls)
            out.write(f"{code} {posts[-1]:.3f} {visible[-1]:.3f} {polls}\n")
            time.sleep(args.pause)
    db.close()
    if not visible:
        sys.exit("latency.py: no dossier was accepted")
    first_poll = sum(1 for p in polls_seen if p == 1)
    print(f"dossiers: {len(visible)} accepted one at a time, {failures} refused")
    print("POST answered (202) in:        p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms" % (
        percentile(posts, 50), percentile(posts, 90), percentile(posts, 99), max(posts)))
    print("202 -> row in PostgreSQL:      p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms" % (
        percentile(visible, 50), percentile(visible, 90), percentile(visible, 99), max(visible)))
    print("POST sent -> row in PostgreSQL: p50 %.1f ms, p99 %.1f ms" % (
        percentile([a + b for a, b in zip(posts, visible)], 50),
        percentile([a + b for a, b in zip(posts, visible)], 99)))
    print(f"already there at the first poll after the 202: {first_poll} of {len(visible)}")


if __name__ == "__main__":
    main()
