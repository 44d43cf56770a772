"""ZMS end to end: a day's processes and availabilities of three scopes, written here in ZMS's
shape, import through a real rebookd (`rebookctl import --from zms`), an outage cancels the day
at two scopes, a plan is solved and committed, a few offers are accepted, and the confirmed
rebookings go back as ZMS processes JSON (`rebookctl export --format zms`). Every JSON written, the
fixture's and rebook's, validates against the schema subset of zms_schemas.py
(python3-jsonschema). A broken export is refused with its JSON path and stores nothing.
"""
import datetime
import json
import os
import subprocess
import sys
import tempfile
import unittest
import zoneinfo

import jsonschema

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "python"))
from rebookd_process import Rebookd  # noqa: E402
import zms_schemas  # noqa: E402

BIN = os.environ.get("REBOOK_BIN_DIR", "build/release/bin")
BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
DAY = datetime.date(2026, 3, 4)  # a Wednesday
SCOPES = [141, 142, 143]
SERVICES = [("120335", "Abmeldung einer Wohnung", 1), ("120703", "Reisepass", 2)]


def unix(day, hh, mm=0):
    return int(datetime.datetime(day.year, day.month, day.day, hh, mm, tzinfo=BERLIN).timestamp())


def write(path, doc):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False, indent=1)


