"""The change feed end to end (issue 13.2, docs/changes.md) against a real rebookd.

The world of the scoping test (tests/security/scoping_world.py) is seeded through the API:
capacity and appointments of offices A and B are imported, outages declared, plans made and
committed, an offer accepted by phone, expiries processed. Then:
- ListChanges pages through every event from cursor 0: cursors 1..N without a gap, in order,
  N equal to the rows the database holds, unique event ids, no personal data;
- an office admin of A sees exactly A's events and its cursor still reaches the end;
- WatchChanges replays what follows a cursor, then delivers an event committed while it waits,
  and sends heartbeats;
- bad requests are INVALID_ARGUMENT with field violations, a cursor ahead of the feed is
  OUT_OF_RANGE, a clerk may not read the feed;
- rebookd stopped with a watch open stops at once, and a new rebookd on the same database goes
  on with the next cursor under the same event-id epoch.
"""
import os
import sys
import threading
import time
import unittest

import grpc

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "security"))
from rebookd_process import Rebookd  # noqa: E402
from scoping_test import all_methods, bad_request_fields  # noqa: E402
from scoping_world import (A, B, SIM_START, T0, TOKENS, Api, World,  # noqa: E402
                           appointment)

from rebook.v1 import (appointments_pb2, changes_pb2, changes_pb2_grpc,  # noqa: E402
                       common_pb2)

TIMEOUT = 20
PAGE = 7  # small, so that the walk crosses many pages
CHANGE = changes_pb2.Change


def auth(token):
    return (("authorization", "Bearer " + token),)


def walk(stub, token, parent="offices/-", after=0):
    """Every event after `after` as `token` sees them, and the cursor the walk ended at."""
    events = []
    for _ in range(10000):
        resp = stub.ListChanges(changes_pb2.ListChangesRequest(
            parent=parent, after_cursor=after, page_size=PAGE), metadata=auth(token),
            timeout=TIMEOUT)
        events += resp.changes
        if not resp.changes and resp.next_cursor == after:
            return events, after
        after = resp.next_cursor
    raise AssertionError("the walk did not end")


def stored_events(server):
    """(count, last cursor) of the change events in `server`'s database."""
    return server.query("SELECT COUNT(*), COALESCE(MAX(cursor), 0) FROM change_events")[0]


class Watcher(threading.Thread):
    """Collects the responses of one WatchChanges stream until cancelled or ended."""

    def __init__(self, stub, token, after):
        super().__init__(daemon=True)
        self.call = stub.WatchChanges(changes_pb2.WatchChangesRequest(
            parent="offices/-", after_cursor=after), metadata=auth(token), timeout=120)
        self.responses = []
        self.error = None
        self.ended = threading.Event()

    def run(self):
        try:
            for resp in self.call:
                self.responses.append(resp)
        except grpc.RpcError as e:
            self.error = e
        finally:
            self.ended.set()

    def events(self):
        return [c for r in list(self.responses) for c in r.changes]

    def wait_until(self, predicate, timeout=15):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if predicate():
                return True
            time.sleep(0.05)
        return False


class ChangeFeedTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Rebookd(f"--simulated_time={SIM_START}",
                             "--public_base_url=https://rebook.example.org",
                             "--change_heartbeat_s=1", tokens=TOKENS)
        cls.channel = cls.server.channel()
        cls.api = Api(cls.channel, all_methods())
        started = time.monotonic()
        World(cls.api).seed()
        print(f"seeded in {time.monotonic() - started:.1f} s", file=sys.stderr)
        cls.stub = changes_pb2_grpc.ChangeServiceStub(cls.channel)
        cls.restarted = None

    @classmethod
    def tearDownClass(cls):
        cls.channel.close()
        if cls.restarted is not None:
            cls.restarted.close()
        cls.server.close()

    def create_walk_in(self, ident):
        walk_in = appointment(A, "", T0 + 3 * 86400)
        walk_in.ClearField("name")
        walk_in.kind = common_pb2.WALK_IN
        appointments = self.api.call(
            "rebook.v1.AppointmentService/CreateAppointment",
            appointments_pb2.CreateAppointmentRequest(
                parent=f"offices/{A}", appointment_id=ident, appointment=walk_in,
                request_id="changes-" + ident), "root")
        return appointments[0].name

    def test_1_list_pages_through_every_event_without_a_gap(self):
        events, end = walk(self.stub, "root")
        count, last = stored_events(self.server)
        self.assertGreater(count, 40)
        self.assertEqual([e.cursor for e in events], list(range(1, count + 1)))
        self.assertEqual(end, last)
        self.assertEqual(len({e.event_id for e in events}), len(events))
        epochs = {e.event_id.rsplit("-", 1)[0] for e in events}
        self.assertEqual(len(epochs), 1, epochs)
        (epoch,) = epochs
        for e in events:
            self.assertEqual(e.event_id, f"{epoch}-{e.cursor}")
            self.assertTrue(e.appointment.startswith(("offices/alpha-office/appointments/",
                                                      "offices/bravo-office/appointments/")))
            data = e.SerializeToString()
            for personal in (b"7f3x", b"Alice Alpha", b"alice@example.org", b"7733 9191"):
                self.assertNotIn(personal, data, e)
        kinds = {e.kind for e in events}
        for kind in (CHANGE.APPOINTMENT_CREATED, CHANGE.APPOINTMENT_UPDATED,
                     CHANGE.STATUS_CHANGED, CHANGE.SLOT_HELD, CHANGE.SLOT_CONFIRMED,
                     CHANGE.APPOINTMENT_ERASED):
            self.assertIn(kind, kinds, CHANGE.Kind.Name(kind))
        # The accepted offer: its appointment's newest event is the confirmation, with the slot.
        latest = {}
        for e in events:
            latest[e.appointment] = e
        confirmed = [e for e in latest.values() if e.kind == CHANGE.SLOT_CONFIRMED]
        self.assertTrue(confirmed)
        for e in confirmed:
            self.assertEqual(e.status, common_pb2.CONFIRMED)
            self.assertTrue(e.rebooked_slot.office.startswith("offices/"))
            self.assertEqual(e.rebooked_slot.time_zone, "Europe/Berlin")
            self.assertEqual(e.rebooked_slot.confirmed_via, appointments_pb2.PHONE)
            self.assertTrue(e.offer.startswith(e.appointment + "/offers/"))
        held = [e for e in events if e.kind == CHANGE.SLOT_HELD]
        self.assertTrue(all(e.held_slot.clerk.startswith("clerks/") for e in held))

    def test_2_an_office_admin_sees_its_office_only(self):
        everything, end = walk(self.stub, "root")
        mine, my_end = walk(self.stub, "a-office_admin")
        self.assertEqual([e.cursor for e in mine],
                         [e.cursor for e in everything
                          if e.appointment.startswith(f"offices/{A}/")])
        self.assertTrue(mine)
        self.assertEqual(my_end, end, "the scoped reader's cursor reaches the feed's end")
        only_b, _ = walk(self.stub, "root", parent=f"offices/{B}")
        self.assertTrue(all(e.appointment.startswith(f"offices/{B}/") for e in only_b))
        with self.assertRaises(grpc.RpcError) as e:
            walk(self.stub, "a-office_admin", parent=f"offices/{B}")
        self.assertEqual(e.exception.code(), grpc.StatusCode.NOT_FOUND)
        synced, _ = walk(self.stub, "a-sync")
        self.assertEqual([e.cursor for e in synced], [e.cursor for e in mine])

    def test_3_bad_requests_are_refused(self):
        for req, field in ((changes_pb2.ListChangesRequest(parent="offices/-", after_cursor=-1),
                            "after_cursor"),
                           (changes_pb2.ListChangesRequest(parent="bad name!"), "parent"),
                           (changes_pb2.ListChangesRequest(parent="offices/-", page_size=-1),
                            "page_size")):
            with self.assertRaises(grpc.RpcError) as e:
                self.stub.ListChanges(req, metadata=auth("root"), timeout=TIMEOUT)
            self.assertEqual(e.exception.code(), grpc.StatusCode.INVALID_ARGUMENT)
            self.assertIn(field, bad_request_fields(e.exception))
        _, last = stored_events(self.server)
        with self.assertRaises(grpc.RpcError) as e:
            self.stub.ListChanges(changes_pb2.ListChangesRequest(
                parent="offices/-", after_cursor=last + 100), metadata=auth("root"),
                timeout=TIMEOUT)
        self.assertEqual(e.exception.code(), grpc.StatusCode.OUT_OF_RANGE)
        with self.assertRaises(grpc.RpcError) as e:
            self.stub.ListChanges(changes_pb2.ListChangesRequest(parent="offices/-"),
                                  metadata=auth("a-clerk"), timeout=TIMEOUT)
        self.assertEqual(e.exception.code(), grpc.StatusCode.PERMISSION_DENIED)

    def test_4_watch_replays_then_follows(self):
        _, last = stored_events(self.server)
        watcher = Watcher(self.stub, "root", last - 3)
        watcher.start()
        try:
            self.assertTrue(watcher.wait_until(lambda: len(watcher.events()) >= 3),
                            watcher.error)
            self.assertEqual([e.cursor for e in watcher.events()], [last - 2, last - 1, last])
            name = self.create_walk_in("alpha-walkin-watch")
            self.assertTrue(watcher.wait_until(lambda: len(watcher.events()) >= 4),
                            watcher.error)
            new = watcher.events()[3]
            self.assertEqual(new.cursor, last + 1)
            self.assertEqual(new.appointment, name)
            self.assertEqual(new.kind, CHANGE.APPOINTMENT_CREATED)
            seen = len(watcher.responses)
            self.assertTrue(watcher.wait_until(
                lambda: any(not r.changes for r in watcher.responses[seen:]), timeout=5),
                "no heartbeat within 5 s at --change_heartbeat_s=1")
            self.assertEqual(watcher.responses[-1].next_cursor, last + 1)
        finally:
            watcher.call.cancel()
            watcher.ended.wait(10)

    def test_5_restart_keeps_the_cursor_sequence(self):
        events, last = walk(self.stub, "root")
        epoch = events[-1].event_id.rsplit("-", 1)[0]
        watcher = Watcher(self.stub, "root", last)
        watcher.start()
        self.assertTrue(watcher.wait_until(lambda: watcher.responses), watcher.error)
        started = time.monotonic()
        self.assertEqual(self.server.terminate(), 0)
        self.assertLess(time.monotonic() - started, 4,
                        "an open watch must not hold the 5 s shutdown grace period")
        self.assertTrue(watcher.ended.wait(10))
        type(self).restarted = Rebookd(f"--simulated_time={SIM_START}",
                                       "--public_base_url=https://rebook.example.org",
                                       tokens=TOKENS, db=self.server.db)
        self.channel.close()
        type(self).channel = self.restarted.channel()
        self.api.channel = self.channel
        type(self).stub = changes_pb2_grpc.ChangeServiceStub(self.channel)
        name = self.create_walk_in("alpha-walkin-restart")
        after, _ = walk(self.stub, "root", after=last)
        self.assertEqual([e.cursor for e in after], [last + 1])
        self.assertEqual(after[0].appointment, name)
        self.assertEqual(after[0].event_id, f"{epoch}-{last + 1}")


if __name__ == "__main__":
    unittest.main()
