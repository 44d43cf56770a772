"""Issue 13.1 from outside: a real rebookd commits a plan, citizens answer (the link, a phone call
staff records, a decline) and an offer expires; every appointment then shows the slot it is
rebooked into or the slot its open offer holds, and ListAppointments filters by slot office, day
and clerk in slot order, with page tokens, scoped to the caller's offices.

Environment: REBOOK_BIN_DIR, PYTHONPATH with the generated API stubs.
"""
import datetime
import os
import sys
import unittest
import zoneinfo

import grpc
from google.protobuf import duration_pb2, timestamp_pb2

sys.path.insert(0, os.path.dirname(__file__))
from rebookd_process import Rebookd  # noqa: E402
from test_api import field_violations  # noqa: E402

from rebook.v1 import (appointments_pb2, appointments_pb2_grpc, capacity_pb2,  # noqa: E402
                       capacity_pb2_grpc, common_pb2, notifications_pb2, notifications_pb2_grpc,
                       offers_pb2, offers_pb2_grpc, outages_pb2, outages_pb2_grpc, plans_pb2,
                       plans_pb2_grpc, simulation_pb2, simulation_pb2_grpc)

T0 = 1769511000  # 2026-01-27T10:50:00Z: the outage starts
D1 = 1769580000  # 2026-01-28T06:00:00Z (07:00 in Berlin): the next day's shifts start
DAY = 86400
TIMEOUT = 20
ZONES = {"A": "Europe/Berlin", "B": "Europe/Lisbon"}  # B's local day differs from A's
TOKENS = {
    "admin": ("admin", "*"),
    "notifier": ("notifier", "*"),
    "clerk-a": ("clerk", "A"),
    "clerk-b": ("clerk", "B"),
}
Appointment = appointments_pb2.Appointment
N = 6  # appointments of office A lost to the outage


def auth(token):
    return (("authorization", "Bearer " + token),)


def ts(seconds):
    return timestamp_pb2.Timestamp(seconds=seconds)


def interval(start, end):
    return common_pb2.TimeInterval(start_time=ts(start), end_time=ts(end))


def local_day(seconds, zone):
    return datetime.datetime.fromtimestamp(seconds, zoneinfo.ZoneInfo(zone)).strftime("%Y-%m-%d")


def slot_of(a):
    if a.HasField("rebooked_slot"):
        return a.rebooked_slot
    return a.held_slot if a.HasField("held_slot") else None


