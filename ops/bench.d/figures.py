#!/usr/bin/env python3
"""Figures shared by the modes of ops/bench: percentiles, the CPU table between two samples, intake's
own split, I/O stalls, the open loop's latency and schedule, h2load's answers, the workers' recording
lag. The modes (ops/bench.d/MODE.sh) collect (samples of /proc, h2load logs, /metrics, SQL) and call

    figures.py COMMAND key=value ...

(the commands are at the end of this file); each mode's own figures are in MODE_figures.py, which
import this file. Standard library only, and nothing slow to import: common.sh runs these scripts
with `python3 -S`, about 20 ms a start (sustained.sh keeps one running for its interval lines).

The wording and the numbers are those of the awk programs the bench had before: where awk printed a
value with printf and the next program read it back, or wrote it with print (%.6g), the helpers
below round the same way (fixed, awk_str), so that the figures come out the same to the digit.
"""
import os
import sys


# ---- numbers as awk had them ---------------------------------------------------------------------

def num(text):
    """awk's string to number: the leading number of TEXT (after blanks), 0 if there is none."""
    s = str(text).lstrip(" \t\n")
    n, end = len(s), 0
    if end < n and s[end] in "+-":
        end += 1
    start = end
    while end < n and s[end] in "0123456789":
        end += 1
    if end < n and s[end] == ".":
        end += 1
        while end < n and s[end] in "0123456789":
            end += 1
    if end == start or s[start:end] == ".":
        return 0.0
    if end < n and s[end] in "eE":
        e = end + 1
        if e < n and s[e] in "+-":
            e += 1
        if e < n and s[e] in "0123456789":
            while e < n and s[e] in "0123456789":
                e += 1
            end = e
    return float(s[:end])


def fixed(x, digits):
    """X as printf "%.<digits>f" wrote it and the next program read it back."""
    return float("%.*f" % (digits, x))


def awk_str(x):
    """X as awk's print writes a number: an integral value as an integer, the rest with %.6g."""
    if x == int(x) and abs(x) < 1e16:
        return "%d" % x
    return "%.6g" % x


def words(text):
    """The numbers of a line of blank-separated numbers (awk's split)."""
    return [num(w) for w in str(text).split()]


def field(values, i, default=0.0):
    return values[i] if i < len(values) else default


