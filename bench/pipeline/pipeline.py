#!/usr/bin/python3
"""The whole rebooking pipeline through a real rebookd on a real SQLite file, stage by stage.

    bench/pipeline/run.sh --preset city [--workers 4] [--build build/release]

A generated scenario (rebook-gen, cached in $REBOOK_BENCH_DIR, default /tmp/rebook-bench) goes
through the binaries a user runs: rebookctl import, outage declare, plan create, plan commit,
N rebook-notifier --once processes through the file channel, rebook-simulate respond (the
acceptances). Each stage prints its wall time, the rows it handled, rows/s, and the CPU seconds
rebookd spent in it (utime+stime from /proc/<pid>/stat); the end prints rebookd's peak RSS
(VmHWM). The write stages are compared with a raw SQLite insert of the same rows in the same run
(bench_pipeline_raw, built on bench/storage_raw). The `state` preset (1,000,000 appointments)
needs --allow-state. Not part of ctest.

--db-url postgresql://... runs rebookd on that (empty) PostgreSQL database instead; the raw
SQLite baselines are then left out (bench/postgres/run.sh has PostgreSQL's own COPY baseline)
and rows are counted with psql.
"""
import argparse
import csv
import os
import resource
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time

# Outage windows (local Europe/Berlin) of the presets, as docs/scenarios.md describes them.
OUTAGES = {
    "tiny": ("2026-03-03T08:00", "2026-03-03T12:30"),
    "small": ("2026-03-09T09:00", "2026-03-10T12:00"),
    "halle": ("2026-01-27T11:50", "2026-01-27T16:30"),
    "city": ("2026-01-13T09:30", "2026-01-15T14:00"),
    "region": ("2026-10-19T00:00", "2026-10-31T00:00"),
    "state": ("2026-02-02T00:00", "2026-02-28T00:00"),
}
# The server's simulated clock: the evening of the outage's last day (UTC).
CLOCKS = {
    "tiny": "2026-03-03T16:00:00Z",
    "small": "2026-03-10T16:00:00Z",
    "halle": "2026-01-27T16:00:00Z",
    "city": "2026-01-15T16:00:00Z",
    "region": "2026-10-30T17:00:00Z",
    "state": "2026-02-27T17:00:00Z",
}
TICKS = os.sysconf("SC_CLK_TCK")
# The capacity records an import writes besides appointments (offices and services are few).
CAPACITY_TABLES = ("clerks", "clerk_skills", "shifts", "closures", "standing_bookings")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime


def peak_rss_unknown():
    return float("nan")


def peak_rss_mib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0