class SlotsE2eTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Rebookd("--simulated_time=2026-01-27T10:50:00Z",
                             "--public_base_url=https://termine.example.org/", tokens=TOKENS)
        cls.channel = cls.server.channel()
        grpc.channel_ready_future(cls.channel).result(timeout=TIMEOUT)
        ch = cls.channel
        cls.capacity = capacity_pb2_grpc.CapacityServiceStub(ch)
        cls.appointments = appointments_pb2_grpc.AppointmentServiceStub(ch)
        cls.outages = outages_pb2_grpc.OutageServiceStub(ch)
        cls.plans = plans_pb2_grpc.PlanServiceStub(ch)
        cls.offers = offers_pb2_grpc.OfferServiceStub(ch)
        cls.notifications = notifications_pb2_grpc.NotificationServiceStub(ch)
        cls.clock = simulation_pb2_grpc.SimulationServiceStub(ch)
        cls.answered = cls.run_lifecycle()

    @classmethod
    def tearDownClass(cls):
        cls.channel.close()
        cls.server.close()

    @classmethod
    def run_lifecycle(cls):
        admin = auth("admin")
        cap = capacity_pb2.ImportCapacityRequest(request_id="slots-capacity")
        for office, zone in ZONES.items():
            cap.offices.add(name=f"offices/{office}", display_name=f"Buergerbuero {office}",
                            state="DE-ST", time_zone=zone)
        cap.service_types.add(name="serviceTypes/kfz", display_name="Kfz-Zulassung",
                              category=common_pb2.VEHICLE_REGISTRATION, duration_minutes=15)
        for clerk, office in (("ka", "A"), ("kb", "B")):
            cap.clerks.add(name=f"clerks/{clerk}", display_name=f"Clerk {clerk}",
                           skills=["serviceTypes/kfz"], home_office=f"offices/{office}")
            cap.shifts.add(name=f"offices/{office}/shifts/{clerk}-d1", clerk=f"clerks/{clerk}",
                           interval=interval(D1, D1 + 3600))
        cls.capacity.ImportCapacity(iter([cap]), metadata=admin, timeout=TIMEOUT)
        people = [Appointment(
            name=f"offices/A/appointments/a{i}", service_type="serviceTypes/kfz",
            original_start_time=ts(T0 + 600 * i), priority=2,
            allowed_offices=["offices/A", "offices/B"],
            contact=common_pb2.Contact(name=f"Citizen {i}", email=f"c{i}@example.org",
                                       language="de", channel="email")) for i in range(N)]
        imported = cls.appointments.ImportAppointments(iter([
            appointments_pb2.ImportAppointmentsRequest(request_id="slots-import",
                                                       appointments=people)]),
            metadata=admin, timeout=TIMEOUT)
        assert imported.created_count == N, imported
        cls.outages.DeclareOutage(outages_pb2.DeclareOutageRequest(
            outage_id="slots-outage", request_id="slots-declare",
            outage=outages_pb2.Outage(offices=["offices/A"], cause="Stromausfall",
                                      window=interval(T0, T0 + 2 * 3600))),
            metadata=admin, timeout=TIMEOUT)
        params = plans_pb2.PlanParameters(horizon=interval(D1, D1 + 2 * DAY), seed=1,
                                          time_limit=duration_pb2.Duration(seconds=2))
        list(cls.plans.CreatePlan(plans_pb2.CreatePlanRequest(
            parent="outages/slots-outage", plan_id="p1", parameters=params,
            request_id="slots-plan"), metadata=admin, timeout=60))
        cls.plans.CommitPlan(plans_pb2.CommitPlanRequest(
            name="outages/slots-outage/plans/p1", request_id="slots-commit"),
            metadata=admin, timeout=TIMEOUT)
        cls.after_commit = cls.list(statuses=[common_pb2.OFFERED])

        leased = cls.notifications.LeaseMessages(notifications_pb2.LeaseMessagesRequest(
            channels=["email"], max_messages=100, worker="slots-e2e"),
            metadata=auth("notifier"), timeout=TIMEOUT).messages
        token_of = {m.message.appointment: m.content.response_token for m in leased}
        open_offers = cls.offers.ListOffers(offers_pb2.ListOffersRequest(
            parent="offices/A", states=[offers_pb2.Offer.OPEN], page_size=100),
            metadata=admin, timeout=TIMEOUT).offers
        # offices/{office}/appointments/{id}/offers/{version}
        offer_of = {o.name.rsplit("/offers/", 1)[0]: o for o in open_offers}
        names = sorted(offer_of)
        assert len(names) >= 4, names
        link, phone, declined, expired = names[:4]
        cls.offers.RespondToOffer(offers_pb2.RespondToOfferRequest(
            token=token_of[link], response=offers_pb2.ACCEPT), timeout=TIMEOUT)
        cls.clock.AdvanceSimulatedTime(simulation_pb2.AdvanceSimulatedTimeRequest(
            by=duration_pb2.Duration(seconds=600)), metadata=admin, timeout=TIMEOUT)
        cls.offers.RecordResponse(offers_pb2.RecordResponseRequest(
            name=offer_of[phone].name, response=offers_pb2.ACCEPT, response_channel="phone",
            request_id="slots-phone"), metadata=auth("clerk-a"), timeout=TIMEOUT)
        cls.offers.RespondToOffer(offers_pb2.RespondToOfferRequest(
            token=token_of[declined], response=offers_pb2.DECLINE), timeout=TIMEOUT)
        cls.before_expiry = {a.name: a for a in cls.list()}
        # Past every open offer's expiry (or its slot's start): the janitor's sweep.
        cls.clock.AdvanceSimulatedTime(simulation_pb2.AdvanceSimulatedTimeRequest(
            by=duration_pb2.Duration(seconds=3 * DAY)), metadata=admin, timeout=TIMEOUT)
        cls.offers.ProcessExpiries(offers_pb2.ProcessExpiriesRequest(request_id="slots-expire"),
                                   metadata=admin, timeout=TIMEOUT)
        return {"link": link, "phone": phone, "declined": declined, "expired": expired,
                "offers": offer_of}

    @classmethod
    def list(cls, token="admin", page_size=1000, **filters):
        req = appointments_pb2.ListAppointmentsRequest(parent="offices/-", page_size=page_size,
                                                       **filters)
        return list(cls.appointments.ListAppointments(req, metadata=auth(token),
                                                      timeout=TIMEOUT).appointments)

    def get(self, name):
        return self.appointments.GetAppointment(
            appointments_pb2.GetAppointmentRequest(name=name), metadata=auth("admin"),
            timeout=TIMEOUT)

    def assert_slot(self, slot, offer_slot):
        self.assertEqual(slot.office, offer_slot.office)
        self.assertEqual(slot.clerk, offer_slot.clerk)
        self.assertEqual(slot.interval.start_time.seconds, offer_slot.interval.start_time.seconds)
        self.assertEqual(slot.interval.end_time.seconds, offer_slot.interval.end_time.seconds)
        self.assertEqual(slot.time_zone, ZONES[slot.office.split("/")[1]])

    def test_commit_holds_the_offered_slot(self):
        self.assertGreaterEqual(len(self.after_commit), 4)
        for a in self.after_commit:
            self.assertTrue(a.HasField("held_slot"), a.name)
            self.assertFalse(a.HasField("rebooked_slot"), a.name)
            self.assertEqual(a.held_slot.confirmed_via,
                             appointments_pb2.CONFIRMATION_CHANNEL_UNSPECIFIED)
            self.assertFalse(a.held_slot.HasField("confirm_time"))
        # Office A's clerk has four slots for six citizens: office B (another zone) gets the rest.
        self.assertEqual({a.held_slot.office for a in self.after_commit},
                         {"offices/A", "offices/B"})
        before = self.before_expiry[self.answered["expired"]]
        self.assertEqual(before.status, common_pb2.OFFERED)
        self.assert_slot(before.held_slot, self.answered["offers"][before.name].slot)

    def test_accepted_by_link_and_by_phone_are_rebooked_with_channel_and_time(self):
        for key, via, when in (("link", appointments_pb2.LINK, T0),
                               ("phone", appointments_pb2.PHONE, T0 + 600)):
            a = self.get(self.answered[key])
            self.assertEqual(a.status, common_pb2.CONFIRMED, key)
            self.assertFalse(a.HasField("held_slot"), key)
            self.assertTrue(a.HasField("rebooked_slot"), key)
            self.assert_slot(a.rebooked_slot, self.answered["offers"][a.name].slot)
            self.assertEqual(a.rebooked_slot.confirmed_via, via, key)
            self.assertEqual(a.rebooked_slot.confirm_time.seconds, when, key)

    def test_declined_and_expired_hold_nothing(self):
        for key in ("declined", "expired"):
            a = self.get(self.answered[key])
            self.assertIn(a.status, (common_pb2.DECLINED, common_pb2.CANCELLED,
                                     common_pb2.UNREACHABLE), key)
            self.assertFalse(a.HasField("held_slot"), key)
            self.assertFalse(a.HasField("rebooked_slot"), key)
        # After the sweep nothing is OFFERED, so no appointment holds a slot any more.
        for a in self.list():
            self.assertEqual(a.HasField("held_slot"), a.status == common_pb2.OFFERED)
            self.assertEqual(a.HasField("rebooked_slot"), a.status == common_pb2.CONFIRMED)

    def test_the_counters_list_by_slot_office_day_and_clerk(self):
        confirmed = [self.get(self.answered[k]) for k in ("link", "phone")]
        for a in confirmed:
            slot = a.rebooked_slot
            office = slot.office
            day = local_day(slot.interval.start_time.seconds, slot.time_zone)
            got = self.list(slot_office=office, slot_day=day,
                            statuses=[common_pb2.CONFIRMED])
            self.assertIn(a.name, [x.name for x in got])
            for x in got:
                self.assertEqual(x.rebooked_slot.office, office)
                self.assertEqual(local_day(x.rebooked_slot.interval.start_time.seconds,
                                           x.rebooked_slot.time_zone), day)
            starts = [(x.rebooked_slot.interval.start_time.seconds, x.name) for x in got]
            self.assertEqual(starts, sorted(starts))
            by_clerk = self.list(slot_clerk=slot.clerk)
            self.assertIn(a.name, [x.name for x in by_clerk])
            self.assertTrue(all(slot_of(x).clerk == slot.clerk for x in by_clerk))
            # The next local day of the slot's office lists none of these.
            next_day = local_day(slot.interval.start_time.seconds + DAY, slot.time_zone)
            self.assertNotIn(a.name, [x.name for x in self.list(slot_office=office,
                                                                 slot_day=next_day)])
        # Both confirmed citizens, and nobody else, have a slot now. Office A's clerk sees only
        # A's offices, all in one zone, so the day alone is enough.
        of_a = self.list(token="clerk-a", slot_day="2026-01-28")
        self.assertEqual(sorted(x.name for x in of_a), sorted(x.name for x in confirmed))

    def test_page_tokens_walk_the_slot_order(self):
        everyone = self.list(token="clerk-a", slot_day="2026-01-28")
        self.assertEqual(len(everyone), 2)
        walked, token = [], ""
        for _ in range(20):
            resp = self.appointments.ListAppointments(appointments_pb2.ListAppointmentsRequest(
                parent="offices/-", slot_day="2026-01-28", page_size=1, page_token=token),
                metadata=auth("clerk-a"), timeout=TIMEOUT)
            walked += [a.name for a in resp.appointments]
            self.assertEqual(resp.total_size, len(everyone))
            token = resp.next_page_token
            if not token:
                break
        self.assertEqual(walked, [a.name for a in everyone])
        keys = [(slot_of(a).interval.start_time.seconds, a.name) for a in everyone]
        self.assertEqual(keys, sorted(keys))

    def test_scoping_slot_filters_never_widen_what_a_caller_sees(self):
        for office in ("offices/A", "offices/B"):
            self.assertEqual(self.list(token="clerk-b", slot_office=office), [])
            for a in self.list(token="clerk-a", slot_office=office):
                self.assertTrue(a.name.startswith("offices/A/"), a.name)
        self.assertEqual(len(self.list(token="clerk-a", slot_day="2026-01-28")), 2)

    def test_bad_slot_filters_are_field_violations(self):
        cases = {"slot_office": dict(slot_office="A"),
                 "slot_day": dict(slot_day="28.01.2026"),
                 "slot_clerk": dict(slot_clerk="ka")}
        for field, bad in cases.items():
            with self.assertRaises(grpc.RpcError) as caught:
                self.list(**bad)
            self.assertEqual(caught.exception.code(), grpc.StatusCode.INVALID_ARGUMENT, field)
            self.assertEqual(field_violations(caught.exception)[1], [field])
        # A day across offices of two zones (the admin's) needs the slot's office.
        with self.assertRaises(grpc.RpcError) as caught:
            self.list(slot_day="2026-01-28")
        self.assertEqual(caught.exception.code(), grpc.StatusCode.INVALID_ARGUMENT)
        self.assertEqual(field_violations(caught.exception)[1], ["slot_day"])


if __name__ == "__main__":
    unittest.main()
