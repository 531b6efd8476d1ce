#!/usr/bin/env python3
"""The figures of `ops/bench sustained` (sustained.sh): the line of each interval, and the end of the
run. Files in the bench's folder (dir=): cpu.0, cpu.prev, cpu.now, cpu.end (samples, common.sh),
queue.tsv ("SECONDS DEPTH" a line, from the start), peaks ("GROUP MB": each process's highest memory
at the samples so far), summary (the open loop's, figures.py open-loop).

    sustained_figures.py intervals dir= cores= hz= < "T0 FROM TO ROWS ACCEPTED QUEUE" a line per interval
        answers each with the interval's line (one process for the run: sustained.sh keeps it as a
        coprocess, since a start per interval would cost the bench three times the CPU its awk did)
    sustained_figures.py summary dir= t0= t1= rows= accepted= issued= lag= batches0= batches1= load= interval= cores= hz=
"""
import os
import sys

import figures
from figures import field, fixed, num, words


def interval_line(elapsed, dt, rows, accepted, queue, between, cores):
    """One line of the table: rates over the interval of DT s, the queue, CPU seconds per process and
    how busy the machine was, memory."""
    groups, other, busy, _ = between
    s = {g: sec for g, sec, _ in groups}
    s.update(other=other, busy=busy)
    mb = {g: m for g, _, m in groups}
    get = lambda d, k: d.get(k, 0.0)
    return "%6d %10.0f %10.0f %8s | %6.1f %7.1f %5.1f %6.1f %4.1f %5.1f %7s | %6.0f %7.0f %9.0f %6.0f" % (
        num(elapsed), rows / dt, accepted / dt, queue,
        get(s, "intake"), get(s, "workers"), get(s, "postgres"), get(s, "rabbitmq"), get(s, "generator"), get(s, "other"),
        "(%.0f%%)" % (100 * get(s, "busy") / (dt * num(cores))),
        get(mb, "intake"), get(mb, "workers"), get(mb, "postgres"), get(mb, "rabbitmq"))


def update_peaks(peaks, between):
    """PEAKS (group -> MB) with the memory of the later sample of BETWEEN where it is higher."""
    for g, _, mb in between[0]:
        if mb > peaks.get(g, 0.0):
            peaks[g] = mb
    return peaks


def queue_trend(depths, accepted):
    """The recorder queue line from the depths read ([(seconds, depth text)], the start first): start,
    end and max (the first time it was reached), and the trend of a least-squares line through the
    depths that are numbers ("?": the management API did not say)."""
    q0, q1 = depths[0][1], depths[-1][1]
    qmax, at = q0, "0"
    points = []
    for i, (t, q) in enumerate(depths):
        if not q.isdigit():
            continue
        points.append((num(t), num(q)))
        if i > 0 and (not qmax.isdigit() or int(q) > int(qmax)):
            qmax, at = q, t
    slope = 0.0
    n = len(points)
    if n > 2:
        mx = sum(x for x, _ in points) / n
        my = sum(y for _, y in points) / n
        sxx = sum((x - mx) ** 2 for x, _ in points)
        if sxx > 0:
            slope = sum((x - mx) * (y - my) for x, y in points) / sxx
    span = points[-1][0] - points[0][0] if points else 0.0
    rate = accepted / span if span > 0 else 0
    trend = "GROWING: the workers fall behind" if slope * span > 1000 and slope > 0.01 * rate else "flat: the workers keep up"
    return ("recorder queue depth (ready + unacked): start %s, end %s, max %s (at %s s); trend %+.1f messages/s over the run: %s"
            % (q0, q1, qmax, at, slope, trend))


def batch_mean(before, after):
    """The workers' mean recorder batch between two "SUM COUNT" lines of sustained.sh's batch_sizes."""
    x, y = words(before), words(after)
    s, c = field(y, 0) - field(x, 0), field(y, 1) - field(x, 1)
    if c > 0 and s >= 0:
        return ("workers' mean batch size (recorder, motcua_worker_batch_size sum/count of their /metrics): "
                "%.1f messages (%d batches, %d messages)" % (s / c, c, s))
    return "workers' mean batch size: not known (no worker /metrics answered, or a worker restarted)"


