"""The shipped deploy/ configuration end to end on the real clock (issue 14, "Done when").

deploy/rebookd.flags, deploy/outbox.conf and deploy/notifier-default.conf are copied into a temp
root with only their paths (database, tokens, outbox policy, letter spool) and addresses (port 0,
the SMTP sink's port) rewritten; everything else runs as shipped (min notice, rate limits, the
public base URL, starttls and tls_verify of the e-mail channel). On top, as docs/deploying.md
describes: rebookd serves gRPC over TLS with a certificate of a throwaway CA, /metrics on a
loopback port. No simulated clock: the bundle's dates are relative to today in Europe/Berlin.

The flow, all through the shipped clients over TLS (--ca-file):
  rebookctl import (an office, a service, a clerk with shifts on the next days, ten appointments
  today) -> outage declare (today) -> plan create -> plan commit -> rebook-notifier --once through
  an SMTP sink that requires STARTTLS (certificate of the same CA; ca_file in the channel
  config) -> every citizen has exactly one mail -> one citizen accepts via the link's HTTP page
  (POST /r/<token>/accept) -> rebookctl appointments list --json shows it CONFIRMED -> the
  notifier sends the confirmation. /metrics is scraped before and after and parsed with
  prometheus_client: RPC counters, outbox messages and offers by state moved; no citizen's name
  or address appears in it.

Environment: REBOOK_BIN_DIR, REBOOK_SOURCE_DIR, PYTHONPATH with the generated API stubs.
"""
import datetime
import email
import email.policy
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.parse
import urllib.request
import zoneinfo

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "python"))
sys.path.insert(0, os.path.join(HERE, "..", "security"))
from rebookd_process import Rebookd  # noqa: E402
from test_metrics import samples, scrape, value, wait_for_file  # noqa: E402
from tls_test import make_ca, make_cert  # noqa: E402

BIN = os.environ.get("REBOOK_BIN_DIR", "build/release/bin")
SOURCE = os.environ.get("REBOOK_SOURCE_DIR", os.path.join(HERE, "..", ".."))
DEPLOY = os.path.join(SOURCE, "deploy")
SINK = os.path.join(SOURCE, "services", "notify", "testing", "smtp_sink.py")
TZ = "Europe/Berlin"
OFFICE = "e2e-mitte"
N = 10
ADMIN, NOTIFIER = "e2e-admin-token-0123456789abcdef", "e2e-notifier-token-0123456789abcdef"
TIMEOUT = 60
EXIT_FAILED_PRECONDITION = 6  # tools/common/exit_codes.h
PUBLIC_BASE = "https://termine.example.org/"  # as shipped in deploy/rebookd.flags


def citizen(i):
    return f"Quastine Kanarius{i:02d}", f"canary-e2e-{i:02d}@example.org"


def write_csv(path, header, rows):
    with open(path, "w", encoding="utf-8") as f:
        f.write(",".join(header) + "\n")
        for row in rows:
            f.write(",".join(str(x) for x in row) + "\n")


def rewrite(text, replacements):
    """`text` with each (old, new) replaced; every old must occur, so a changed shipped file
    fails here instead of silently running with /var or /etc paths."""
    for old, new in replacements:
        if old not in text:
            raise AssertionError(f"the shipped file no longer contains {old!r}")
        text = text.replace(old, new)
    return text


