"""One case per RPC of API v1: the foreign requests the scoping test sends as each A principal.

The test enumerates every method of every service in the generated descriptors and fails for a
method without an entry here (and for an entry naming no method). To cover a new RPC, add ONE
entry to CASES:

    "rebook.v1.AuditService/ListAuditEvents": Case(lambda w: [
        R(parent="offices/-"), R(parent=f"offices/{B}")]),

`Case(foreign)`: `foreign(w)` returns the requests naming office B's objects (`w.b` holds B's
names by kind; `R` below builds the method's request class; a client-streaming method gets a
list of messages per request). The test adds, for every method, byte-for-byte replays of B's
recorded requests (scoping_world.py) and a request of garbage (every field invalid) that must
come back INVALID_ARGUMENT with google.rpc.BadRequest details. Further options:
- `garbage_codes`: other codes the garbage request may get (e.g. NOT_FOUND for a token);
- `own_writes`: the method may legitimately succeed for A and then store A's own request_id
  (a method that works on the caller's offices only, such as ProcessExpiries).
Every call must fail with PERMISSION_DENIED, NOT_FOUND or INVALID_ARGUMENT, or succeed without
a trace of B in the answer and without changing the database.
"""
from rebook.v1 import (appointments_pb2, capacity_pb2, common_pb2, notifications_pb2,
                       offers_pb2, outages_pb2, plans_pb2, privacy_pb2)
from scoping_world import A, B, D1, DAY, T0, appointment, contact_b, interval, mask, ts


class Case:
    def __init__(self, foreign, garbage_codes=(), own_writes=False):
        self.foreign = foreign
        self.garbage_codes = set(garbage_codes)
        self.own_writes = own_writes


class R:
    """Placeholder for "the request class of this method"; resolved by the test."""

    def __init__(self, **fields):
        self.fields = fields


ap, cap, out, pl, of, no = (appointments_pb2, capacity_pb2, outages_pb2, plans_pb2, offers_pb2,
                            notifications_pb2)
ANY = "offices/-"
# B's citizen as A might name them: phone digits spelt otherwise, B's e-mail in upper case (the
# lookup ignores case; the canaries are lower case, so an echo of the key is no finding).
CITIZENS_B = ("0345 77339 191", "CANARY-B-7F3A-1@EXAMPLE.ORG")
OB = f"offices/{B}"
OA = f"offices/{A}"


def names(kind, field="name", also=()):
    """One request per B object of `kind`, plus the same id under A's office and under `-`."""
    def build(w):
        result = [R(**{field: n}) for n in w.b[kind]]
        first = w.b[kind][0]
        if first.startswith(OB + "/"):
            for office in (OA, ANY):
                result.append(R(**{field: office + first[len(OB):]}))
        return result + [R(**{field: n, **extra}) for n in w.b[kind][:1] for extra in also]
    return build


def b_appointment_record(w):
    changed = appointment(B, "bravo-future-5", T0 + 9 * DAY, contact_b(99))
    return [ap.ImportAppointmentsRequest(appointments=[changed])]


def capacity_records():
    """Bulk capacity records that name B's objects, one foreign record per import."""
    kinds = [
        dict(offices=[cap.Office(name=OB, display_name="taken", state="DE-ST")]),
        dict(offices=[cap.Office(name="offices/bravo-new", display_name="new", state="DE-ST")]),
        dict(clerks=[cap.Clerk(name="clerks/bravo-clerk", display_name="taken",
                               skills=["serviceTypes/kfz"], home_office=OA)]),
        dict(clerks=[cap.Clerk(name="clerks/alpha-clerk", display_name="A. Schmidt",
                               skills=["serviceTypes/kfz"], home_office=OB)]),
        dict(service_types=[cap.ServiceType(name="serviceTypes/kfz", display_name="Kfz",
                                            category=common_pb2.VEHICLE_REGISTRATION,
                                            duration_minutes=99)]),
        dict(shifts=[cap.Shift(name=f"{OB}/shifts/bravo-d0", clerk="clerks/bravo-clerk",
                               interval=interval(D1 + 3600, D1 + 7200))]),
        dict(shifts=[cap.Shift(name=f"{OA}/shifts/alpha-bravo", clerk="clerks/bravo-clerk",
                               interval=interval(D1 + 5 * DAY, D1 + 5 * DAY + 3600))]),
        dict(closures=[cap.Closure(name=f"{OB}/closures/2026-02-09",
                                   date=common_pb2.Date(year=2026, month=2, day=9), reason="x")]),
        dict(standing_bookings=[cap.StandingBooking(
            name=f"{OB}/standingBookings/bravo-sb-1", clerk="clerks/bravo-clerk",
            interval=interval(D1 + 3600, D1 + 5400))]),
    ]
    return [cap.ImportCapacityRequest(**k) for k in kinds] + [
        cap.ImportCapacityRequest(validate_only=True, **k) for k in kinds[:3]]