def percentile(ordered, p):
    """Nearest-rank percentile P (a whole number) of a sorted, non-empty list: the value of rank
    ceil(n * p / 100), at least 1."""
    rank = max(1, (len(ordered) * p + 99) // 100)
    return ordered[rank - 1]


def latency_line(label, values_us):
    """"LABEL p50 X ms, p90 X ms, p99 X ms, max X ms" of latencies in µs; None without any."""
    if not values_us:
        return None
    v = sorted(values_us)
    parts = "".join(" p%d %.1f ms," % (q, percentile(v, q) / 1000) for q in (50, 90, 99))
    return "%s%s max %.1f ms" % (label, parts, v[-1] / 1000)


# ---- CPU and memory between two samples (common.sh's sample) ---------------------------------------

def read_sample(path):
    """A sample file: (machine busy ticks, total ticks, [(group, ticks, rss_kb)]) in file order."""
    busy = total = 0.0
    groups = []
    with open(path) as f:
        for line in f:
            w = line.split()
            if not w or w[0] == "time":
                continue
            if w[0] == "machine":
                busy, total = num(field(w, 1, "")), num(field(w, 2, ""))
            else:
                groups.append((w[0], num(field(w, 1, "")), num(field(w, 2, ""))))
    return busy, total, groups


def cpu_between(first, second, hz):
    """CPU between two samples (each as read_sample gives it): ([(group, seconds, MB at the second)],
    other seconds (the rest of the machine), busy seconds, capacity seconds), each rounded as the
    table printed it ("%.2f", MB "%.1f")."""
    hz = num(hz)
    busy1, total1, groups1 = first
    busy2, total2, groups2 = second
    ticks2 = {g: t for g, t, _ in groups2}
    mem = {g: kb for g, _, kb in groups1}
    mem.update({g: kb for g, _, kb in groups2})
    rows, ours = [], 0.0
    for g, t1, _ in groups1:
        s = (ticks2.get(g, 0.0) - t1) / hz
        if s < 0:
            s = 0.0
        ours += s
        rows.append((g, fixed(s, 2), fixed(mem[g] / 1024, 1)))
    b = (busy2 - busy1) / hz
    other = b - ours
    if other < 0:
        other = 0.0
    return rows, fixed(other, 2), fixed(b, 2), fixed((total2 - total1) / hz, 2)


def cpu_between_files(first, second, hz):
    return cpu_between(read_sample(first), read_sample(second), hz)


def cpu_report(between, cores):
    """The CPU table: seconds per process, its share of what was used and of the machine."""
    rows, other, busy, cap = between
    cores = int(num(cores))
    table = [(g, s) for g, s, _ in rows] + [("other", other)]
    used = sum(s for _, s in table)
    lines = ["CPU seconds per process (share of the CPU used; of the machine: %d cores x %.1f s = %.1f s):"
             % (cores, cap / cores, cap)]
    for g, s in table:
        lines.append("  %-10s %8.1f s  %5.1f%%  %5.1f%%" % (g, s, 100 * s / used if used else 0, 100 * s / cap if cap else 0))
    lines.append("  machine busy %.1f s of %.1f s (%.0f%%)" % (busy, cap, 100 * busy / cap if cap else 0))
    return lines


# ---- intake, I/O, h2load -----------------------------------------------------------------------------

def intake_split(before, after):
    """Intake's means between two common.sh intake_timers lines."""
    x, y = words(before), words(after)
    d = [field(y, i) - field(x, i) for i in range(6)]
    issue, confirm, http = (d[1], d[0]), (d[3], d[2]), (d[5], d[4])
    mean = lambda pair: 1000 * pair[1] / pair[0] if pair[0] else 0
    return ("intake's own means over the run: request %.1f ms = issuing the code (one batch transaction at a time)"
            " %.1f ms + broker confirm %.1f ms + the rest" % (mean(http), mean(issue), mean(confirm)))


def io_report(before, after, t0, t1, what):
    """The share of the time from T0 to T1 (s) that some task, and every task at once, waited on I/O,
    from two common.sh io_stall lines ("SOME FULL", µs); None for no time."""
    x, y = words(before), words(after)
    t = (num(t1) - num(t0)) * 1e6
    if not t > 0:
        return None
    return ("  I/O stalls (/proc/pressure/io): some task waited on I/O %.0f%% of %s, all tasks at once %.0f%%"
            % (100 * (field(y, 0) - field(x, 0)) / t, what, 100 * (field(y, 1) - field(x, 1)) / t))


def read_h2load_log(path):
    """h2load's --log-file: [(start µs since the epoch, status (-1: failed), duration µs, the further
    columns, the line)]."""
    rows = []
    with open(path) as f:
        for line in f:
            line = line.rstrip("\n")
            w = line.split()
            rows.append((num(field(w, 0, "")), num(field(w, 1, "")), num(field(w, 2, "")), w[3:], line))
    return rows


def answers(label, rows):
    """"LABEL 202 N, other status N, failed N; N accepted/s over S s": over the time from the first
    request sent to the last answer."""
    accepted = failed = other = 0
    t0, t1 = 0.0, 0.0
    for i, (start, status, duration, _, _) in enumerate(rows):
        if status == 202:
            accepted += 1
        elif status == -1:
            failed += 1
        else:
            other += 1
        if i == 0 or start < t0:
            t0 = start
        if start + duration > t1:
            t1 = start + duration
    d = (t1 - t0) / 1e6
    return "%s 202 %d, other status %d, failed %d; %.0f accepted/s over %.2f s" % (
        label, accepted, other, failed, accepted / d if d else 0, d)


def open_loop(rows, rate, seconds, clients, processes, per_client):
    """The open loop's figures from the joined h2load logs (rows of read_h2load_log, the h2load
    process's number last). Returns (printed lines, latencies from sending in µs, from the due time
    (as awk's print wrote them to latency.due, and the percentiles read them back), the summary line
    "ANSWERED/S MEAN_µs")."""
    rate, seconds, clients, processes = num(rate), num(seconds), num(clients), num(processes)
    per_client = num(per_client)
    cpp = int(clients) // int(processes)
    # by process, then start (then the whole line, as sort(1) breaks ties)
    rows = sorted(rows, key=lambda r: (num(field(r[3], 0, "")), r[0], r[4].encode()))
    a202 = a200 = failed = other = 0
    total = 0.0
    sent, due = [], []
    proc, t0, k = None, 0.0, 0
    for start, status, duration, rest, _ in rows:
        p = num(field(rest, 0, ""))
        if p != proc:
            proc, t0, k = p, start, 0
        if status == 202:
            a202 += 1
        elif status == 200:
            a200 += 1
        elif status == -1:
            failed += 1
        else:
            other += 1
        # When it was due, wrk2-style: the clients of one process start together and each is due
        # every 1/per_client s, so the k-th request a process sent was due at t0 + floor(k / cpp) / per_client.
        due_at = t0 + int(k / cpp) * 1e6 / per_client
        k += 1
        if status != -1:
            sent.append(duration)
            total += duration
            late = start + duration - due_at
            if late < duration:
                late = duration
            due.append(late)
    n = len(rows)
    offered = rate * seconds
    answered = a202 + a200 + other
    lines = [
        "offered %d/s for %d s = %d requests; sent %d (%.0f/s); not sent when the time was up: %d"
        % (rate, seconds, offered, n, n / seconds, offered - n if offered > n else 0),
        "answers: 202 %d, 200 (replayed) %d, other status %d, failed (socket, timeout) %d; achieved %.0f answered/s"
        % (a202, a200, other, failed, answered / seconds),
    ]
    summary = "%s %s" % (awk_str(answered / seconds), awk_str(total / answered if answered else 0))
    due = [awk_str(v) for v in due]
    for label, values in (("latency from sending (h2load):     ", sent), ("latency from the due time:         ", [num(v) for v in due])):
        line = latency_line(label, values)
        if line:
            lines.append(line)
    lines += schedule(summary, rate, clients)
    return lines, sent, due, summary


def schedule(summary, rate, clients):
    """Whether the open loop kept its schedule, from its summary line."""
    w = words(summary)
    achieved, mean_ms = field(w, 0), field(w, 1) / 1000
    bound = clients * 1000 / mean_ms if mean_ms > 0 else 0
    if achieved >= 0.99 * rate:
        return ["the schedule was kept: both latencies are the latency at this rate"]
    if bound < 1.05 * achieved:
        return ["BEHIND SCHEDULE: %.0f of %d/s answered; all %d clients were busy (one request each, mean %.0f ms)."
                % (achieved, rate, clients, mean_ms),
                "  Requests waited for a free client; the due-time figures count that wait, which stands for the queue",
                "  an open-loop source would build. With the CPU saturated (below) the stack is at capacity: more clients",
                "  (BENCH_CLIENTS) only move that queue into intake, and the due-time figures grow with the run's length."]
    return ["BEHIND SCHEDULE: %.0f of %d/s answered with clients to spare: the generator itself fell behind (short of CPU?)"
            % (achieved, rate)]


# ---- the workers' /metrics ---------------------------------------------------------------------------

def lag_buckets(text):
    """[(le, count)] of the recorder's motcua_worker_recording_lag_seconds buckets in TEXT (the /metrics
    of the workers, one after the other), summed over the processes, in the order first seen."""
    counts = {}
    for line in text.splitlines():
        if not line.startswith("motcua_worker_recording_lag_seconds_bucket"):
            continue
        parts = line.replace("}", "{").split("{")
        labels = field(parts, 1, "")
        if 'role="recorder"' not in labels:
            continue
        at = labels.find(',le="')
        le = labels[at + 5:labels.index('"', at + 5)] if at >= 0 and '"' in labels[at + 5:] else ""
        counts[le] = counts.get(le, 0.0) + num(field(parts, 2, ""))
    return list(counts.items())


def recording_lag(before, after):
    """The workers' recording lag over the run, p50 and p99 as the bucket bounds (their histogram of
    event time to commit); [] when they recorded nothing."""
    was = dict(lag_buckets(before))
    now = [(le, c - was.get(le, 0.0)) for le, c in lag_buckets(after)]
    if not now or not now[-1][1]:
        return []
    total = now[-1][1]
    p50 = next((le for le, c in now if c >= total * 0.5), "")
    p99 = next((le for le, c in now if c >= total * 0.99), "")
    return ["workers' recording lag (event time to commit, histogram buckets): p50 <= %s s, p99 <= %s s (%d messages);"
            % (p50, p99, total),
            "  events carry their time in whole seconds, so this histogram reads up to 1 s high: trust the polled figures"]


# ---- the commands ----------------------------------------------------------------------------------

def read(path):
    with open(path) as f:
        return f.read()


def cmd_cpu_report(o):
    """from=SAMPLE to=SAMPLE cores=N hz=CLK_TCK: the CPU table between two samples."""
    return cpu_report(cpu_between_files(o["from"], o["to"], o["hz"]), o["cores"])


def cmd_intake_split(o):
    """before=TIMERS after=TIMERS: intake's means between two intake_timers lines."""
    return [intake_split(o["before"], o["after"])]


def cmd_io(o):
    """before=STALLS after=STALLS t0=S t1=S what=TEXT: the I/O stall line (nothing without PSI)."""
    if not os.access("/proc/pressure/io", os.R_OK):
        return []
    line = io_report(o["before"], o["after"], o["t0"], o["t1"], o["what"])
    return [line] if line else []


def cmd_open_loop(o):
    """dir=OUT rate= seconds= clients= processes= per_client=: the open loop's figures from
    OUT/requests.tsv; writes OUT/latency.sent, OUT/latency.due and OUT/summary."""
    out = o["dir"]
    rows = read_h2load_log(os.path.join(out, "requests.tsv"))
    lines, sent, due, summary = open_loop(rows, o["rate"], o["seconds"], o["clients"], o["processes"], o["per_client"])
    for name, values in (("latency.sent", [awk_str(v) for v in sent]), ("latency.due", due)):
        with open(os.path.join(out, name), "w") as f:
            f.writelines(v + "\n" for v in values)
    with open(os.path.join(out, "summary"), "w") as f:
        f.write(summary + "\n")
    return lines


def cmd_answers(o):
    """label=TEXT log=REQUESTS_TSV: the answers h2load logged and the rate they were accepted at."""
    return [answers(o["label"], read_h2load_log(o["log"]))]


def cmd_recording_lag(o):
    """before=METRICS_FILE after=METRICS_FILE: the workers' recording lag between two reads of their
    /metrics."""
    return recording_lag(read(o["before"]), read(o["after"]))


COMMANDS = {"cpu-report": cmd_cpu_report, "intake-split": cmd_intake_split, "io": cmd_io,
            "open-loop": cmd_open_loop, "answers": cmd_answers, "recording-lag": cmd_recording_lag}


def run(commands, argv=None):
    """`SCRIPT COMMAND key=value ...`: runs COMMAND and prints the lines it returns."""
    argv = sys.argv if argv is None else argv
    script = os.path.basename(argv[0])
    if len(argv) < 2 or argv[1] not in commands:
        usage = "\n".join("  %s %s %s" % (script, name, (fn.__doc__ or "").strip()) for name, fn in commands.items())
        sys.exit("%s: a command, one of:\n%s" % (script, usage))
    options = {}
    for word in argv[2:]:
        key, eq, value = word.partition("=")
        if not eq:
            sys.exit("%s %s: key=value words only, not %r" % (script, argv[1], word))
        options[key] = value
    try:
        lines = commands[argv[1]](options)
    except KeyError as missing:
        sys.exit("%s %s: no %s=" % (script, argv[1], missing.args[0]))
    for line in lines:
        print(line)


if __name__ == "__main__":
    run(COMMANDS)
