#!/usr/bin/env python3
"""The figures of `ops/bench deadlines` (deadlines.sh); deadlines.py is its broker side.

    deadlines_figures.py load t_load= t_pending= t_loaded= t_vacuum= t_checkpoint= pending= dossiers= due= in_table=
    deadlines_figures.py plans file=DUE_SCAN_TXT        the first plan of the 5 runs, their times, the plan's shape
    deadlines_figures.py plan-summary < EXPLAIN         one line: "TIME ms (NODE; buffers BUFFERS)"
    deadlines_figures.py idle from=CPU_IDLE to=CPU_0 hz=  how busy the machine was the second before the clock
    deadlines_figures.py alerts due= t0= t_before= first= half= all= count= polls= timeout=
    deadlines_figures.py timers due= < the SQL row ("|"-separated) of the firing's figures
    deadlines_figures.py stats stats="KEY=N ..." due=   warnings about what deadlines.py found in the queue
    deadlines_figures.py postgres before=PG_0 after=PG_1 hz=   PostgreSQL's CPU by process
    deadlines_figures.py wal before=COUNTERS after=COUNTERS    checkpoints, WAL, syncs
    deadlines_figures.py activity file=ACTIVITY_TXT kinds=FILE  what PostgreSQL's sessions waited on
    deadlines_figures.py limit from=CPU_0 to=CPU_1 kinds=FILE cores= hz=

Times are epoch seconds; the files are those deadlines.sh leaves in the bench's folder.
"""
import sys

import figures
from figures import awk_str, field, num, words


def load(t_load, t_pending, t_loaded, t_vacuum, t_checkpoint, pending, dossiers, due, in_table):
    settle = "; CHECKPOINT %.1f s" % (num(t_checkpoint) - num(t_vacuum)) if t_checkpoint else ""
    return ("load: %d pending timers and their %d dossiers in %.1f s; %d due dossiers (their journal entry, their fired "
            "due-soon timer) in %.1f s; VACUUM (ANALYZE) %.1f s%s; deadline_timers now: %s" % (
                num(pending), num(dossiers), num(t_pending) - num(t_load), num(due), num(t_loaded) - num(t_pending),
                num(t_vacuum) - num(t_loaded), settle, in_table))


def plans(text):
    """The runs' EXPLAIN (ANALYZE, BUFFERS) outputs, each followed by a line "--": the first plan,
    indented, the execution and planning times of every run, and whether the plan is the range scan
    of the partial index it should be."""
    lines = text.splitlines()
    out = ["    " + line for line in lines[:lines.index("--") if "--" in lines else len(lines)]]
    execution, planning = [], {}
    for line in lines:
        if "Execution Time" in line:
            execution.append(num(field(line.split(), 2, "")))
        if "Planning Time" in line:
            planning[len(execution)] = num(field(line.split(), 2, ""))
    out.append("  execution time of the 5 runs:" + "".join(" %.3f" % t for t in execution) + " ms; planning:"
               + "".join(" %.3f" % planning.get(i, 0.0) for i in range(len(execution))) + " ms")
    if "Index Scan using deadline_timers_pending" in text and "Seq Scan" not in text and "Sort" not in text:
        out.append("  plan: Limit <- LockRows <- Index Scan using deadline_timers_pending (a range scan of the partial index, no sort)")
    else:
        out.append("  WARNING: the plan is not an index range scan of deadline_timers_pending")
    return out


def plan_summary(text):
    """One EXPLAIN (ANALYZE, BUFFERS): "TIME ms (its scan node; buffers its first Buffers line)"."""
    node = buffers = t = ""
    for line in text.splitlines():
        if not node and any(k in line for k in ("Index Scan", "Seq Scan", "Bitmap Heap")):
            node = line.lstrip(" ")
            if node.startswith("->"):
                node = node[2:]
            node = node.lstrip(" ")
            cost = node.find("(cost")
            if cost >= 0:
                node = node[:cost].rstrip(" ")
        if not buffers and "Buffers: shared" in line:
            buffers = line.lstrip(" ")
            if buffers.startswith("Buffers: "):
                buffers = buffers[len("Buffers: "):]
        if "Execution Time" in line:
            t = field(line.split(), 2, "")
    return "%s ms (%s; buffers %s)" % (t, node, buffers)


def idle(between):
    _, other, busy, cap = between
    if not cap:
        return []
    return ["the second before the clock: the machine %.0f%% busy, %.0f%% of it by processes outside this stack"
            % (100 * busy / cap, 100 * other / cap)]