class DeployE2eTest(unittest.TestCase):
    def setUp(self):
        self.started = time.monotonic()
        self.tmp = tempfile.TemporaryDirectory(prefix="rebook-deploy-e2e-")
        self.root = root = self.tmp.name
        for d in ("etc/rebook/tls", "var/lib/rebook", "var/lib/rebook-notifier/default",
                  "bundle", "mail"):
            os.makedirs(os.path.join(root, d))
        self.tls = os.path.join(root, "etc/rebook/tls")
        make_ca(self.tls, "ca")
        make_cert(self.tls, "ca", "rebookd", "subjectAltName=IP:127.0.0.1,DNS:localhost\n"
                  "extendedKeyUsage=serverAuth\n", 1)
        make_cert(self.tls, "ca", "smtp", "subjectAltName=IP:127.0.0.1,DNS:localhost\n"
                  "extendedKeyUsage=serverAuth\n", 2)
        self.sink = self.rebookd = None
        self.addCleanup(self.tmp.cleanup)
        self.addCleanup(self.stop)

    def stop(self):
        if self.rebookd is not None:
            code = self.rebookd.terminate(timeout=30)
            log = self.rebookd.read_log()
            self.rebookd.close()
            self.assertEqual(code, 0, log)
        if self.sink is not None and self.sink.poll() is None:
            self.sink.kill()
            self.sink.wait(timeout=10)
            self.sink_log.close()

    def path(self, rel):
        return os.path.join(self.root, rel)

    # --- the shipped configuration, redirected

    def install_config(self):
        with open(os.path.join(DEPLOY, "tokens.example")) as f:
            tokens = f.read()
        for name, role, token in (("betrieb", "admin", ADMIN),
                                  ("notifier-1", "notifier", NOTIFIER)):
            tokens += f"{name} {role} * sha256:{hashlib.sha256(token.encode()).hexdigest()}\n"
        with open(self.path("etc/rebook/tokens"), "w") as f:
            f.write(tokens)
        shutil.copy(os.path.join(DEPLOY, "outbox.conf"), self.path("etc/rebook/outbox.conf"))
        with open(os.path.join(DEPLOY, "rebookd.flags")) as f:
            flags = rewrite(f.read(), [
                ("--listen=127.0.0.1:8443", "--listen=127.0.0.1:0"),
                ("--http_listen=127.0.0.1:8080", "--http_listen=127.0.0.1:0"),
                ("/var/lib/rebook/", self.path("var/lib/rebook/")),
                ("--tokens=/etc/rebook/", f"--tokens={self.path('etc/rebook/')}"),
                ("--outbox_policy=/etc/rebook/", f"--outbox_policy={self.path('etc/rebook/')}")])
        self.assertNotIn("--simulated_time", flags)
        with open(self.path("etc/rebook/rebookd.flags"), "w") as f:
            f.write(flags)

    def channel_config(self, smtp_port):
        with open(os.path.join(DEPLOY, "notifier-default.conf")) as f:
            config = rewrite(f.read(), [
                ("smtp://mail.example.org:587", f"smtp://127.0.0.1:{smtp_port}"),
                ("/var/lib/rebook-notifier/", self.path("var/lib/rebook-notifier/"))])
        # The private CA of the relay, as docs/notifications.md describes (key ca_file).
        config = config.replace("tls_verify = true\n",
                                f"tls_verify = true\nca_file = {self.tls}/ca.pem\n", 1)
        self.assertIn("starttls = true", config)
        path = self.path("etc/rebook/notifier-default.conf")
        with open(path, "w") as f:
            f.write(config)
        return path

    def start_rebookd(self):
        http_port_file = self.path("http-port")
        metrics_port_file = self.path("metrics-port")
        # Rebookd's own --db/--tokens/--listen come first; the shipped flagfile overrides them.
        self.rebookd = Rebookd(
            f"--flagfile={self.path('etc/rebook/rebookd.flags')}",
            f"--tls_cert={self.tls}/rebookd.pem", f"--tls_key={self.tls}/rebookd.key",
            f"--http_port_file={http_port_file}", "--metrics_listen=127.0.0.1:0",
            f"--metrics_port_file={metrics_port_file}")
        self.http_port = int(wait_for_file(http_port_file))
        self.metrics_port = int(wait_for_file(metrics_port_file))
        self.assertTrue(os.path.exists(self.path("var/lib/rebook/rebook.db")))
        self.assertEqual(os.stat(self.path("var/lib/rebook/rebook.db")).st_mode & 0o777, 0o600)

    def start_sink(self):
        port_file = self.path("smtp-port")
        self.sink_log = open(self.path("smtp-sink.log"), "w")
        self.sink = subprocess.Popen(
            ["/usr/bin/python3", SINK, f"--port-file={port_file}", f"--out-dir={self.path('mail')}",
             f"--tls-cert={self.tls}/smtp.pem", f"--tls-key={self.tls}/smtp.key",
             "--max-seconds=110"], stdout=self.sink_log, stderr=self.sink_log)
        return int(wait_for_file(port_file))

    # --- the clients, over TLS

    def run_tool(self, tool, *args, token=ADMIN, code=0):
        env = {k: v for k, v in os.environ.items() if not k.startswith("REBOOK_")}
        env["REBOOK_TOKEN"] = token  # never on the command line
        result = subprocess.run(
            [os.path.join(BIN, tool), f"--server={self.rebookd.address}",
             f"--ca-file={self.tls}/ca.pem", *args],
            capture_output=True, text=True, timeout=TIMEOUT, env=env)
        self.assertEqual(result.returncode, code,
                         f"{tool} {' '.join(args)}:\n{result.stdout}\n{result.stderr}")
        return result.stdout if code == 0 else result.stderr

    def ctl_json(self, *args):
        return json.loads(self.run_tool("rebookctl", "--json", *args))

    def notify(self, config):
        return self.run_tool("rebook-notifier", f"--channel-config={config}",
                             f"--templates={SOURCE}/services/notify/templates", "--once",
                             token=NOTIFIER)

    # --- data of today

    def write_bundle(self, today):
        b = self.path("bundle")
        day = lambda n: (today + datetime.timedelta(days=n)).isoformat()  # noqa: E731
        write_csv(f"{b}/params.csv", ["horizon_start", "horizon_end"],
                  [[f"{day(1)}T07:00", f"{day(8)}T00:00"]])
        write_csv(f"{b}/offices.csv", ["office_id", "name", "state", "timezone"],
                  [[OFFICE, "Bürgerservice Mitte", "DE-ST", TZ]])
        write_csv(f"{b}/services.csv", ["service_id", "name", "category", "duration_min"],
                  [["kfz", "Kfz-Zulassung", "vehicle_registration", 15]])
        write_csv(f"{b}/staff.csv", ["staff_id", "name", "skills"], [["anna", "Anna", "kfz"]])
        write_csv(f"{b}/shifts.csv", ["staff_id", "office_id", "start", "end", "kind"],
                  [["anna", OFFICE, f"{day(n)}T08:00", f"{day(n)}T16:00", "regular"]
                   for n in range(1, 8)])
        write_csv(f"{b}/bookings.csv", ["booking_id", "staff_id", "start", "end"], [])
        rows = []
        for i in range(N):
            name, mail = citizen(i)
            start = datetime.datetime.combine(today, datetime.time(8, 0)) + \
                datetime.timedelta(minutes=30 * i)
            rows.append([f"a{i:02d}", OFFICE, "kfz", start.strftime("%Y-%m-%dT%H:%M"), 2, name,
                         mail, "de", "email"])
        write_csv(f"{b}/appointments.csv",
                  ["appointment_id", "office_id", "service_id", "original_start", "priority",
                   "citizen_name", "email", "language", "channel"], rows)
        return b

    def scrape(self):
        status, _, body = scrape(self.metrics_port)
        self.assertEqual(status, 200)
        return body

    def mails(self):
        out = {}
        for name in sorted(os.listdir(self.path("mail"))):
            if not name.endswith(".eml"):
                continue
            with open(self.path(f"mail/{name}"), "rb") as f:
                message = email.message_from_bytes(f.read(), policy=email.policy.default)
            out.setdefault(message["To"].addresses[0].addr_spec, []).append((name, message))
        return out

    def test_deploy_end_to_end(self):
        self.install_config()
        self.start_rebookd()
        config = self.channel_config(self.start_sink())
        today = datetime.datetime.now(zoneinfo.ZoneInfo(TZ)).date()
        tomorrow = today + datetime.timedelta(days=1)
        before, _ = samples(self.scrape())

        # Import, declare today's outage, plan, commit.
        imported = self.ctl_json("import", self.write_bundle(today))
        self.assertEqual(int(imported["appointments"].get("created_count", 0)), N, imported)
        # The real clock refuses an outage that ended long ago (issue 14).
        old = today - datetime.timedelta(days=300)
        refused = self.run_tool("rebookctl", "outage", "declare", f"--office={OFFICE}",
                                f"--start={old}T08:00", f"--end={old}T12:00", f"--time-zone={TZ}",
                                code=EXIT_FAILED_PRECONDITION)
        self.assertIn("outage.window.end_time", refused)
        self.run_tool("rebookctl", "outage", "declare", f"--office={OFFICE}", "--id=power-today",
                      f"--start={today}T00:00", f"--end={tomorrow}T00:00",
                      f"--time-zone={TZ}", "--cause=Stromausfall")
        self.run_tool("rebookctl", "plan", "create", "power-today", "--id=p1", "--time-limit=5")
        plan = self.ctl_json("plan", "assignments", "power-today/p1")
        self.assertEqual(len(plan["assignments"]), N, plan)
        # Real clock: every slot lies after now + the minimum notice (12 h, rebookd's default).
        notice = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=12)
        for a in plan["assignments"]:
            self.assertTrue(a.get("assigned"), a)
            start = datetime.datetime.fromisoformat(a["interval"]["start_time"].replace("Z",
                                                                                       "+00:00"))
            self.assertGreaterEqual(start, notice - datetime.timedelta(minutes=1), a)
        self.run_tool("rebookctl", "plan", "commit", "power-today/p1")
        committed, _ = samples(self.scrape())
        self.assertEqual(value(committed, "rebook_outbox_messages", channel="email",
                               state="pending"), N)
        self.assertEqual(value(committed, "rebook_offers", state="open"), N)

        # Notify through the sink, which refuses MAIL before STARTTLS: one mail per citizen,
        # each with its own link.
        self.notify(config)
        mails = self.mails()
        self.assertEqual(sorted(mails), sorted(citizen(i)[1] for i in range(N)))
        for addr, got in mails.items():
            self.assertEqual(len(got), 1, f"{addr}: {[n for n, _ in got]}")
            self.assertTrue(got[0][0].endswith("-250.eml"), got[0][0])
        body = mails[citizen(3)[1]][0][1].get_body(("plain",)).get_content()
        links = re.findall(re.escape(PUBLIC_BASE) + r"r/([A-Za-z0-9_-]+)/accept", body)
        self.assertTrue(links, body)

        # The citizen answers on the response page (the reverse proxy's target).
        page = f"http://127.0.0.1:{self.http_port}/r/{links[0]}"
        with urllib.request.urlopen(page, timeout=TIMEOUT) as answer:
            self.assertEqual(answer.status, 200)
        accept = urllib.request.Request(page + "/accept", method="POST",
                                        data=urllib.parse.urlencode({}).encode(),
                                        headers={"Content-Type":
                                                 "application/x-www-form-urlencoded"})
        with urllib.request.urlopen(accept, timeout=TIMEOUT) as answer:
            self.assertEqual(answer.status, 200)

        # Export: the accepted appointment is confirmed, the others wait for their answer.
        listed = self.ctl_json("appointments", "list", f"--office={OFFICE}")
        status = {a["name"].rsplit("/", 1)[1]: a["status"] for a in listed["appointments"]}
        self.assertEqual(status.pop("a03"), "CONFIRMED", listed)
        self.assertEqual(set(status.values()), {"OFFERED"}, listed)
        self.assertEqual(len(status), N - 1)

        # The confirmation goes out to that citizen alone.
        self.notify(config)
        mails = self.mails()
        self.assertEqual(len(mails[citizen(3)[1]]), 2)
        self.assertEqual(sum(len(m) for m in mails.values()), N + 1)

        # Metrics: what moved, and no personal data.
        text = self.scrape()
        after, _ = samples(text)
        for method in ("rebook.v1.OutageService/DeclareOutage", "rebook.v1.PlanService/CommitPlan"):
            self.assertEqual(value(after, "rebook_rpc_requests_total", method=method, code="OK") -
                             value(before, "rebook_rpc_requests_total", method=method, code="OK"),
                             1, method)
        self.assertEqual(value(after, "rebook_rpc_requests_total",
                               method="rebook.v1.OutageService/DeclareOutage",
                               code="FAILED_PRECONDITION"), 1)
        self.assertEqual(value(after, "rebook_offers", state="accepted"), 1)
        self.assertEqual(value(after, "rebook_offers", state="open"), N - 1)
        self.assertEqual(value(before, "rebook_offers", state="accepted"), 0)
        self.assertEqual(value(after, "rebook_outbox_messages", channel="email", state="sent"),
                         N + 1)
        self.assertEqual(value(before, "rebook_outbox_messages", channel="email", state="sent"), 0)
        self.assertEqual(value(before, "rebook_outages_open"), 0)
        self.assertEqual(value(after, "rebook_outages_open"), 1)
        for i in range(N):
            for canary in citizen(i):
                self.assertNotIn(canary, text)
        self.assertNotIn(links[0], text)
        print(f"deploy_e2e_test: passed in {time.monotonic() - self.started:.1f} s",
              file=sys.stderr)


if __name__ == "__main__":
    unittest.main()
