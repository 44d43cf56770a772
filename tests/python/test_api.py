"""API v1 spoken by an outside client: Debian's python3-grpcio against a real rebookd."""
import os
import sys
import unittest

import importlib.util

import grpc
from google.protobuf import timestamp_pb2

sys.path.insert(0, os.path.dirname(__file__))
from rebookd_process import Rebookd  # noqa: E402

from google.rpc import error_details_pb2, status_pb2  # noqa: E402
from rebook.v1 import (appointments_pb2, appointments_pb2_grpc, capacity_pb2,  # noqa: E402
                       capacity_pb2_grpc, common_pb2, outages_pb2, outages_pb2_grpc)

OUTAGE_START = 1769511000  # 2026-01-27T10:50:00Z, 11:50 in Halle
TIMEOUT = 10  # seconds per call


def load_health_pb2():
    """grpc.health.v1 lives inside the grpcio package's namespace, which our generated module
    cannot join; load it by path instead."""
    for root in os.environ.get("PYTHONPATH", "").split(os.pathsep):
        path = os.path.join(root, "grpc", "health", "v1", "health_pb2.py")
        if os.path.exists(path):
            spec = importlib.util.spec_from_file_location("rebook_health_pb2", path)
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            return module
    raise ImportError("generated health_pb2.py not found on PYTHONPATH")


health_pb2 = load_health_pb2()


def auth(token):
    return (("authorization", "Bearer " + token),)


def ts(seconds):
    return timestamp_pb2.Timestamp(seconds=seconds)


def field_violations(error):
    """The google.rpc.BadRequest field paths in a failed call's trailers."""
    for key, value in error.trailing_metadata() or ():
        if key == "grpc-status-details-bin":
            status = status_pb2.Status.FromString(value)
            fields = []
            for detail in status.details:
                bad = error_details_pb2.BadRequest()
                if detail.Unpack(bad):
                    fields += [v.field for v in bad.field_violations]
            return status.code, fields
    return None, []


def appointment(office, ident, minutes_after, service="kfz"):
    return appointments_pb2.Appointment(
        name=f"offices/{office}/appointments/{ident}",
        service_type=f"serviceTypes/{service}",
        original_start_time=ts(OUTAGE_START + 60 * minutes_after),
        priority=2,
        contact=common_pb2.Contact(name="Max Muster", email="max@example.org", language="de"))


class ApiTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        # The fixtures lie in January 2026: the server's clock starts when the power failed.
        cls.server = Rebookd("--simulated_time=2026-01-27T10:50:00Z")
        cls.channel = cls.server.channel()
        grpc.channel_ready_future(cls.channel).result(timeout=TIMEOUT)
        cls.capacity = capacity_pb2_grpc.CapacityServiceStub(cls.channel)
        cls.outages = outages_pb2_grpc.OutageServiceStub(cls.channel)
        cls.appointments = appointments_pb2_grpc.AppointmentServiceStub(cls.channel)
        cls.seed()

    @classmethod
    def tearDownClass(cls):
        cls.channel.close()
        cls.server.close()

    @classmethod
    def seed(cls):
        req = capacity_pb2.ImportCapacityRequest(request_id="py-seed")
        for office in ("A", "B"):
            req.offices.add(name=f"offices/{office}", display_name=f"Bürgerbüro {office}",
                            state="DE-ST", time_zone="Europe/Berlin")
        req.service_types.add(name="serviceTypes/kfz", display_name="Kfz-Zulassung",
                              category=common_pb2.VEHICLE_REGISTRATION, duration_minutes=15)
        cls.capacity.ImportCapacity(iter([req]), metadata=auth("admin"), timeout=TIMEOUT)

        def batches():
            yield appointments_pb2.ImportAppointmentsRequest(
                request_id="py-import",
                appointments=[appointment("A", f"a{i}", i * 10) for i in range(6)])
            yield appointments_pb2.ImportAppointmentsRequest(
                appointments=[appointment("B", f"b{i}", i * 10) for i in range(3)])
        resp = cls.appointments.ImportAppointments(batches(), metadata=auth("admin"),
                                                   timeout=TIMEOUT)
        assert resp.created_count == 9, resp

    def test_health_is_serving(self):
        check = self.channel.unary_unary(
            "/grpc.health.v1.Health/Check",
            request_serializer=health_pb2.HealthCheckRequest.SerializeToString,
            response_deserializer=health_pb2.HealthCheckResponse.FromString)
        resp = check(health_pb2.HealthCheckRequest(), timeout=TIMEOUT)
        self.assertEqual(resp.status, health_pb2.HealthCheckResponse.SERVING)

    def test_declare_outage_and_read_its_impact(self):
        req = outages_pb2.DeclareOutageRequest(
            outage_id="py-outage", request_id="py-declare",
            outage=outages_pb2.Outage(offices=["offices/A"], cause="Stromausfall",
                                      window=common_pb2.TimeInterval(
                                          start_time=ts(OUTAGE_START),
                                          end_time=ts(OUTAGE_START + 30 * 60))))
        outage = self.outages.DeclareOutage(req, metadata=auth("admin"), timeout=TIMEOUT)
        self.assertEqual(outage.name, "outages/py-outage")
        self.assertEqual(outage.cancelled_appointment_count, 3)  # a0, a1, a2
        again = self.outages.DeclareOutage(req, metadata=auth("admin"), timeout=TIMEOUT)
        self.assertEqual(again.cancelled_appointment_count, 3)
        impact = self.outages.GetOutageImpact(outages_pb2.GetOutageImpactRequest(
            name="outages/py-outage"), metadata=auth("admin"), timeout=TIMEOUT)
        self.assertEqual(impact.total_appointments, 3)
        self.assertEqual(impact.rows[0].office, "offices/A")
        self.assertEqual(impact.office_statuses[0].status_counts["CANCELLED"], 3)

    def test_paging_walks_every_row_once(self):
        seen = []
        req = appointments_pb2.ListAppointmentsRequest(parent="offices/-", page_size=4)
        for _ in range(10):
            page = self.appointments.ListAppointments(req, metadata=auth("admin"),
                                                      timeout=TIMEOUT)
            seen += [a.name for a in page.appointments]
            if not page.next_page_token:
                break
            req.page_token = page.next_page_token
        self.assertEqual(len(seen), 9)
        self.assertEqual(len(set(seen)), 9)

    def test_invalid_argument_carries_bad_request_details(self):
        bad = appointment("A", "bad", 5)
        bad.priority = 42
        bad.contact.channel = "pigeon"
        req = appointments_pb2.CreateAppointmentRequest(parent="offices/A",
                                                        appointment_id="bad", appointment=bad)
        with self.assertRaises(grpc.RpcError) as caught:
            self.appointments.CreateAppointment(req, metadata=auth("admin"), timeout=TIMEOUT)
        self.assertEqual(caught.exception.code(), grpc.StatusCode.INVALID_ARGUMENT)
        code, fields = field_violations(caught.exception)
        self.assertEqual(code, grpc.StatusCode.INVALID_ARGUMENT.value[0])
        self.assertEqual(fields, ["appointment.priority", "appointment.contact.channel"])

    def test_foreign_office_is_not_found(self):
        req = appointments_pb2.GetAppointmentRequest(name="offices/A/appointments/a1")
        with self.assertRaises(grpc.RpcError) as caught:
            self.appointments.GetAppointment(req, metadata=auth("clerk-b"), timeout=TIMEOUT)
        self.assertEqual(caught.exception.code(), grpc.StatusCode.NOT_FOUND)
        own = self.appointments.GetAppointment(req, metadata=auth("clerk-a"), timeout=TIMEOUT)
        self.assertEqual(own.contact.name, "Max Muster")

    def test_missing_token_is_unauthenticated(self):
        with self.assertRaises(grpc.RpcError) as caught:
            self.outages.ListOutages(outages_pb2.ListOutagesRequest(), timeout=TIMEOUT)
        self.assertEqual(caught.exception.code(), grpc.StatusCode.UNAUTHENTICATED)


class ShutdownTest(unittest.TestCase):
    def test_sigterm_stops_gracefully(self):
        server = Rebookd()
        try:
            with grpc.insecure_channel(server.address) as channel:
                grpc.channel_ready_future(channel).result(timeout=TIMEOUT)
            self.assertEqual(server.terminate(timeout=20), 0)
            log = server.read_log()
            self.assertIn('"event":"server_draining"', log)
            self.assertIn('"event":"server_stopped"', log)
        finally:
            server.close()


if __name__ == "__main__":
    unittest.main()