def limit(between, peaks, interval, kept, load, cores):
    """Peak memory, then what the run points at: kept up, the CPU, or waiting."""
    groups, _, busy, cap = between
    cores = num(cores)
    top, top_s = "", 0.0
    for g, s, _ in groups:
        if s > top_s:
            top, top_s = g, s
    p = lambda g: peaks.get(g, 0.0)
    lines = ["peak memory (at the %s s samples): intake %.0f MB, workers %.0f MB (sum), postgres %.0f MB (PSS, sum), "
             "rabbitmq %.0f MB, generator %.0f MB" % (interval, p("intake"), p("workers"), p("postgres"), p("rabbitmq"), p("generator"))]
    if kept == "kept":
        lines.append("the stack kept up with %d/s using %.0f%% of the %d cores; the biggest consumer was %s (%.0f%% of the machine); "
                     "a higher rate finds the limit" % (num(load), 100 * busy / cap, cores, top, 100 * top_s / cap))
    elif cap and busy / cap >= 0.85:
        lines.append("limit: CPU: the %d cores were %.0f%% busy (what is left is gaps in scheduling several busy processes); "
                     "the biggest consumer was %s (%.0f%% of the machine)" % (cores, 100 * busy / cap, top, 100 * top_s / cap))
    elif cap:
        lines.append("the %d cores were only %.0f%% busy: the limit is not CPU but waiting (connections, locks, round trips: "
                     "see intake's split above); the biggest consumer was %s" % (cores, 100 * busy / cap, top))
    return lines


def read_peaks(path):
    peaks = {}
    with open(path) as f:
        for line in f:
            w = line.split()
            if len(w) >= 2:
                peaks[w[0]] = num(w[1])
    return peaks


def interval(out, t0, start, end, rows, accepted, queue, cores, hz, peaks):
    """The interval from START to END (epoch seconds; samples cpu.prev and cpu.now): its line. Appends
    "SECONDS DEPTH" to queue.tsv and writes PEAKS (updated) to peaks."""
    dt = fixed(num(end) - num(start), 3)
    elapsed = "%.0f" % (num(end) - num(t0))
    with open(os.path.join(out, "queue.tsv"), "a") as f:
        f.write("%s %s\n" % (elapsed, queue))
    between = figures.cpu_between_files(os.path.join(out, "cpu.prev"), os.path.join(out, "cpu.now"), hz)
    update_peaks(peaks, between)
    with open(os.path.join(out, "peaks"), "w") as f:
        f.writelines("%s %.1f\n" % kv for kv in peaks.items())
    return interval_line(elapsed, dt, num(rows), num(accepted), queue, between, cores)


def cmd_intervals(o):
    """T0 is when the run started; the first line comes after cpu.0 was sampled, whose memory counts
    for the peaks."""
    out = o["dir"]
    peaks = None
    while True:
        line = sys.stdin.readline()
        if not line:
            return []
        w = line.split()
        if len(w) != 6:
            sys.exit("sustained_figures.py intervals: expected T0 FROM TO ROWS ACCEPTED QUEUE, not %r" % line)
        if peaks is None:
            start = os.path.join(out, "cpu.0")
            peaks = update_peaks({}, figures.cpu_between_files(start, start, o["hz"]))
        print(interval(out, w[0], w[1], w[2], w[3], w[4], w[5], o["cores"], o["hz"], peaks), flush=True)


def cmd_summary(o):
    """The end of the run, from "recorded in PostgreSQL during the load" to the limit."""
    out = o["dir"]
    d = num(o["t1"]) - num(o["t0"])
    rows, accepted = num(o["rows"]), num(o["accepted"])
    lines = ["recorded in PostgreSQL during the load: %d rows in %.0f s = %.0f/s; accepted %.0f/s" % (rows, d, rows / d, accepted / d),
             "after the load stopped, every one of the %d accepted dossiers was in PostgreSQL %.2f s later" % (num(o["issued"]), num(o["lag"]))]
    with open(os.path.join(out, "queue.tsv")) as f:
        depths = [(w[0], w[1] if len(w) > 1 else "") for w in (line.split() for line in f) if w]
    lines.append(queue_trend(depths, accepted))
    lines.append(batch_mean(o["batches0"], o["batches1"]))
    between = figures.cpu_between_files(os.path.join(out, "cpu.0"), os.path.join(out, "cpu.end"), o["hz"])
    lines += figures.cpu_report(between, o["cores"])
    kept = "closed"
    if o["load"] != "max":
        with open(os.path.join(out, "summary")) as f:
            kept = "kept" if field(words(f.readline()), 0) >= 0.99 * num(o["load"]) else "behind"
    lines += limit(between, read_peaks(os.path.join(out, "peaks")), o["interval"], kept, o["load"], o["cores"])
    return lines


if __name__ == "__main__":
    figures.run({"intervals": cmd_intervals, "summary": cmd_summary})
