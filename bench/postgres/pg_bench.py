#!/usr/bin/python3
"""rebook on PostgreSQL measured against its baselines, side by side in one run (issue 16).

    bench/postgres/run.sh ingest --presets city,region  # gRPC import vs PostgreSQL's COPY
    bench/postgres/run.sh drain --preset city           # 4 notifiers, 1 and 2 rebookd: PG vs SQLite
    bench/postgres/run.sh region                        # region end to end on PostgreSQL
    bench/postgres/run.sh all                           # the three above, one after the other

The PostgreSQL server is the one REBOOK_TEST_POSTGRES_URL (or --pg-url) names, with a user that
may create databases, e.g. a throwaway cluster (fsync off, as tools/pg_cluster.sh starts it):

    eval "$(bash tools/pg_cluster.sh start /tmp/pg-bench)"; bench/postgres/run.sh all

Every run creates its own databases (rebook_bench_*) and drops them at the end.

- ingest: a rebookd on an empty database, `rebookctl import` of a rebook-gen bundle (the gRPC
  stream; wall time of the CLI). Then the rows it wrote (every table but the stored requests and
  the change feed, which the schema's triggers fill again) are dumped with pg_dump as COPY
  statements and loaded into a second database with the same schema by `psql -1` (one
  transaction, triggers on): PostgreSQL's own COPY of the same rows. Ratio = COPY seconds /
  import seconds (the import's share of COPY's rate; the target is >= 0.5).
- drain: a bundle is imported, planned and committed once per backend; each configuration then
  starts from a copy of that database (CREATE DATABASE ... TEMPLATE; a SQLite backup) and
  4 `rebook-notifier --once` (file channel) drain its outbox through 1 or 2 rebookd (workers
  0 and 1 on the first, 2 and 3 on the second). SQLite runs one rebookd (one writer process).
  `--build A,B` compares builds in one run: the databases are filled once, by A (the oldest: a
  newer rebookd migrates A's database when it opens its copy, an older one refuses a newer
  schema), and each configuration drains with A, then with B.
- region: bench/pipeline/pipeline.py --preset region --db-url <fresh database>
  --stop-after-commit: import, outage declare, plan create, plan commit (which fills the outbox);
  then the outbox is counted. A line per stage gives PostgreSQL's CPU seconds during it.

Each line gives wall seconds, the CPU seconds of the rebookd processes and of the PostgreSQL
server (the postmaster and all its backends; ingest adds rebookctl's in the note), and the load
average at the start, so a run on a shared machine can be read. Builds nothing: build rebookd rebookctl rebook-gen rebook-notifier
first. Not part of ctest.
"""
import argparse
import os
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.parse
from types import SimpleNamespace

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "pipeline"))
import pipeline  # noqa: E402  (the rebookd launcher and the stages of bench/pipeline)

# Tables the import does not write itself, or that the triggers fill again on COPY (change_feed_state,
# the feed's epoch, is copied: the triggers need it).
NOT_COPIED = ("schema_migrations", "requests", "change_events",
              "audit_entries")


