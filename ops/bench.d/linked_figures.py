#!/usr/bin/env python3
"""The figures of `ops/bench linked` (linked.sh).

    linked_figures.py final t0= t1= t_sub= final= seen= stuck=
        how long until every group was final, from the first submission (times: epoch seconds)
    linked_figures.py attempts < "STEP STEPS MEAN MAX ONE TWO THREE_OR_MORE" lines (linked.sh's SQL)
        the attempts per step, then over all steps
    linked_figures.py fates before="FATE=N ..." after="FATE=N ..."
        the partner simulator's fates over the run (its motcua_partner_sim_commands_total)
"""
import sys

import figures
from figures import field, num


def final(t0, t1, t_sub, final_, seen, stuck):
    d = num(t1) - num(t0)
    return ("every group final %.1f s after the first submission (submissions took %.1f s): %d final of %d "
            "(%d with a stuck step); %.0f groups final/s" % (
                d, num(t_sub) - num(t0), num(final_), num(seen), num(stuck), num(final_) / d if d else 0))


def attempts(rows):
    out = []
    commands = steps = 0.0
    for row in rows:
        text = row.split()
        v = [num(x) for x in text]
        out.append("  %-22s %6d steps, mean %5.3f, max %d; 1: %d, 2: %d, 3+: %d" % (
            field(text, 0, ""), field(v, 1), field(v, 2), field(v, 3), field(v, 4), field(v, 5), field(v, 6)))
        # the commands from the rounded means, as the bench always counted them
        commands += field(v, 1) * field(v, 2)
        steps += field(v, 1)
    out.append("  %-22s %6d steps, mean %5.3f attempts: %d commands" % ("all", steps, commands / steps if steps else 0, commands))
    return out


def fates(before, after):
    was = {}
    for word in before.split():
        key, _, value = word.partition("=")
        was[key] = num(value)
    now = [w.partition("=") for w in after.split()]
    if not now:
        return ["the simulator's fates over the run: not known (the simulator serves no /metrics)"]
    return ["the simulator's fates over the run:" + "".join(" %s %d" % (k, num(v) - was.get(k, 0.0)) for k, _, v in now)]


def cmd_final(o):
    return [final(o["t0"], o["t1"], o["t_sub"], o["final"], o["seen"], o["stuck"])]


def cmd_attempts(o):
    return attempts(sys.stdin.read().splitlines())


def cmd_fates(o):
    return fates(o["before"], o["after"])


if __name__ == "__main__":
    figures.run({"final": cmd_final, "attempts": cmd_attempts, "fates": cmd_fates})