def import_capacity(w):
    return [[r] for r in capacity_records()]


def import_bundle(w):
    bundles = [[ap.ImportBundleRequest(capacity=r)] for r in capacity_records()]
    for batch in b_appointment_record(w):
        bundles.append([ap.ImportBundleRequest(appointments=batch)])
    return bundles


def import_appointments(w):
    fresh = appointment(B, "bravo-new-1", T0 + 4 * DAY)
    mixed = [appointment(A, "alpha-new-1", T0 + 4 * DAY), fresh]
    return [b_appointment_record(w), [ap.ImportAppointmentsRequest(appointments=[fresh])],
            [ap.ImportAppointmentsRequest(appointments=mixed)],
            [ap.ImportAppointmentsRequest(validate_only=True, appointments=[fresh])]]


def update_appointment(w):
    reqs = []
    for name in w.b["appointments"][:2]:
        reqs.append(R(appointment=ap.Appointment(name=name, contact=contact_b(77)),
                      update_mask=mask("contact")))
        reqs.append(R(appointment=ap.Appointment(name=name, kind=common_pb2.WALK_IN),
                      update_mask=mask("kind")))
    own = f"{OA}/appointments/alpha-future-1"
    for path in ("kind", "name", "status", "outage", "create_time", "status_reason",
                 "contact.name,kind"):
        reqs.append(R(appointment=ap.Appointment(name=own, kind=common_pb2.WALK_IN,
                                                 status=common_pb2.CLOSED, outage="outages/x",
                                                 create_time=ts(1)),
                      update_mask=mask(*path.split(","))))
    reqs.append(R(appointment=ap.Appointment(name=own, allowed_offices=[OA, OB]),
                  update_mask=mask("allowed_offices")))
    return reqs


def create_appointment(w):
    walk_in = ap.Appointment(service_type="serviceTypes/kfz", original_start_time=ts(T0),
                             kind=common_pb2.WALK_IN, contact=contact_b(5))
    own = ap.Appointment(service_type="serviceTypes/kfz", original_start_time=ts(T0 + 4 * DAY),
                         allowed_offices=[OA, OB])
    return [R(parent=OB, appointment_id="bravo-x1", appointment=walk_in),
            R(parent=ANY, appointment_id="bravo-x2", appointment=walk_in),
            R(parent=OA, appointment_id="alpha-x3", appointment=own)]


def outage_of(offices, **kw):
    return out.Outage(offices=offices, window=interval(T0 + 20 * 3600, T0 + 21 * 3600),
                      cause="x", **kw)


def update_clerk(w):
    return [R(clerk=cap.Clerk(name="clerks/bravo-clerk", display_name="mine"),
              update_mask=mask("display_name")),
            R(clerk=cap.Clerk(name="clerks/bravo-clerk", home_office=OA),
              update_mask=mask("home_office")),
            R(clerk=cap.Clerk(name="clerks/alpha-clerk", home_office=OB),
              update_mask=mask("home_office")),
            R(clerk=cap.Clerk(name="clerks/alpha-clerk", display_name="x"),
              update_mask=mask("name", "display_name"))]


def plan_params():
    return pl.PlanParameters(horizon=interval(D1, D1 + 7 * DAY), seed=1)


def shift_in(clerk, day=6):
    return cap.Shift(clerk=clerk, interval=interval(D1 + day * DAY + 3600, D1 + day * DAY + 7200))