class Postgres:
    """The server of --pg-url: databases, queries, and its CPU seconds."""

    def __init__(self, url):
        self.url = url
        self.created = []
        data_dir = self.query("SHOW data_directory")
        try:
            with open(os.path.join(data_dir, "postmaster.pid")) as f:
                self.postmaster = int(f.readline())
        except OSError:
            self.postmaster = None  # a server on another host: its CPU is not measured

    def url_of(self, database):
        u = urllib.parse.urlsplit(self.url)
        return urllib.parse.urlunsplit(u._replace(path="/" + database))

    def query(self, sql, url=None):
        out = subprocess.run(["psql", "-XAtq", "-v", "ON_ERROR_STOP=1", "-d", url or self.url,
                              "-c", sql], text=True, capture_output=True)
        if out.returncode != 0:
            raise SystemExit(f"pg_bench: psql failed: {out.stderr}")
        return out.stdout.strip()

    def create(self, name, template=None):
        self.query(f"DROP DATABASE IF EXISTS {name}")
        sql = f"CREATE DATABASE {name}" + (f" TEMPLATE {template}" if template else "")
        for _ in range(40):  # a template's last sessions may take a moment to end
            out = subprocess.run(["psql", "-XAtq", "-d", self.url, "-c", sql], text=True,
                                 capture_output=True)
            if out.returncode == 0:
                break
            time.sleep(0.25)
        else:
            raise SystemExit(f"pg_bench: {sql} failed: {out.stderr}")
        self.created.append(name)
        return self.url_of(name)

    def drop_all(self):
        for name in reversed(self.created):
            self.query(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    def cpu(self):
        """utime+stime of the postmaster, its reaped children and its live children."""
        if self.postmaster is None:
            return float("nan")
        total = 0.0
        for pid in os.listdir("/proc"):
            if not pid.isdigit():
                continue
            try:
                with open(f"/proc/{pid}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(pid) == self.postmaster:
                total += sum(int(x) for x in fields[11:15])  # utime stime cutime cstime
            elif int(fields[1]) == self.postmaster:
                total += int(fields[11]) + int(fields[12])
        return total / pipeline.TICKS

    def table_counts(self, url):
        tables = self.query("SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                            "ORDER BY tablename", url).split()
        counts = {}
        for t in tables:
            counts[t] = int(self.query(f"SELECT count(*) FROM {t}", url))
        return counts


class Bench:
    def __init__(self, args):
        self.args = args
        self.pg = Postgres(args.pg_url)
        # drain takes several builds (--build A,B): the databases are filled once, by the first,
        # and every configuration runs with each build in turn.
        self.builds = args.build.split(",")
        self.build = self.builds[0]
        self.bin = os.path.abspath(os.path.join(self.build, "bin"))
        self.work = tempfile.mkdtemp(prefix="rebook-pg-bench-")
        self.lines = []
        self.servers = []

    def note(self, line):
        print(line, file=sys.stderr, flush=True)
        self.lines.append(line)

    def pipeline_args(self, preset, db_url):
        return SimpleNamespace(build=self.build, preset=preset, db_url=db_url,
                               timeout=self.args.timeout, commit_timeout=0, parallel=8,
                               time_limit=self.args.time_limit, workers=4,
                               answers=0, stop_after_commit=True, keep=False, batch=200,
                               drain_db="", save_before_commit="", commit_db="", perf="",
                               stop_after_import=False, perf_import="",
                               allow_state=False)

    def server(self, preset, db):
        """A rebookd on `db`: a postgresql:// URL or a SQLite file."""
        postgres = db.startswith("postgresql://")
        p = pipeline.Pipeline(self.pipeline_args(preset, db if postgres else ""))
        p.db = db
        p.start_server()
        self.servers.append(p)
        return p

    def stop_servers(self):
        for p in self.servers:
            p.server.terminate()
            p.server.wait()
            shutil.rmtree(p.work, ignore_errors=True)
        self.servers = []

    def timed(self, fn, servers=()):
        load = os.getloadavg()[0]
        cpu0 = [pipeline.cpu_seconds(s.server.pid) for s in servers]
        pg0 = self.pg.cpu()
        t0 = time.monotonic()
        fn()
        wall = time.monotonic() - t0
        rebookd = sum(pipeline.cpu_seconds(s.server.pid) - c for s, c in zip(servers, cpu0))
        return wall, rebookd, self.pg.cpu() - pg0, load

    # ---- ingest ----------------------------------------------------------------------------
    def ingest(self, preset):
        grpc_url = self.pg.create(f"rebook_bench_import_{preset}")
        srv = self.server(preset, grpc_url)
        bundle = srv.bundle()
        ctl0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        wall, cpu, pg_cpu, load = self.timed(
            lambda: srv.ctl("import", bundle, "--request-id", f"bench-import-{preset}"), [srv])
        ctl1 = resource.getrusage(resource.RUSAGE_CHILDREN)  # rebookctl, the only child reaped
        ctl_cpu = ctl1.ru_utime + ctl1.ru_stime - ctl0.ru_utime - ctl0.ru_stime
        self.stop_servers()
        counts = {t: n for t, n in self.pg.table_counts(grpc_url).items()
                  if n and t not in NOT_COPIED}
        rows = sum(counts.values())
        detail = ", ".join(f"{t} {n:,}" for t, n in sorted(counts.items()))
        self.note(f"| ingest {preset}: rebookctl import (gRPC) | {rows:,} | {wall:.2f} | "
                  f"{rows / wall:,.0f} | {cpu:.2f} | {pg_cpu:.2f} | {load:.2f} | "
                  f"rebookctl CPU {ctl_cpu:.2f} s; {detail} |")
        copy_url = self.pg.create(f"rebook_bench_copy_{preset}")
        schema = self.run(["pg_dump", "--schema-only", "-d", grpc_url])
        self.run(["psql", "-XAtq", "-v", "ON_ERROR_STOP=1", "-d", copy_url], input=schema)
        data = os.path.join(self.work, f"{preset}-data.sql")
        # The feed's state first: the appointments' triggers read it.
        first = [t for t in counts if t == "change_feed_state"]
        dump = "".join(self.run(["pg_dump", "--data-only", "-d", grpc_url,
                                 *[f"--table={t}" for t in tables]])
                       for tables in (first, [t for t in counts if t not in first]) if tables)
        # pg_dump empties search_path; the change feed's trigger functions name their tables
        # unqualified, as rebookd's own sessions do.
        with open(data, "w") as f:
            for line in dump.splitlines(keepends=True):
                if not line.startswith("SELECT pg_catalog.set_config('search_path'"):
                    f.write(line)
        c_wall, _, c_pg, c_load = self.timed(lambda: self.run(
            ["psql", "-XAtq", "-1", "-v", "ON_ERROR_STOP=1", "-d", copy_url, "-f", data]))
        copied = self.pg.table_counts(copy_url)
        if any(copied.get(t) != n for t, n in counts.items()):
            raise SystemExit(f"pg_bench: COPY wrote {copied}, the import {counts}")
        self.note(f"| ingest {preset}: COPY of the same rows (psql -1) | {rows:,} | {c_wall:.2f} | "
                  f"{rows / c_wall:,.0f} | – | {c_pg:.2f} | {c_load:.2f} | "
                  f"import/COPY rate: **{c_wall / wall:.2f}** |")

    # ---- drain -----------------------------------------------------------------------------
    def filled(self, preset, db):
        """Imports, plans and commits `preset` into `db` (URL or SQLite path)."""
        p = self.server(preset, db)
        p.import_to_commit(p.bundle(), "drain", raw=False)
        self.stop_servers()

    def drain(self, preset, workers):
        pg_template = f"rebook_bench_drain_{preset}"
        self.filled(preset, self.pg.create(pg_template))
        sqlite_template = os.path.join(self.work, "drain-template.db")
        self.filled(preset, sqlite_template)
        runs = [(backend, replicas, build) for backend, replicas in
                (("SQLite", 1), ("PostgreSQL", 1), ("PostgreSQL", 2)) for build in self.builds]
        for backend, replicas, build in runs:
            self.build = build
            self.bin = os.path.abspath(os.path.join(build, "bin"))
            label = f", {build}" if len(self.builds) > 1 else ""
            if backend == "SQLite":
                db = os.path.join(self.work, "drain.db")
                with sqlite3.connect(sqlite_template) as src, sqlite3.connect(db) as dst:
                    src.backup(dst)
            else:
                db = self.pg.create(f"rebook_bench_drain_{replicas}", template=pg_template)
            servers = [self.server(preset, db) for _ in range(replicas)]
            total = servers[0].count("SELECT count(*) FROM outbox_messages")
            wall, cpu, pg_cpu, load = self.timed(lambda: self.notify(servers, workers), servers)
            sent = servers[0].count(
                "SELECT count(*) FROM outbox_messages WHERE state IN ('sent', 'delivered')")
            states = ", ".join(
                f"{state} {n}" for state in ("pending", "leased", "failed", "dead") if (n := servers[0].count(
                    "SELECT count(*) FROM outbox_messages WHERE state = ?", state)))
            lines = self.sent_lines(workers)
            self.stop_servers()
            senders = " ".join(self.notifier_flags()) or "the notifier's defaults"
            self.note(f"| drain {preset}: {workers} notifiers ({senders}), {replicas} rebookd, "
                      f"{backend}{label} | "
                      f"{sent:,} | {wall:.2f} | {sent / wall:,.0f} | {cpu:.2f} | "
                      f"{pg_cpu if backend != 'SQLite' else float('nan'):.2f} | {load:.2f} | "
                      f"{total:,} in the outbox; {lines - sent} sent twice"
                      f"{'; left: ' + states if states else ''} |")

    def notify(self, servers, workers):
        procs = []
        for w in range(workers):
            srv = servers[w * len(servers) // workers]
            conf = os.path.join(self.work, f"channels-{w}.conf")
            out = os.path.join(self.work, f"messages-{w}.jsonl")
            if os.path.exists(out):
                os.remove(out)
            with open(conf, "w") as f:
                for c in ("email", "sms", "webhook", "letter", "phone", "file"):
                    f.write(f"[channel.{c}]\ntype = file\npath = {out}\n\n")
            procs.append(subprocess.Popen(
                [f"{self.bin}/rebook-notifier", f"--server={srv.env['REBOOK_SERVER']}",
                 f"--token-file={srv.token_file}", "--once", f"--worker-name=bench-{w}",
                 *self.notifier_flags(),
                 "--channels=email,sms,webhook,letter,phone,file", f"--channel-config={conf}"],
                stderr=open(os.path.join(self.work, f"notifier-{w}.log"), "w")))
        for p in procs:
            if p.wait(timeout=self.args.max_seconds) != 0:
                raise SystemExit(f"pg_bench: rebook-notifier failed; see {self.work}")

    def notifier_flags(self):
        """--parallel and --batch when given; else rebook-notifier's own defaults apply."""
        flags = []
        if self.args.parallel is not None:
            flags.append(f"--parallel={self.args.parallel}")
        if self.args.batch is not None:
            flags.append(f"--batch={self.args.batch}")
        return flags

    def sent_lines(self, workers):
        n = 0
        for w in range(workers):
            path = os.path.join(self.work, f"messages-{w}.jsonl")
            if os.path.exists(path):
                with open(path) as f:
                    n += sum(1 for _ in f)
        return n

    # ---- region ----------------------------------------------------------------------------
    def region(self):
        url = self.pg.create("rebook_bench_region")
        args = self.pipeline_args("region", url)
        args.time_limit = self.args.region_time_limit
        load = os.getloadavg()[0]
        pg0 = self.pg.cpu()
        run = pipeline.Pipeline(args)
        stage = run.stage

        def stage_with_server_cpu(name, fn, rows_fn=None, note=""):
            # The pipeline's stage, and PostgreSQL's CPU seconds during it in a line of ours.
            spent = []

            def measured():
                before = self.pg.cpu()
                result = fn()
                spent.append(self.pg.cpu() - before)
                return result

            result = stage(name, measured, rows_fn, note)
            self.note(f"region {name}: PostgreSQL CPU {spent[0]:.2f} s")
            return result

        run.stage = stage_with_server_cpu
        run.main()  # prints its stage table
        outbox = int(self.pg.query("SELECT count(*) FROM outbox_messages", url))
        self.note(f"region on PostgreSQL: {outbox:,} messages in the outbox after the commit; "
                  f"PostgreSQL server CPU {self.pg.cpu() - pg0:.2f} s over the run; "
                  f"load average at the start {load:.2f}")

    def run(self, argv, input=None):
        out = subprocess.run(argv, text=True, capture_output=True, input=input)
        if out.returncode != 0:
            sys.stderr.write(out.stdout + out.stderr)
            raise SystemExit(f"pg_bench: {os.path.basename(argv[0])} failed ({out.returncode})")
        return out.stdout

    def main(self):
        a = self.args
        print("| run | rows | wall (s) | rows/s | rebookd CPU (s) | PostgreSQL CPU (s) | "
              "load avg | note |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
              file=sys.stderr)
        try:
            if a.what in ("ingest", "all"):
                for preset in a.presets.split(","):
                    self.ingest(preset)
            if a.what in ("drain", "all"):
                self.drain(a.preset, a.workers)
            if a.what in ("region", "all"):
                self.region()
        finally:
            self.stop_servers()
            if not a.keep:
                self.pg.drop_all()
                shutil.rmtree(self.work, ignore_errors=True)
            print(f"\n{os.cpu_count()} cores; PostgreSQL {self.pg.query('SHOW server_version')}, "
                  f"fsync={self.pg.query('SHOW fsync')}, "
                  f"synchronous_commit={self.pg.query('SHOW synchronous_commit')}")
            print("| run | rows | wall (s) | rows/s | rebookd CPU (s) | PostgreSQL CPU (s) | "
                  "load avg | note |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
            for line in self.lines:
                print(line)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("what", choices=("ingest", "drain", "region", "all"))
    p.add_argument("--pg-url", default=os.environ.get("REBOOK_TEST_POSTGRES_URL", ""))
    p.add_argument("--build", default="build/release",
                   help="the build folder; drain: several, comma-separated, oldest first (the "
                        "first fills the databases; each configuration runs with each in turn)")
    p.add_argument("--presets", default="city,region", help="ingest: comma-separated presets")
    p.add_argument("--preset", default="city", help="drain: the preset whose outbox drains")
    p.add_argument("--workers", type=int, default=4, help="drain: rebook-notifier processes")
    p.add_argument("--time-limit", type=int, default=5, help="drain: solver seconds")
    p.add_argument("--parallel", type=int, default=None,
                   help="drain: senders per notifier (default: rebook-notifier's own, 8)")
    p.add_argument("--batch", type=int, default=None,
                   help="drain: messages per lease (default: rebook-notifier's own, 200)")
    p.add_argument("--region-time-limit", type=int, default=20, help="region: solver seconds")
    p.add_argument("--max-seconds", type=int, default=1200, help="a notifier's longest run")
    p.add_argument("--timeout", type=int, default=3600,
                   help="rebookctl --timeout of every call (the PostgreSQL import is slow)")
    p.add_argument("--keep", action="store_true", help="keep the databases and the work folder")
    args = p.parse_args()
    if not args.pg_url.startswith(("postgresql://", "postgres://")):
        p.error("--pg-url (or REBOOK_TEST_POSTGRES_URL) must name a PostgreSQL server")
    if not 1 <= args.workers <= 16:
        p.error("--workers must be 1..16")
    Bench(args).main()


if __name__ == "__main__":
    main()