def fixture(folder):
    """Three scopes; weekday availabilities 08:00-12:00 (141: 3 workstations, the others 2);
    processes of DAY at every scope, and a few on the following days (standing bookings)."""
    scopes = [{"id": s, "shortName": f"Schalter {s}", "source": "dldb",
               "contact": {"name": f"Bürgeramt {s}", "street": "Marktplatz", "streetNumber": "1",
                           "postalCode": "06108", "city": "Halle (Saale)"},
               "provider": {"id": 122000 + s, "source": "dldb", "name": f"Bürgeramt {s}"}}
              for s in SCOPES]
    week_start = DAY - datetime.timedelta(days=DAY.weekday())
    availabilities = []
    for i, s in enumerate(SCOPES):
        availabilities.append({
            "id": str(9000 + i), "type": "appointment", "scope": {"id": str(s)},
            "weekday": {"sunday": "0", "monday": "2", "tuesday": "4", "wednesday": "8",
                        "thursday": "16", "friday": "32", "saturday": "0"},
            "repeat": {"afterWeeks": "1", "weekOfMonth": "0"},
            "workstationCount": {"public": "1", "callcenter": "0",
                                 "intern": "3" if s == 141 else "2"},
            "slotTimeInMinutes": "10",
            "startDate": unix(week_start, 0), "endDate": unix(DAY + datetime.timedelta(days=60), 0),
            "startTime": "08:00:00", "endTime": "12:00:00"})
    processes = []
    pid = 100000
    for s in SCOPES:
        for n in range(6):
            pid += 1
            sid, name, slots = SERVICES[n % 2]
            processes.append({
                "id": pid if n % 3 else str(pid), "status": "confirmed",
                "appointments": [{"date": unix(DAY, 8 + n // 2, 30 * (n % 2)),
                                  "slotCount": str(slots), "scope": {"id": s}}],
                "requests": [{"id": sid, "name": name, "source": "dldb"}],
                "clients": [{"familyName": f"Bürger {pid}", "email": f"b{pid}@example.org",
                             "telephone": "0345 221"}],
                "scope": {"id": s}})
    for k in range(3):  # later days: they block workstations
        pid += 1
        processes.append({
            "id": pid, "status": "confirmed",
            "appointments": [{"date": unix(DAY + datetime.timedelta(days=1 + k), 9),
                              "slotCount": 1, "scope": {"id": SCOPES[k]}}],
            "requests": [{"id": "120335", "name": "Abmeldung einer Wohnung", "source": "dldb"}],
            "clients": [{"familyName": f"Bürger {pid}", "email": f"b{pid}@example.org"}]})
    processes.append({"id": 100999, "status": "deleted",  # skipped: no booking
                      "appointments": [{"date": unix(DAY, 9), "slotCount": 1, "scope": {"id": 141}}],
                      "requests": [{"id": "120335", "name": "Abmeldung einer Wohnung",
                                    "source": "dldb"}]})
    docs = {
        "scopes.json": scopes,  # a bare array
        "availabilities.json": {"meta": {"error": False, "length": len(availabilities)},
                                "data": availabilities},
        "processes.json": {"$schema": "https://schema.berlin.de/queuemanagement/process.json",
                           "meta": {"error": False, "length": len(processes)},
                           "data": processes},
    }
    os.makedirs(folder, exist_ok=True)
    for name, doc in docs.items():
        write(os.path.join(folder, name), doc)
    return docs


INPUT_SCHEMAS = {
    "scopes.json": zms_schemas.bare_or_envelope(zms_schemas.SCOPE),
    "availabilities.json": zms_schemas.bare_or_envelope(zms_schemas.AVAILABILITY),
    "processes.json": zms_schemas.bare_or_envelope(zms_schemas.process()),
}
OUTPUT_SCHEMA = zms_schemas.envelope(zms_schemas.process(written=True))


class ZmsEndToEnd(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.work = tempfile.TemporaryDirectory(prefix="zms-e2e-")
        cls.server = Rebookd("--simulated_time=2026-03-04T05:00:00Z",
                             tokens={"zms-admin": ("admin", "*")})
        cls.env = dict(os.environ, REBOOK_SERVER=cls.server.address, REBOOK_TOKEN="zms-admin")

    @classmethod
    def tearDownClass(cls):
        cls.server.close()
        cls.work.cleanup()

    def ctl(self, *args, ok=True):
        r = subprocess.run([os.path.join(BIN, "rebookctl"), *args], env=self.env,
                           capture_output=True, text=True, timeout=120)
        if ok:
            self.assertEqual(r.returncode, 0, f"rebookctl {args}: {r.stdout}\n{r.stderr}")
        return r

    def ctl_json(self, *args):
        return json.loads(self.ctl("--json", *args).stdout)

    def test_zms_import_plan_and_write_back(self):
        folder = os.path.join(self.work.name, "zms")
        docs = fixture(folder)
        for name, schema in INPUT_SCHEMAS.items():
            jsonschema.validate(docs[name], schema)

        # A broken export: refused with file and JSON path, nothing stored.
        broken = os.path.join(self.work.name, "broken")
        fixture(broken)
        bad = json.loads(json.dumps(docs["processes.json"]))
        bad["data"][12]["appointments"][0]["date"] = "morgen"
        write(os.path.join(broken, "processes.json"), bad)
        r = self.ctl("import", "--from", "zms", "--day", "2026-03-04", broken, ok=False)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn('processes.json: $.data[12].appointments[0].date: "morgen" is not a whole '
                      'number', r.stderr)
        self.assertIn("nothing was imported", r.stderr)
        self.assertNotIn("141", self.ctl("capacity", "offices").stdout)

        r = self.ctl("import", "--from", "zms", "--day", "2026-03-04", "--horizon-days", "10",
                     folder)
        self.assertIn("appointments 18 received, 18 created", r.stdout)
        self.assertIn("note: office 141: 3 workstation(s) without a clerk", r.stderr)
        self.assertIn("note: 1 process(es) skipped", r.stderr)
        appts = self.ctl_json("appointments", "list", "--office", "-")
        self.assertEqual(len(appts.get("appointments", [])), 18)
        bookings = self.ctl("capacity", "bookings").stdout
        self.assertIn("zms-100019", bookings)

        self.ctl("outage", "declare", "--id", "power", "--office", "141", "--office", "142",
                 "--start", "2026-03-04T07:00", "--end", "2026-03-04T13:00", "--cause", "power")
        self.ctl("plan", "create", "power", "--id", "p1", "--days", "5", "--time-limit", "5")
        self.ctl("plan", "commit", "power/p1")
        offers = self.ctl_json("offers", "list", "--outage", "power", "--state", "open")
        offers = offers.get("offers", [])
        self.assertGreaterEqual(len(offers), 6, offers)
        accepted = {}
        for o in offers[:5]:
            answer = self.ctl_json("offers", "respond", o["name"], "--response", "accept")
            self.assertEqual(answer["state"], "ACCEPTED")
            appointment = o["name"].split("/offers/")[0]
            accepted[int(appointment.rsplit("/", 1)[1])] = o["slot"]

        out = os.path.join(self.work.name, "back")
        r = self.ctl("export", "power", "--format", "zms", "--out", out)
        self.assertIn("exported 5 confirmed rebooking(s) as ZMS processes", r.stdout)
        with open(os.path.join(out, "processes.json"), encoding="utf-8") as f:
            written = json.load(f)
        jsonschema.validate(written, OUTPUT_SCHEMA)
        self.assertEqual(written["meta"]["length"], 5)
        by_id = {p["id"]: p for p in written["data"]}
        self.assertEqual(set(by_id), set(accepted))
        for pid, slot in accepted.items():
            p = by_id[pid]
            self.assertEqual(p["status"], "confirmed")
            start = datetime.datetime.fromisoformat(
                slot["interval"]["start_time"].replace("Z", "+00:00"))
            self.assertEqual(p["appointments"][0]["date"], int(start.timestamp()))
            office = int(slot["office"].rsplit("/", 1)[1])
            self.assertEqual(p["scope"]["id"], office)
            self.assertEqual(p["appointments"][0]["scope"]["id"], office)
            self.assertIn(office, SCOPES)
            self.assertEqual(p["scope"]["provider"]["name"], f"Bürgeramt {office} (Schalter {office})")
            self.assertEqual(p["clients"][0]["email"], f"b{pid}@example.org")


if __name__ == "__main__":
    unittest.main()
