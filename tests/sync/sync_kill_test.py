"""rebook-sync against a real rebookd: SIGKILLed 20 times during about 2,000 changes, rebookd
restarted twice; at the end its sinks hold every event of the feed, with no gap, and repeat at
most one batch per kill.

The worker writes to two sinks at once: a csv folder and a webhook (services/notify/testing/
http_sink.py on 127.0.0.1, which checks every Standard Webhooks signature). The truth is the
feed itself, read with ListChanges. Every wait is bounded; every process is killed on exit.
"""
import csv
import glob
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
import unittest

import grpc
from google.protobuf import timestamp_pb2

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "python"))
from rebookd_process import Rebookd  # noqa: E402

from rebook.v1 import (appointments_pb2, appointments_pb2_grpc, capacity_pb2,  # noqa: E402
                       capacity_pb2_grpc, changes_pb2, changes_pb2_grpc, common_pb2,
                       outages_pb2, outages_pb2_grpc)

BIN = os.environ.get("REBOOK_BIN_DIR", "build/release/bin")
SOURCE = os.environ.get("REBOOK_SOURCE_DIR", ".")
SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
START = 1769511000  # 2026-01-27T10:50:00Z
TIMEOUT = 15
MAX_EVENTS = 25  # per batch: the most a kill may repeat
KILLS = 20
APPOINTMENTS = 1800  # plus an outage cancelling 200 of them: about 2,000 changes
BATCH = 60


def auth():
    return (("authorization", "Bearer admin"),)


def ts(seconds):
    return timestamp_pb2.Timestamp(seconds=seconds)


def read_text(path):
    """The file's content, stripped; "" while it does not exist."""
    try:
        with open(path) as f:
            return f.read().strip()
    except FileNotFoundError:
        return ""


