#!/usr/bin/env python3
"""Tests of the bench's figures (figures.py, *_figures.py): pure functions on small inputs, no stack.
The expected lines are what the awk programs of the bash bench printed for the same inputs.

    python3 -m unittest discover -s ops/bench.d -p 'test_*.py'
"""
import os
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True

import deadlines_figures  # noqa: E402
import drain_figures  # noqa: E402
import figures  # noqa: E402
import linked_figures  # noqa: E402
import sustained_figures  # noqa: E402

SAMPLE_A = """time 1733580000.100000
machine 1000 5000
intake 100 51200 11 12
workers 200 40960 21
postgres 300 102400 31 32 33
rabbitmq 50 204800 41
generator 0 0
bench 10 4096 51
"""
SAMPLE_B = """time 1733580010.100000
machine 2500 7000
intake 400 61440 11 12
workers 450 43008 21
postgres 520 103424 31 32 33
rabbitmq 120 210944 41
generator 95 8192 61
bench 8 4096 51
"""
# h2load's log joined over two processes: start µs, status, duration µs, process
REQUESTS = """1000000\t202\t30000\t1
1000000\t202\t50000\t2
1200000\t202\t250000\t1
1210000\t-1\t10000000\t2
1400000\t200\t40000\t1
1400500\t500\t30000\t2
1600000\t202\t1500000\t1
"""


