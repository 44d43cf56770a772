"""Exports end to end (issue 13.4) on the Halle scenario through a real rebookd: import, declare,
plan, commit, notify (file channel), answers (accept by link, accept by phone, decline by link),
then `rebookctl export` as csv, blocks, ics (per office and per clerk) and pdf, and the office
calendar feed over HTTP. Checks: the exports agree with the database (read with Rebookd.query,
either backend) and the API; every confirmed appointment appears exactly once; the PDF has one
page per clerk-day (rendered with pdftoppm); the feed answers with the right token only (404
otherwise)."""
import csv
import json
import os
import subprocess
import sys
import tempfile
import unittest
import urllib.error
import urllib.request
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import icalendar

sys.path.insert(0, os.path.dirname(__file__))
from rebookd_process import Rebookd  # noqa: E402
from test_api import auth  # noqa: E402

from rebook.v1 import appointments_pb2, appointments_pb2_grpc  # noqa: E402

BIN = os.environ.get("REBOOK_BIN_DIR", "build/release/bin")
OUTAGE = "halle-2026-01-27"
SECRET = "s3cr3t-feed-0123456789abcdef0123456789"
ACCEPT_LINK, ACCEPT_PHONE, DECLINE_LINK = 40, 10, 10


def run(*argv, timeout=180):
    out = subprocess.run(list(argv), capture_output=True, text=True, timeout=timeout)
    if out.returncode != 0:
        raise AssertionError(f"{argv} failed ({out.returncode}):\n{out.stdout}\n{out.stderr}")
    return out.stdout


def utc(ts):
    return datetime.fromtimestamp(ts.seconds, timezone.utc)


def uid_key(uid):
    """(office, appointment) of an event UID rebook/<outage>/<office>/<appointment>@domain."""
    prefix, outage, office, rest = uid.split("/")
    assert (prefix, outage) == ("rebook", OUTAGE), uid
    return office, rest.split("@")[0]


def http(url, data=None):
    """(status, body) of a GET, or of a POST with form `data`."""
    req = urllib.request.Request(url, data=data)
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


class ExportsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory(prefix="exports-e2e-")
        d = cls.tmp.name
        cls.dir = d
        with open(os.path.join(d, "feed.secret"), "w") as f:
            f.write(SECRET + "\n")
        cls.http_port_file = os.path.join(d, "http.port")
        # The public base URL must name the HTTP port before the server picks it: bind first.
        import socket
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        http_port = s.getsockname()[1]
        s.close()
        cls.base = f"http://127.0.0.1:{http_port}"
        cls.feed_flags = ["--calendar_feed_secret_file=" + os.path.join(d, "feed.secret"),
                          "--public_base_url=" + cls.base]
        cls.server = Rebookd(f"--http_listen=127.0.0.1:{http_port}",
                             "--simulated_time=2026-01-27T16:00:00Z", "--public_rate_per_s=0",
                             "--public_failures_per_min=0", "--public_prefix_failures_per_min=0",
                             *cls.feed_flags)
        with open(os.path.join(d, "admin.token"), "w") as f:
            f.write("admin\n")
        cls.ctl = [os.path.join(BIN, "rebookctl"), "--server", cls.server.address,
                   "--token-file", os.path.join(d, "admin.token")]
        cls.prepare()

    @classmethod
    def tearDownClass(cls):
        cls.server.close()
        cls.tmp.cleanup()

    @classmethod
    def prepare(cls):
        d = cls.dir
        run(os.path.join(BIN, "rebook-gen"), "--preset", "halle", "--out", d + "/halle")
        run(*cls.ctl, "import", d + "/halle", "--request-id", "exports-import")
        with open(d + "/halle/offices.csv") as f:
            cls.offices = [row["office_id"] for row in csv.DictReader(f)]
        declare = [*cls.ctl, "outage", "declare", "--start", "2026-01-27T11:50", "--end",
                   "2026-01-27T16:30", "--cause", "Stromausfall", "--id", OUTAGE,
                   "--request-id", "exports-declare"]
        for o in cls.offices:
            declare += ["--office", o]
        run(*declare)
        run(*cls.ctl, "plan", "create", OUTAGE, "--id", "p1", "--horizon-start",
            "2026-01-28T07:00", "--horizon-end", "2026-02-21T00:00", "--time-limit", "5",
            "--request-id", "exports-plan", timeout=300)
        run(*cls.ctl, "plan", "commit", f"{OUTAGE}/p1", "--request-id", "exports-commit")
        with open(d + "/channels.conf", "w") as f:
            for c in ("email", "sms", "webhook", "letter", "phone", "file"):
                f.write(f"[channel.{c}]\ntype = file\npath = {d}/messages.jsonl\n\n")
        run(os.path.join(BIN, "rebook-notifier"), "--server=" + cls.server.address,
            "--token-file=" + d + "/admin.token", "--once",
            "--channels=email,sms,webhook,letter,phone,file",
            "--channel-config=" + d + "/channels.conf")
        tokens = []
        with open(d + "/messages.jsonl") as f:
            for line in f:
                m = json.loads(line)
                if m["kind"] == "offer" and m["response_token"] not in tokens:
                    tokens.append(m["response_token"])
        assert len(tokens) >= ACCEPT_LINK + DECLINE_LINK + ACCEPT_PHONE, len(tokens)
        for t in tokens[:ACCEPT_LINK]:
            status, body = http(f"{cls.base}/r/{t}/accept", data=b"")
            assert status == 200, (status, body[:300])
        for t in tokens[ACCEPT_LINK:ACCEPT_LINK + DECLINE_LINK]:
            status, body = http(f"{cls.base}/r/{t}/decline", data=b"")
            assert status == 200, (status, body[:300])
        offers = json.loads(run(*cls.ctl, "--json", "offers", "list", "--outage", OUTAGE,
                                "--state", "open")).get("offers", [])
        for o in offers[:ACCEPT_PHONE]:
            run(*cls.ctl, "offers", "respond", o["name"], "--response", "accept", "--channel",
                "phone")
        out = d + "/out"
        os.makedirs(out)
        run(*cls.ctl, "export", OUTAGE, "--format", "csv", "--out", out + "/schedule.csv")
        run(*cls.ctl, "export", OUTAGE, "--format", "blocks", "--out", out + "/blocks.csv")
        run(*cls.ctl, "export", OUTAGE, "--format", "ics", "--out", out + "/offices")
        run(*cls.ctl, "export", OUTAGE, "--format", "ics", "--per", "clerk", "--out",
            out + "/clerks")
        run(*cls.ctl, "export", OUTAGE, "--format", "pdf", "--out", out + "/days.pdf")
        cls.out = out

        # What the database says: every confirmed and offered appointment of the outage.
        rows = cls.server.query("SELECT office_id, id, status FROM appointments "
                                f"WHERE outage_id = '{OUTAGE}'")
        # (query() reads ids of digits only as numbers on PostgreSQL.)
        cls.db_confirmed = {(str(o), str(i)) for o, i, s in rows if s == "confirmed"}
        cls.db_offered = {(str(o), str(i)) for o, i, s in rows if s == "offered"}
        # The slots, through the API.
        stub = appointments_pb2_grpc.AppointmentServiceStub(cls.server.channel())
        cls.api = {}
        token = ""
        for _ in range(100):
            page = stub.ListAppointments(appointments_pb2.ListAppointmentsRequest(
                parent="offices/-", outage="outages/" + OUTAGE, page_size=1000,
                page_token=token), metadata=auth("admin"), timeout=30)
            for a in page.appointments:
                parts = a.name.split("/")
                cls.api[(parts[1], parts[3])] = a
            token = page.next_page_token
            if not token:
                break

    def test_answers_reached_the_database(self):
        self.assertGreaterEqual(len(self.db_confirmed), ACCEPT_LINK + ACCEPT_PHONE)
        for key in self.db_confirmed:
            self.assertTrue(self.api[key].HasField("rebooked_slot"), key)

    def test_csv_has_every_confirmed_appointment_once(self):
        with open(self.out + "/schedule.csv", encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
        keys = [(r["office_id"], r["appointment_id"]) for r in rows]
        self.assertEqual(len(keys), len(set(keys)))
        self.assertEqual(set(keys), self.db_confirmed)
        via = {"LINK": "link", "PHONE": "phone", "STAFF": "staff"}
        phone = 0
        for r in rows:
            slot = self.api[(r["office_id"], r["appointment_id"])].rebooked_slot
            start, end = utc(slot.interval.start_time), utc(slot.interval.end_time)
            self.assertEqual(r["start_utc"], start.strftime("%Y-%m-%dT%H:%M:%SZ"))
            self.assertEqual(r["end_utc"], end.strftime("%Y-%m-%dT%H:%M:%SZ"))
            self.assertEqual(r["new_office_id"], slot.office.split("/")[1])
            self.assertEqual(r["clerk_id"], slot.clerk.split("/")[1])
            zone = ZoneInfo(r["time_zone"])
            self.assertEqual(r["start"], start.astimezone(zone).strftime("%Y-%m-%dT%H:%M"))
            self.assertEqual(r["confirmed_via"],
                             via[appointments_pb2.ConfirmationChannel.Name(slot.confirmed_via)])
            phone += r["confirmed_via"] == "phone"
        self.assertEqual(phone, ACCEPT_PHONE)

    def test_blocks_are_the_filled_and_held_slots(self):
        with open(self.out + "/blocks.csv", encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
        rebooked = {(r["appointment_office_id"], r["appointment_id"]) for r in rows
                    if r["state"] == "rebooked"}
        held = {(r["appointment_office_id"], r["appointment_id"]) for r in rows
                if r["state"] == "held"}
        self.assertEqual(rebooked, self.db_confirmed)
        self.assertEqual(held, self.db_offered)
        self.assertEqual(len(rows), len(rebooked) + len(held))
        clerks = [r["clerk_id"] for r in rows]
        self.assertEqual(clerks, sorted(clerks))  # grouped per clerk

    def events(self, folder):
        """{file: [VEVENT]} of the calendars in `folder`, parsed with python3-icalendar."""
        out = {}
        for name in sorted(os.listdir(folder)):
            with open(os.path.join(folder, name), "rb") as f:
                cal = icalendar.Calendar.from_ical(f.read())
            self.assertTrue(cal.walk("VTIMEZONE"), name)
            out[name] = cal.walk("VEVENT")
        return out

    def check_confirmed_events(self, calendars):
        seen = {}
        for name, events in calendars.items():
            for e in events:
                if str(e["STATUS"]) != "CONFIRMED":
                    continue
                uid = str(e["UID"])
                self.assertNotIn(uid, seen, f"{uid} in {name} and {seen.get(uid)}")
                seen[uid] = name
                office, ident = uid_key(uid)
                slot = self.api[(office, ident)].rebooked_slot
                self.assertEqual(e["DTSTART"].dt.astimezone(timezone.utc),
                                 utc(slot.interval.start_time))
                self.assertEqual(str(e["DTSTART"].dt.tzinfo), slot.time_zone)
                self.assertGreater(int(e["SEQUENCE"]), 0)
        keys = {uid_key(uid) for uid in seen}
        self.assertEqual(keys, self.db_confirmed)
        return seen

    def test_ics_per_office_and_per_clerk(self):
        offices = self.events(self.out + "/offices")
        by_office = self.check_confirmed_events(offices)
        for uid, name in by_office.items():
            office, ident = uid_key(uid)
            slot_office = self.api[(office, ident)].rebooked_slot.office.split("/")[1]
            self.assertEqual(name, f"office-{slot_office}.ics")
        tentative = sum(str(e["STATUS"]) == "TENTATIVE" for ev in offices.values() for e in ev)
        self.assertEqual(tentative, len(self.db_offered))
        cancelled = sum(str(e["STATUS"]) == "CANCELLED" for ev in offices.values() for e in ev)
        self.assertGreater(cancelled, 0)  # the declined citizens, waiting for a new slot
        clerks = self.events(self.out + "/clerks")
        by_clerk = self.check_confirmed_events(clerks)
        for uid, name in by_clerk.items():
            office, ident = uid_key(uid)
            clerk = self.api[(office, ident)].rebooked_slot.clerk.split("/")[1]
            self.assertEqual(name, f"clerk-{clerk}.ics")

    def test_pdf_has_one_page_per_clerk_day(self):
        days = set()
        for key in self.db_confirmed:
            slot = self.api[key].rebooked_slot
            local = utc(slot.interval.start_time).astimezone(ZoneInfo(slot.time_zone))
            days.add((slot.office, slot.clerk, local.date()))
        pages = os.path.join(self.dir, "pages")
        os.makedirs(pages)
        run("pdftoppm", "-r", "20", "-png", self.out + "/days.pdf", pages + "/p")
        self.assertEqual(len(os.listdir(pages)), len(days))

    def test_feed_serves_the_office_calendar_with_the_right_token_only(self):
        office = sorted(self.offices)[0]
        url = run(os.path.join(BIN, "rebookd"), *self.feed_flags,
                  "--print_calendar_feed_url=" + office).strip()
        self.assertTrue(url.startswith(f"{self.base}/calendar/{office}/"), url)
        status, body = http(url)
        self.assertEqual(status, 200)
        feed = icalendar.Calendar.from_ical(body)
        with open(f"{self.out}/offices/office-{office}.ics", "rb") as f:
            exported = icalendar.Calendar.from_ical(f.read())
        confirmed = lambda cal: sorted(str(e["UID"]) for e in cal.walk("VEVENT")  # noqa: E731
                                       if str(e["STATUS"]) == "CONFIRMED")
        self.assertEqual(confirmed(feed), confirmed(exported))
        self.assertGreater(len(confirmed(feed)), 0)
        token = url.rsplit("/", 1)[1][:-len(".ics")]
        wrong = token[:-1] + ("A" if token[-1] != "A" else "B")
        for bad in (f"{self.base}/calendar/{office}/{wrong}.ics",
                    f"{self.base}/calendar/{office}/{token[:-2]}.ics",
                    f"{self.base}/calendar/{sorted(self.offices)[-1]}/{token}.ics",
                    f"{self.base}/calendar/{office}/{token}",
                    f"{self.base}/calendar/{office}.ics"):
            status, _ = http(bad)
            self.assertEqual(status, 404, bad)


if __name__ == "__main__":
    unittest.main()
