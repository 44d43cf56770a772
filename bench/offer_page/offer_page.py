#!/usr/bin/python3
"""Citizens' offer page views (GET /r/<token>) against rebookd builds on one SQLite database.

    bench/offer_page/offer_page.py --db /tmp/rebook-pipeline-XXXX/rebook.db \\
        --build /work/base-bin --build build/release --requests 50 --rounds 3

The database is a committed one (bench/pipeline/run.sh --preset region --stop-after-commit
--keep leaves it in its work folder). It is copied once; each round starts every build's rebookd
in turn on that copy (the views only read), warms it with 3 views, then times --requests views
of open offers, one after the other over one keep-alive connection. Per build and round it prints
the wall time per view (median, p90, mean) and rebookd's CPU seconds per view (utime+stime from
/proc/<pid>/stat over the timed views), how many pages carry the "why not earlier" sentence
(id="why"), and how many equal the first build's pages.
--db postgresql://... runs every rebookd on that database itself (not copied; the views only
read), e.g. the one bench/pipeline/run.sh --db-url ... --stop-after-commit left. Not part of
ctest.
"""
import argparse
import http.client
import os
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time

# The pipeline bench's helpers: a free loopback port, a process's CPU seconds from /proc.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "pipeline"))
from pipeline import cpu_seconds, free_port  # noqa: E402


def query(db, sql):
    """Rows of `sql` (one column) from the SQLite file or PostgreSQL URL `db`."""
    if db.startswith("postgresql://"):
        out = subprocess.run(["psql", "-XAtq", "-d", db, "-c", sql], check=True, text=True,
                             capture_output=True).stdout
        return [line for line in out.splitlines() if line]
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    rows = [r[0] for r in con.execute(sql)]
    con.close()
    return rows


def open_tokens(db, n):
    """Tokens of `n` open offers spread over the outage (every k-th by appointment)."""
    rows = query(db, "SELECT token FROM offers WHERE state = 'open' "
                 "ORDER BY office_id, appointment_id")
    if len(rows) < n:
        raise SystemExit(f"offer_page: only {len(rows)} open offers in {db}")
    step = len(rows) // n
    return [rows[i * step] for i in range(n)]


def latest_offer_time(db):
    if db.startswith("postgresql://"):  # a timestamptz
        return query(db, "SELECT to_char((max(create_time) + interval '1 minute') AT TIME ZONE "
                     "'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') FROM offers")[0]
    t = query(db, "SELECT max(create_time) FROM offers")[0]
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(int(t) + 60))


class Server:
    def __init__(self, build, db, work, clock):
        self.http = free_port()
        tokens = os.path.join(work, "tokens")
        open(tokens, "w").close()
        self.log = open(os.path.join(work, "rebookd.log"), "a")
        self.proc = subprocess.Popen(
            [os.path.join(build, "bin", "rebookd"), f"--db={db}", f"--tokens={tokens}",
             "--listen=127.0.0.1:0", f"--http_listen=127.0.0.1:{self.http}",
             f"--public_base_url=http://127.0.0.1:{self.http}", f"--simulated_time={clock}",
             "--public_rate_per_s=0", "--public_failures_per_min=0",
             "--public_prefix_failures_per_min=0"],
            stderr=self.log)
        for _ in range(600):
            try:
                socket.create_connection(("127.0.0.1", self.http), timeout=1).close()
                return
            except OSError:
                if self.proc.poll() is not None:
                    raise SystemExit(f"offer_page: rebookd exited; see {work}/rebookd.log")
                time.sleep(0.1)
        raise SystemExit("offer_page: rebookd did not listen")

    def stop(self):
        self.proc.terminate()
        self.proc.wait()


def views(port, tokens):
    """(seconds per view, pages) over one keep-alive connection."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    seconds, pages = [], []
    for t in tokens:
        t0 = time.monotonic()
        conn.request("GET", f"/r/{t}")
        resp = conn.getresponse()
        body = resp.read()
        seconds.append(time.monotonic() - t0)
        if resp.status != 200:
            raise SystemExit(f"offer_page: GET /r/... answered {resp.status}")
        pages.append(body)
    conn.close()
    return seconds, pages


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--db", required=True, help="a committed SQLite database (copied)")
    p.add_argument("--build", action="append", required=True,
                   help="build folder with bin/rebookd (repeat to compare)")
    p.add_argument("--requests", type=int, default=50)
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--clock", default="", help="rebookd --simulated_time (default: a minute "
                   "after the newest offer, so that none has expired)")
    a = p.parse_args()
    work = tempfile.mkdtemp(prefix="rebook-offer-page-")
    db = a.db
    if not db.startswith("postgresql://"):
        db = os.path.join(work, "rebook.db")
        shutil.copyfile(a.db, db)
    clock = a.clock or latest_offer_time(db)
    tokens = open_tokens(db, a.requests)
    first_pages = None
    print(f"offer_page: {a.requests} views x {a.rounds} rounds, clock {clock}, {os.cpu_count()} "
          f"cores, load {os.getloadavg()[0]:.1f}", file=sys.stderr)
    print("| build | round | wall median (ms) | wall p90 (ms) | wall mean (ms) | "
          "rebookd CPU per view (ms) | pages with why | pages equal the first build's |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    try:
        for r in range(a.rounds):
            for build in a.build:
                server = Server(build, db, work, clock)
                try:
                    views(server.http, tokens[:3])
                    cpu0 = cpu_seconds(server.proc.pid)
                    seconds, pages = views(server.http, tokens)
                    cpu = cpu_seconds(server.proc.pid) - cpu0
                finally:
                    server.stop()
                if first_pages is None:
                    first_pages = pages
                same = sum(x == y for x, y in zip(pages, first_pages))
                why = sum(b'id="why"' in x for x in pages)
                ms = sorted(s * 1000 for s in seconds)
                print(f"| {build} | {r + 1} | {statistics.median(ms):.1f} | "
                      f"{ms[int(0.9 * (len(ms) - 1))]:.1f} | {statistics.mean(ms):.1f} | "
                      f"{cpu * 1000 / len(tokens):.1f} | {why}/{len(pages)} | {same}/{len(pages)} |",
                      flush=True)
    finally:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