def alerts(due, t0, t_before, first, half, all_, count, polls, timeout):
    """The firing's heading and when the alerts were in the queue (deadlines.py's "done" line)."""
    n = 2 * int(num(due))
    t0 = num(t0)
    lines = ["== firing: %s overdue timers made due at once (one INSERT, %.0f ms; the clock starts at its commit)"
             % (due, 1000 * (t0 - num(t_before)))]
    if all_ == "-":
        return lines + ["NOT ALL ALERTS: %s of %d in the queue after %s s (BENCH_TIMEOUT)" % (count, n, timeout)]
    a, f, h = num(all_) - t0, num(first) - t0, num(half) - t0
    return lines + [
        "all %d alerts (%d overdue + %d apology_issued) in the queue %.2f s after the commit: %.0f alerts/s" % (n, n / 2, n / 2, a, n / a),
        "  the queue's depth (read %d times, every ~10 ms): first alert at +%.3f s, half at +%.3f s, all at +%.3f s" % (num(polls), f, h, a),
        "  the aim, all out within 5 s: %s" % ("met" if a <= 5 else "NOT met")]


def timers(row, due):
    """The SQL row of deadlines.sh's figures: the firing transactions, lags, outbox, what was written."""
    v = [num(x) for x in row.split("|")]
    c = lambda i: field(v, i - 1)  # awk's $i
    return [
        "firing: %d of %d timers fired, in %d transactions (%.0f timers each on average); the first began at %+.3f s, the last at %+.3f s"
        % (c(1), num(due), c(2), c(1) / c(2) if c(2) else 0, c(3), c(4)),
        "  firing lag (fired_at, the now() of the firing transaction, i.e. its start, minus the commit that made them due;",
        "  their fire_at is a minute and more before that): p50 %.3f s, p99 %.3f s, max %.3f s" % (c(5), c(6), c(4)),
        "outbox: %d rows, published in %d relay batches (%.0f rows each on average), the first marked sent at %+.3f s, the last at %+.3f s"
        % (c(7), c(8), c(7) / c(8) if c(8) else 0, c(9), c(10)),
        "  outbox lag (sent_at - created_at: from the firing transaction's start to the relay's mark after the confirms): "
        "p50 %.3f s, p99 %.3f s, max %.3f s" % (c(11), c(12), c(13)),
        "written with them: %d apology letters, %d apology_issued journal entries, %d dossiers with their letter, %d escalation "
        "timers pending; %d due-soon timers still as they were" % (c(14), c(15), c(18), c(16), c(17))]


def stats(text, due):
    """Warnings and notes about deadlines.py's "stats KEY=N ..." (without "stats")."""
    v = {}
    for word in text.split():
        key, _, value = word.partition("=")
        v[key] = num(value)
    get = lambda k: v.get(k, 0.0)
    due = num(due)
    out = []
    if get("overdue") != due or get("apology_issued") != due:
        out.append("  WARNING: expected %d overdue and %d apology_issued alerts" % (due, due))
    if get("due_soon") + get("escalated") > 0:
        out.append("  WARNING: due_soon or escalated alerts about the due dossiers: a timer fired that should not have")
    if get("duplicate_ids") > 0:
        out.append("  WARNING: an alert id came more than once")
    if get("apology_before_overdue") > 0:
        out.append("  note: for %d dossiers the apology_issued alert reached the queue before their overdue alert "
                   "(the relays publish concurrently)" % get("apology_before_overdue"))
    if get("other_subjects") > 0:
        out.append("  note: alerts about other dossiers arrived too: the depth counted them, so the time above is short by them")
    return out


def postgres(before, after, hz):
    """PostgreSQL's CPU seconds by kind of process between two lists of "PID TICKS KIND" (deadlines.sh's
    pg_processes); a process not in BEFORE counts from 0; kinds under 0.005 s are left out."""
    was = {}
    for w in before:
        if len(w) >= 2:
            was[w[0]] = num(w[1])
    seconds = {}
    for w in after:
        pid, ticks, kind = field(w, 0, ""), num(field(w, 1, "")), field(w, 2, "")
        d = ticks - was[pid] if pid in was else ticks
        seconds[kind] = seconds.get(kind, 0.0) + max(d, 0.0) / num(hz)
    return "  postgres by process:" + ",".join(" %s %.2f s" % (k, s) for k, s in seconds.items() if s >= 0.005)


def wal(before, after):
    """PostgreSQL's counters between two deadlines.sh pg_counters lines."""
    x, y = words(before), words(after)
    d = lambda i: field(y, i) - field(x, i)
    return ("  PostgreSQL during the firing: %d checkpoint(s) begun, %d buffers written by the checkpointer; WAL %.1f MB in "
            "%d records, %d full-page images; WAL syncs %d" % (d(0), d(1), d(4) / 1048576, d(2), d(3), d(5)))