JOINT = "outages/joint-outage"
CHANNELS = ["email", "sms", "webhook", "letter", "phone", "file"]
FAKE_TOKEN = "Zm9vYmFyZm9vYmFyZm9vYmFyZm9vYmFyZm9vYmFyZm9v"

CASES = {
    # OutageService
    "rebook.v1.OutageService/DeclareOutage": Case(lambda w: [
        R(outage=outage_of([OB])), R(outage=outage_of([OA, OB])),
        R(outage_id="alpha-x", outage=outage_of([OB]))]),
    "rebook.v1.OutageService/GetOutage": Case(names("outages")),
    "rebook.v1.OutageService/ListOutages": Case(lambda w: [
        R(), R(office=ANY), R(office=OB), R(office=OB, state=out.Outage.CLOSED)]),
    "rebook.v1.OutageService/CloseOutage": Case(lambda w: [
        R(name=n, force=True, reason="x") for n in w.b["outages"] + [JOINT]]),
    "rebook.v1.OutageService/GetOutageImpact": Case(lambda w: [
        R(name=n) for n in w.b["outages"] + [JOINT]]),
    # AppointmentService
    "rebook.v1.AppointmentService/ImportAppointments": Case(import_appointments),
    "rebook.v1.AppointmentService/ImportBundle": Case(import_bundle),
    "rebook.v1.AppointmentService/CreateAppointment": Case(create_appointment),
    "rebook.v1.AppointmentService/GetAppointment": Case(names("appointments")),
    # "Why this slot?": a foreign appointment is NOT_FOUND, never an explanation.
    "rebook.v1.AppointmentService/ExplainSlot": Case(names("appointments", also=(
        {"language_code": "en"},))),
    "rebook.v1.AppointmentService/ListAppointments": Case(lambda w: [
        R(parent=ANY), R(parent=OB), R(parent=ANY, outage="outages/bravo-outage"),
        R(parent=ANY, outage=JOINT), R(parent=OA, outage="outages/bravo-outage"),
        R(parent=ANY, statuses=[common_pb2.CANCELLED, common_pb2.OFFERED, common_pb2.CLOSED]),
        # Slot filters narrow the caller's scope, never widen it (issue 13.1).
        R(parent=ANY, slot_office=OB), R(parent=OB, slot_office=OB),
        R(parent=ANY, slot_office=OB, slot_day="2026-01-28"),
        R(parent=ANY, slot_clerk="clerks/bravo-clerk")]),
    "rebook.v1.AppointmentService/UpdateAppointment": Case(update_appointment),
    "rebook.v1.AppointmentService/MarkSelfRebooked": Case(names("appointments")),
    "rebook.v1.AppointmentService/BatchMarkSelfRebooked": Case(lambda w: [
        R(requests=[ap.MarkSelfRebookedRequest(name=n)]) for n in w.b["appointments"]] + [
        R(requests=[ap.MarkSelfRebookedRequest(name=f"{OA}/appointments/alpha-future-1"),
                    ap.MarkSelfRebookedRequest(name=w.b["appointments"][1])])]),
    "rebook.v1.AppointmentService/CloseAppointment": Case(names("appointments", also=[
        dict(reason="x")])),
    "rebook.v1.AppointmentService/DeleteAppointment": Case(names("appointments")),
    # CapacityService
    "rebook.v1.CapacityService/CreateOffice": Case(lambda w: [
        R(office_id=B, office=cap.Office(display_name="x", state="DE-ST")),
        R(office_id="bravo-new", office=cap.Office(display_name="x", state="DE-ST"))]),
    "rebook.v1.CapacityService/GetOffice": Case(names("offices")),
    "rebook.v1.CapacityService/ListOffices": Case(lambda w: [R(), R(page_size=1000)]),
    "rebook.v1.CapacityService/UpdateOffice": Case(lambda w: [
        R(office=cap.Office(name=OB, display_name="mine"), update_mask=mask("display_name")),
        R(office=cap.Office(name=OB, address="x")),
        R(office=cap.Office(name=OA, display_name="x"), update_mask=mask("name"))]),
    "rebook.v1.CapacityService/DeleteOffice": Case(names("offices")),
    "rebook.v1.CapacityService/CreateServiceType": Case(lambda w: [
        R(service_type_id="bravo-svc", service_type=cap.ServiceType(
            display_name="x", category=common_pb2.OTHER, duration_minutes=10))]),
    "rebook.v1.CapacityService/GetServiceType": Case(lambda w: [
        R(name="serviceTypes/bravo-svc"), R(name="serviceTypes/kfz")]),
    "rebook.v1.CapacityService/ListServiceTypes": Case(lambda w: [R()]),
    "rebook.v1.CapacityService/UpdateServiceType": Case(lambda w: [
        R(service_type=cap.ServiceType(name="serviceTypes/kfz", duration_minutes=99),
          update_mask=mask("duration_minutes"))]),
    "rebook.v1.CapacityService/DeleteServiceType": Case(lambda w: [
        R(name="serviceTypes/kfz")]),
    "rebook.v1.CapacityService/CreateClerk": Case(lambda w: [
        R(clerk_id="bravo-x", clerk=cap.Clerk(display_name="x", home_office=OB)),
        R(clerk_id="bravo-y", clerk=cap.Clerk(display_name="x",
                                              skills=["serviceTypes/kfz"]))]),
    "rebook.v1.CapacityService/GetClerk": Case(names("clerks")),
    "rebook.v1.CapacityService/ListClerks": Case(lambda w: [R(), R(office=ANY), R(office=OB)]),
    "rebook.v1.CapacityService/UpdateClerk": Case(update_clerk),
    "rebook.v1.CapacityService/DeleteClerk": Case(names("clerks")),
    "rebook.v1.CapacityService/CreateShift": Case(lambda w: [
        R(parent=OB, shift=shift_in("clerks/bravo-clerk")),
        R(parent=OA, shift=shift_in("clerks/bravo-clerk")),
        R(parent=OB, shift=shift_in("clerks/alpha-clerk"))]),
    "rebook.v1.CapacityService/GetShift": Case(names("shifts")),
    "rebook.v1.CapacityService/ListShifts": Case(lambda w: [
        R(parent=ANY), R(parent=OB), R(parent=ANY, clerk="clerks/bravo-clerk")]),
    "rebook.v1.CapacityService/DeleteShift": Case(names("shifts")),
    "rebook.v1.CapacityService/CreateClosure": Case(lambda w: [
        R(parent=OB, closure=cap.Closure(date=common_pb2.Date(year=2026, month=2, day=10),
                                         reason="x"))]),
    "rebook.v1.CapacityService/ListClosures": Case(lambda w: [R(parent=OB), R(parent=ANY)]),
    "rebook.v1.CapacityService/DeleteClosure": Case(names("closures")),
    "rebook.v1.CapacityService/CreateStandingBooking": Case(lambda w: [
        R(parent=OB, standing_booking_id="alpha-sb", standing_booking=cap.StandingBooking(
            clerk="clerks/bravo-clerk", interval=interval(D1 + 6 * DAY, D1 + 6 * DAY + 600))),
        R(parent=OA, standing_booking_id="alpha-sb", standing_booking=cap.StandingBooking(
            clerk="clerks/bravo-clerk", interval=interval(D1 + 6 * DAY, D1 + 6 * DAY + 600)))]),
    "rebook.v1.CapacityService/ListStandingBookings": Case(lambda w: [
        R(parent=OB), R(parent=ANY), R(parent=ANY, clerk="clerks/bravo-clerk")]),
    "rebook.v1.CapacityService/DeleteStandingBooking": Case(names("standing_bookings")),
    "rebook.v1.CapacityService/ReportClerkAbsence": Case(lambda w: [
        R(clerk=c, interval=interval(D1, D1 + 9 * DAY), reason="sick") for c in w.b["clerks"]]),
    "rebook.v1.CapacityService/ImportCapacity": Case(import_capacity),
    # PlanService
    "rebook.v1.PlanService/CreatePlan": Case(lambda w: [
        R(parent=n, parameters=plan_params()) for n in w.b["outages"] + [JOINT]] + [
        # What-if capacity at B's office, on B's and on the joint outage.
        R(parent=n, parameters=plan_params(), what_if=pl.CapacityChanges(
            extra_shifts=[pl.CapacityChanges.ExtraShift(
                office=OB, date=common_pb2.Date(year=2026, month=1, day=28),
                service_type="serviceTypes/kfz", minutes=120)],
            absences=[pl.CapacityChanges.ClerkAbsence(
                clerk="clerks/bravo-clerk", start_date=common_pb2.Date(year=2026, month=1,
                                                                       day=28))]))
        for n in w.b["outages"][:1] + [JOINT]]),
    "rebook.v1.PlanService/GetPlan": Case(names("plans")),
    "rebook.v1.PlanService/ListPlans": Case(lambda w: [R(parent=n) for n in w.b["outages"]]),
    "rebook.v1.PlanService/ListPlanAssignments": Case(lambda w: [
        R(parent=n) for n in w.b["plans"]] + [
        R(parent=f"{JOINT}/plans/joint-plan", office=OB),
        R(parent=f"{JOINT}/plans/joint-plan", office=ANY),
        R(parent=f"{JOINT}/plans/joint-plan")]),
    "rebook.v1.PlanService/ComparePlans": Case(lambda w: [
        R(plan_a=w.b["plans"][0], plan_b=w.b["plans"][1]),
        R(plan_a=f"{JOINT}/plans/joint-plan", plan_b=f"{JOINT}/plans/joint-plan-2")]),
    "rebook.v1.PlanService/CommitPlan": Case(lambda w: [
        R(name=n) for n in w.b["plans"] + [f"{JOINT}/plans/joint-plan-2"]]),
    "rebook.v1.PlanService/ReplanOutage": Case(lambda w: [
        R(outage=n) for n in w.b["outages"] + [JOINT]]),
    # OfferService (the two public methods take the response token as their only credential)
    "rebook.v1.OfferService/GetPublicOffer": Case(lambda w: [
        R(token=w.b["offers"][0]), R(token=FAKE_TOKEN), R(token=B)], garbage_codes={"NOT_FOUND"}),
    "rebook.v1.OfferService/RespondToOffer": Case(lambda w: [
        R(token=w.b["offers"][0], response=of.ACCEPT), R(token=FAKE_TOKEN, response=of.DECLINE)],
        garbage_codes={"NOT_FOUND"}),
    "rebook.v1.OfferService/RecordResponse": Case(lambda w: [
        R(name=n, response=of.ACCEPT, response_channel="phone") for n in w.b["offers"][:2]] + [
        R(name=OA + w.b["offers"][0][len(OB):], response=of.DECLINE)]),
    "rebook.v1.OfferService/GetOffer": Case(names("offers")),
    "rebook.v1.OfferService/ListOffers": Case(lambda w: [
        R(parent=ANY), R(parent=OB), R(parent=w.b["appointments"][0]),
        R(parent=ANY, outage="outages/bravo-outage"), R(parent=ANY, outage=JOINT)]),
    "rebook.v1.OfferService/ProcessExpiries": Case(lambda w: [R()], own_writes=True),
    # NotificationService
    "rebook.v1.NotificationService/LeaseMessages": Case(lambda w: [
        R(channels=CHANNELS, max_messages=500)]),
    "rebook.v1.NotificationService/ReportDelivery": Case(lambda w: [
        R(name=n, lease_token=t, outcome=no.ReportDeliveryRequest.DELIVERED)
        for n, t in w.b["lease_tokens"]]),
    "rebook.v1.NotificationService/ReportDeliveries": Case(lambda w: [
        R(reports=[no.ReportDeliveryRequest(name=n, lease_token=t,
                                            outcome=no.ReportDeliveryRequest.DELIVERED)
                   for n, t in w.b["lease_tokens"]]),
        R(reports=[no.ReportDeliveryRequest(name=OA + n[len(OB):], lease_token=t,
                                            outcome=no.ReportDeliveryRequest.SENT)
                   for n, t in w.b["lease_tokens"]])]),
    "rebook.v1.NotificationService/GetMessage": Case(names("messages")),
    "rebook.v1.NotificationService/ListMessages": Case(lambda w: [
        R(parent=ANY), R(parent=OB), R(parent=ANY, outage="outages/bravo-outage"),
        R(parent=ANY, appointment=w.b["appointments"][0]), R(parent=ANY, outage=JOINT)]),
    "rebook.v1.NotificationService/GetDeliveryStats": Case(lambda w: [
        R(outage=n) for n in w.b["outages"] + [JOINT]]),
    "rebook.v1.NotificationService/RetryMessage": Case(names("messages")),
    # SimulationService: the clock is global; the test checks it did not move.
    "rebook.v1.SimulationService/GetSimulatedTime": Case(lambda w: [R()]),
    "rebook.v1.SimulationService/AdvanceSimulatedTime": Case(lambda w: [
        R(by={"seconds": 3600})]),
    # PrivacyService: B's settings, and B's citizen looked up by the digits of B's phone written
    # differently (so that the request itself carries no canary) and by B's e-mail.
    "rebook.v1.PrivacyService/GetPrivacySettings": Case(lambda w: [
        R(name=f"{OB}/privacySettings"), R(name=f"{ANY}/privacySettings")]),
    "rebook.v1.PrivacyService/UpdatePrivacySettings": Case(lambda w: [
        R(settings=privacy_pb2.PrivacySettings(name=f"{OB}/privacySettings", retention_days=2),
          request_id="alpha-privacy-1")]),
    "rebook.v1.PrivacyService/ExportCitizenData": Case(lambda w: [
        R(parent=office, citizen=citizen) for office in (OB, OA, ANY) for citizen in CITIZENS_B]),
    "rebook.v1.PrivacyService/EraseCitizenData": Case(lambda w: [
        R(parent=office, citizen=citizen, request_id=f"alpha-erase-{i}")
        for i, (office, citizen) in enumerate(
            (o, c) for o in (OB, OA, ANY) for c in CITIZENS_B)], own_writes=True),
    "rebook.v1.PrivacyService/PurgeExpiredData": Case(lambda w: [R(parent=OB), R(parent=ANY)]),
    # AuditService: nobody but an auditor reads the log; an auditor of A lists entries of
    # principals holding A only, and of those sees A's names only (a wildcard principal's
    # resources at B and its request ids are cut). A's own callers' entries are A's business and
    # may echo the B-like ids they sent under A's office, so the case reads root's and B's.
    "rebook.v1.AuditService/ListAuditEntries": Case(lambda w: [
        R(office=OB), R(), R(office=ANY), R(principal="b-admin"),
        R(office=OA, principal="root"), R(office=OA, principal="b-admin"),
        R(office=OA, principal="b-planner")]),
    "rebook.v1.AuditService/VerifyAuditChain": Case(lambda w: [R()]),
    # AdminService: a backup holds every office; nobody scoped to A, and no role but a
    # wildcard admin, may take one.
    "rebook.v1.AdminService/Backup": Case(lambda w: [R(), R(chunk_bytes=65536)]),
    # ChangeService: the feed of A's callers holds A's appointments only, whatever the cursor;
    # B's office is NOT_FOUND; the scoped read moves past B's events without showing them.
    "rebook.v1.ChangeService/ListChanges": Case(lambda w: [
        R(parent=OB), R(parent=ANY), R(parent=ANY, page_size=1000), R(parent=OA),
        R(parent=ANY, after_cursor=3, page_size=2), R(parent=OB, after_cursor=1)]),
    "rebook.v1.ChangeService/WatchChanges": Case(lambda w: [
        R(parent=OB), R(parent=ANY), R(parent=OA, after_cursor=2), R(parent=OB, after_cursor=1)]),
    # OperationService: a caller sees only the operations it started itself. A's callers replay
    # B's requests byte for byte (so B's ids become A's own operations, which A may see); root's
    # ids and ids nobody sent must be NOT_FOUND, never an oracle for what others are doing
    # (retry_progress_test.py asks for another caller's id while it exists).
    "rebook.v1.OperationService/GetOperation": Case(lambda w: [
        R(request_id=rid) for rid in ("root-capacity", "root-appointments", "never-sent")]),
    # gRPC health: no office data at all.
    "grpc.health.v1.Health/Check": Case(lambda w: [R(), R(service="rebook.v1.OfferService")],
                                        garbage_codes={"NOT_FOUND"}),
    # Watch answers an unknown service with SERVICE_UNKNOWN, as the protocol says.
    "grpc.health.v1.Health/Watch": Case(lambda w: [R()], garbage_codes={"OK"}),
}
