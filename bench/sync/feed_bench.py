#!/usr/bin/python3
"""The change feed's throughput: committed changes through rebook-sync into a csv file sink.

    bench/sync/run.sh [--preset halle|city] [--build build/release] [--max-events 1000]

A generated scenario (bench/pipeline's stages: rebookctl import, outage declare, plan create,
plan commit) goes through a real rebookd on a real SQLite file while a rebook-sync follows the
feed into a csv sink. Figures, all events of the run (the `change_events` rows):
  - feed follow: from the start of the import to the follower's cursor at the feed's end
    (end to end, bounded by how fast rebookd commits), and the lag after the last commit;
  - feed drain (--once): a second rebook-sync replaying the whole feed from cursor 0 into a
    fresh csv folder (the worker's own rate, ListChanges pages of --max-events);
  - feed (raw): the same event rows inserted into a fresh file with plain SQLite
    (bench_pipeline_raw copy, built on bench/storage_raw), in the same run.
Not part of ctest.
"""
import argparse
import glob
import os
import shutil
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "pipeline"))
from pipeline import Pipeline, peak_rss_mib, peak_rss_unknown  # noqa: E402


class FeedBench(Pipeline):
    def sync_cmd(self, name, *extra):
        state = os.path.join(self.work, name)
        os.makedirs(state)
        conf = os.path.join(state, "sync.conf")
        with open(conf, "w") as f:
            f.write(f"[sink.csv]\ndir = {state}/csv\n")
        return state, [f"{self.bin}/rebook-sync", f"--server={self.env['REBOOK_SERVER']}",
                       f"--token-file={self.token_file}", f"--sink-config={conf}",
                       f"--state-dir={state}", f"--max-events={self.args.max_events}", *extra]

    @staticmethod
    def cursor(state):
        try:
            with open(os.path.join(state, "cursor")) as f:
                return int(f.read().strip() or 0)
        except (FileNotFoundError, ValueError):
            return 0

    @staticmethod
    def csv_rows(state):
        rows = 0
        for path in glob.glob(os.path.join(state, "csv", "*.csv")):
            with open(path, "rb") as f:
                rows += sum(1 for _ in f) - 1  # minus the header
        return rows

    def main(self):
        a = self.args
        print(f"feed bench: preset {a.preset}, work dir {self.work}", file=sys.stderr)
        bundle = self.bundle()
        self.start_server()
        follower = None
        try:
            follow_state, cmd = self.sync_cmd("follow", "--max-wait-ms=200")
            follower = subprocess.Popen(cmd, env=self.env,
                                        stderr=open(os.path.join(self.work, "follow.log"), "w"))
            t0 = time.monotonic()
            self.import_to_commit(bundle, "feed", raw=False)
            committed = time.monotonic()
            events = self.count("SELECT count(*) FROM change_events")
            last = self.count("SELECT max(cursor) FROM change_events")
            deadline = time.monotonic() + 600
            while self.cursor(follow_state) < last:
                if follower.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit(f"feed bench: the follower stopped; see {self.work}")
                time.sleep(0.02)
            synced = time.monotonic()
            follower.send_signal(signal.SIGTERM)
            follower.wait(timeout=60)
            self.rows.append(("feed follow (import to file sink)", synced - t0, events, None,
                              f"end to end; {synced - committed:.2f} s after the last commit"))

            drain_state, cmd = self.sync_cmd("drain", "--once")
            self.stage("feed drain (--once)", lambda: self.run(cmd),
                       lambda: self.csv_rows(drain_state),
                       f"ListChanges pages of {a.max_events} to a csv sink")
            self.raw("feed (raw)", ["copy", self.db, os.path.join(self.work, "raw-feed.db"),
                                    "change_events"])
            peak = peak_rss_mib(self.server.pid)
        finally:
            if follower is not None and follower.poll() is None:
                follower.kill()
            self.server.terminate()
            self.server.wait()
            self.print_table(peak if "peak" in locals() else peak_rss_unknown())
            by = {r[0]: r for r in self.rows}
            raw = by.get("feed (raw)")
            for name in ("feed follow (import to file sink)", "feed drain (--once)"):
                row = by.get(name)
                if row and raw and row[1] and raw[1]:
                    print(f"{name}: {row[2] / row[1]:,.0f} events/s against the raw insert "
                          f"of the same events at {raw[2] / raw[1]:,.0f} rows/s "
                          f"({raw[1] / row[1]:.3f}x)")
            if not a.keep:
                shutil.rmtree(self.work)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--preset", default="halle", choices=("tiny", "small", "halle", "city"))
    p.add_argument("--build", default="build/release")
    p.add_argument("--max-events", type=int, default=1000, help="rebook-sync --max-events")
    p.add_argument("--time-limit", type=int, default=10, help="solver seconds for plan create")
    p.add_argument("--keep", action="store_true", help="keep the work folder")
    args = p.parse_args()
    args.timeout = 0  # rebookctl's own sizing (Pipeline.ctl)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("feed bench: stopped"))
    FeedBench(args).main()


if __name__ == "__main__":
    main()