def activity(samples):
    """The pg_stat_activity samples (a line each: the busy sessions' states, "-" for none): the six
    most frequent states and the mean number of sessions in each, then by kind. Returns (lines, the
    kinds CPU WAL LOCK CLIENT as means)."""
    n = 0
    count = {}
    kinds = dict(cpu=0, wal=0, lock=0, client=0, rest=0)
    for line in samples:
        n += 1
        for k in line.split():
            if k == "-":
                continue
            count[k] = count.get(k, 0) + 1
            if k.startswith("CPU"):
                kinds["cpu"] += 1
            elif "WAL" in k:
                kinds["wal"] += 1
            elif k.startswith("Lock:"):
                kinds["lock"] += 1
            elif k == "idle-in-transaction":
                kinds["client"] += 1
            else:
                kinds["rest"] += 1
    if not n:
        return [], None
    top = sorted(count, key=lambda k: -count[k])[:6]  # ties: in the order first seen
    lines = ["  PostgreSQL sessions (pg_stat_activity every 20 ms, %d samples; wait event (statement's table)): on average %.2f busy:"
             % (n, sum(count.values()) / n),
             "   " + "".join("%s %s %.2f" % ("," if i else "", k, count[k] / n) for i, k in enumerate(top)),
             "  by kind: on CPU %.2f, waiting for WAL (commits) %.2f, on a row lock %.2f, for their client mid-transaction %.2f, other %.2f"
             % tuple(kinds[k] / n for k in ("cpu", "wal", "lock", "client", "rest"))]
    return lines, [kinds[k] / n for k in ("cpu", "wal", "lock", "client")]


def limit(between, kinds, cores):
    """What the firing points at: other processes, waiting, the CPU, commits, a row lock, the workers."""
    groups, other, busy, cap = between
    if not cap:
        return []
    cores = num(cores)
    top, top_s = "", 0.0
    for g, s, _ in groups:
        if g != "bench" and s > top_s:
            top, top_s = g, s
    k = lambda i: field(kinds, i - 1)  # awk's k[i]: 1 CPU, 2 WAL, 3 lock, 4 client
    out = []
    if other > 0.2 * cap:
        out.append("NOTE: processes outside this stack took %.0f%% of the machine during the firing: the figures are slower than on a quiet machine"
                   % (100 * other / cap))
    if busy / cap < 0.6:
        out.append("limit: mostly waiting: the %d cores were %.0f%% busy; at this size the idle polls (a deadline worker looks every 500 ms, "
                   "a relay every 200 ms) and single transactions weigh most" % (cores, 100 * busy / cap))
    elif busy / cap >= 0.85:
        out.append("limit: CPU: the %d cores were %.0f%% busy; the biggest consumer was %s (%.0f%% of the machine)"
                   % (cores, 100 * busy / cap, top, 100 * top_s / cap))
    elif k(2) >= k(3) and k(2) >= k(4):
        out.append("limit: commits: the %d cores were %.0f%% busy; PostgreSQL's sessions waited for WAL flushes more than anything else "
                   "(%.2f sessions on average)" % (cores, 100 * busy / cap, k(2)))
    elif k(3) >= k(4):
        out.append("limit: a row lock the workers queue for (%.2f sessions on average); the %d cores were %.0f%% busy"
                   % (k(3), cores, 100 * busy / cap))
    else:
        out.append("limit: the workers' own work between their statements (%.2f sessions idle in transaction on average); "
                   "the %d cores were %.0f%% busy, the biggest consumer %s" % (k(4), cores, 100 * busy / cap, top))
    return out


def read_words(path):
    with open(path) as f:
        return [line.split() for line in f]


def cmd_load(o):
    return [load(o["t_load"], o["t_pending"], o["t_loaded"], o["t_vacuum"], o["t_checkpoint"], o["pending"],
                 o["dossiers"], o["due"], o["in_table"])]


def cmd_plans(o):
    return plans(figures.read(o["file"]))


def cmd_plan_summary(o):
    sys.stdout.write(plan_summary(sys.stdin.read()))  # no newline: deadlines.sh takes it as a value
    return []


def cmd_idle(o):
    return idle(figures.cpu_between_files(o["from"], o["to"], o["hz"]))


def cmd_alerts(o):
    return alerts(o["due"], o["t0"], o["t_before"], o["first"], o["half"], o["all"], o["count"], o["polls"], o["timeout"])


def cmd_timers(o):
    out = []
    for row in sys.stdin.read().splitlines():
        out += timers(row, o["due"])
    return out


def cmd_stats(o):
    return stats(o["stats"], o["due"])


def cmd_postgres(o):
    return [postgres(read_words(o["before"]), read_words(o["after"]), o["hz"])]


def cmd_wal(o):
    return [wal(o["before"], o["after"])]


def cmd_activity(o):
    """Also writes kinds= ("CPU WAL LOCK CLIENT", empty without samples), for `limit`."""
    with open(o["file"]) as f:
        lines, kinds = activity(f.read().splitlines())
    with open(o["kinds"], "w") as f:
        if kinds is not None:
            f.write(" ".join(awk_str(k) for k in kinds) + "\n")
    return lines


def cmd_limit(o):
    with open(o["kinds"]) as f:
        kinds = words(f.read())
    return limit(figures.cpu_between_files(o["from"], o["to"], o["hz"]), kinds, o["cores"])


if __name__ == "__main__":
    figures.run({"load": cmd_load, "plans": cmd_plans, "plan-summary": cmd_plan_summary, "idle": cmd_idle,
                 "alerts": cmd_alerts, "timers": cmd_timers, "stats": cmd_stats, "postgres": cmd_postgres,
                 "wal": cmd_wal, "activity": cmd_activity, "limit": cmd_limit})
