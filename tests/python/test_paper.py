"""Paper end to end (issue 15.4) on the Halle scenario through a real rebookd and rebook-notifier
with the real letter and phone channels: the outbox sends letters first, calls second.

Checks: every letter of the Halle run is one A4 page (pdfinfo), Arabic and Ukrainian letters
come in their own language, offers sent by letter are held 7 days (48 h for the others); and
`rebookctl calls import` on the phone team's filled-in calls.csv, saved by German Excel
(Windows-1252, ';'), records accepted and declined rows once, however often it is run, names
FILE:LINE for a bad row and changes nothing then, and changes nothing with --dry-run."""
import csv
import glob
import io
import json
import os
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from rebookd_process import Rebookd  # noqa: E402

BIN = os.environ.get("REBOOK_BIN_DIR", "build/release/bin")
OUTAGE = "halle-2026-01-27"


def run(*argv, timeout=300, check=True):
    out = subprocess.run(list(argv), capture_output=True, text=True, timeout=timeout)
    if check and out.returncode != 0:
        raise AssertionError(f"{argv} failed ({out.returncode}):\n{out.stdout}\n{out.stderr}")
    return out


def pdf_pages(path):
    info = run("/usr/bin/pdfinfo", path).stdout
    return int(next(line.split()[1] for line in info.splitlines() if line.startswith("Pages:")))


class PaperTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory(prefix="paper-e2e-")
        d = cls.dir = cls.tmp.name
        with open(d + "/outbox.conf", "w") as f:
            f.write("[outbox]\nchain = letter, phone\n")
        cls.server = Rebookd("--simulated_time=2026-01-27T16:00:00Z",
                             "--public_base_url=https://termine.example.de",
                             "--outbox_policy=" + d + "/outbox.conf")
        with open(d + "/admin.token", "w") as f:
            f.write("admin\n")
        cls.ctl = [os.path.join(BIN, "rebookctl"), "--server", cls.server.address,
                   "--token-file", d + "/admin.token"]
        run(os.path.join(BIN, "rebook-gen"), "--preset", "halle", "--out", d + "/halle")
        run(*cls.ctl, "import", d + "/halle", "--request-id", "paper-import")
        with open(d + "/halle/offices.csv") as f:
            offices = [row["office_id"] for row in csv.DictReader(f)]
        declare = [*cls.ctl, "outage", "declare", "--start", "2026-01-27T11:50", "--end",
                   "2026-01-27T16:30", "--cause", "Stromausfall", "--id", OUTAGE]
        for o in offices:
            declare += ["--office", o]
        run(*declare)
        run(*cls.ctl, "plan", "create", OUTAGE, "--id", "p1", "--horizon-start",
            "2026-01-28T07:00", "--horizon-end", "2026-02-21T00:00", "--time-limit", "5")
        run(*cls.ctl, "plan", "commit", f"{OUTAGE}/p1")
        with open(d + "/channels.conf", "w") as f:
            f.write(f"[channel.letter]\nspool_dir = {d}/letters\n\n"
                    f"[channel.phone]\ndir = {d}/calls\n")
        run(os.path.join(BIN, "rebook-notifier"), "--server=" + cls.server.address,
            "--token-file=" + d + "/admin.token", "--once", "--channels=letter,phone",
            "--channel-config=" + d + "/channels.conf")
        cls.letters = sorted(p for p in glob.glob(d + "/letters/*/*.pdf")
                             if not p.endswith("batch.pdf"))
        cls.call_lists = sorted(glob.glob(d + "/calls/*/calls.csv"))

    @classmethod
    def tearDownClass(cls):
        cls.server.close()
        cls.tmp.cleanup()

    def offers(self, state):
        out = run(*self.ctl, "--json", "offers", "list", "--outage", OUTAGE, "--state", state)
        return json.loads(out.stdout).get("offers", [])

    def test_every_letter_of_the_halle_run_is_one_page(self):
        self.assertGreater(len(self.letters), 100)
        for pdf in self.letters:
            self.assertEqual(pdf_pages(pdf), 1, pdf)
        languages = {}
        for record in glob.glob(self.dir + "/letters/*/*.json"):
            with open(record, encoding="utf-8") as f:
                r = json.load(f)
            languages.setdefault(r["template_language"], record[:-5] + ".pdf")
        for language, word in (("ar", "موعد"), ("uk", "запис"), ("tr", "randevu")):
            self.assertIn(language, languages)
            text = run("/usr/bin/pdftotext", languages[language], "-").stdout
            self.assertIn(word, text.replace(" ", "") if language == "ar" else text, language)

    def test_letters_hold_their_offer_seven_days(self):
        holds = {}
        for o in self.offers("open"):
            created = o.get("create_time") or o["createTime"]
            expires = o.get("expire_time") or o["expireTime"]
            hours = (_seconds(expires) - _seconds(created)) / 3600
            holds[round(hours)] = holds.get(round(hours), 0) + 1
        self.assertIn(168, holds)  # letters
        self.assertIn(48, holds)   # phone calls keep the office's 48 h

    def test_calls_import_records_answers_once_and_refuses_bad_rows(self):
        self.assertTrue(self.call_lists)
        with open(self.call_lists[0], encoding="utf-8-sig", newline="") as f:
            rows = list(csv.DictReader(f, delimiter=";"))
        self.assertGreaterEqual(len(rows), 6)
        results = ["angenommen", "declined", "nicht erreicht", "accepted", "wrong_number"]
        for row, result in zip(rows, results):
            row["result"] = result
        # What German Excel saves: Windows-1252, ';', CRLF, no byte order mark.
        filled = self.dir + "/calls-filled.csv"
        buf = io.StringIO()
        w = csv.DictWriter(buf, fieldnames=list(rows[0].keys()), delimiter=";",
                           lineterminator="\r\n")
        w.writeheader()
        w.writerows(rows)
        with open(filled, "wb") as f:
            f.write(buf.getvalue().encode("cp1252", errors="replace"))

        open_before = len(self.offers("open"))
        accepted_before = len(self.offers("accepted"))
        dry = run(*self.ctl, "calls", "import", filled, "--dry-run").stdout
        self.assertIn("dry run: 0 answers recorded", dry)
        self.assertEqual(len(self.offers("open")), open_before)

        out = run(*self.ctl, "calls", "import", filled).stdout
        self.assertIn("3 answers recorded, 0 failed, 2 to call again", out)
        self.assertEqual(len(self.offers("open")), open_before - 3)
        self.assertEqual(len(self.offers("accepted")), accepted_before + 2)
        # Again: the same request ids, so nothing is recorded twice and nothing fails.
        again = run(*self.ctl, "calls", "import", filled).stdout
        self.assertIn("3 answers recorded, 0 failed", again)
        self.assertEqual(len(self.offers("open")), open_before - 3)

        # A typo names file and line, and nothing of the file is recorded.
        rows[5]["result"] = "vielleicht"
        bad = self.dir + "/calls-bad.csv"
        buf = io.StringIO()
        w = csv.DictWriter(buf, fieldnames=list(rows[0].keys()), delimiter=";")
        w.writeheader()
        w.writerows(rows)
        with open(bad, "w", encoding="utf-8-sig", newline="") as f:
            f.write(buf.getvalue())
        refused = run(*self.ctl, "calls", "import", bad, check=False)
        self.assertEqual(refused.returncode, 3, refused.stderr)
        self.assertRegex(refused.stderr, r"calls-bad\.csv:\d+: result \"vielleicht\"")
        self.assertEqual(len(self.offers("open")), open_before - 3)


def _seconds(timestamp):
    from datetime import datetime
    return datetime.fromisoformat(timestamp.replace("Z", "+00:00")).timestamp()


if __name__ == "__main__":
    unittest.main()