class Files(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.addCleanup(self.dir.cleanup)

    def file(self, name, text):
        path = os.path.join(self.dir.name, name)
        with open(path, "w") as f:
            f.write(text)
        return path

    def between(self):
        return figures.cpu_between_files(self.file("a", SAMPLE_A), self.file("b", SAMPLE_B), "100")


class Numbers(unittest.TestCase):
    def test_num_reads_like_awk(self):
        self.assertEqual(figures.num("12"), 12)
        self.assertEqual(figures.num(" 1.5e3 ms"), 1500)
        self.assertEqual(figures.num("-0.25"), -0.25)
        self.assertEqual(figures.num("?"), 0)
        self.assertEqual(figures.num(""), 0)
        self.assertEqual(figures.num("7e"), 7)

    def test_awk_str_prints_like_awk(self):
        self.assertEqual(figures.awk_str(316666.6667), "316667")
        self.assertEqual(figures.awk_str(6483810.25), "6.48381e+06")
        self.assertEqual(figures.awk_str(6.0), "6")
        self.assertEqual(figures.awk_str(0.25), "0.25")

    def test_percentile_is_nearest_rank(self):
        values = list(range(1, 101))
        self.assertEqual(figures.percentile(values, 50), 50)
        self.assertEqual(figures.percentile(values, 99), 99)
        self.assertEqual(figures.percentile([7], 99), 7)
        self.assertEqual(figures.percentile([1, 2, 3], 50), 2)

    def test_latency_line(self):
        self.assertEqual(figures.latency_line("latency (202s):", [30000, 50000, 250000, 1500000]),
                         "latency (202s): p50 50.0 ms, p90 1500.0 ms, p99 1500.0 ms, max 1500.0 ms")
        self.assertIsNone(figures.latency_line("x", []))


class Shared(Files):
    def test_cpu_report(self):
        self.assertEqual(figures.cpu_report(self.between(), "2"), [
            "CPU seconds per process (share of the CPU used; of the machine: 2 cores x 10.0 s = 20.0 s):",
            "  intake          3.0 s   20.0%   15.0%",
            "  workers         2.5 s   16.7%   12.5%",
            "  postgres        2.2 s   14.7%   11.0%",
            "  rabbitmq        0.7 s    4.7%    3.5%",
            "  generator       0.9 s    6.3%    4.8%",
            "  bench           0.0 s    0.0%    0.0%",
            "  other           5.7 s   37.7%   28.2%",
            "  machine busy 15.0 s of 20.0 s (75%)"])

    def test_cpu_between_rounds_as_printed(self):
        rows, other, busy, cap = self.between()
        self.assertEqual(rows[0], ("intake", 3.0, 60.0))
        self.assertEqual(rows[4], ("generator", 0.95, 8.0))
        self.assertEqual(rows[5], ("bench", 0.0, 4.0))  # ticks went down: 0, not negative
        self.assertEqual((other, busy, cap), (5.65, 15.0, 20.0))

    def test_intake_split(self):
        self.assertEqual(figures.intake_split("1.5 100 0.8 100 3.2 100", "13.5 1100 6.8 1100 41.2 1100"),
                         "intake's own means over the run: request 38.0 ms = issuing the code (one batch transaction at a time)"
                         " 12.0 ms + broker confirm 6.0 ms + the rest")
        self.assertIn("request 0.0 ms", figures.intake_split("0 0 0 0 0 0", "0 0 0 0 0 0"))

    def test_io_report(self):
        self.assertEqual(figures.io_report("1000 500", "301000 100500", "1733580000.5", "1733580010.5", "the drain"),
                         "  I/O stalls (/proc/pressure/io): some task waited on I/O 3% of the drain, all tasks at once 1%")
        self.assertIsNone(figures.io_report("0 0", "1 1", "5", "5", "x"))

    def test_answers(self):
        rows = figures.read_h2load_log(self.file("r", REQUESTS))
        self.assertEqual(figures.answers("answers:", rows), "answers: 202 4, other status 2, failed 1; 0 accepted/s over 10.21 s")
        self.assertEqual(figures.answers("submissions:", []), "submissions: 202 0, other status 0, failed 0; 0 accepted/s over 0.00 s")

    def open_loop(self, *args):
        return figures.open_loop(figures.read_h2load_log(self.file("r", REQUESTS)), *args)

    def test_open_loop_behind_with_clients_to_spare(self):
        lines, sent, due, summary = self.open_loop(10, 1, 2, 2, "5.0000")
        self.assertEqual(lines, [
            "offered 10/s for 1 s = 10 requests; sent 7 (7/s); not sent when the time was up: 3",
            "answers: 202 4, 200 (replayed) 1, other status 1, failed (socket, timeout) 1; achieved 6 answered/s",
            "latency from sending (h2load):      p50 40.0 ms, p90 1500.0 ms, p99 1500.0 ms, max 1500.0 ms",
            "latency from the due time:          p50 40.0 ms, p90 1500.0 ms, p99 1500.0 ms, max 1500.0 ms",
            "BEHIND SCHEDULE: 6 of 10/s answered with clients to spare: the generator itself fell behind (short of CPU?)"])
        self.assertEqual(summary, "6 316667")
        self.assertEqual(due, ["30000", "250000", "40000", "1500000", "50000", "30500"])

    def test_open_loop_kept(self):
        lines = self.open_loop(3, 1, 2, 2, "5.0000")[0]
        self.assertEqual(lines[0], "offered 3/s for 1 s = 3 requests; sent 7 (7/s); not sent when the time was up: 0")
        self.assertEqual(lines[-1], "the schedule was kept: both latencies are the latency at this rate")

    def test_open_loop_all_clients_busy(self):
        lines = self.open_loop(1000, 1, 1, 1, "5.0000")[0]
        self.assertEqual(lines[4], "BEHIND SCHEDULE: 6 of 1000/s answered; all 1 clients were busy (one request each, mean 317 ms).")
        self.assertEqual(len(lines), 8)

    def test_open_loop_due_time(self):
        # the due time counts the wait for a busy client: 1000 clients, 500 per process, 2.5/s each
        lines, _, due, _ = self.open_loop(1000, 1, 1000, 2, "2.5000")
        self.assertEqual(lines[3], "latency from the due time:          p50 430.5 ms, p90 2100.0 ms, p99 2100.0 ms, max 2100.0 ms")
        self.assertEqual(due, ["30000", "450000", "440000", "2100000", "50000", "430500"])

    def test_open_loop_due_time_sorted_as_numbers(self):
        # awk wrote 1233333.33 as 1.23333e+06, which `sort -n` put first (p50 1200.0 ms); sorted as a number now
        rows = [(1000000, 202, 1300000, ["1"], ""), (2000000, 202, 900000, ["1"], ""), (1002000, 202, 1200000, ["1"], "")]
        lines, _, due, _ = figures.open_loop(rows, 1000, 1, 1, 1, "3.0000")
        self.assertEqual(due, ["1300000", "1200000", "1.23333e+06"])
        self.assertEqual(lines[3], "latency from the due time:          p50 1233.3 ms, p90 1300.0 ms, p99 1300.0 ms, max 1300.0 ms")

    def test_recording_lag(self):
        before = "\n".join('motcua_worker_recording_lag_seconds_bucket{role="%s",le="%s"} %d' % x for x in (
            ("recorder", "0.005", 10), ("recorder", "0.5", 20), ("recorder", "1", 30), ("recorder", "+Inf", 30), ("deadlines", "+Inf", 99)))
        after = "\n".join('motcua_worker_recording_lag_seconds_bucket{role="recorder",le="%s"} %d' % x for x in (
            ("0.005", 60), ("0.5", 120), ("1", 228), ("+Inf", 230), ("0.005", 1), ("0.5", 1), ("1", 1), ("+Inf", 1)))
        self.assertEqual(figures.recording_lag(before, after), [
            "workers' recording lag (event time to commit, histogram buckets): p50 <= 0.5 s, p99 <= 1 s (201 messages);",
            "  events carry their time in whole seconds, so this histogram reads up to 1 s high: trust the polled figures"])
        self.assertEqual(figures.recording_lag(before, before), [])
        self.assertEqual(figures.recording_lag("", ""), [])


class Sustained(Files):
    def test_interval_line(self):
        self.assertEqual(sustained_figures.interval_line("10", 10.0, 12000, 12500, "120", self.between(), "2"),
                         "    10       1200       1250      120 |    3.0     2.5   2.2    0.7  0.9   5.7   (75%) |"
                         "     60      42       101    206")

    def test_queue_trend(self):
        depths = [("0", "7"), ("10", "120"), ("20", "900"), ("30", "?"), ("40", "2400"), ("50", "2400")]
        self.assertEqual(sustained_figures.queue_trend(depths, 50000),
                         "recorder queue depth (ready + unacked): start 7, end 2400, max 2400 (at 40 s); "
                         "trend +55.4 messages/s over the run: GROWING: the workers fall behind")
        self.assertEqual(sustained_figures.queue_trend([("0", "?"), ("10", "?")], 100),
                         "recorder queue depth (ready + unacked): start ?, end ?, max ? (at 0 s); "
                         "trend +0.0 messages/s over the run: flat: the workers keep up")

    def test_batch_mean(self):
        self.assertEqual(sustained_figures.batch_mean("1000 10", "21000 210"),
                         "workers' mean batch size (recorder, motcua_worker_batch_size sum/count of their /metrics): "
                         "100.0 messages (200 batches, 20000 messages)")
        self.assertEqual(sustained_figures.batch_mean("5 1", "0 0"),
                         "workers' mean batch size: not known (no worker /metrics answered, or a worker restarted)")

    def test_peaks_and_limit(self):
        between = self.between()
        peaks = sustained_figures.update_peaks({"intake": 70.0, "generator": 0.0}, between)
        self.assertEqual(peaks["intake"], 70.0)
        self.assertEqual(peaks["rabbitmq"], 206.0)
        self.assertEqual(sustained_figures.limit(between, peaks, "10", "closed", "max", "2"), [
            "peak memory (at the 10 s samples): intake 70 MB, workers 42 MB (sum), postgres 101 MB (PSS, sum), rabbitmq 206 MB, generator 8 MB",
            "the 2 cores were only 75% busy: the limit is not CPU but waiting (connections, locks, round trips: see intake's split above); "
            "the biggest consumer was intake"])
        self.assertIn("the stack kept up with 1000/s using 75% of the 2 cores; the biggest consumer was intake (15% of the machine)",
                      sustained_figures.limit(between, peaks, "10", "kept", "1000", "2")[1])

    def test_intervals_process(self):
        out = self.dir.name
        self.file("cpu.0", SAMPLE_A)
        self.file("cpu.prev", SAMPLE_A)
        self.file("cpu.now", SAMPLE_B)
        self.file("queue.tsv", "0 7\n")
        script = os.path.join(HERE, "sustained_figures.py")
        run = subprocess.run([sys.executable, "-B", "-S", script, "intervals", "dir=" + out, "cores=2", "hz=100"],
                             input="1733580000.1 1733580000.1 1733580010.1 12000 12500 120\n", capture_output=True, text=True)
        self.assertEqual(run.returncode, 0, run.stderr)
        self.assertTrue(run.stdout.startswith("    10       1200       1250      120 |"))
        with open(os.path.join(out, "queue.tsv")) as f:
            self.assertEqual(f.read(), "0 7\n10 120\n")
        with open(os.path.join(out, "peaks")) as f:
            self.assertIn("rabbitmq 206.0\n", f.read())


class Drain(unittest.TestCase):
    def test_rate(self):
        written = [(0.051, 0), (0.101, 100), (0.151, 450), (0.201, 800), (1.052, 1000)]
        self.assertEqual(drain_figures.drain_rate(written, 1000, 1103000, 101000), [
            "recorded 1000 dossiers in 1.10 s from the workers' start: 907/s (process start included)",
            "  the first rows were being written 0.10 s after the start; from 10% to 90% written (journal sequence): 946/s"])
        self.assertEqual(drain_figures.drain_rate(written[:1], 1000, 1103000, 0)[1],
                         "  the first rows were being written 0.00 s after the start; too short to tell a steady rate")

    def test_polls(self):
        self.assertEqual(drain_figures.polls(17, 3, 30000, 12000, 1103000),
                         "polls: the journal's sequence 17 times (every ~55 ms), the drain's rows counted 3 times "
                         "(10.0 ms on average, at most 12.0 ms)")

    def test_workers(self):
        self.assertEqual(drain_figures.workers(["1 4242 9464 2.15 41.8 600 6 0.120000 6", "2 4243 9466 1.05 40.9 400 4 0.100000 5"]), [
            "  worker 1 (pid 4242, metrics :9464): CPU 2.1 s, peak RSS 41.8 MB; 6 recorder batches, 100.0 messages and 20 ms each on average (600 messages)",
            "  worker 2 (pid 4243, metrics :9466): CPU 1.1 s, peak RSS 40.9 MB; 4 recorder batches, 100.0 messages and 20 ms each on average (400 messages)",
            "workers: peak RSS 82.7 MB (sum of VmHWM); mean batch (recorder, motcua_worker_batch_size and _duration_seconds sum/count): "
            "100.0 messages, 20 ms from taking it to settling it, over 10 batches"])


PLAN = """Limit  (cost=0.42..8.45 rows=1 width=40) (actual time=0.021..0.022 rows=0 loops=1)
  Buffers: shared hit=3
  ->  LockRows  (cost=0.42..8.45 rows=1 width=40) (actual time=0.021..0.021 rows=0 loops=1)
        Buffers: shared hit=3
        ->  Index Scan using deadline_timers_pending on deadline_timers  (cost=0.42..8.44 rows=1 width=34) (actual time=0.020..0.020 rows=0 loops=1)
              Index Cond: (fire_at <= now())
              Filter: (fired_at IS NULL)
              Buffers: shared hit=3
Planning Time: 0.420 ms
Execution Time: 0.081 ms
"""
PLAN2 = """Limit  (cost=0.42..8.45 rows=1 width=40) (actual time=0.021..0.022 rows=0 loops=1)
        ->  Index Scan using deadline_timers_pending on deadline_timers  (cost=0.42..8.44 rows=1 width=34) (actual time=0.020..0.020 rows=0 loops=1)
Planning Time: 0.7512 ms
Execution Time: 0.1234 ms
"""


class Deadlines(Files):
    def test_load(self):
        args = ["1733580000.000000", "1733580011.900000", "1733580012.100000", "1733580012.800000", "1733580013.150000",
                "1000000", "500000", "10000", "1000000 pending of 1020000"]
        line = ("load: 1000000 pending timers and their 500000 dossiers in 11.9 s; 10000 due dossiers (their journal entry, their fired "
                "due-soon timer) in 0.2 s; VACUUM (ANALYZE) 0.7 s%s; deadline_timers now: 1000000 pending of 1020000")
        self.assertEqual(deadlines_figures.load(*args), line % "; CHECKPOINT 0.4 s")
        self.assertEqual(deadlines_figures.load(*args[:4], "", *args[5:]), line % "")

    def test_plans(self):
        out = deadlines_figures.plans(PLAN + "--\n" + PLAN2 + "--\n")
        self.assertEqual(out[0], "    Limit  (cost=0.42..8.45 rows=1 width=40) (actual time=0.021..0.022 rows=0 loops=1)")
        self.assertEqual(out[9], "    Execution Time: 0.081 ms")
        self.assertEqual(out[10:], [
            "  execution time of the 5 runs: 0.081 0.123 ms; planning: 0.420 0.751 ms",
            "  plan: Limit <- LockRows <- Index Scan using deadline_timers_pending (a range scan of the partial index, no sort)"])
        seq = deadlines_figures.plans((PLAN + "--\n").replace("Index Scan using deadline_timers_pending", "Seq Scan"))
        self.assertEqual(seq[-1], "  WARNING: the plan is not an index range scan of deadline_timers_pending")

    def test_plan_summary(self):
        self.assertEqual(deadlines_figures.plan_summary(PLAN),
                         "0.081 ms (Index Scan using deadline_timers_pending on deadline_timers; buffers shared hit=3)")

    def test_idle(self):
        self.assertEqual(deadlines_figures.idle(self.between()),
                         ["the second before the clock: the machine 75% busy, 28% of it by processes outside this stack"])

    def test_alerts(self):
        args = ["10000", "1733580100.250000", "1733580100.100000", "1733580100.770000", "1733580102.800000", "1733580104.240000",
                "20000", "399", "120"]
        self.assertEqual(deadlines_figures.alerts(*args), [
            "== firing: 10000 overdue timers made due at once (one INSERT, 150 ms; the clock starts at its commit)",
            "all 20000 alerts (10000 overdue + 10000 apology_issued) in the queue 3.99 s after the commit: 5013 alerts/s",
            "  the queue's depth (read 399 times, every ~10 ms): first alert at +0.520 s, half at +2.550 s, all at +3.990 s",
            "  the aim, all out within 5 s: met"])
        self.assertEqual(deadlines_figures.alerts(*args[:3], "-", "-", "-", "15000", "12000", "120")[1],
                         "NOT ALL ALERTS: 15000 of 20000 in the queue after 120 s (BENCH_TIMEOUT)")

    def test_timers(self):
        out = deadlines_figures.timers("10000|20|0.2011|3.5503|1.92|3.5503|20000|200|0.51|3.99|0.562|0.731|0.9|10000|10000|10000|0|10000", "10000")
        self.assertEqual(out[0], "firing: 10000 of 10000 timers fired, in 20 transactions (500 timers each on average); "
                                 "the first began at +0.201 s, the last at +3.550 s")
        self.assertEqual(out[2], "  their fire_at is a minute and more before that): p50 1.920 s, p99 3.550 s, max 3.550 s")
        self.assertEqual(out[5], "written with them: 10000 apology letters, 10000 apology_issued journal entries, 10000 dossiers "
                                 "with their letter, 10000 escalation timers pending; 0 due-soon timers still as they were")
        empty = deadlines_figures.timers("0|0||||||||||||||||", "10000")
        self.assertEqual(empty[3], "outbox: 0 rows, published in 0 relay batches (0 rows each on average), the first marked sent at "
                                   "+0.000 s, the last at +0.000 s")

    def test_stats(self):
        self.assertEqual(deadlines_figures.stats("overdue=10000 apology_issued=10000 due_soon=0 escalated=0 other_subjects=0 "
                                                 "duplicate_ids=0 total=20000 apology_before_overdue=0", "10000"), [])
        self.assertEqual(deadlines_figures.stats("overdue=9999 apology_issued=10000 due_soon=1 escalated=0 other_subjects=3 "
                                                 "duplicate_ids=1 total=20000 apology_before_overdue=5", "10000"), [
            "  WARNING: expected 10000 overdue and 10000 apology_issued alerts",
            "  WARNING: due_soon or escalated alerts about the due dossiers: a timer fired that should not have",
            "  WARNING: an alert id came more than once",
            "  note: for 5 dossiers the apology_issued alert reached the queue before their overdue alert (the relays publish concurrently)",
            "  note: alerts about other dossiers arrived too: the depth counted them, so the time above is short by them"])

    def test_postgres_and_wal(self):
        before = [w.split() for w in ("100 5000 postmaster+exited", "101 100 checkpointer", "102 2000 backends", "103 2000 backends")]
        after = [w.split() for w in ("100 5100 postmaster+exited", "101 100 checkpointer", "102 2150 backends", "104 30 backends",
                                      "105 1 walwriter", "106 70 autovacuum")]
        self.assertEqual(deadlines_figures.postgres(before, after, "100"),
                         "  postgres by process: postmaster+exited 1.00 s, backends 1.80 s, walwriter 0.01 s, autovacuum 0.70 s")
        self.assertEqual(deadlines_figures.wal("10 2000 500000 100 300000000 40", "10 2500 550000 1100 394000000 240"),
                         "  PostgreSQL during the firing: 0 checkpoint(s) begun, 500 buffers written by the checkpointer; "
                         "WAL 89.6 MB in 50000 records, 1000 full-page images; WAL syncs 200")

    def test_activity_and_limit(self):
        samples = ["CPU(outbox) idle-in-transaction Lock:transactionid(apology_sequences)", "CPU(outbox) idle-in-transaction CPU(outbox)",
                   "-", "IO:WALSync(outbox) CPU(outbox) Lock:transactionid(apology_sequences) Lock:tuple(apology_sequences)"]
        lines, kinds = deadlines_figures.activity(samples)
        self.assertEqual(lines, [
            "  PostgreSQL sessions (pg_stat_activity every 20 ms, 4 samples; wait event (statement's table)): on average 2.50 busy:",
            "    CPU(outbox) 1.00, idle-in-transaction 0.50, Lock:transactionid(apology_sequences) 0.50, IO:WALSync(outbox) 0.25, "
            "Lock:tuple(apology_sequences) 0.25",  # equal counts: in the order first seen
            "  by kind: on CPU 1.00, waiting for WAL (commits) 0.25, on a row lock 0.75, for their client mid-transaction 0.50, other 0.00"])
        self.assertEqual(kinds, [1.0, 0.25, 0.75, 0.5])
        self.assertEqual(deadlines_figures.limit(self.between(), kinds, "2"), [
            "NOTE: processes outside this stack took 28% of the machine during the firing: the figures are slower than on a quiet machine",
            "limit: a row lock the workers queue for (0.75 sessions on average); the 2 cores were 75% busy"])
        self.assertEqual(deadlines_figures.activity([]), ([], None))
        self.assertEqual(deadlines_figures.limit(self.between(), [], "2")[1],
                         "limit: commits: the 2 cores were 75% busy; PostgreSQL's sessions waited for WAL flushes more than anything else "
                         "(0.00 sessions on average)")


class Linked(unittest.TestCase):
    def test_final(self):
        self.assertEqual(linked_figures.final("1733580000.000000", "1733580150.500000", "1733580012.250000", "100", "100", "0"),
                         "every group final 150.5 s after the first submission (submissions took 12.2 s): 100 final of 100 "
                         "(0 with a stuck step); 1 groups final/s")

    def test_attempts(self):
        self.assertEqual(linked_figures.attempts(["birth_registration 100 1.064 4 95 4 1", "permanent_residence 100 1.000 1 100 0 0"]), [
            "  birth_registration        100 steps, mean 1.064, max 4; 1: 95, 2: 4, 3+: 1",
            "  permanent_residence       100 steps, mean 1.000, max 1; 1: 100, 2: 0, 3+: 0",
            "  all                       200 steps, mean 1.032 attempts: 206 commands"])

    def test_fates(self):
        self.assertEqual(linked_figures.fates("done=10 error=2 ", "error=7 done=210 hang=1 "),
                         ["the simulator's fates over the run: error 5 done 200 hang 1"])
        self.assertEqual(linked_figures.fates("", ""),
                         ["the simulator's fates over the run: not known (the simulator serves no /metrics)"])


class Commands(unittest.TestCase):
    def run_figures(self, *args):
        return subprocess.run([sys.executable, "-B", "-S", os.path.join(HERE, "figures.py")] + list(args),
                              capture_output=True, text=True)

    def test_command_line(self):
        run = self.run_figures("intake-split", "before=0 1 0 1 0 1", "after=1 2 1 2 1 2")
        self.assertEqual(run.stdout, "intake's own means over the run: request 1000.0 ms = issuing the code (one batch transaction "
                                     "at a time) 1000.0 ms + broker confirm 1000.0 ms + the rest\n")

    def test_unknown_command_and_missing_key(self):
        self.assertNotEqual(self.run_figures("nonsense").returncode, 0)
        run = self.run_figures("intake-split", "before=1")
        self.assertNotEqual(run.returncode, 0)
        self.assertIn("no after=", run.stderr)


if __name__ == "__main__":
    unittest.main()
