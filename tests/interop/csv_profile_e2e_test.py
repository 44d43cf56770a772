"""CSV profiles end to end: each shipped profile (deploy/profiles/), with the office's own
service and location names mapped to the ids of a real rebookd's capacity, imports an export
written here in the profile's shape (German Excel: ';' and Windows-1252; the other: UTF-8 with a
byte order mark), all or nothing; a broken row is refused with file, line and column.
"""
import csv
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "python"))
from rebookd_process import Rebookd  # noqa: E402

BIN = os.environ.get("REBOOK_BIN_DIR", "build/release/bin")
SOURCE = os.environ.get("REBOOK_SOURCE_DIR",
                        os.path.join(os.path.dirname(__file__), "..", ".."))
PROFILES = os.path.join(SOURCE, "deploy", "profiles")

# Per profile: the export's file name, encoding (as Python names it), delimiter, header, and a
# function giving a row's start as the profile writes it.
SHAPES = {
    "german-excel.ini": {
        "file": "Termine.csv", "encoding": "cp1252", "bom": False, "delimiter": ";",
        "header": ["Termin-Nr.", "Datum", "Uhrzeit", "Standort", "Dienstleistung", "Name",
                   "Telefon", "E-Mail", "Personen", "Sprache"],
        "start": lambda d, t: [f"{d[8:10]}.{d[5:7]}.{d[0:4]}", t],
        "bad_start": ["10.03.2026", "9 Uhr"], "bad_column": 3, "bad_name": "Uhrzeit",
    },
    "iso-utf8.ini": {
        "file": "bookings.csv", "encoding": "utf-8", "bom": True, "delimiter": ",",
        "header": ["Booking ID", "Start", "Location", "Service", "Customer", "Phone", "Email",
                   "Persons", "Language", "Preferred channel"],
        "start": lambda d, t: [f"{d} {t}"],
        "bad_start": ["10.03.2026 09:00"], "bad_column": 2, "bad_name": "Start",
    },
}


class CsvProfiles(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.work = tempfile.TemporaryDirectory(prefix="csv-profile-e2e-")
        cls.server = Rebookd("--simulated_time=2026-03-03T06:00:00Z",
                             tokens={"csv-admin": ("admin", "*")})
        cls.env = dict(os.environ, REBOOK_SERVER=cls.server.address, REBOOK_TOKEN="csv-admin")
        tiny = os.path.join(cls.work.name, "tiny")
        subprocess.run([os.path.join(BIN, "rebook-gen"), "--preset", "tiny", "--out", tiny],
                       check=True, capture_output=True, timeout=60)
        cls.run_ctl(["import", tiny])
        with open(os.path.join(tiny, "offices.csv"), encoding="utf-8") as f:
            cls.office = next(csv.DictReader(f))["office_id"]
        with open(os.path.join(tiny, "services.csv"), encoding="utf-8") as f:
            cls.services = [r["service_id"] for r in csv.DictReader(f)][:2]

    @classmethod
    def tearDownClass(cls):
        cls.server.close()
        cls.work.cleanup()

    @classmethod
    def run_ctl(cls, args, ok=True):
        r = subprocess.run([os.path.join(BIN, "rebookctl"), *args], env=cls.env,
                           capture_output=True, text=True, timeout=120)
        if ok and r.returncode != 0:
            raise AssertionError(f"rebookctl {args}: {r.stdout}\n{r.stderr}")
        return r

    def count(self):
        out = json.loads(self.run_ctl(["--json", "appointments", "list", "--office", "-"]).stdout)
        return len(out.get("appointments", []))

    def profile(self, name):
        """The shipped profile with this office's names appended to its mapping sections."""
        path = os.path.join(self.work.name, name)
        shutil.copy(os.path.join(PROFILES, name), path)
        with open(path, "a", encoding="utf-8") as f:
            f.write(f"\n[services]\nPersonalausweis beantragen = {self.services[0]}\n"
                    f"Reisepass (Express) = {self.services[1]}\n"
                    f"[offices]\nBürgeramt Mitte = {self.office}\n")
        return path

    def export(self, shape, folder, rows):
        os.makedirs(folder, exist_ok=True)
        text = io.StringIO()
        w = csv.writer(text, delimiter=shape["delimiter"], lineterminator="\r\n")
        w.writerow(shape["header"])
        w.writerows(rows)
        data = text.getvalue().encode(shape["encoding"])
        if shape["bom"]:
            data = b"\xef\xbb\xbf" + data
        with open(os.path.join(folder, shape["file"]), "wb") as f:
            f.write(data)

    def rows(self, shape, prefix):
        services = ["Personalausweis beantragen", "Reisepass (Express)", self.services[0]]
        out = []
        for n in range(5):
            row = [f"{prefix}{n}", *shape["start"]("2026-03-10", f"{9 + n:02d}:{15 * (n % 4):02d}"),
                   "Bürgeramt Mitte", services[n % 3], f"Jürgen Müller {n}", "0345 221",
                   f"j{n}@example.org", str(1 + n % 2), "de"]
            if "Preferred channel" in shape["header"]:
                row.append("email")
            out.append(row)
        return out

    def check_profile(self, name, prefix):
        shape = SHAPES[name]
        profile = self.profile(name)
        before = self.count()

        broken = os.path.join(self.work.name, prefix + "broken")
        rows = self.rows(shape, prefix)
        rows[1][1:1 + len(shape["bad_start"])] = shape["bad_start"]
        self.export(shape, broken, rows)
        r = self.run_ctl(["import", "--from", "profile:" + profile, broken], ok=False)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn(f"{shape['file']}:3:{shape['bad_column']} ({shape['bad_name']})", r.stderr)
        self.assertIn("nothing was imported", r.stderr)
        self.assertEqual(self.count(), before)

        good = os.path.join(self.work.name, prefix + "good")
        self.export(shape, good, self.rows(shape, prefix))
        r = self.run_ctl(["import", "--from", "profile:" + profile, good])
        self.assertIn("appointments 5 received, 5 created", r.stdout)
        self.assertEqual(self.count(), before + 5)
        shown = json.loads(self.run_ctl(
            ["--json", "appointments", "show", f"offices/{self.office}/appointments/{prefix}1"]).stdout)
        self.assertEqual(shown["contact"]["name"], "Jürgen Müller 1")
        self.assertEqual(shown["service_type"], f"serviceTypes/{self.services[1]}")
        self.assertEqual(shown["cases"], 2)
        # 10 March 2026 10:15 in Berlin (CET) is 09:15 UTC.
        self.assertEqual(shown["original_start_time"], "2026-03-10T09:15:00Z")

    def test_german_excel(self):
        self.check_profile("german-excel.ini", "xl-")

    def test_iso_utf8(self):
        self.check_profile("iso-utf8.ini", "web-")


if __name__ == "__main__":
    unittest.main()
