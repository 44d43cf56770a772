"""The world of the scoping test: a real rebookd with two offices and the principals that call it.

Office `alpha-office` (A) belongs to the callers under test; office `bravo-office` (B) is the
foreign one. Everything of B is marked so that a leak is a plain substring search:
- every name (resource name or id) of B contains `bravo`;
- every piece of B's personal or descriptive data contains the canary `7f3x` (a citizen called
  "CANARY-B-7f3x", a canary e-mail, address, phone digits, clerk names, causes, reasons). The
  `x` keeps it out of hex: audit hashes, request and event ids are hex and would contain a
  hex canary by chance now and then (`7f3a` did once: an auditor's audit list "leaked" it).
Nothing of A and nothing shared (service types, the joint outage) contains either.

B's principals make B's real requests here, each with its own request_id; `World.recorded`
keeps them so that the test can replay them, byte for byte, as A's principals.
"""
from google.protobuf import duration_pb2, field_mask_pb2, symbol_database, timestamp_pb2

from rebook.v1 import (appointments_pb2, capacity_pb2, common_pb2, notifications_pb2,
                       offers_pb2, outages_pb2, plans_pb2)

A = "alpha-office"
B = "bravo-office"
SIM_START = "2026-01-27T08:00:00Z"
T0 = 1769511000  # 2026-01-27T10:50:00Z: the outages' start
D1 = 1769580000  # 2026-01-28T06:00:00Z: the planning horizon's start
DAY = 86400
TIMEOUT = 20  # seconds per call

ROLES = ("clerk", "office_admin", "planner", "notifier", "sync", "admin", "auditor")
# token -> (role, offices). The callers under test: every role scoped to A, and every role with no
# office at all (the offices field "," lists none).
CALLERS = {**{f"a-{r}": (r, A) for r in ROLES}, **{f"n-{r}": (r, ",") for r in ROLES}}
TOKENS = {
    "root": ("admin", "*"),
    "b-admin": ("admin", B),
    "b-office_admin": ("office_admin", B),
    "b-planner": ("planner", B),
    "b-clerk": ("clerk", B),
    **CALLERS,
}

# Substrings that must never reach A: names (only in successful answers: an error may echo the
# name it was asked for) and canaries (nowhere, not in errors either).
B_NAME = b"bravo"
CANARIES = (b"7f3x", b"7733 9191", b"77339191")
PHONE_B = "+49 345 7733 9191"


def ts(seconds):
    return timestamp_pb2.Timestamp(seconds=seconds)


def interval(start, end):
    return common_pb2.TimeInterval(start_time=ts(start), end_time=ts(end))


def mask(*paths):
    return field_mask_pb2.FieldMask(paths=list(paths))


def message_class(descriptor):
    return symbol_database.Default().GetSymbol(descriptor.full_name)


class Api:
    """Calls any method of the descriptors by its full name "pkg.Service/Method"."""

    def __init__(self, channel, methods):
        self.channel = channel
        self.methods = methods  # full name -> MethodDescriptor

    def call(self, full_name, request, token, timeout=TIMEOUT):
        """Returns the list of response messages; raises grpc.RpcError. A client-streaming
        `request` is a list of messages."""
        md = self.methods[full_name]
        path = "/" + full_name
        resp_cls = message_class(md.output_type)
        kwargs = dict(request_serializer=lambda m: m.SerializeToString(),
                      response_deserializer=resp_cls.FromString)
        metadata = (("authorization", "Bearer " + token),)
        if md.client_streaming:
            fn = (self.channel.stream_stream if md.server_streaming else
                  self.channel.stream_unary)(path, **kwargs)
            request = iter(list(request))
        else:
            fn = (self.channel.unary_stream if md.server_streaming else
                  self.channel.unary_unary)(path, **kwargs)
        if not md.server_streaming:
            return [fn(request, metadata=metadata, timeout=timeout)]
        if full_name in ("grpc.health.v1.Health/Watch", "rebook.v1.ChangeService/WatchChanges"):
            # Never ends: the first answer is enough (a watch's first answer is the replay's
            # first page).
            stream = fn(request, metadata=metadata, timeout=timeout)
            first = next(stream)
            stream.cancel()
            return [first]
        return list(fn(request, metadata=metadata, timeout=timeout))


