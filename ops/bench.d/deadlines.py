#!/usr/bin/env python3
"""The broker side of `ops/bench deadlines`: a private queue bound on motcua.alerts with `deadline.#`,
declared before the clock starts, whose depth is read (a passive queue.declare, the broker's own
count, not the management API's 5 s old figure) every --interval s until it holds --target messages.

Talks over stdin/stdout with the bench, one line each:
  -> "ready QUEUE"                      once the queue is bound
  <- "go"                               start polling (the bench sends it just before the clock starts)
  -> "done FIRST HALF ALL COUNT POLLS"  epoch seconds when the depth was first > 0, first >= target/2
                                        and first >= target ("-" if never, within --timeout), the last
                                        depth read and how many reads it took
  <- "drain"                            consume everything the queue holds (until 1 s of silence)
  -> "stats KEY=N ..."                  what was in it, by kind, for dossiers whose code starts with
                                        --subjects (the bench's); other_subjects: alerts about any other
                                        dossier; duplicate_ids: a CloudEvents id seen more than once;
                                        apology_before_overdue: dossiers whose apology_issued alert came
                                        before their overdue alert
Needs pika (the bench installs it into .motcua-venv).
"""
import argparse
import collections
import json
import sys
import time

import pika


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--amqp", required=True, help="amqp://user:password@host:port/vhost")
    parser.add_argument("--target", type=int, required=True)
    parser.add_argument("--subjects", required=True, help="code prefix of the bench's due dossiers")
    parser.add_argument("--timeout", type=float, default=300)
    parser.add_argument("--interval", type=float, default=0.01)
    args = parser.parse_args()

    parameters = pika.URLParameters(args.amqp)
    parameters.heartbeat = 0  # the loop below blocks on stdin and on sleeps: no heartbeat to miss
    connection = pika.BlockingConnection(parameters)
    channel = connection.channel()
    queue = channel.queue_declare("", exclusive=True, auto_delete=True).method.queue
    channel.queue_bind(queue, "motcua.alerts", routing_key="deadline.#")
    print("ready", queue, flush=True)

    if sys.stdin.readline().strip() != "go":
        sys.exit("deadlines.py: expected go")
    start = time.time()
    first = half = done = None
    count = polls = 0
    while True:
        count = channel.queue_declare(queue, passive=True).method.message_count
        polls += 1
        now = time.time()
        if first is None and count > 0:
            first = now
        if half is None and 2 * count >= args.target:
            half = now
        if count >= args.target:
            done = now
            break
        if now - start > args.timeout:
            break
        time.sleep(args.interval)
    show = lambda t: "-" if t is None else "%.6f" % t
    print("done", show(first), show(half), show(done), count, polls, flush=True)

    if sys.stdin.readline().strip() != "drain":
        sys.exit("deadlines.py: expected drain")
    kinds = collections.Counter()
    seen = set()
    duplicates = other = total = letter_first = 0
    overdue_seen = set()
    channel.basic_qos(prefetch_count=2000)
    for method, _properties, body in channel.consume(queue, auto_ack=True, inactivity_timeout=1.0):
        if method is None:
            break
        total += 1
        event = json.loads(body)
        if event.get("id") in seen:
            duplicates += 1
        seen.add(event.get("id"))
        subject = str(event.get("subject", ""))
        if subject.startswith(args.subjects):
            kind = method.routing_key.split(".")[1]
            kinds[kind] += 1
            if kind == "apology_issued" and subject not in overdue_seen:
                letter_first += 1
            if kind == "overdue":
                overdue_seen.add(subject)
        else:
            other += 1
    channel.cancel()
    fields = ["overdue", "apology_issued", "due_soon", "escalated"] + sorted(set(kinds) - {
        "overdue", "apology_issued", "due_soon", "escalated"})
    print("stats", " ".join("%s=%d" % (k, kinds[k]) for k in fields),
          "other_subjects=%d duplicate_ids=%d total=%d apology_before_overdue=%d" % (other, duplicates, total, letter_first),
          flush=True)
    connection.close()


if __name__ == "__main__":
    main()
