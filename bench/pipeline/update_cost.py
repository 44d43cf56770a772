#!/usr/bin/python3
"""What a plan commit's appointment UPDATEs cost, by write order and by change-feed trigger part.

    bench/pipeline/update_cost.py --db /tmp/region.db [--rounds 2]

`--db` is a database saved before a commit (`bench/pipeline/run.sh --save-before-commit`, any
preset). On a fresh copy for each variant, in one transaction as commit.cc writes them: one
offer per appointment of the outage (inserted in the plan's order, by appointment id, as the
commit does, or in the feed's order), then every such appointment set to OFFERED with a held
slot (the 13 lifecycle columns of kUpdateAppointmentLifecycleSql, by primary key), in the
order named. Prints the CPU seconds of the UPDATEs alone. Trigger variants replace
change_events_on_update (schema step 9) on the copy: `as-is`; `no-offer` (the two lookups of the
newest offer replaced by constants); `empty` (same WHEN, a body that writes nothing); `none`
(dropped). Uses Python's SQLite, not rebookd's: compare variants with each other, not with the
pipeline's figures. Not part of ctest.
"""
import argparse
import os
import random
import shutil
import sqlite3
import tempfile
import time

UPDATE = ("UPDATE appointments SET status = 'offered', status_reason = 'offered x', "
          "update_time = ?, held_office_id = ?, held_clerk_id = 'clerk-x', held_start = ?, "
          "held_end = ?, rebooked_office_id = NULL, rebooked_clerk_id = NULL, "
          "rebooked_start = NULL, rebooked_end = NULL, confirmed_via = NULL, "
          "confirm_time = NULL WHERE office_id = ? AND id = ?")
OFFER = ("INSERT INTO offers VALUES (?2, 1, ?1, ?3, 'p', 'open', ?1, 'c', 1, 2, 0, NULL, "
         "?1 || '/' || ?2, 1, 2, NULL, NULL, '', 0, '')")


def replace_trigger(db, variant):
    if variant == "as-is":
        return
    if variant == "none":
        db.execute("DROP TRIGGER change_events_on_update")
        return
    sql = db.execute("SELECT sql FROM sqlite_master WHERE name = 'change_events_on_update'"
                     ).fetchone()[0]
    if variant == "no-offer":
        begin = sql.index("    CASE WHEN k.kind LIKE 'slot_%' THEN IFNULL((SELECT")
        end = sql.index("  FROM (SELECT CASE")
        sql = sql[:begin] + "    0, NULL\n" + sql[end:]
    elif variant == "empty":
        sql = sql[:sql.index("BEGIN")] + "BEGIN SELECT 1; END"
    db.execute("DROP TRIGGER change_events_on_update")
    db.execute(sql)


def run(source, folder, offers_order, update_order, trigger):
    path = os.path.join(folder, "copy.db")
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)
    shutil.copyfile(source, path)
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA cache_size=-262144")  # rebookd's writer (connection.h)
    db.execute("PRAGMA temp_store=MEMORY")
    db.execute("PRAGMA foreign_keys=OFF")  # the offers' plan is not stored
    replace_trigger(db, trigger)
    rows = db.execute("SELECT office_id, id, original_start, outage_id FROM appointments "
                      "WHERE outage_id IS NOT NULL").fetchall()
    orders = {
        "plan": lambda: sorted(rows, key=lambda r: (r[1], r[0])),
        "feed": lambda: sorted(rows, key=lambda r: (r[2], r[1], r[0])),
        "random": lambda: random.Random(1).sample(rows, len(rows)),
    }
    db.execute("BEGIN")
    db.executemany(OFFER, [(r[0], r[1], r[3]) for r in orders[offers_order]()])
    updates = [(1770000000, r[0], 1770000000 + k, 1770000900 + k, r[0], r[1])
               for k, r in enumerate(orders[update_order]())]
    start = time.process_time()
    db.executemany(UPDATE, updates)
    seconds = time.process_time() - start
    db.execute("COMMIT")
    db.close()
    return len(updates), seconds


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--db", required=True)
    p.add_argument("--rounds", type=int, default=1)
    a = p.parse_args()
    variants = [("plan", "plan", "as-is"), ("plan", "feed", "as-is"), ("feed", "feed", "as-is"),
                ("plan", "random", "as-is"), ("plan", "plan", "no-offer"),
                ("plan", "plan", "empty"), ("plan", "plan", "none")]
    with tempfile.TemporaryDirectory(prefix="update-cost-") as folder:
        print("| offers in | updates in | trigger | rows | UPDATE CPU s |")
        print("| --- | --- | --- | ---: | ---: |")
        for _ in range(a.rounds):
            for offers_order, update_order, trigger in variants:
                n, seconds = run(a.db, folder, offers_order, update_order, trigger)
                print(f"| {offers_order} | {update_order} | {trigger} | {n:,} | {seconds:.2f} |",
                      flush=True)


if __name__ == "__main__":
    main()
