#!/usr/bin/python3
"""What the change feed's triggers (schema step 9) cost a plan commit, on rebookd's real schema.

    build/release/bin/rebookd ... creates the schema; then:
    bench/change_feed/trigger_cost.py --build build/release [--rows 100000]

A rebookd of `--build` creates a database with every migration and stops. Two copies are made,
one with the change-feed triggers dropped. On each, in the same run: N appointments are
imported in one transaction (INSERT), then a plan commit is replayed in one transaction: N
offers inserted and N appointments set to OFFERED with their held slot (UPDATE), as
services/rebooking/commit.cc writes them. Prints the seconds of each step with and without the
triggers, and the events written. Not part of ctest.
"""
import argparse
import os
import shutil
import sqlite3
import subprocess
import tempfile
import time

COLUMNS = ("office_id, id, service_id, original_start, priority, cases, kind, contact_name, "
           "contact_phone, contact_email, contact_postal_address, contact_language, "
           "contact_channel, status, status_reason, create_time, update_time")


def make_schema(build, folder):
    db = os.path.join(folder, "schema.db")
    tokens = os.path.join(folder, "tokens")
    with open(tokens, "w") as f:
        f.write("")
    port_file = os.path.join(folder, "port")
    proc = subprocess.Popen([os.path.join(build, "bin", "rebookd"), "--listen=127.0.0.1:0",
                             "--db=" + db, "--tokens=" + tokens, "--port_file=" + port_file],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while not (os.path.exists(port_file) and open(port_file).read().strip()):
        if time.monotonic() > deadline or proc.poll() is not None:
            proc.kill()
            raise RuntimeError("rebookd did not start")
        time.sleep(0.05)
    proc.terminate()
    proc.wait(timeout=30)
    return db


def run(db_path, rows):
    db = sqlite3.connect(db_path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=FULL")
    db.execute("INSERT INTO offices (id, name, state, time_zone, address) "
               "VALUES ('o1', 'O', 'DE-ST', 'Europe/Berlin', '')")
    db.execute("INSERT INTO services (id, name, category, duration_min) VALUES ('s1', 'S', "
               "'other', 15)")
    started = time.monotonic()
    db.execute("BEGIN IMMEDIATE")
    db.executemany(
        f"INSERT INTO appointments ({COLUMNS}) VALUES "
        "('o1', ?, 's1', ?, 1, 1, 'appointment', 'N', '', '', '', 'de', '', 'cancelled', '', "
        "1000, 1000)",
        ((f"a{i}", 1_000_000 + 60 * i) for i in range(rows)))
    db.execute("COMMIT")
    imported = time.monotonic() - started
    started = time.monotonic()
    db.execute("BEGIN IMMEDIATE")
    db.executemany(
        "INSERT INTO offers (appointment_id, version, office_id, outage_id, plan_id, state, "
        "slot_office_id, slot_clerk_id, slot_start, slot_end, slot_cost, token, create_time, "
        "expire_time, response_channel, accepted_alternative, explanation) VALUES "
        "(?, 1, 'o1', 'out', 'p', 'open', 'o1', 'c1', ?, ?, 1.0, ?, 2000, 9000, '', -1, '')",
        ((f"a{i}", 2_000_000 + 60 * i, 2_000_900 + 60 * i, f"t{i}") for i in range(rows)))
    db.executemany(
        "UPDATE appointments SET status = 'offered', update_time = 2000, held_office_id = 'o1', "
        "held_clerk_id = 'c1', held_start = ?, held_end = ? WHERE office_id = 'o1' AND id = ?",
        ((2_000_000 + 60 * i, 2_000_900 + 60 * i, f"a{i}") for i in range(rows)))
    db.execute("COMMIT")
    committed = time.monotonic() - started
    events = db.execute("SELECT COUNT(*) FROM change_events").fetchone()[0]
    db.close()
    return imported, committed, events


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--build", default="build/release")
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="rebook-trigger-cost-")
    try:
        schema = make_schema(args.build, folder)
        with_path = os.path.join(folder, "with.db")
        without_path = os.path.join(folder, "without.db")
        shutil.copy(schema, with_path)
        shutil.copy(schema, without_path)
        db = sqlite3.connect(without_path, isolation_level=None)
        for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND "
                                  "name LIKE 'change_events_%'").fetchall():
            db.execute(f"DROP TRIGGER {name}")
        db.close()
        results = {"without triggers": run(without_path, args.rows),
                   "with triggers": run(with_path, args.rows)}
        print(f"{args.rows} appointments, one transaction per step (WAL, synchronous=FULL)")
        print(f"{'':18} {'import s':>9} {'commit s':>9} {'events':>8}")
        for label, (imported, committed, events) in results.items():
            print(f"{label:18} {imported:9.2f} {committed:9.2f} {events:8}")
        (i0, c0, _), (i1, c1, _) = results.values()
        print(f"trigger cost: import +{100 * (i1 / i0 - 1):.0f}%, commit +{100 * (c1 / c0 - 1):.0f}%")
    finally:
        shutil.rmtree(folder)


if __name__ == "__main__":
    main()
