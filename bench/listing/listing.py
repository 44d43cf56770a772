#!/usr/bin/python3
"""Paged listings through rebookd, builds side by side on copies of one committed SQLite file.

    bench/listing/listing.py --db /tmp/rebook-pipeline-XXXX/rebook.db --preset region \\
        --build /work/base-bin --build build/release --rounds 2

The database is a committed one (bench/pipeline/run.sh --preset region --stop-after-commit
--keep leaves it in its work folder). Each build gets its own copy (a newer build migrates its
copy, which an older one then refuses). Per round and build, rebookd is started on that copy and
`rebookctl --json offers list` and `appointments list` page (1,000 per page) through:
  - the open offers of every office (what rebook-simulate respond and a staff tool read),
  - the outage's offers in every state (what rebookctl report gathers),
  - the outage's open offers (a staff tool's view of one outage),
  - the outage's appointments (what the exports and the report read).
Each line gives the wall seconds, rebookd's CPU seconds (utime+stime from /proc), the rows
listed and whether the listing equals the first build's (same names in the same order). Not
part of ctest.
"""
import argparse
import hashlib
import json
import os
import shutil
import sqlite3
import sys
import time

# The pipeline bench's server start and helpers (the admin token, the simulated clock).
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "pipeline"))
from pipeline import Pipeline, cpu_seconds  # noqa: E402


def outage_of(db):
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    rows = con.execute("SELECT outage_id, count(*) FROM offers GROUP BY outage_id "
                       "ORDER BY count(*) DESC").fetchall()
    con.close()
    if not rows:
        raise SystemExit(f"listing: no offers in {db}")
    return rows[0][0]


def listing(pipe, argv):
    """(wall s, rebookd CPU s, rows, digest of their names in order)."""
    cpu0 = cpu_seconds(pipe.server.pid)
    t0 = time.monotonic()
    out = pipe.ctl("--json", *argv)
    wall = time.monotonic() - t0
    cpu = cpu_seconds(pipe.server.pid) - cpu0
    names = [o["name"] for o in json.loads(out).get(argv[0], [])]
    return wall, cpu, len(names), hashlib.sha256("\n".join(names).encode()).hexdigest()


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--db", required=True, help="a committed SQLite database (copied per build)")
    p.add_argument("--preset", default="region", help="the preset it was made of (its clock)")
    p.add_argument("--build", action="append", required=True,
                   help="build folder with bin/rebookd and bin/rebookctl (repeat to compare)")
    p.add_argument("--rounds", type=int, default=2)
    a = p.parse_args()
    outage = outage_of(a.db)
    cases = [("open offers, every office", ["offers", "list", "--state", "open"]),
             ("the outage's offers, every state", ["offers", "list", "--outage", outage]),
             ("the outage's open offers", ["offers", "list", "--outage", outage, "--state", "open"]),
             ("the outage's appointments", ["appointments", "list", "--outage", outage])]
    pipes = []
    for build in a.build:
        pipe = Pipeline(argparse.Namespace(build=build, db_url="", preset=a.preset, timeout=0))
        shutil.copyfile(a.db, pipe.db)
        pipes.append(pipe)
    first = {}
    print(f"listing: {a.db}, outage {outage}, {os.cpu_count()} cores, "
          f"load {os.getloadavg()[0]:.1f}", file=sys.stderr)
    print("| listing | build | round | wall s | rebookd CPU s | rows | equal to the first build |")
    print("| --- | --- | ---: | ---: | ---: | ---: | --- |")
    try:
        for r in range(a.rounds):
            for build, pipe in zip(a.build, pipes):
                pipe.start_server()
                try:
                    for name, argv in cases:
                        wall, cpu, n, digest = listing(pipe, argv)
                        same = first.setdefault(name, digest) == digest
                        print(f"| {name} | {build} | {r + 1} | {wall:.2f} | {cpu:.2f} | {n} | "
                              f"{'yes' if same else 'NO'} |", flush=True)
                finally:
                    pipe.server.terminate()
                    pipe.server.wait()
    finally:
        for pipe in pipes:
            shutil.rmtree(pipe.work)


if __name__ == "__main__":
    main()
