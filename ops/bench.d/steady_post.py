#!/usr/bin/env python3
"""POST /v1/dossiers at a steady rate until a stop file appears (ops/bench migrate).

Usage: steady_post.py BASE_URL TOKEN BODY_FILE RATE STOP_FILE OUT_TSV
Each of RATE/10 threads (at least 2) sends on its own schedule over one keep-alive connection; a
request that is late is sent at once, so a stall shows as latency, not as a gap. Every request is a
line of OUT_TSV: the wall-clock moment it was sent (s), its latency (s), its HTTP status (0: failed).
"""
import http.client
import os
import sys
import threading
import time
import urllib.parse

base, token, body_file, rate, stop_file, out_path = sys.argv[1:7]
rate = float(rate)
body = open(body_file, "rb").read()
url = urllib.parse.urlparse(base)
threads = max(2, int(rate // 10))
interval = threads / rate
lines = []
lock = threading.Lock()


def client(offset):
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
    due = time.monotonic() + offset
    while not os.path.exists(stop_file):
        pause = due - time.monotonic()
        if pause > 0:
            time.sleep(pause)
        sent_wall, sent = time.time(), time.monotonic()
        try:
            connection.request("POST", "/v1/dossiers", body, {
                "Authorization": "Bearer " + token, "Content-Type": "application/json"})
            response = connection.getresponse()
            response.read()
            status = response.status
        except Exception:
            connection.close()
            connection = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
            status = 0
        with lock:
            lines.append("%.6f\t%.6f\t%d\n" % (sent_wall, time.monotonic() - sent, status))
        due += interval


workers = [threading.Thread(target=client, args=(i * interval / threads,)) for i in range(threads)]
for worker in workers:
    worker.start()
for worker in workers:
    worker.join()
with open(out_path, "w") as out:
    out.writelines(sorted(lines))
