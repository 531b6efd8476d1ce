#!/usr/bin/env python3
"""The figures of `ops/bench drain` (drain.sh).

    drain_figures.py intake log=REQUESTS_TSV
        intake alone: h2load's answers, the rate it accepted them at, the 202s' latency
    drain_figures.py drain tsv=DRAIN_TSV issued=N t1_us=µs first_us=µs depth0= depth1= probes=N counts=N rtt_sum_us= rtt_max_us=
        the workers' rate from their start and between 10% and 90% written, the queue's depth, the polls
    drain_figures.py workers < "I PID PORT CPU_S PEAK_RSS_MB BATCH_SUM BATCH_COUNT DURATION_SUM DURATION_COUNT" lines
        each worker's CPU, peak RSS and recorder batches, then all of them

drain.tsv (drain.sh's poll loop): "SECONDS written N" (the journal's id sequence past its value at
the start) and "SECONDS count N" (the drain's rows counted), SECONDS since the workers' start.
"""
import sys

import figures
from figures import field, num


def intake(rows):
    lines = [figures.answers("answers:", rows)]
    line = figures.latency_line("latency (202s):", [duration for _, status, duration, _, _ in rows if status == 202])
    return lines + [line] if line else lines


def drain_rate(written, issued, t1_us, first_us):
    """From the (seconds, written) polls: the rate from the workers' start to the end at T1_US, and
    between the first polls that saw 10% and 90% of the ISSUED dossiers written."""
    t = t1_us / 1e6
    a = next((i for i, (_, w) in enumerate(written) if w >= 0.1 * issued), None)
    b = next((i for i, (_, w) in enumerate(written) if w >= 0.9 * issued), None)
    lines = ["recorded %d dossiers in %.2f s from the workers' start: %.0f/s (process start included)" % (issued, t, issued / t)]
    start = "  the first rows were being written %.2f s after the start; " % (first_us / 1e6)
    if a is not None and b is not None and written[b][0] > written[a][0]:
        lines.append(start + "from 10%% to 90%% written (journal sequence): %.0f/s"
                     % ((written[b][1] - written[a][1]) / (written[b][0] - written[a][0])))
    else:
        lines.append(start + "too short to tell a steady rate")
    return lines


def polls(probes, counts, rtt_sum_us, rtt_max_us, t1_us):
    return ("polls: the journal's sequence %d times (every ~%.0f ms), the drain's rows counted %d times "
            "(%.1f ms on average, at most %.1f ms)" % (
                probes, t1_us / 1000 / (probes + counts) if probes + counts else 0, counts,
                rtt_sum_us / counts / 1000 if counts else 0, rtt_max_us / 1000))


def workers(lines):
    out = []
    rss = s = c = ds = dc = 0.0
    for line in lines:
        text = line.split()
        w = [num(x) for x in text]
        f = lambda i: field(w, i)
        out.append("  worker %d (pid %s, metrics :%s): CPU %.1f s, peak RSS %.1f MB; %d recorder batches, "
                   "%.1f messages and %.0f ms each on average (%d messages)" % (
                       f(0), field(text, 1, ""), field(text, 2, ""), f(3), f(4), f(6),
                       f(5) / f(6) if f(6) else 0, 1000 * f(7) / f(8) if f(8) else 0, f(5)))
        rss += f(4); s += f(5); c += f(6); ds += f(7); dc += f(8)
    out.append("workers: peak RSS %.1f MB (sum of VmHWM); mean batch (recorder, motcua_worker_batch_size and "
               "_duration_seconds sum/count): %.1f messages, %.0f ms from taking it to settling it, over %d batches"
               % (rss, s / c if c else 0, 1000 * ds / dc if dc else 0, c))
    return out


def cmd_intake(o):
    return intake(figures.read_h2load_log(o["log"]))


def cmd_drain(o):
    with open(o["tsv"]) as f:
        written = [(num(w[0]), num(field(w, 2, ""))) for w in (line.split() for line in f) if len(w) > 1 and w[1] == "written"]
    t1_us = num(o["t1_us"])
    lines = drain_rate(written, num(o["issued"]), t1_us, num(o["first_us"]))
    lines.append("motcua.recorder depth (ready + unacked, management API once caught up): %s at the workers' start, %s at the end"
                 % (o["depth0"], o["depth1"]))
    lines.append(polls(num(o["probes"]), num(o["counts"]), num(o["rtt_sum_us"]), num(o["rtt_max_us"]), t1_us))
    return lines


def cmd_workers(o):
    return workers(sys.stdin.read().splitlines())


if __name__ == "__main__":
    figures.run({"intake": cmd_intake, "drain": cmd_drain, "workers": cmd_workers})