def contact_b(i):
    return common_pb2.Contact(
        name=f"CANARY-B-7f3x Citizen {i}", phone=PHONE_B, email=f"canary-b-7f3x-{i}@example.org",
        postal_address=f"CANARY-B-7f3x Strasse {i}\n06108 Halle", language="de", channel="email")


def appointment(office, ident, start, contact=None):
    return appointments_pb2.Appointment(
        name=f"offices/{office}/appointments/{ident}", service_type="serviceTypes/kfz",
        original_start_time=ts(start), priority=2,
        contact=contact or common_pb2.Contact(name="Alice Alpha", email="alice@example.org",
                                              language="de"))


def plan_parameters(seconds=0.5):
    return plans_pb2.PlanParameters(
        horizon=interval(D1, D1 + 7 * DAY), seed=1,
        time_limit=duration_pb2.Duration(nanos=int(seconds * 1e9)))


class World:
    """Seeds A, B and a joint outage; records B's requests. Names of B's objects: `self.b`."""

    def __init__(self, api):
        self.api = api
        self.recorded = {}  # full method name -> [request (or list of messages for streams)]
        self.b = {}  # kind -> [names of B's objects]

    def root(self, method, request):
        return self.api.call(method, request, "root")

    def as_b(self, token, method, request):
        """A real request of B's principal `token`, kept for the replays."""
        out = self.api.call(method, request, token)
        self.recorded.setdefault(method, []).append(request)
        return out

    def seed(self):
        self.seed_capacity()
        self.seed_appointments()
        self.seed_outages_and_plans()
        self.seed_offers_and_messages()

    def seed_capacity(self):
        cap = capacity_pb2.ImportCapacityRequest(request_id="root-capacity")
        cap.offices.add(name=f"offices/{A}", display_name="Buergerbuero Alpha", state="DE-ST",
                        time_zone="Europe/Berlin", address="Alpha-Platz 1\n06108 Halle")
        cap.offices.add(name=f"offices/{B}", display_name="Buergerbuero 7f3x", state="DE-ST",
                        time_zone="Europe/Berlin", address="CANARY-B-7f3x Platz\n06108 Halle")
        cap.service_types.add(name="serviceTypes/kfz", display_name="Kfz-Zulassung",
                              category=common_pb2.VEHICLE_REGISTRATION, duration_minutes=15)
        cap.clerks.add(name="clerks/alpha-clerk", display_name="A. Schmidt",
                       skills=["serviceTypes/kfz"], home_office=f"offices/{A}")
        cap.clerks.add(name="clerks/bravo-clerk", display_name="CANARY-B-7f3x Clerk",
                       skills=["serviceTypes/kfz"], home_office=f"offices/{B}")
        for day in range(3):
            for office, clerk, prefix in ((A, "alpha-clerk", "alpha"), (B, "bravo-clerk", "bravo")):
                cap.shifts.add(name=f"offices/{office}/shifts/{prefix}-d{day}",
                               clerk=f"clerks/{clerk}",
                               interval=interval(D1 + day * DAY + 3600, D1 + day * DAY + 4 * 3600))
        cap.closures.add(name=f"offices/{B}/closures/2026-02-05",
                         date=common_pb2.Date(year=2026, month=2, day=5),
                         reason="CANARY-B-7f3x Personalversammlung")
        cap.standing_bookings.add(name=f"offices/{B}/standingBookings/bravo-sb-1",
                                  clerk="clerks/bravo-clerk",
                                  interval=interval(D1 + 2 * DAY + 3600, D1 + 2 * DAY + 5400))
        self.root("rebook.v1.CapacityService/ImportCapacity", [cap])

        svc = "rebook.v1.CapacityService/"
        more = capacity_pb2.ImportCapacityRequest(request_id="bravo-capacity-1")
        more.shifts.add(name=f"offices/{B}/shifts/bravo-extra", clerk="clerks/bravo-clerk",
                        interval=interval(D1 + 3 * DAY + 3600, D1 + 3 * DAY + 4 * 3600))
        self.as_b("b-office_admin", svc + "ImportCapacity", [more])
        self.as_b("b-office_admin", svc + "CreateClerk", capacity_pb2.CreateClerkRequest(
            clerk_id="bravo-clerk-2", request_id="bravo-create-clerk",
            clerk=capacity_pb2.Clerk(display_name="CANARY-B-7f3x Clerk 2",
                                     skills=["serviceTypes/kfz"], home_office=f"offices/{B}")))
        self.as_b("b-office_admin", svc + "UpdateClerk", capacity_pb2.UpdateClerkRequest(
            clerk=capacity_pb2.Clerk(name="clerks/bravo-clerk-2",
                                     display_name="CANARY-B-7f3x Clerk Two"),
            update_mask=mask("display_name"), request_id="bravo-update-clerk"))
        self.as_b("b-office_admin", svc + "CreateShift", capacity_pb2.CreateShiftRequest(
            parent=f"offices/{B}", shift_id="bravo-shift-x", request_id="bravo-create-shift",
            shift=capacity_pb2.Shift(clerk="clerks/bravo-clerk-2",
                                     interval=interval(D1 + 4 * DAY + 3600, D1 + 4 * DAY + 7200))))
        self.as_b("b-office_admin", svc + "CreateClosure", capacity_pb2.CreateClosureRequest(
            parent=f"offices/{B}", request_id="bravo-create-closure",
            closure=capacity_pb2.Closure(date=common_pb2.Date(year=2026, month=2, day=6),
                                         reason="CANARY-B-7f3x Betriebsausflug")))
        self.as_b("b-office_admin", svc + "CreateStandingBooking",
                  capacity_pb2.CreateStandingBookingRequest(
                      parent=f"offices/{B}", standing_booking_id="bravo-sb-2",
                      request_id="bravo-create-sb",
                      standing_booking=capacity_pb2.StandingBooking(
                          clerk="clerks/bravo-clerk",
                          interval=interval(D1 + 2 * DAY + 5400, D1 + 2 * DAY + 7200))))
        self.as_b("b-office_admin", svc + "UpdateOffice", capacity_pb2.UpdateOfficeRequest(
            office=capacity_pb2.Office(name=f"offices/{B}",
                                       address="CANARY-B-7f3x Neuer Platz\n06108 Halle"),
            update_mask=mask("address"), request_id="bravo-update-office"))
        self.as_b("b-office_admin", svc + "ReportClerkAbsence",
                  capacity_pb2.ReportClerkAbsenceRequest(
                      clerk="clerks/bravo-clerk-2", reason="absent",
                      interval=interval(D1 + 4 * DAY, D1 + 5 * DAY), request_id="bravo-absence"))
        self.b.update(
            offices=[f"offices/{B}"], clerks=["clerks/bravo-clerk", "clerks/bravo-clerk-2"],
            shifts=[f"offices/{B}/shifts/bravo-d0", f"offices/{B}/shifts/bravo-extra"],
            closures=[f"offices/{B}/closures/2026-02-05"],
            standing_bookings=[f"offices/{B}/standingBookings/bravo-sb-1"])

    def seed_appointments(self):
        svc = "rebook.v1.AppointmentService/"
        self.root(svc + "ImportAppointments", [appointments_pb2.ImportAppointmentsRequest(
            request_id="root-appointments",
            appointments=[appointment(A, f"alpha-appt-{i}", T0 + 600 * i) for i in range(4)] +
            [appointment(A, "alpha-joint-1", T0 + 5 * 3600),
             appointment(A, "alpha-future-1", T0 + 2 * DAY)])])
        b_appts = [appointment(B, f"bravo-appt-{i}", T0 + 600 * i, contact_b(i)) for i in range(4)]
        b_appts.append(appointment(B, "bravo-joint-1", T0 + 5 * 3600 + 600, contact_b(10)))
        b_appts += [appointment(B, f"bravo-future-{i}", T0 + 2 * DAY + 600 * i, contact_b(20 + i))
                    for i in range(1, 7)]
        self.as_b("b-planner", svc + "ImportAppointments", [
            appointments_pb2.ImportAppointmentsRequest(request_id="bravo-import-1",
                                                       appointments=b_appts[:5]),
            appointments_pb2.ImportAppointmentsRequest(appointments=b_appts[5:])])
        bundle_appt = appointment(B, "bravo-bundle-1", T0 + 3 * DAY, contact_b(30))
        self.as_b("b-planner", svc + "ImportBundle", [appointments_pb2.ImportBundleRequest(
            request_id="bravo-bundle-1",
            appointments=appointments_pb2.ImportAppointmentsRequest(appointments=[bundle_appt]))])
        walk_in = appointment(B, "", T0 + 2 * DAY, contact_b(40))
        walk_in.ClearField("name")
        walk_in.kind = common_pb2.WALK_IN
        self.as_b("b-clerk", svc + "CreateAppointment", appointments_pb2.CreateAppointmentRequest(
            parent=f"offices/{B}", appointment_id="bravo-walkin-1", appointment=walk_in,
            request_id="bravo-walkin-1"))
        fut = f"offices/{B}/appointments/bravo-future-"
        self.as_b("b-clerk", svc + "UpdateAppointment", appointments_pb2.UpdateAppointmentRequest(
            appointment=appointments_pb2.Appointment(name=fut + "1", priority=5),
            update_mask=mask("priority"), request_id="bravo-update-1"))
        self.as_b("b-clerk", svc + "MarkSelfRebooked", appointments_pb2.MarkSelfRebookedRequest(
            name=fut + "2", request_id="bravo-self-1"))
        self.as_b("b-clerk", svc + "BatchMarkSelfRebooked",
                  appointments_pb2.BatchMarkSelfRebookedRequest(
                      requests=[appointments_pb2.MarkSelfRebookedRequest(name=fut + "3")],
                      request_id="bravo-batch-1"))
        self.as_b("b-clerk", svc + "CloseAppointment", appointments_pb2.CloseAppointmentRequest(
            name=fut + "4", reason="CANARY-B-7f3x moved away", request_id="bravo-close-1"))
        self.as_b("b-admin", svc + "DeleteAppointment",
                  appointments_pb2.DeleteAppointmentRequest(name=fut + "6"))
        self.b["appointments"] = [f"offices/{B}/appointments/bravo-appt-0", fut + "1", fut + "5",
                                  f"offices/{B}/appointments/bravo-walkin-1",
                                  f"offices/{B}/appointments/bravo-joint-1"]

    def declare(self, token, outage_id, offices, start, end, cause, request_id):
        req = outages_pb2.DeclareOutageRequest(
            outage_id=outage_id, request_id=request_id,
            outage=outages_pb2.Outage(offices=[f"offices/{o}" for o in offices], cause=cause,
                                      window=interval(start, end)))
        method = "rebook.v1.OutageService/DeclareOutage"
        return self.as_b(token, method, req) if token != "root" else self.root(method, req)

    def plan(self, token, outage_id, plan_id, request_id, commit):
        method = "rebook.v1.PlanService/"
        req = plans_pb2.CreatePlanRequest(parent=f"outages/{outage_id}", plan_id=plan_id,
                                          parameters=plan_parameters(), request_id=request_id)
        call = self.root if token == "root" else lambda m, r: self.as_b(token, m, r)
        call(method + "CreatePlan", req)
        if commit:
            call(method + "CommitPlan", plans_pb2.CommitPlanRequest(
                name=f"outages/{outage_id}/plans/{plan_id}", request_id="commit-" + request_id))

    def seed_outages_and_plans(self):
        # Only principals of all offices choose outage ids (docs/resource-ids.md): root declares
        # B's outages under names that carry "bravo"; B's planner declares one more with a
        # server-assigned id, so that a real DeclareOutage of B is replayed too.
        self.declare("root", "bravo-outage", [B], T0, T0 + 3 * 3600,
                     "CANARY-B-7f3x Stromausfall", "root-declare-b1")
        self.declare("root", "alpha-outage", [A], T0, T0 + 3 * 3600, "Stromausfall",
                     "root-declare-a")
        self.declare("root", "joint-outage", [A, B], T0 + 4 * 3600, T0 + 6 * 3600, "IT-Ausfall",
                     "root-declare-joint")
        self.declare("root", "bravo-outage-2", [B], T0 + 10 * 3600, T0 + 11 * 3600,
                     "CANARY-B-7f3x Wasserschaden", "root-declare-b2")
        assigned = self.declare("b-planner", "", [B], T0 + 12 * 3600, T0 + 13 * 3600,
                                "CANARY-B-7f3x Brand", "bravo-declare-3")[0].name
        self.as_b("b-planner", "rebook.v1.OutageService/CloseOutage",
                  outages_pb2.CloseOutageRequest(name="outages/bravo-outage-2",
                                                 request_id="bravo-close-outage"))
        self.plan("b-planner", "bravo-outage", "bravo-plan-2", "bravo-plan-2", commit=False)
        self.plan("b-planner", "bravo-outage", "bravo-plan", "bravo-plan-1", commit=True)
        self.as_b("b-planner", "rebook.v1.PlanService/ReplanOutage", plans_pb2.ReplanOutageRequest(
            outage="outages/bravo-outage", parameters=plan_parameters(),
            request_id="bravo-replan-1"))
        self.plan("root", "alpha-outage", "alpha-plan", "root-plan-a", commit=True)
        self.plan("root", "joint-outage", "joint-plan-2", "root-plan-joint-2", commit=False)
        self.plan("root", "joint-outage", "joint-plan", "root-plan-joint", commit=True)
        self.b.update(outages=["outages/bravo-outage", "outages/bravo-outage-2", assigned],
                      plans=["outages/bravo-outage/plans/bravo-plan",
                             "outages/bravo-outage/plans/bravo-plan-2"])

    def seed_offers_and_messages(self):
        offers = self.root("rebook.v1.OfferService/ListOffers", offers_pb2.ListOffersRequest(
            parent=f"offices/{B}", page_size=1000))[0].offers
        open_offers = [o.name for o in offers if o.state == offers_pb2.Offer.OPEN]
        assert len(open_offers) >= 2, offers
        self.as_b("b-clerk", "rebook.v1.OfferService/RecordResponse",
                  offers_pb2.RecordResponseRequest(name=open_offers[0], response=offers_pb2.ACCEPT,
                                                   response_channel="phone",
                                                   request_id="bravo-record-1"))
        self.b["offers"] = [o.name for o in offers][:4]

        leased = self.root("rebook.v1.NotificationService/LeaseMessages",
                           notifications_pb2.LeaseMessagesRequest(
                               channels=["email", "sms", "webhook", "letter", "phone", "file"],
                               max_messages=500, worker="seed"))[0].messages
        mine = [m for m in leased if m.message.name.startswith(f"offices/{B}/")]
        assert len(mine) >= 2, [m.message.name for m in leased]
        self.b["response_tokens"] = [m.content.response_token for m in mine]
        self.b["lease_tokens"] = [(m.message.name, m.lease_token) for m in mine[1:3]]
        dead = mine[0].message.name
        self.root("rebook.v1.NotificationService/ReportDelivery",
                  notifications_pb2.ReportDeliveryRequest(
                      name=dead, lease_token=mine[0].lease_token, worker="seed",
                      outcome=notifications_pb2.ReportDeliveryRequest.PERMANENT_FAILURE,
                      reason="550 CANARY-B-7f3x no such user"))
        self.as_b("b-office_admin", "rebook.v1.NotificationService/RetryMessage",
                  notifications_pb2.RetryMessageRequest(name=dead, request_id="bravo-retry-1"))
        self.b["messages"] = [m.message.name for m in mine[:3]]
        self.as_b("b-planner", "rebook.v1.OfferService/ProcessExpiries",
                  offers_pb2.ProcessExpiriesRequest(request_id="bravo-expiries-1"))
        for method, req in (
                ("rebook.v1.SimulationService/GetSimulatedTime", None),
                ("rebook.v1.PlanService/GetPlan",
                 plans_pb2.GetPlanRequest(name="outages/bravo-outage/plans/bravo-plan")),
                ("rebook.v1.AppointmentService/GetAppointment",
                 appointments_pb2.GetAppointmentRequest(name=self.b["appointments"][0]))):
            cls = message_class(self.api.methods[method].input_type)
            self.as_b("b-admin", method, req or cls())
