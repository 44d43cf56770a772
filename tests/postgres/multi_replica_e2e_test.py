"""Several rebookd on one PostgreSQL database (issue 16.4), driving the real binaries.

Two rebookd (A, B) on one scratch database of the test cluster (REBOOK_TEST_POSTGRES_URL, see
tools/pg_cluster.sh), four rebook-notifier workers, two on each, writing to one `file` channel.
The Halle story (rebook-gen --preset halle: 630 appointments) is driven through both servers at
once: import through A, declare through B, two plans committed at the same time through A and
B (one wins), the winner committed again through the other replica (one effect), answers
through B while A is SIGKILLed and restarted, the clock moved on both, rebook-batch (expiry and
re-plan) on both at once, then everything drained.

Checked in the database at the end (the offers test's invariants, in SQL): no citizen holds two
slots, no clerk is double-booked, each status agrees with the offers, every message is settled
and reached the channel, a message reached it twice only after the crash (at most the batches
the killed server's workers had leased), and the change feed is one gap-free run of cursors.
Skipped (exit 77) without a test cluster. Loopback only; every wait is bounded.
"""
import collections
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest

BIN = os.environ.get("REBOOK_BIN_DIR", "build/release/bin")
URL = os.environ.get("REBOOK_TEST_POSTGRES_URL", "")
PSQL = "/usr/bin/psql"
OUTAGE = "halle-2026-01-27"
BATCH = 10  # messages per lease (a worker holds at most two leases)
TOKEN = "e2e-admin-token-0123456789abcdef"


def with_database(url, name):
    head, _, tail = url.partition("://")
    host, _, rest = tail.partition("/")
    query = "?" + rest.split("?", 1)[1] if "?" in rest else ""
    return f"{head}://{host}/{name}{query}"


def wait_for(predicate, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError("timed out waiting for " + what)


class Replica:
    """One rebookd on the shared database; restartable on the same port."""

    def __init__(self, name, db_url, tmp, tokens):
        self.name = name
        self.port_file = os.path.join(tmp, f"{name}.port")
        self.log = open(os.path.join(tmp, f"{name}.log"), "a")
        self.args = [os.path.join(BIN, "rebookd"), "--db=" + db_url, "--tokens=" + tokens,
                     "--port_file=" + self.port_file, "--shutdown_grace_s=5",
                     "--simulated_time=2026-01-27T16:00:00Z", "--pg_connections=4",
                     "--public_base_url=https://termine.example", "--public_rate_per_s=0",
                     "--public_failures_per_min=0",
                     "--public_prefix_failures_per_min=0"]
        self.port = None
        self.start("127.0.0.1:0")

    def start(self, listen):
        if os.path.exists(self.port_file):
            os.remove(self.port_file)
        self.proc = subprocess.Popen([*self.args, "--listen=" + listen],
                                     stdout=self.log, stderr=self.log)

        def ready():
            if self.proc.poll() is not None:
                raise RuntimeError(f"rebookd {self.name} exited; see {self.log.name}")
            try:
                with open(self.port_file) as f:
                    return bool(f.read().strip())
            except FileNotFoundError:
                return False
        wait_for(ready, 60, f"rebookd {self.name}")
        with open(self.port_file) as f:
            self.port = int(f.read().strip())

    @property
    def address(self):
        return f"127.0.0.1:{self.port}"

    def kill(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=10)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=5)
        self.log.close()


class MultiReplicaTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="rebook-pg-replicas-")
        self.db = f"rebook_e2e_{os.getpid()}"
        self.psql_admin(f"CREATE DATABASE {self.db}")
        self.db_url = with_database(URL, self.db)
        self.token_file = os.path.join(self.dir, "admin.token")
        with open(self.token_file, "w") as f:
            f.write(TOKEN + "\n")
        tokens = os.path.join(self.dir, "tokens")
        with open(tokens, "w") as f:
            f.write(f"e2e-admin admin * sha256:{hashlib.sha256(TOKEN.encode()).hexdigest()}\n")
        self.processes = []
        self.replicas = {}
        self.replicas["A"] = Replica("A", self.db_url, self.dir, tokens)
        self.replicas["B"] = Replica("B", self.db_url, self.dir, tokens)
        # One file per worker: the file channel's appends are not atomic across processes.
        self.messages = [os.path.join(self.dir, f"messages-{n}.jsonl") for n in range(4)]
        self.channels = "email,sms,webhook,letter,phone,file"
        for n in range(4):
            with open(os.path.join(self.dir, f"channels-{n}.conf"), "w") as f:
                for c in self.channels.split(","):
                    f.write(f"[channel.{c}]\ntype = file\npath = {self.messages[n]}\n\n")

    def tearDown(self):
        for p in self.processes:
            if p.poll() is None:
                p.kill()
                p.wait(timeout=10)
        for r in self.replicas.values():
            r.stop()
        self.psql_admin(f"DROP DATABASE IF EXISTS {self.db} WITH (FORCE)")
        if os.environ.get("REBOOK_KEEP_TEST_DIR"):
            print("kept " + self.dir, file=sys.stderr)
        else:
            shutil.rmtree(self.dir, ignore_errors=True)

    # --- helpers ---------------------------------------------------------------------------
    def psql_admin(self, sql):
        subprocess.run([PSQL, URL, "-v", "ON_ERROR_STOP=1", "-qc", sql], check=True,
                       timeout=60, stdout=subprocess.DEVNULL)

    def query(self, sql):
        """Rows of `sql` on the test database, as lists of strings."""
        out = subprocess.run([PSQL, self.db_url, "-v", "ON_ERROR_STOP=1", "-AtF", "\t", "-c",
                              sql], check=True, timeout=60, capture_output=True, text=True)
        return [line.split("\t") for line in out.stdout.splitlines() if line]

    def scalar(self, sql):
        return int(self.query(sql)[0][0])

    def tool(self, replica, *args, timeout=180):
        """Runs a command-line tool against `replica`; returns the CompletedProcess."""
        name, *rest = args
        with open(os.path.join(self.dir, "tools.log"), "a") as log:
            log.write(f"$ {name} @{replica} {' '.join(rest)}\n")
            log.flush()
            return subprocess.run(
                [os.path.join(BIN, name), f"--server={self.replicas[replica].address}",
                 f"--token-file={self.token_file}", *rest],
                stdout=subprocess.PIPE, stderr=log, text=True, timeout=timeout)

    def ok(self, replica, *args, timeout=180):
        r = self.tool(replica, *args, timeout=timeout)
        self.assertEqual(r.returncode, 0, f"{args} on {replica}: see {self.dir}/tools.log")
        return r.stdout

    def at_once(self, *calls):
        """Starts one tool per (replica, args...) at the same moment; returns their exit codes.
        Their stderr, in call order, is in self.errors (and appended to tools.log)."""
        procs = []
        for replica, name, *rest in calls:
            procs.append(subprocess.Popen(
                [os.path.join(BIN, name), f"--server={self.replicas[replica].address}",
                 f"--token-file={self.token_file}", *rest], stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE, text=True))
        self.errors = [p.communicate(timeout=300)[1] for p in procs]
        with open(os.path.join(self.dir, "tools.log"), "a") as log:
            log.write("".join(self.errors))
        return [p.returncode for p in procs]

    def start_notifier(self, replica, n):
        with open(os.path.join(self.dir, f"notifier-{n}.log"), "a") as log:
            p = subprocess.Popen(
                [os.path.join(BIN, "rebook-notifier"),
                 f"--server={self.replicas[replica].address}",
                 f"--token-file={self.token_file}", f"--channels={self.channels}",
                 f"--channel-config={self.dir}/channels-{n}.conf", f"--batch={BATCH}",
                 "--lease-seconds=5", "--max-idle-seconds=1", f"--worker-name=w{n}-{replica}"],
                stdout=log, stderr=log)
        self.processes.append(p)
        return p

    def unsettled(self):
        return self.scalar("SELECT count(*) FROM outbox_messages "
                           "WHERE state NOT IN ('sent', 'delivered', 'dead')")

    def lines(self):
        """The complete lines the workers' file channels wrote so far."""
        for path in self.messages:
            if os.path.exists(path):
                with open(path, encoding="utf-8") as f:
                    for line in f:
                        if not line.endswith("\n"):
                            break  # its worker is writing it
                        if line.strip():
                            yield line

    def respond(self, replica):
        """The citizens answer what reached them so far (rebook-simulate, through `replica`)."""
        path = os.path.join(self.dir, "received.jsonl")
        with open(path, "w", encoding="utf-8") as f:
            f.writelines(self.lines())
        self.ok(replica, "rebook-simulate", "respond", "--messages", path, "--seed", "7")

    def sent_lines(self):
        counts = collections.Counter()
        for line in self.lines():
            m = json.loads(line)
            k = m["key"]  # its channel is "sms" or "sms.<kind>" (not offers)
            counts[f"{k['outage_id']}/{k['appointment_id']}/{k['offer_version']}/"
                   f"{k['channel'].split('.')[0]}/{m['kind']}"] += 1
        return counts

    # --- the story -------------------------------------------------------------------------
    def test_halle_through_two_replicas_with_a_crash(self):
        bundle = os.path.join(self.dir, "halle")
        subprocess.run([os.path.join(BIN, "rebook-gen"), "--preset", "halle", "--out", bundle],
                       check=True, timeout=120, stdout=subprocess.DEVNULL)
        # The PostgreSQL import writes shifts and bookings one statement each (see
        # docs/deployment-postgres.md, Measurements): on a loaded machine it outlasts the CLI's
        # default deadline.
        self.ok("A", "rebookctl", "--timeout", "600", "import", bundle, "--request-id",
                "e2e-import", timeout=660)
        # The same request id through the other replica: one effect, the stored answer.
        self.ok("B", "rebookctl", "import", bundle, "--request-id", "e2e-import")
        offices = []
        with open(os.path.join(bundle, "offices.csv")) as f:
            for line in f.readlines()[1:]:
                offices += ["--office", line.split(",")[0]]
        self.ok("B", "rebookctl", "outage", "declare", *offices, "--start", "2026-01-27T11:50",
                "--end", "2026-01-27T16:30", "--cause", "Strom- und IT-Ausfall", "--id", OUTAGE,
                "--request-id", "e2e-declare")
        appointments = self.scalar(f"SELECT count(*) FROM appointments WHERE outage_id = '{OUTAGE}'")
        self.assertGreater(appointments, 500)

        plan = ["--horizon-start", "2026-01-28T07:00", "--horizon-end", "2026-02-21T00:00",
                "--reserve", "0.2", "--time-limit", "5"]
        self.assertEqual(self.at_once(
            ("A", "rebookctl", "plan", "create", OUTAGE, "--id", "first", *plan,
             "--request-id", "e2e-plan-first"),
            ("B", "rebookctl", "plan", "create", OUTAGE, "--id", "second", *plan,
             "--request-id", "e2e-plan-second")), [0, 0])
        # Two replicas commit two plans of one outage at once: one winner; the other, whose
        # plan was READY when its request began, is ABORTED (a lost race, not a stale plan).
        codes = self.at_once(
            ("A", "rebookctl", "plan", "commit", f"{OUTAGE}/first", "--request-id", "e2e-c1"),
            ("B", "rebookctl", "plan", "commit", f"{OUTAGE}/second", "--request-id", "e2e-c2"))
        self.assertEqual(codes.count(0), 1, f"one commit wins: {codes}")
        loser = self.errors[codes.index(6)] if 6 in codes else f"exit codes {codes}"
        self.assertIn("error: ABORTED: plan ", loser)
        self.assertIn(f'another commit of outage "{OUTAGE}" won', loser)
        states = dict(self.query(f"SELECT id, state FROM plans WHERE outage_id = '{OUTAGE}'"))
        self.assertEqual(sorted(states.values()), ["committed", "superseded"], states)
        winner = "first" if codes[0] == 0 else "second"
        offers = self.scalar("SELECT count(*) FROM offers")
        self.assertGreater(offers, 100)
        # The winner again, through the other replica: unchanged, no second offer.
        self.ok("B" if winner == "first" else "A", "rebookctl", "plan", "commit",
                f"{OUTAGE}/{winner}", "--request-id", "e2e-c3")
        self.assertEqual(self.scalar("SELECT count(*) FROM offers"), offers)

        workers = [self.start_notifier("A" if n < 2 else "B", n) for n in range(4)]
        total = self.scalar("SELECT count(*) FROM outbox_messages")
        wait_for(lambda: len(self.sent_lines()) >= total // 3, 120, "a third of the messages")
        self.replicas["A"].kill()
        crash_at = len(self.sent_lines())
        self.respond("B")
        self.replicas["A"].start(f"127.0.0.1:{self.replicas['A'].port}")
        # The simulated clocks stand still: an hour on both lets the leases of the batches whose
        # reports died with A run out, so that other workers take those messages again.
        for r in ("A", "B"):
            self.ok(r, "rebook-simulate", "clock", "--advance-hours", "1")
        wait_for(lambda: self.unsettled() == 0, 240, "every message settled")
        self.respond("A")
        for r in ("A", "B"):  # each replica keeps its own simulated clock
            self.ok(r, "rebook-simulate", "clock", "--advance-hours", "49")
        # Expiry, reminders and the re-plan from both replicas at once.
        self.assertEqual(self.at_once(("A", "rebook-batch"), ("B", "rebook-batch")), [0, 0])
        wait_for(lambda: self.unsettled() == 0, 240, "the new messages settled")
        self.respond("B")
        wait_for(lambda: self.unsettled() == 0, 240, "the last messages settled")
        for w in workers:
            w.send_signal(signal.SIGTERM)
        for w in workers:
            self.assertEqual(w.wait(timeout=60), 0)
        self.check_invariants(crash_at)

    def unreported(self):
        """Keys of the messages a worker sent but could not report (its server was dead)."""
        ids = set()
        for n in range(4):
            with open(os.path.join(self.dir, f"notifier-{n}.log")) as f:
                for line in f:
                    entry = json.loads(line)
                    if entry.get("event") == "delivery" and entry.get("report", "OK") != "OK":
                        ids.add(entry["message"].rsplit("/", 1)[1])
        if not ids:
            return set()
        listed = ", ".join(f"'{i}'" for i in sorted(ids))
        return {r[0] for r in self.query(
            "SELECT outage_id || '/' || appointment_id || '/' || offer_version || '/' || channel "
            f"|| '/' || kind FROM outbox_messages WHERE id IN ({listed})")}

    def check_invariants(self, crash_at):
        holding = "o.state IN ('open', 'accepted')"
        twice = self.query(f"SELECT office_id, appointment_id FROM offers o WHERE {holding} "
                           "GROUP BY office_id, appointment_id HAVING count(*) > 1")
        self.assertEqual(twice, [], "citizens holding two slots")
        double = self.query(
            "SELECT x.office_id, x.id, y.office_id, y.id FROM appointments x JOIN appointments y "
            "ON COALESCE(x.rebooked_clerk_id, x.held_clerk_id) = "
            "   COALESCE(y.rebooked_clerk_id, y.held_clerk_id) "
            "AND (x.office_id, x.id) < (y.office_id, y.id) "
            "AND tstzrange(COALESCE(x.rebooked_start, x.held_start), "
            "              COALESCE(x.rebooked_end, x.held_end)) && "
            "    tstzrange(COALESCE(y.rebooked_start, y.held_start), "
            "              COALESCE(y.rebooked_end, y.held_end))")
        self.assertEqual(double, [], "clerks double-booked")
        disagree = self.query(
            f"SELECT a.id, a.status, (SELECT string_agg(o.state, ',') FROM offers o WHERE "
            f"o.office_id = a.office_id AND o.appointment_id = a.id AND {holding}) FROM "
            f"appointments a WHERE a.outage_id = '{OUTAGE}' AND NOT CASE a.status "
            f"WHEN 'offered' THEN (SELECT string_agg(o.state, ',') FROM offers o WHERE "
            f"  o.office_id = a.office_id AND o.appointment_id = a.id AND {holding}) = 'open' "
            f"  AND a.held_start IS NOT NULL "
            f"WHEN 'confirmed' THEN (SELECT string_agg(o.state, ',') FROM offers o WHERE "
            f"  o.office_id = a.office_id AND o.appointment_id = a.id AND {holding}) = 'accepted' "
            f"  AND a.rebooked_start IS NOT NULL "
            f"ELSE NOT EXISTS (SELECT 1 FROM offers o WHERE o.office_id = a.office_id AND "
            f"  o.appointment_id = a.id AND {holding}) END")
        self.assertEqual(disagree, [], "statuses that disagree with the offers")
        self.assertEqual(self.unsettled(), 0)
        sent = self.sent_lines()
        key = ("outage_id || '/' || appointment_id || '/' || offer_version || '/' || channel "
               "|| '/' || kind")
        every = {r[0] for r in self.query(f"SELECT {key} FROM outbox_messages")}
        # Dead ones had no channel that could reach the citizen (no contact data), or went
        # stale (their offer ended) before a send the store heard of.
        ids = {r[0] for r in self.query(
            f"SELECT {key} FROM outbox_messages WHERE state IN ('sent', 'delivered')")}
        missing = [i for i in ids if i not in sent]
        self.assertEqual(missing, [], "messages that never reached the channel")
        self.assertEqual([i for i in sent if i not in every], [], "sends of unknown messages")
        repeats = {i: n for i, n in sent.items() if n > 1}
        # A message reached the channel twice only if the worker that sent it first could not
        # report it (its server had been killed, or its lease ran out in the clock jump): the
        # documented after-crash repeat.
        unreported = self.unreported()
        self.assertEqual([i for i in repeats if i not in unreported], [], "repeats without a crash")
        # Each worker holds at most two batches (one sending, one leased ahead) on each of the
        # two occasions: when its server dies (the two workers on A) and when the clock jump
        # ends the leases (all four). 4 * 2 * BATCH, the crash alone counted twice over, was
        # once exceeded under ASan (82).
        self.assertLessEqual(len(unreported), (2 + 4) * 2 * BATCH)
        lo, hi, n = self.query("SELECT min(cursor), max(cursor), count(*) FROM change_events")[0]
        self.assertEqual(int(hi) - int(lo) + 1, int(n), "a gap in the change feed")
        print(f"appointments={self.scalar('SELECT count(*) FROM appointments')} "
              f"offers={self.scalar('SELECT count(*) FROM offers')} messages={len(ids)} "
              f"sent_before_crash={crash_at} repeats={sum(n - 1 for n in repeats.values())} "
              f"events={n}", file=sys.stderr)


if __name__ == "__main__":
    if not URL:
        print("REBOOK_TEST_POSTGRES_URL is not set: skipped (see tools/pg_cluster.sh)")
        sys.exit(77)
    unittest.main()
