"""The outage report end to end, in headless Chromium.

A real rebookd gets the Halle scenario (rebook-gen --preset halle), the outage of 27 Jan 2026,
a committed plan and one pass of the notifier (file channel); `rebookctl report` writes the HTML;
browser_check.py shoots it at 1280 and 390 px, checks each chart's area for content, that no
console message appears, and prints it to A4 PDF rendered by pdftoppm. Two controls prove the
checks can fail: a page that logs to the console and a page whose chart is blank.
"""
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.error
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python"))
import browser_check  # noqa: E402
from rebookd_process import Rebookd  # noqa: E402

BIN = os.environ.get("REBOOK_BIN_DIR", "build/release/bin")
OUTAGE = "halle-2026-01-27"


def run(*args, timeout=180, env=None):
    done = subprocess.run(args, capture_output=True, text=True, timeout=timeout, env=env)
    if done.returncode != 0:
        raise AssertionError(f"{args[0]} failed ({done.returncode}): {done.stderr[-3000:]}")
    return done.stdout


class ReportBrowserTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory(prefix="report-browser-")
        cls.dir = cls.tmp.name
        # The citizens' pages on a free port that the links in the messages name (as the demo
        # does), without the rate limits made for real citizens: rebook-simulate answers for
        # all of them from one address.
        probe = socket.socket()
        probe.bind(("127.0.0.1", 0))
        cls.http_port = probe.getsockname()[1]
        probe.close()
        cls.server = Rebookd("--simulated_time=2026-01-27T16:00:00Z",
                             f"--http_listen=127.0.0.1:{cls.http_port}",
                             f"--public_base_url=http://127.0.0.1:{cls.http_port}",
                             "--public_rate_per_s=0", "--public_failures_per_min=0",
                             "--public_prefix_failures_per_min=0")
        try:
            cls.prepare()
        except BaseException:
            cls.server.close()
            cls.tmp.cleanup()
            raise

    @classmethod
    def prepare(cls):
        cls.env = dict(os.environ, REBOOK_SERVER=cls.server.address, REBOOK_TOKEN="admin")
        bundle = os.path.join(cls.dir, "halle")
        run(os.path.join(BIN, "rebook-gen"), "--preset", "halle", "--out", bundle)
        ctl = os.path.join(BIN, "rebookctl")
        run(ctl, "import", bundle, env=cls.env)
        offices = []
        with open(os.path.join(bundle, "offices.csv")) as f:
            for line in f.readlines()[1:]:
                offices += ["--office", line.split(",")[0]]
        run(ctl, "outage", "declare", *offices, "--start", "2026-01-27T11:50", "--end",
            "2026-01-27T16:30", "--cause", "Strom- und IT-Ausfall", "--id", OUTAGE, env=cls.env)
        run(ctl, "plan", "create", OUTAGE, "--id", "first", "--horizon-start", "2026-01-28T07:00",
            "--horizon-end", "2026-02-21T00:00", "--reserve", "0.2", "--time-limit", "3",
            env=cls.env, timeout=240)
        run(ctl, "plan", "commit", OUTAGE + "/first", env=cls.env)
        conf = os.path.join(cls.dir, "channels.conf")
        channels = "email,sms,webhook,letter,phone,file"
        with open(conf, "w") as f:
            for c in channels.split(","):
                f.write(f"[channel.{c}]\ntype = file\npath = {cls.dir}/messages.jsonl\n\n")
        run(os.path.join(BIN, "rebook-notifier"), "--server=" + cls.server.address,
            "--once", "--channels=" + channels, "--channel-config=" + conf,
            env=cls.env)
        # Citizens answer (seeded), then a day passes: the backlog has a history to show.
        messages = os.path.join(cls.dir, "messages.jsonl")
        run(os.path.join(BIN, "rebook-simulate"), "respond", "--messages", messages, "--seed", "7",
            env=cls.env, timeout=300)
        run(os.path.join(BIN, "rebook-simulate"), "clock", "--advance-hours", "20", env=cls.env)
        cls.page = os.path.join(cls.dir, "report.html")
        started = time.monotonic()
        cls.ctl_out = run(ctl, "report", OUTAGE, "--html", cls.page, env=cls.env)
        cls.seconds = time.monotonic() - started

    @classmethod
    def tearDownClass(cls):
        cls.server.close()
        cls.tmp.cleanup()

    def test_report_renders_in_chromium(self):
        self.assertIn("Wrote " + self.page, self.ctl_out)
        with open(self.page, encoding="utf-8") as f:
            html = f.read()
        self.assertIn("Ausfallbericht " + OUTAGE, html)
        self.assertIn("innerhalb von 5 Arbeitstagen", html)
        self.assertNotIn("objective", html)
        shots = os.path.join(self.dir, "shots")
        result = browser_check.check(self.page, shots)
        keep = os.environ.get("REBOOK_REPORT_SHOTS")  # a folder to keep page, shots and PDF in
        if keep:
            shutil.copytree(shots, keep, dirs_exist_ok=True)
            shutil.copy(self.page, keep)
        wide = result["widths"][1280]["charts"]
        for chart in ("burn-down", "heatmap", "delays", "gantt-0"):
            self.assertGreater(wide[chart]["ink"], 0.01, chart)
        self.assertGreaterEqual(result["pdf"]["pages"], 2)
        size = os.path.getsize(self.page)
        print(f"\nhalle report: {size // 1024} kB in {self.seconds:.1f} s; "
              f"page {result['widths'][1280]['page_height']} px high at 1280 px, "
              f"{result['widths'][390]['page_height']} px at 390 px; "
              f"PDF {result['pdf']['pages']} A4 pages", file=sys.stderr)

    def fetch(self, path, token=None):
        request = urllib.request.Request(f"http://127.0.0.1:{self.http_port}{path}")
        if token:
            request.add_header("Authorization", "Bearer " + token)
        try:
            with urllib.request.urlopen(request, timeout=60) as answer:
                return answer.status, dict(answer.headers), answer.read().decode("utf-8")
        except urllib.error.HTTPError as e:
            return e.code, dict(e.headers), e.read().decode("utf-8")

    def test_staff_page_on_the_http_port(self):
        path = f"/staff/outages/{OUTAGE}/report"
        code, headers, body = self.fetch(path, "admin")
        self.assertEqual(code, 200, body[:500])
        self.assertIn("Ausfallbericht " + OUTAGE, body)
        self.assertIn('id="heatmap"', body)
        self.assertEqual(headers.get("Cache-Control"), "no-store")
        self.assertIn("default-src 'none'", headers.get("Content-Security-Policy", ""))
        with open(self.page, encoding="utf-8") as f:
            cli = f.read()
        # The same figures as the CLI's file (the page's "Stand" time aside).
        strip = lambda html: re.sub(r"Stand [0-9.: ]+|am [0-9.: ]+\.", "", html)
        self.assertEqual(re.findall(r"<div class=\"card\"><b>[^<]*</b>", strip(body)),
                         re.findall(r"<div class=\"card\"><b>[^<]*</b>", strip(cli)))
        code, headers, _ = self.fetch(path)
        self.assertEqual(code, 401)
        self.assertEqual(headers.get("WWW-Authenticate"), "Bearer")
        self.assertEqual(self.fetch(path, "wrong-token")[0], 401)
        self.assertEqual(self.fetch(path, "clerk-a")[0], 404)  # office A is not in the outage
        self.assertEqual(self.fetch("/staff/outages/nope/report", "admin")[0], 404)

    def test_unknown_outage_writes_nothing(self):
        done = subprocess.run([os.path.join(BIN, "rebookctl"), "report", "no-such-outage",
                               "--html", os.path.join(self.dir, "x.html")],
                              capture_output=True, text=True, timeout=60, env=self.env)
        self.assertEqual(done.returncode, 4, done.stderr)
        self.assertFalse(os.path.exists(os.path.join(self.dir, "x.html")))

    def test_vorgangsnummer_leads_back_to_the_appointment(self):
        found = None
        with open(os.path.join(self.dir, "messages.jsonl"), encoding="utf-8") as f:
            for line in f:
                message = json.loads(line)
                text = message["rendered"]["text"]
                found = re.search(r"Vorgangsnummer: ([0-9A-Z]{4}-[0-9A-Z]{5})", text)
                if found:
                    break
        self.assertIsNotNone(found, "no German message with a Vorgangsnummer")
        self.assertNotIn(message["response_token"], text.split("Vorgangsnummer:")[1])
        heard = found.group(1).lower().replace("-", " ").replace("0", "o")
        out = run(os.path.join(BIN, "rebookctl"), "reference", OUTAGE, heard, env=self.env)
        self.assertIn("/appointments/" + message["key"]["appointment_id"], out)
        wrong = found.group(1)[:-1] + ("2" if found.group(1)[-1] != "2" else "3")
        done = subprocess.run([os.path.join(BIN, "rebookctl"), "reference", OUTAGE, wrong],
                              capture_output=True, text=True, timeout=60, env=self.env)
        self.assertEqual(done.returncode, 3, done.stderr)  # misread: INVALID_INPUT's exit code

    def test_checks_can_fail(self):
        with open(self.page, encoding="utf-8") as f:
            html = f.read()
        noisy = os.path.join(self.dir, "noisy.html")
        with open(noisy, "w", encoding="utf-8") as f:
            f.write(html.replace("</body>", "<script>console.error('x')</script></body>"))
        with self.assertRaisesRegex(AssertionError, "console messages"):
            browser_check.check_width(noisy, 390, os.path.join(self.dir, "noisy"), ["heatmap"])
        blank = os.path.join(self.dir, "blank.html")
        with open(blank, "w", encoding="utf-8") as f:
            f.write(html.replace('id="heatmap" class="chart"',
                                 'id="heatmap" class="chart" style="visibility:hidden"'))
        with self.assertRaisesRegex(AssertionError, "heatmap looks blank"):
            browser_check.check_width(blank, 1280, os.path.join(self.dir, "blank"), ["heatmap"])


if __name__ == "__main__":
    unittest.main()
