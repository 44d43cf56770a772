"""Issue 20.3 from outside: rebookctl retries a write whose answer was lost, and long writes
show their progress.

A real rebookd on the city preset (5,000 appointments). rebookctl talks to it through CutProxy
(cut_proxy.py), which breaks the connection just before chosen answers reach rebookctl:
- the answer of `outage declare` is lost once: rebookctl exits 0 with the stored answer
  (same request id), there is exactly one outage, and rebookd logged the replay;
- the answer of `plan commit` is lost once, while a second client polls GetOperation: the
  commit's progress only grows, ends with done == total, and the offers exist once;
- every answer is lost: rebookctl exits non-zero, says the write may have happened and how to
  check (the request id); `rebookctl operation get` then says it happened.
Another caller never sees the operations (NOT_FOUND). Every wait is bounded.
"""
import json
import os
import subprocess
import sys
import threading
import time
import unittest

import grpc

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cut_proxy import CutProxy  # noqa: E402
from rebookd_process import Rebookd  # noqa: E402
from rebook.v1 import operations_pb2, operations_pb2_grpc  # noqa: E402

BIN = os.environ.get("REBOOK_BIN_DIR", "build/release/bin")
CITY_OUTAGE = ("2026-01-13T09:30", "2026-01-15T14:00")
TIMEOUT = 120


def auth(token):
    return [("authorization", f"Bearer {token}")]


class Poller(threading.Thread):
    """Polls GetOperation(request_id) every few milliseconds until it is finished."""

    def __init__(self, channel, request_id, token="admin"):
        super().__init__(daemon=True)
        self.stub = operations_pb2_grpc.OperationServiceStub(channel)
        self.request_id = request_id
        self.token = token
        self.seen = []  # every answer while running, then the finished one
        self.stop = threading.Event()

    def run(self):
        deadline = time.monotonic() + TIMEOUT
        while not self.stop.is_set() and time.monotonic() < deadline:
            try:
                op = self.stub.GetOperation(
                    operations_pb2.GetOperationRequest(request_id=self.request_id),
                    metadata=auth(self.token), timeout=2)
            except grpc.RpcError as e:
                if e.code() != grpc.StatusCode.NOT_FOUND:
                    raise
                time.sleep(0.003)
                continue
            self.seen.append(op)
            if op.finished:
                return
            time.sleep(0.003)


class RetryAndProgressTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Rebookd("--simulated_time=2026-01-15T16:00:00Z")
        cls.channel = grpc.insecure_channel(cls.server.address)
        grpc.channel_ready_future(cls.channel).result(timeout=TIMEOUT)
        cls.bundle = os.path.join(cls.server.dir.name, "city")
        subprocess.run([os.path.join(BIN, "rebook-gen"), "--preset", "city", "--out", cls.bundle],
                       check=True, capture_output=True, timeout=TIMEOUT)
        with open(os.path.join(cls.bundle, "offices.csv")) as f:
            cls.offices = [line.split(",")[0] for line in f.read().splitlines()[1:] if line]

    @classmethod
    def tearDownClass(cls):
        cls.channel.close()
        cls.server.close()

    def rebookctl(self, *args, port=None, token="admin"):
        env = dict(os.environ, REBOOK_TOKEN=token,
                   REBOOK_SERVER=f"127.0.0.1:{port or self.server.port}")
        return subprocess.run([os.path.join(BIN, "rebookctl"), *args], env=env,
                              capture_output=True, text=True, timeout=TIMEOUT)

    def declare(self, outage_id, request_id, port=None):
        args = ["outage", "declare", "--start", CITY_OUTAGE[0], "--end", CITY_OUTAGE[1],
                "--id", outage_id, "--cause", "Stromausfall", "--request-id", request_id]
        for office in self.offices:
            args += ["--office", office]
        return self.rebookctl(*args, port=port)

    def outages(self):
        out = self.rebookctl("outage", "list", "--json")
        self.assertEqual(out.returncode, 0, out.stderr)
        return json.loads(out.stdout).get("outages", [])

    def assert_progress(self, seen, request_id):
        """Within a stage `done` never shrinks; the last answer is finished with done == total."""
        self.assertTrue(seen, "GetOperation never found the operation")
        last = seen[-1]
        self.assertTrue(last.finished, last)
        self.assertEqual(last.status.code, 0, last)
        self.assertEqual(last.request_id, request_id)
        self.assertEqual(last.done, last.total, last)
        for before, after in zip(seen, seen[1:]):
            if before.stage == after.stage:
                self.assertGreaterEqual(after.done, before.done, (before, after))
        self.assertFalse(any(op.finished for op in seen[:-1]))

    def test_1_import_shows_progress(self):
        poller = Poller(self.channel, "city-import")
        poller.start()
        out = self.rebookctl("--progress", "import", self.bundle, "--request-id", "city-import")
        poller.join(timeout=TIMEOUT)
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assert_progress(poller.seen, "city-import")
        running = [op for op in poller.seen if not op.finished]
        self.assertTrue(any(op.stage == "receiving bundle" and op.done > 0 for op in running),
                        running[-3:])
        self.assertEqual(poller.seen[-1].method, "rebook.v1.AppointmentService/ImportBundle")
        # Another caller does not learn that the id exists.
        with self.assertRaises(grpc.RpcError) as e:
            operations_pb2_grpc.OperationServiceStub(self.channel).GetOperation(
                operations_pb2.GetOperationRequest(request_id="city-import"),
                metadata=auth("clerk-a"), timeout=5)
        self.assertEqual(e.exception.code(), grpc.StatusCode.NOT_FOUND)

    def test_2_declare_answer_lost_once_is_retried_and_applied_once(self):
        proxy = CutProxy(self.server.port, cut=lambda conn, call: conn == 0 and call == 1)
        try:
            out = self.declare("city-cut", "declare-cut", port=proxy.port)
        finally:
            proxy.close()
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertEqual(proxy.cuts, 1)
        self.assertIn("sending request declare-cut again", out.stderr)
        self.assertIn("Declared", out.stdout)
        self.assertEqual([o["name"] for o in self.outages()], ["outages/city-cut"])
        replays = [line for line in self.server.read_log().splitlines()
                   if "request_replayed" in line and "declare-cut" in line]
        self.assertEqual(len(replays), 1, self.server.read_log()[-2000:])

    def test_3_commit_answer_lost_once_shows_progress_and_commits_once(self):
        out = self.rebookctl("plan", "create", "city-cut", "--id", "p1", "--time-limit", "2",
                             "--request-id", "plan-p1")
        self.assertEqual(out.returncode, 0, out.stderr)
        poller = Poller(self.channel, "commit-cut")
        poller.start()
        # rebookctl reads the plan first (call 1), then commits (call 2): that answer is lost.
        proxy = CutProxy(self.server.port, cut=lambda conn, call: conn == 0 and call == 2)
        try:
            out = self.rebookctl("plan", "commit", "city-cut/p1", "--request-id", "commit-cut",
                                 port=proxy.port)
        finally:
            proxy.close()
        poller.join(timeout=TIMEOUT)
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertEqual(proxy.cuts, 1)
        self.assertIn("rebookd finished request commit-cut (OK)", out.stderr)
        self.assert_progress(poller.seen, "commit-cut")
        stages = [op.stage for op in poller.seen]
        self.assertIn("done", stages)
        plan = self.rebookctl("plan", "show", "city-cut/p1", "--json")
        self.assertEqual(plan.returncode, 0, plan.stderr)
        assigned = int(json.loads(plan.stdout)["summary"]["assigned_count"])
        self.assertGreater(assigned, 1000)
        offers = self.server.query("SELECT count(*) FROM offers")[0][0]
        self.assertEqual(offers, assigned)  # one offer per assignment: committed once
        writing = {"writing offers", "updating appointments", "queueing messages"}
        self.assertTrue(any(op.stage in writing and not op.finished for op in poller.seen),
                        stages)
        for op in poller.seen:
            if op.stage == "writing offers":
                self.assertEqual(op.total, assigned)
        self.assertIn("request_replayed", self.server.read_log())

    def test_4_every_answer_lost_tells_how_to_check(self):
        proxy = CutProxy(self.server.port, cut=lambda conn, call: True)
        try:
            out = self.declare("city-lost", "declare-lost", port=proxy.port)
        finally:
            proxy.close()
        self.assertNotEqual(out.returncode, 0)
        self.assertGreaterEqual(proxy.cuts, 2)
        self.assertIn("The write may have happened", out.stderr)
        self.assertIn("rebookctl operation get declare-lost", out.stderr)
        self.assertIn("--request-id declare-lost", out.stderr)
        # It did happen, once; rebookd says so, and the suggested repeat is safe.
        check = self.rebookctl("operation", "get", "declare-lost")
        self.assertEqual(check.returncode, 0, check.stderr)
        self.assertIn("finished: OK", check.stdout)
        again = self.declare("city-lost", "declare-lost")
        self.assertEqual(again.returncode, 0, again.stderr)
        names = [o["name"] for o in self.outages()]
        self.assertEqual(names.count("outages/city-lost"), 1, names)
        unknown = self.rebookctl("operation", "get", "never-sent")
        self.assertNotEqual(unknown.returncode, 0)
        self.assertIn("NOT_FOUND", unknown.stderr)


if __name__ == "__main__":
    unittest.main()