class Pipeline:
    def __init__(self, args):
        self.args = args
        self.bin = os.path.abspath(os.path.join(args.build, "bin"))
        self.work = tempfile.mkdtemp(prefix="rebook-pipeline-")
        self.db = args.db_url or os.path.join(self.work, "rebook.db")
        self.rows = []  # (stage, seconds, rows, cpu seconds or None, note)
        self.server = None
        self.env = dict(os.environ)

    # ---- helpers ---------------------------------------------------------------------------
    def run(self, argv, **kw):
        out = subprocess.run(argv, env=self.env, text=True, capture_output=True, **kw)
        if out.returncode != 0:
            sys.stderr.write(out.stdout + out.stderr)
            raise SystemExit(f"pipeline: {os.path.basename(argv[0])} failed ({out.returncode})")
        return out.stdout

    def ctl(self, *argv):
        timeout = ["--timeout", str(self.args.timeout)] if self.args.timeout else []
        return self.run([f"{self.bin}/rebookctl", "--token-file", self.token_file, *timeout,
                         *argv])

    def stage(self, name, fn, rows_fn=None, note=""):
        cpu0 = cpu_seconds(self.server.pid)
        t0 = time.monotonic()
        result = fn()
        seconds = time.monotonic() - t0
        cpu = cpu_seconds(self.server.pid) - cpu0
        rows = rows_fn() if rows_fn else result
        if getattr(self, "worker_cpu", None) is not None:
            note = f"workers' CPU {self.worker_cpu:.2f} s" + (f"; {note}" if note else "")
            self.worker_cpu = None
        self.rows.append((name, seconds, rows, cpu, note))
        print(f"  {name}: {seconds:.2f} s, {rows} rows", file=sys.stderr, flush=True)
        return result

    def count(self, sql, *params):
        if self.args.db_url:
            for p in params:  # the benchmark's own ids: quote them as SQL literals
                sql = sql.replace("?", "'" + str(p).replace("'", "''") + "'", 1)
            return int(self.run(["psql", "-XAtq", "-d", self.db, "-c", sql]).strip())
        db = sqlite3.connect(f"file:{self.db}?mode=ro", uri=True, timeout=30)
        try:
            return db.execute(sql, params).fetchone()[0]
        finally:
            db.close()

    def raw(self, name, argv):
        out = self.run([f"{self.bin}/bench_pipeline_raw", *argv])
        fields = dict(kv.split("=") for kv in out.split())
        self.rows.append((name, float(fields["seconds"]), int(fields["rows"]), None,
                          "raw SQLite, same rows"))

    # ---- the run ---------------------------------------------------------------------------
    def bundle(self):
        cache = os.environ.get("REBOOK_BENCH_DIR", "/tmp/rebook-bench")
        path = os.path.join(cache, self.args.preset)
        if not os.path.exists(os.path.join(path, "appointments.csv")):
            os.makedirs(cache, exist_ok=True)
            self.run([f"{self.bin}/rebook-gen", "--preset", self.args.preset, "--out", path])
        return path

    def start_server(self):
        token = "pipeline-" + os.urandom(12).hex()
        self.token_file = os.path.join(self.work, "admin.token")
        with open(self.token_file, "w") as f:
            f.write(token + "\n")
        digest = self.run([f"{self.bin}/rebookctl", "hash-token", token]).strip()
        with open(os.path.join(self.work, "tokens"), "w") as f:
            f.write(f"bench admin * {digest}\n")
        http = free_port()
        port_file = os.path.join(self.work, "port")
        if os.path.exists(port_file):  # a server started before on this folder
            os.remove(port_file)
        self.server_log = open(os.path.join(self.work, "rebookd.log"), "w")
        self.server = subprocess.Popen(
            [f"{self.bin}/rebookd", f"--db={self.db}", f"--tokens={self.work}/tokens",
             "--listen=127.0.0.1:0", f"--port_file={port_file}",
             f"--http_listen=127.0.0.1:{http}", f"--public_base_url=http://127.0.0.1:{http}",
             f"--simulated_time={CLOCKS[self.args.preset]}", "--public_rate_per_s=0",
             "--public_failures_per_min=0", "--public_prefix_failures_per_min=0"],
            stderr=self.server_log)
        for _ in range(300):
            if os.path.exists(port_file) and os.path.getsize(port_file) > 0:
                break
            if self.server.poll() is not None:
                raise SystemExit(f"pipeline: rebookd exited; see {self.work}/rebookd.log")
            time.sleep(0.1)
        with open(port_file) as f:
            self.env["REBOOK_SERVER"] = "127.0.0.1:" + f.read().strip()

    def notify(self, bundle):
        workers = self.args.workers
        # The workers' CPU: what the children waited for during this stage used.
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        procs = []
        for w in range(workers):
            conf = os.path.join(self.work, f"channels-{w}.conf")
            with open(conf, "w") as f:
                for c in ("email", "sms", "webhook", "letter", "phone", "file"):
                    f.write(f"[channel.{c}]\ntype = file\npath = {self.work}/messages-{w}.jsonl"
                            "\n\n")
            procs.append(subprocess.Popen(
                [f"{self.bin}/rebook-notifier", f"--server={self.env['REBOOK_SERVER']}",
                 f"--token-file={self.token_file}", "--once", f"--worker-name=bench-{w}",
                 f"--parallel={self.args.parallel}", f"--batch={self.args.batch}",
                 "--channels=email,sms,webhook,letter,phone,file", f"--channel-config={conf}"],
                env=self.env, stderr=open(os.path.join(self.work, f"notifier-{w}.log"), "w")))
        for p in procs:
            if p.wait() != 0:
                raise SystemExit(f"pipeline: rebook-notifier failed; see {self.work}")
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        self.worker_cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
        with open(os.path.join(self.work, "messages.jsonl"), "w") as out:
            for w in range(workers):
                path = os.path.join(self.work, f"messages-{w}.jsonl")
                if os.path.exists(path):
                    with open(path) as f:
                        shutil.copyfileobj(f, out)

    def answer_batch(self):
        """The first --answers messages the notifiers wrote: the citizens who answer."""
        path = os.path.join(self.work, "messages-batch.jsonl")
        with open(os.path.join(self.work, "messages.jsonl")) as f, open(path, "w") as out:
            for i, line in enumerate(f):
                if i >= self.args.answers:
                    break
                out.write(line)
        return path

    def import_to_commit(self, bundle, name, raw=True):
        """The stages that write a plan, each timed: import, outage declare (outage
        `<preset>-<name>`, every office), plan create, plan commit. With `raw`, the raw SQLite
        baselines of the import and the commit follow their stages."""
        a = self.args
        with open(os.path.join(bundle, "params.csv")) as f:
            params = next(csv.DictReader(f))
        with open(os.path.join(bundle, "offices.csv")) as f:
            offices = [r["office_id"] for r in csv.DictReader(f)]
        outage = f"{a.preset}-{name}"
        start, end = OUTAGES[a.preset]
        # Rows: the appointments and the capacity records the import wrote (the raw baseline
        # writes the same rows).
        perf = self.perf_start(a.perf_import)
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        self.stage("import", lambda: self.ctl("import", bundle, "--request-id", f"{name}-import"),
                   lambda: sum(self.count(f"SELECT count(*) FROM {t}")
                               for t in ("appointments",) + CAPACITY_TABLES))
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        self.perf_stop(perf)
        self.rows[-1] = self.rows[-1][:4] + (
            "rebookctl CPU {:.2f} s".format(after.ru_utime + after.ru_stime - before.ru_utime -
                                            before.ru_stime),)
        if raw:
            self.raw("import (raw)", ["import", bundle, os.path.join(self.work, "raw-import.db")])
            self.raw("import capacity (raw)", ["copy", self.db,
                                               os.path.join(self.work, "raw-capacity.db"),
                                               *CAPACITY_TABLES])
            self.rows[-1] = self.rows[-1][:4] + (
                "raw SQLite: the import's clerks, shifts, closures, standing bookings",)
        if a.stop_after_import:
            return
        declare = ["outage", "declare", "--start", start, "--end", end, "--id", outage,
                   "--cause", f"{name} benchmark", "--request-id", f"{name}-declare"]
        for o in offices:
            declare += ["--office", o]
        self.stage("outage declare", lambda: self.ctl(*declare),
                   lambda: self.count("SELECT count(*) FROM appointments WHERE outage_id = ?",
                                      outage))
        self.stage("plan create", lambda: self.ctl(
            "plan", "create", outage, "--id", "p1", "--horizon-start",
            params["horizon_start"], "--horizon-end", params["horizon_end"], "--reserve",
            params["reserve_share"], "--time-limit", str(a.time_limit), "--request-id",
            f"{name}-plan"), lambda: self.count("SELECT count(*) FROM plan_assignments"))
        if a.save_before_commit:
            self.snapshot(a.save_before_commit)
        self.commit_stage(outage, name, raw)

    def snapshot(self, path):
        """A consistent copy of the SQLite file while rebookd runs (the backup API)."""
        src = sqlite3.connect(f"file:{self.db}?mode=ro", uri=True, timeout=30)
        dst = sqlite3.connect(path)
        try:
            src.backup(dst)
        finally:
            dst.close()
            src.close()

    def perf_start(self, path):
        """perf record of rebookd into `path` (none if empty) until perf_stop."""
        if not path:
            return None
        perf = subprocess.Popen(["perf", "record", "-q", "--call-graph", "dwarf", "-F", "499",
                                 "-o", path, "-p", str(self.server.pid)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(1)  # perf attaches
        return perf

    def profiled(self, path, work):
        """work() under perf_start(path) .. perf_stop."""
        perf = self.perf_start(path)
        try:
            work()
        finally:
            self.perf_stop(perf)

    def perf_stop(self, perf):
        if perf:
            perf.send_signal(signal.SIGINT)
            perf.wait()

    def commit_stage(self, outage, name, raw):
        """plan commit of plan p1 and, with `raw`, the raw SQLite baseline of its rows."""
        a = self.args
        commit = ["plan", "commit", f"{outage}/p1", "--request-id", f"{name}-commit"]
        if getattr(a, "commit_timeout", 0):
            commit = ["--timeout", str(a.commit_timeout)] + commit
        perf = self.perf_start(a.perf)  # rebookd's samples during the commit alone
        self.stage("plan commit", lambda: self.ctl(*commit),
                   lambda: self.count("SELECT count(*) FROM offers"))
        self.perf_stop(perf)
        if raw:
            self.raw("commit (raw)", ["copy", self.db, os.path.join(self.work, "raw-commit.db"),
                                      "offers", "outbox_messages", "outbox_message_events"])
            self.rows[-1] = self.rows[-1][:4] + (
                "raw SQLite: the commit's offers, messages and their events",)

    def main(self):
        a = self.args
        print(f"pipeline: preset {a.preset}, {a.workers} notifier workers x {a.parallel} "
              f"senders, work dir {self.work}",
              file=sys.stderr)
        if a.drain_db:
            return self.drain_only()
        if a.commit_db:
            return self.commit_only()
        bundle = self.bundle()
        self.start_server()
        try:
            self.import_to_commit(bundle, "pipeline", raw=not a.db_url)
            if a.stop_after_commit or a.stop_after_import:
                peak = peak_rss_mib(self.server.pid)
                return
            self.stage(f"notify ({a.workers} workers x {a.parallel})", lambda: self.notify(bundle),
                       lambda: self.count("SELECT count(*) FROM outbox_messages "
                                          "WHERE state IN ('sent', 'delivered')"))
            batch = self.answer_batch()
            self.stage(f"answers (first {a.answers:,} messages)", lambda: self.run(
                [f"{self.bin}/rebook-simulate", "--token-file", self.token_file, "respond",
                 "--messages", batch, "--seed", "7", "--self-rebooked", "0"]),
                lambda: self.count("SELECT count(*) FROM offers WHERE state != 'open'"),
                "RespondToOffer: 60% accept, 25% decline")
            self.exports(f"{a.preset}-pipeline")  # the outage import_to_commit declared
            self.rows.append(("change feed", None, None, None, "bench/sync/run.sh"))
            peak = peak_rss_mib(self.server.pid)
        finally:
            self.server.terminate()
            self.server.wait()
            self.print_table(peak if "peak" in locals() else peak_rss_unknown())
            if not a.keep:
                shutil.rmtree(self.work)

    def drain_only(self):
        """The notify stage alone, on a copy of --drain-db (a database a --stop-after-commit
        --keep run left): the outbox drains again and again from the same start."""
        self.on_copy_of(self.args.drain_db, lambda: self.stage(
            f"notify ({self.args.workers} workers x {self.args.parallel})",
            lambda: self.profiled(self.args.perf, lambda: self.notify(None)),
            lambda: self.count("SELECT count(*) FROM outbox_messages "
                               "WHERE state IN ('sent', 'delivered')")))

    def commit_only(self):
        """The commit stage alone, on a copy of --commit-db (a database --save-before-commit
        wrote): the same plan is committed again and again from the same start."""
        self.on_copy_of(self.args.commit_db, lambda: self.commit_stage(
            f"{self.args.preset}-pipeline", "pipeline", raw=True))

    def on_copy_of(self, source, stage):
        """Runs `stage` against a rebookd on a copy of the database `source`, then the table."""
        shutil.copyfile(source, self.db)
        self.start_server()
        try:
            stage()
            peak = peak_rss_mib(self.server.pid)
        finally:
            self.server.terminate()
            self.server.wait()
            self.print_table(peak if "peak" in locals() else peak_rss_unknown())
            if not self.args.keep:
                shutil.rmtree(self.work)

    def exports(self, outage):
        """rebookctl export in every format of docs/exports.md; rows = rows or events written."""
        out = os.path.join(self.work, "exports")
        os.makedirs(out, exist_ok=True)
        confirmed = lambda: self.count(  # noqa: E731
            "SELECT count(*) FROM appointments WHERE outage_id = ? AND status = 'confirmed'",
            outage)
        for fmt, path, extra in (("csv", "schedule.csv", []), ("blocks", "blocks.csv", []),
                                 ("ics", "offices", []), ("ics", "clerks", ["--per", "clerk"]),
                                 ("pdf", "tageslisten.pdf", [])):
            name = f"export {fmt}" + (" per clerk" if extra else "")
            self.stage(name, lambda: self.ctl("export", outage, "--format", fmt, "--out",
                                              os.path.join(out, path), *extra),
                       confirmed, "confirmed appointments in the outage")

    def print_table(self, peak):
        print(f"\npreset {self.args.preset}: rebookd peak RSS {peak:.0f} MiB "
              f"(VmHWM); {os.cpu_count()} cores")
        print("| stage | time (s) | rows | rows/s | rebookd CPU (s) | note |")
        print("| --- | ---: | ---: | ---: | ---: | --- |")
        for name, seconds, rows, cpu, note in self.rows:
            if seconds is None:
                print(f"| {name} | – | – | – | – | {note} |")
                continue
            rate = f"{rows / seconds:,.0f}" if seconds > 0 and rows else "–"
            cpu_text = f"{cpu:.2f}" if cpu is not None else "–"
            print(f"| {name} | {seconds:.2f} | {rows:,} | {rate} | {cpu_text} | {note} |")
        by = {r[0]: r for r in self.rows}
        for stage, raws in (("import", ("import (raw)", "import capacity (raw)")),
                            ("plan commit", ("commit (raw)",))):
            s = by.get(stage)
            raw_seconds = sum(by[r][1] for r in raws if r in by)
            if s and s[1] and raw_seconds:
                # The raw inserts wrote the same rows the stage wrote: compare times.
                print(f"{stage}: {raw_seconds / s[1]:.2f}x the raw insert rate of the same rows "
                      f"({s[1]:.2f} s against {raw_seconds:.2f} s raw)")


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--preset", default="halle", choices=sorted(OUTAGES))
    p.add_argument("--build", default="build/release")
    p.add_argument("--workers", type=int, default=4, help="rebook-notifier processes")
    p.add_argument("--parallel", type=int, default=8,
                   help="senders per notifier (rebook-notifier --parallel; its default is 8)")
    p.add_argument("--batch", type=int, default=200,
                   help="messages per lease (rebook-notifier --batch; its default is 200)")
    p.add_argument("--time-limit", type=int, default=20, help="solver seconds for plan create")
    p.add_argument("--timeout", type=int, default=0,
                   help="rebookctl --timeout for every call (default: the CLI's own sizing)")
    p.add_argument("--commit-timeout", type=int, default=0,
                   help="rebookctl --timeout for plan commit (default: the CLI's own)")
    p.add_argument("--answers", type=int, default=5000,
                   help="messages whose citizens answer (rebook-simulate respond)")
    p.add_argument("--stop-after-commit", action="store_true",
                   help="stop after plan commit and its raw baseline")
    p.add_argument("--stop-after-import", action="store_true",
                   help="stop after the import and its raw baseline")
    p.add_argument("--perf-import", default="",
                   help="perf record (--call-graph dwarf) rebookd during the import into this file")
    p.add_argument("--drain-db", default="",
                   help="only the notify stage, on a copy of this SQLite file (the rebook.db a "
                   "--stop-after-commit --keep run left)")
    p.add_argument("--save-before-commit", default="",
                   help="copy the SQLite file to this path after plan create (for --commit-db)")
    p.add_argument("--commit-db", default="",
                   help="only plan commit (and its raw baseline), on a copy of this SQLite file "
                   "(written by --save-before-commit with the same --preset)")
    p.add_argument("--perf", default="",
                   help="perf record (--call-graph dwarf) rebookd during plan commit (with "
                        "--drain-db: during the drain) into this file")
    p.add_argument("--allow-state", action="store_true", help="allow the 1M-appointment preset")
    p.add_argument("--keep", action="store_true", help="keep the work folder")
    p.add_argument("--db-url", default="",
                   help="postgresql://... : run rebookd on this empty PostgreSQL database")
    args = p.parse_args()
    if args.preset == "state" and not args.allow_state:
        p.error("the state preset (1,000,000 appointments) needs --allow-state")
    if not 1 <= args.workers <= 64:
        p.error("--workers must be 1..64")
    if not 1 <= args.parallel <= 64:
        p.error("--parallel must be 1..64")
    # A stopped run (SIGTERM, Ctrl-C) still stops rebookd and prints the stages it finished.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("pipeline: stopped"))
    Pipeline(args).main()


if __name__ == "__main__":
    main()