def wait_for(predicate, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError("timed out waiting for " + what)


class SyncKillTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory(prefix="rebook-sync-e2e-")
        self.server = Rebookd("--simulated_time=2026-01-27T10:00:00Z")
        self.processes = []
        self.receiver_log = os.path.join(self.tmp.name, "webhook.jsonl")
        port_file = os.path.join(self.tmp.name, "receiver.port")
        self.receiver = subprocess.Popen(
            ["/usr/bin/python3", os.path.join(SOURCE, "services/notify/testing/http_sink.py"),
             "--port-file", port_file, "--log", self.receiver_log, "--secret", SECRET,
             "--max-seconds", "600"])
        wait_for(lambda: read_text(port_file), 15, "the webhook receiver")
        receiver_port = int(read_text(port_file))
        self.csv_dir = os.path.join(self.tmp.name, "csv")
        self.state_dir = os.path.join(self.tmp.name, "state")
        os.makedirs(self.state_dir)
        self.config = os.path.join(self.tmp.name, "sync.conf")
        with open(self.config, "w") as f:
            f.write(f"[sink.csv]\ndir = {self.csv_dir}\n\n"
                    f"[sink.booking]\ntype = webhook\n"
                    f"url = http://127.0.0.1:{receiver_port}/changes\nsecret = {SECRET}\n"
                    f"allow_loopback = true\n")
        self.token_file = os.path.join(self.tmp.name, "sync.token")
        with open(self.token_file, "w") as f:
            f.write("admin\n")

    def tearDown(self):
        for p in self.processes + [self.receiver]:
            if p.poll() is None:
                p.kill()
                p.wait(timeout=10)
        self.server.close()
        self.tmp.cleanup()

    def sync(self, *extra):
        with open(os.path.join(self.tmp.name, "sync.log"), "a") as log:
            return self._sync(log, *extra)

    def _sync(self, log, *extra):
        p = subprocess.Popen(
            [os.path.join(BIN, "rebook-sync"), f"--server={self.server.address}",
             f"--token-file={self.token_file}", f"--sink-config={self.config}",
             f"--state-dir={self.state_dir}", f"--max-events={MAX_EVENTS}",
             "--max-wait-ms=50", "--max-backoff-seconds=1", *extra],
            stdout=log, stderr=log)
        self.processes.append(p)
        return p

    def stubs(self):
        channel = self.server.channel()
        return (channel, capacity_pb2_grpc.CapacityServiceStub(channel),
                appointments_pb2_grpc.AppointmentServiceStub(channel),
                outages_pb2_grpc.OutageServiceStub(channel))

    def seed(self):
        channel, capacity, _, _ = self.stubs()
        req = capacity_pb2.ImportCapacityRequest(request_id="sync-seed")
        for office in ("A", "B"):
            req.offices.add(name=f"offices/{office}", display_name=f"Bürgerbüro {office}",
                            state="DE-ST", time_zone="Europe/Berlin")
        req.service_types.add(name="serviceTypes/kfz", display_name="Kfz-Zulassung",
                              category=common_pb2.VEHICLE_REGISTRATION, duration_minutes=15)
        capacity.ImportCapacity(iter([req]), metadata=auth(), timeout=TIMEOUT)
        channel.close()

    def call_with_retry(self, call):
        """Calls call(stubs) until it succeeds: rebookd may be restarting (same request ids)."""
        deadline = time.monotonic() + 60
        while True:
            channel, *stubs = self.stubs()
            try:
                return call(*stubs)
            except grpc.RpcError as e:
                if e.code() != grpc.StatusCode.UNAVAILABLE or time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
            finally:
                channel.close()

    def import_batch(self, n):
        def call(_capacity, appointments, _outages):
            req = appointments_pb2.ImportAppointmentsRequest(request_id=f"sync-import-{n}")
            for i in range(n * BATCH, (n + 1) * BATCH):
                office = "A" if i % 2 == 0 else "B"
                req.appointments.add(
                    name=f"offices/{office}/appointments/s{i}", service_type="serviceTypes/kfz",
                    original_start_time=ts(START + 60 * (i % 600)), priority=2,
                    contact=common_pb2.Contact(name="Max Muster", email="max@example.org",
                                               language="de"))
            return appointments.ImportAppointments(iter([req]), metadata=auth(),
                                                   timeout=TIMEOUT)
        self.call_with_retry(call)

    def declare_outage(self):
        def call(_capacity, _appointments, outages):
            req = outages_pb2.DeclareOutageRequest(
                outage_id="sync-outage", request_id="sync-declare",
                outage=outages_pb2.Outage(offices=["offices/A"], cause="Stromausfall",
                                          window=common_pb2.TimeInterval(
                                              start_time=ts(START),
                                              end_time=ts(START + 200 * 60))))
            return outages.DeclareOutage(req, metadata=auth(), timeout=TIMEOUT)
        self.call_with_retry(call)

    def feed(self):
        """Every event of the feed, with ListChanges."""
        events = []
        after = 0
        for _ in range(10000):
            def call(_c, _a, _o):
                channel = self.server.channel()
                try:
                    return changes_pb2_grpc.ChangeServiceStub(channel).ListChanges(
                        changes_pb2.ListChangesRequest(parent="offices/-", after_cursor=after,
                                                       page_size=1000),
                        metadata=auth(), timeout=TIMEOUT)
                finally:
                    channel.close()
            page = self.call_with_retry(call)
            events += [(c.cursor, c.event_id) for c in page.changes]
            if not page.changes and page.next_cursor <= after:
                return events
            after = max(after, page.next_cursor)
        raise AssertionError("ListChanges did not end")

    def csv_batches(self):
        batches = []
        for path in sorted(glob.glob(os.path.join(self.csv_dir, "*.csv"))):
            with open(path, encoding="utf-8", newline="") as f:
                rows = list(csv.DictReader(f))
            batches.append([(int(r["cursor"]), r["event_id"]) for r in rows])
        return batches

    def test_sigkill_loses_nothing_and_repeats_at_most_the_batch_in_flight(self):
        self.seed()
        rng = random.Random(13)
        batches = APPOINTMENTS // BATCH
        kill_at = set(rng.sample(range(1, batches), min(KILLS, batches - 1)))
        restart_at = {batches // 3, 2 * batches // 3}
        worker = self.sync()
        kills = 0
        for n in range(batches):
            self.import_batch(n)
            if n == batches // 2:
                self.declare_outage()
            if n in restart_at:
                self.server.restart()
            if n in kill_at:
                time.sleep(rng.uniform(0.0, 0.15))  # somewhere inside a batch
                worker.send_signal(signal.SIGKILL)
                worker.wait(timeout=10)
                kills += 1
                worker = self.sync()
        # Extra kills until there were KILLS, while the worker catches up.
        while kills < KILLS:
            time.sleep(rng.uniform(0.05, 0.3))
            worker.send_signal(signal.SIGKILL)
            worker.wait(timeout=10)
            kills += 1
            worker = self.sync()
        self.assertEqual(kills, KILLS)

        expected = self.feed()
        self.assertGreaterEqual(len(expected), APPOINTMENTS)
        cursors = [c for c, _ in expected]
        self.assertEqual(cursors, sorted(set(cursors)))
        # The follower catches up by itself; then SIGTERM stops it cleanly.
        wait_for(lambda: read_text(os.path.join(self.state_dir, "cursor")) == str(cursors[-1]),
                 120, "the worker to reach the feed's end")
        worker.send_signal(signal.SIGTERM)
        self.assertEqual(worker.wait(timeout=30), 0)
        # --once finds nothing more to do.
        once = self.sync("--once")
        self.assertEqual(once.wait(timeout=60), 0)

        # csv: every event, no gap, each kill repeats at most one batch of at most MAX_EVENTS.
        batches_seen = self.csv_batches()
        got = [e for b in batches_seen for e in b]
        self.assertEqual(set(got), set(expected))
        repeated_batches, highest = 0, 0
        for batch in batches_seen:
            self.assertLessEqual(len(batch), MAX_EVENTS)
            self.assertEqual([c for c, _ in batch], sorted(c for c, _ in batch))
            if batch[0][0] <= highest:
                repeated_batches += 1
            # No gap: the batch starts right after the highest cursor so far, or repeats.
            if batch[0][0] > highest:
                following = [c for c in cursors if c > highest]
                self.assertEqual(batch[0][0], following[0], f"gap before {batch[0][0]}")
            highest = max(highest, batch[-1][0])
        self.assertLessEqual(repeated_batches, KILLS)
        self.assertLessEqual(len(got) - len(expected), KILLS * MAX_EVENTS)

        # webhook: every event, every signature valid, repeats bounded the same way.
        with open(self.receiver_log) as f:
            posts = [json.loads(line) for line in f]
        self.assertTrue(all(p["signature_ok"] for p in posts))
        ids = [p["headers"]["webhook-id"] for p in posts]
        self.assertEqual(set(ids), {e for _, e in expected})
        self.assertLessEqual(len(ids) - len(expected), KILLS * MAX_EVENTS)
        print(f"{len(expected)} events, {len(batches_seen)} csv batches, "
              f"{repeated_batches} repeated, {len(got) - len(expected)} csv rows and "
              f"{len(ids) - len(expected)} POSTs repeated over {KILLS} kills")


if __name__ == "__main__":
    unittest.main()
