"""rebookd's /metrics seen from outside: a real rebookd, real calls, the body parsed by Debian's
prometheus_client parser, counts that move, and no personal data anywhere in the body."""
import os
import sys
import tempfile
import time
import unittest
import urllib.error
import urllib.request

import grpc
from prometheus_client.parser import text_string_to_metric_families

sys.path.insert(0, os.path.dirname(__file__))
from rebookd_process import Rebookd  # noqa: E402
from test_api import TIMEOUT, auth, ts  # noqa: E402

from rebook.v1 import (appointments_pb2, appointments_pb2_grpc, capacity_pb2,  # noqa: E402
                       capacity_pb2_grpc, common_pb2, outages_pb2, outages_pb2_grpc)

# Personal data of the test's citizens: none of it may appear in the metrics.
# On the real clock: an outage from five minutes ahead (issue 14 refuses windows in the past).
START = (int(time.time()) // 60 + 5) * 60
CANARIES = ("Canarina Quast", "canary-metrics-51c9@example.org", "+4915199990051", "Amtsstube")


def wait_for_file(path, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if os.path.exists(path):
            with open(path) as f:
                text = f.read().strip()
            if text:
                return text
        time.sleep(0.05)
    raise RuntimeError(f"{path} did not appear")


def scrape(port, token=None):
    req = urllib.request.Request(f"http://127.0.0.1:{port}/metrics")
    if token:
        req.add_header("Authorization", "Bearer " + token)
    with urllib.request.urlopen(req, timeout=TIMEOUT) as resp:
        return resp.status, resp.headers.get("Content-Type"), resp.read().decode()


def samples(body):
    """{(sample name, frozenset(labels)): value} and {family name: type}, via the real parser."""
    values, types = {}, {}
    for family in text_string_to_metric_families(body):
        types[family.name] = family.type
        for s in family.samples:
            values[(s.name, frozenset(s.labels.items()))] = s.value
    return values, types


def value(values, name, **labels):
    return values.get((name, frozenset(labels.items())), 0.0)


class MetricsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory(prefix="rebook-metrics-")
        cls.port_file = os.path.join(cls.tmp.name, "metrics-port")
        cls.server = Rebookd("--metrics_listen=127.0.0.1:0",
                             "--metrics_port_file=" + cls.port_file)
        cls.metrics_port = int(wait_for_file(cls.port_file))
        cls.channel = grpc.insecure_channel(cls.server.address)
        grpc.channel_ready_future(cls.channel).result(timeout=TIMEOUT)

    @classmethod
    def tearDownClass(cls):
        cls.channel.close()
        cls.server.close()
        cls.tmp.cleanup()

    def seed_and_call(self):
        capacity = capacity_pb2_grpc.CapacityServiceStub(self.channel)
        appointments = appointments_pb2_grpc.AppointmentServiceStub(self.channel)
        outages = outages_pb2_grpc.OutageServiceStub(self.channel)
        req = capacity_pb2.ImportCapacityRequest(request_id="m-seed")
        req.offices.add(name="offices/M", display_name="Amtsstube Metrik", state="DE-ST",
                        time_zone="Europe/Berlin")
        req.service_types.add(name="serviceTypes/kfz", display_name="Kfz-Zulassung",
                              category=common_pb2.VEHICLE_REGISTRATION, duration_minutes=15)
        capacity.ImportCapacity(iter([req]), metadata=auth("admin"), timeout=TIMEOUT)
        batch = appointments_pb2.ImportAppointmentsRequest(request_id="m-import")
        for i in range(5):
            batch.appointments.add(
                name=f"offices/M/appointments/m{i}", service_type="serviceTypes/kfz",
                original_start_time=ts(START + 600 * i), priority=2,
                contact=common_pb2.Contact(name=CANARIES[0], email=CANARIES[1],
                                           phone=CANARIES[2], language="de"))
        appointments.ImportAppointments(iter([batch]), metadata=auth("admin"), timeout=TIMEOUT)
        outages.DeclareOutage(outages_pb2.DeclareOutageRequest(
            outage_id="m-outage", request_id="m-declare",
            outage=outages_pb2.Outage(offices=["offices/M"], cause="Stromausfall",
                                      window=common_pb2.TimeInterval(
                                          start_time=ts(START),
                                          end_time=ts(START + 3600)))),
            metadata=auth("admin"), timeout=TIMEOUT)
        for _ in range(3):
            appointments.GetAppointment(appointments_pb2.GetAppointmentRequest(
                name="offices/M/appointments/m1"), metadata=auth("admin"), timeout=TIMEOUT)
        with self.assertRaises(grpc.RpcError) as missing:
            appointments.GetAppointment(appointments_pb2.GetAppointmentRequest(
                name="offices/M/appointments/nobody"), metadata=auth("admin"), timeout=TIMEOUT)
        self.assertEqual(missing.exception.code(), grpc.StatusCode.NOT_FOUND)

    def test_series_exist_counts_move_and_no_personal_data(self):
        status, content_type, before_body = scrape(self.metrics_port)
        self.assertEqual(status, 200)
        self.assertTrue(content_type.startswith("text/plain; version=0.0.4"), content_type)
        before, types = samples(before_body)
        for family, kind in {
                "rebook_rpc_requests": "counter", "rebook_rpc_duration_seconds": "histogram",
                "rebook_outbox_messages": "gauge",
                "rebook_outbox_oldest_unsent_age_seconds": "gauge", "rebook_offers": "gauge",
                "rebook_outages_open": "gauge", "rebook_plan_solve_seconds": "histogram",
                "rebook_plan_gap_ratio": "histogram", "rebook_plan_last_gap_ratio": "gauge",
                "rebook_sqlite_busy_waits": "counter",
                "rebook_sqlite_busy_wait_seconds": "counter",
                "rebook_sqlite_writer_queue_waits": "counter", "rebook_build_info": "gauge",
                "rebook_store_count_seconds": "gauge"}.items():
            self.assertEqual(types.get(family), kind, family)
        self.assertEqual(value(before, "rebook_outages_open"), 0)

        self.seed_and_call()
        _, _, body = scrape(self.metrics_port)
        after, _ = samples(body)
        get = "rebook.v1.AppointmentService/GetAppointment"
        self.assertEqual(value(after, "rebook_rpc_requests_total", method=get, code="OK") -
                         value(before, "rebook_rpc_requests_total", method=get, code="OK"), 3)
        self.assertEqual(value(after, "rebook_rpc_requests_total", method=get,
                               code="NOT_FOUND"), 1)
        self.assertEqual(value(after, "rebook_rpc_requests_total",
                               method="rebook.v1.AppointmentService/ImportAppointments",
                               code="OK"), 1)
        self.assertEqual(value(after, "rebook_rpc_duration_seconds_count", method=get), 4)
        self.assertEqual(value(after, "rebook_rpc_duration_seconds_bucket", method=get,
                               le="+Inf"), 4)
        self.assertGreater(value(after, "rebook_rpc_duration_seconds_sum", method=get), 0)
        self.assertEqual(value(after, "rebook_outages_open"), 1)
        for canary in CANARIES + ("m-outage", "m-import", "appointments/m"):
            self.assertNotIn(canary, body)
        # Labels hold method, code, channel, state, le and the build only.
        label_names = {name for (_, labels) in after for name, _ in labels}
        self.assertLessEqual(label_names, {"method", "code", "channel", "state", "le", "version",
                                           "commit"})

    def test_other_paths_and_methods(self):
        for path, code in (("/", 404), ("/metrics/x", 404)):
            with self.assertRaises(urllib.error.HTTPError) as e:
                urllib.request.urlopen(f"http://127.0.0.1:{self.metrics_port}{path}",
                                       timeout=TIMEOUT)
            self.assertEqual(e.exception.code, code)
        with self.assertRaises(urllib.error.HTTPError) as e:
            urllib.request.urlopen(urllib.request.Request(
                f"http://127.0.0.1:{self.metrics_port}/metrics", data=b"x", method="POST"),
                timeout=TIMEOUT)
        self.assertEqual(e.exception.code, 405)


class MetricsAccessTest(unittest.TestCase):
    def test_token_required_when_configured(self):
        tmp = tempfile.TemporaryDirectory(prefix="rebook-metrics-")
        token = "metrics-token-0123456789abcdef"
        token_file = os.path.join(tmp.name, "metrics-token")
        with open(token_file, "w") as f:
            f.write(token + "\n")
        port_file = os.path.join(tmp.name, "metrics-port")
        server = Rebookd("--metrics_listen=127.0.0.1:0", "--metrics_port_file=" + port_file,
                         "--metrics_token_file=" + token_file)
        try:
            port = int(wait_for_file(port_file))
            for bad in (None, "wrong-token-0123456789abcdef", token + "x"):
                with self.assertRaises(urllib.error.HTTPError) as e:
                    scrape(port, bad)
                self.assertEqual(e.exception.code, 401)
            status, _, body = scrape(port, token)
            self.assertEqual(status, 200)
            self.assertIn("rebook_rpc_requests_total", body)
        finally:
            server.close()
            tmp.cleanup()

    def test_public_address_without_token_is_refused(self):
        with self.assertRaises(RuntimeError) as e:
            Rebookd("--metrics_listen=0.0.0.0:0")
        self.assertIn("need a bearer token", str(e.exception))


if __name__ == "__main__":
    unittest.main()
