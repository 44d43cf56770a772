"""Office scoping, generated from the service descriptors: no RPC can be missed.

A real rebookd (127.0.0.1, port 0, a real SQLite file, or a PostgreSQL database as
security_scoping_test.postgres) holds offices A and B with real data
(scoping_world.py). For every method of every service in the generated *_pb2 descriptors and
for every caller of CALLERS (each role scoped to A, each role with no office) the test sends the
method's foreign requests (scoping_cases.py) and replays of B's real requests with their
request_ids and content. It asserts:
- no answer carries a name of B, and no answer or error carries B's canary data;
- the database dump (sqlite3 iterdump, or every row read with psql, taken while the server is idle) is
  byte-identical before
  and after each method's calls (only a method marked own_writes may add the caller's own
  request_id rows), and the simulated clock did not move;
- every error is PERMISSION_DENIED, NOT_FOUND or INVALID_ARGUMENT, and every INVALID_ARGUMENT
  carries google.rpc.BadRequest field violations in grpc-status-details-bin;
- counts and summaries of an outage shared by A and B count A's citizens only.
A method in the descriptors without a case in scoping_cases.CASES fails the test by name.
"""
import concurrent.futures
import glob
import importlib
import importlib.util
import os
import sqlite3
import subprocess
import sys
import time
import unittest

import grpc

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "python"))
from rebookd_process import POSTGRES, Rebookd, _psql  # noqa: E402

from google.rpc import error_details_pb2, status_pb2  # noqa: E402
from rebook.v1 import (appointments_pb2, notifications_pb2, outages_pb2,  # noqa: E402
                       plans_pb2, simulation_pb2)
import scoping_cases  # noqa: E402
from scoping_world import (A, B_NAME, CALLERS, CANARIES, SIM_START, TOKENS, Api,  # noqa: E402
                           World, message_class)

ALLOWED = {grpc.StatusCode.PERMISSION_DENIED, grpc.StatusCode.NOT_FOUND,
           grpc.StatusCode.INVALID_ARGUMENT}
MAX_CALLS = 20000  # bound on the foreign calls of the whole run
MAX_SECONDS = 150  # bound on their time (ctest stops the test at 180 s)
POOL = concurrent.futures.ThreadPoolExecutor(max_workers=8)


def generated_modules():
    """Every generated module of API v1 (found by file, so a new .proto joins by itself) and the
    health protocol, which grpcio's own namespace keeps us from importing by package."""
    modules = []
    for root in os.environ.get("PYTHONPATH", "").split(os.pathsep):
        for path in sorted(glob.glob(os.path.join(root, "rebook", "v1", "*_pb2.py"))):
            modules.append(importlib.import_module(
                "rebook.v1." + os.path.basename(path)[:-3]))
        health = os.path.join(root, "grpc", "health", "v1", "health_pb2.py")
        if os.path.exists(health):
            spec = importlib.util.spec_from_file_location("rebook_health_pb2", health)
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            modules.append(module)
    return modules


def all_methods():
    methods = {}
    for module in generated_modules():
        for service in module.DESCRIPTOR.services_by_name.values():
            for method in service.methods:
                methods[f"{service.full_name}/{method.name}"] = method
    return methods


def bad_request_fields(error):
    for key, value in error.trailing_metadata() or ():
        if key == "grpc-status-details-bin":
            fields = []
            for detail in status_pb2.Status.FromString(value).details:
                bad = error_details_pb2.BadRequest()
                if detail.Unpack(bad):
                    fields += [v.field for v in bad.field_violations]
            return fields
    return None


def error_bytes(error):
    out = (error.details() or "").encode()
    for _, value in error.trailing_metadata() or ():
        out += value if isinstance(value, bytes) else value.encode()
    return out


def garbage(cls, depth=0):
    """A request whose every field is invalid: bad names, long request ids, negative sizes,
    unknown enum values, Timestamp and Duration nanos out of range."""
    m = cls()
    for f in cls.DESCRIPTOR.fields:
        if f.message_type and f.message_type.GetOptions().map_entry:
            continue
        repeated = f.label == f.LABEL_REPEATED
        target = getattr(m, f.name)
        if f.type == f.TYPE_STRING:
            value = "r" * 200 if f.name == "request_id" else "bad name!"
            target.append(value) if repeated else setattr(m, f.name, value)
        elif f.type in (f.TYPE_INT32, f.TYPE_INT64, f.TYPE_DOUBLE):
            target.append(-1) if repeated else setattr(m, f.name, -1)
        elif f.type == f.TYPE_ENUM:
            target.append(99) if repeated else setattr(m, f.name, 99)
        elif f.type == f.TYPE_BOOL and not repeated:
            setattr(m, f.name, True)
        elif f.type == f.TYPE_MESSAGE:
            full = f.message_type.full_name
            if full in ("google.protobuf.Timestamp", "google.protobuf.Duration"):
                sub = message_class(f.message_type)(seconds=1, nanos=-1)
            elif full == "google.protobuf.FieldMask":
                sub = message_class(f.message_type)(paths=["bad name!"])
            elif depth < 2:
                sub = garbage(message_class(f.message_type), depth + 1)
            else:
                continue
            target.add().CopyFrom(sub) if repeated else target.CopyFrom(sub)
    return m


_PG_TABLES = {}


def pg_dump(url):
    """The rows of every table but audit_entries, as sorted lines "INSERT INTO <table> VALUES
    <row as text>", read in one psql call (pg_dump costs seconds per call on a loaded machine).
    Sorted: PostgreSQL's physical row order moves with an UPDATE that changes nothing. Sequence
    values are left out: nextval is not rolled back with a refused write (its rows are)."""
    if url not in _PG_TABLES:
        _PG_TABLES[url] = [row[0] for row in _psql(
            url, "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                 "AND tablename <> 'audit_entries' ORDER BY 1")]
    sql = " UNION ALL ".join(f"SELECT 'INSERT INTO {t} VALUES ' || replace(r::text, chr(10), '\\n') "
                             f"FROM {t} r"
                             for t in _PG_TABLES[url])
    out = subprocess.run(["/usr/bin/psql", url, "-v", "ON_ERROR_STOP=1", "-At", "-c", sql],
                         check=True, timeout=60, capture_output=True, text=True).stdout
    return sorted(out.splitlines())


def db_dump(path):
    if POSTGRES:
        return pg_dump(path)
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        # The audit log grows with every call, foreign ones included (tests/e2e/audit_e2e_test.cc
        # checks its entries): it is left out of the comparison.
        return [line for line in con.iterdump() if '"audit_entries"' not in line]
    finally:
        con.close()


class ScopingTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.methods = all_methods()
        # The public offer RPCs' throttle is off: this test sends hundreds of wrong tokens on
        # purpose, and tests/security/ratelimit_e2e_test.cc tests the throttle.
        cls.server = Rebookd(f"--simulated_time={SIM_START}",
                             "--public_base_url=https://rebook.example.org",
                             "--public_rate_per_s=0", "--public_failures_per_min=0",
                             "--public_prefix_failures_per_min=0", tokens=TOKENS)
        cls.channel = grpc.insecure_channel(cls.server.address)
        grpc.channel_ready_future(cls.channel).result(timeout=20)
        cls.api = Api(cls.channel, cls.methods)
        cls.world = World(cls.api)
        started = time.monotonic()
        cls.world.seed()
        print(f"seeded in {time.monotonic() - started:.1f} s", file=sys.stderr)

    @classmethod
    def tearDownClass(cls):
        POOL.shutdown()
        cls.channel.close()
        cls.server.close()

    def request(self, method, spec):
        """A case's request: an R placeholder becomes the method's request class."""
        if isinstance(spec, scoping_cases.R):
            return message_class(self.methods[method].input_type)(**spec.fields)
        return spec

    def test_every_rpc_has_a_case(self):
        self.assertGreaterEqual(len(self.methods), 60, sorted(self.methods))
        missing = sorted(set(self.methods) - set(scoping_cases.CASES))
        self.assertEqual(missing, [], "RPCs without a case in tests/security/scoping_cases.py: " +
                         ", ".join(missing))
        stale = sorted(set(scoping_cases.CASES) - set(self.methods))
        self.assertEqual(stale, [], "cases for RPCs that do not exist: " + ", ".join(stale))

    def check_answer(self, method, caller, responses, problems):
        for resp in responses:
            data = resp.SerializeToString()
            for needle in (B_NAME,) + CANARIES:
                if needle in data:
                    problems.append(f"{method} as {caller}: answer carries {needle!r}: "
                                    f"{str(resp)[:300]}")

    def check_error(self, method, caller, error, problems, allowed=ALLOWED):
        code = error.code()
        if code not in allowed:
            problems.append(f"{method} as {caller}: {code.name} ({error.details()})")
        if code == grpc.StatusCode.INVALID_ARGUMENT and not bad_request_fields(error):
            problems.append(f"{method} as {caller}: INVALID_ARGUMENT without BadRequest "
                            f"field violations ({error.details()})")
        data = error_bytes(error)
        for needle in CANARIES:
            if needle in data:
                problems.append(f"{method} as {caller}: error carries {needle!r}")

    def check_dump(self, method, case, before, after, problems):
        if before == after:
            return
        removed = [line for line in before if line not in set(after)]
        added = [line for line in after if line not in set(before)]
        if case.own_writes and not removed and all(
                any(line.startswith((f'INSERT INTO "requests" VALUES(\'{c} ',
                                     f'INSERT INTO requests VALUES ("{c} '))
                    for c in CALLERS)
                for line in added):
            return
        problems.append(f"{method}: the database changed: -{removed[:3]} +{added[:3]}")

    def simulated_now(self):
        return self.api.call("rebook.v1.SimulationService/GetSimulatedTime",
                             simulation_pb2.GetSimulatedTimeRequest(), "root")[0].now

    def call_foreign(self, method, caller, request):
        """One foreign call: its code name and the problems found in its answer or error."""
        found = []
        try:
            self.check_answer(method, caller, self.api.call(method, request, caller), found)
            return "OK", found
        except grpc.RpcError as error:
            self.check_error(method, caller, error, found)
            return error.code().name, found

    def test_foreign_calls_return_and_change_nothing_of_b(self):
        problems, calls, codes, durations = [], 0, {}, {}
        clock = self.simulated_now()
        deadline = time.monotonic() + MAX_SECONDS
        for method in sorted(self.methods):
            case = scoping_cases.CASES.get(method)
            if case is None:
                continue  # reported by test_every_rpc_has_a_case
            requests = [self.request(method, r) for r in case.foreign(self.world)]
            requests += self.world.recorded.get(method, [])
            self.assertTrue(requests, f"{method}: its case sends nothing")
            before = db_dump(self.server.db_path)
            method_started = time.monotonic()
            calls += len(CALLERS) * len(requests)
            self.assertLess(calls, MAX_CALLS, "too many calls")
            self.assertLess(time.monotonic(), deadline, "out of time")
            jobs = [(caller, req) for caller in sorted(CALLERS) for req in requests]
            # The calls of one method run side by side (import streams wait 100 ms each for a
            # break-off); the dump is taken when all of them have ended.
            for code, found in POOL.map(lambda job: self.call_foreign(method, *job), jobs):
                codes[code] = codes.get(code, 0) + 1
                problems += found
            durations[method] = time.monotonic() - method_started
            self.check_dump(method, case, before, db_dump(self.server.db_path), problems)
        if self.simulated_now() != clock:
            problems.append("a foreign call moved the simulated clock")
        slowest = sorted(durations.items(), key=lambda kv: -kv[1])[:3]
        print(f"{len(self.methods)} RPCs x {len(CALLERS)} callers: {calls} calls, codes {codes}; "
              f"slowest: " + ", ".join(f"{m} {d:.1f} s" for m, d in slowest), file=sys.stderr)
        self.assertEqual(problems, [], "\n" + "\n".join(sorted(set(problems))[:60]))

    def test_invalid_argument_always_carries_bad_request(self):
        """A request of garbage to every RPC, as the wildcard admin (who passes every role and
        office check) and as A's admin: INVALID_ARGUMENT with field violations."""
        problems = []
        before = db_dump(self.server.db_path)
        for method, md in sorted(self.methods.items()):
            case = scoping_cases.CASES.get(method)
            cls = message_class(md.input_type)
            if case is None or not cls.DESCRIPTOR.fields:
                continue
            req = garbage(cls)
            req = [req] if md.client_streaming else req
            expected = {grpc.StatusCode.INVALID_ARGUMENT} | {
                getattr(grpc.StatusCode, c) for c in case.garbage_codes if c != "OK"}
            for caller in ("root", "a-admin"):
                # A's admin may be refused first: scope and role come before validation.
                allowed = expected | (ALLOWED if caller != "root" else set())
                try:
                    self.api.call(method, req, caller)
                    if "OK" not in case.garbage_codes:
                        problems.append(f"{method} as {caller}: garbage accepted")
                except grpc.RpcError as error:
                    self.check_error(method, caller, error, problems, allowed)
        self.assertEqual(db_dump(self.server.db_path), before, "garbage changed the database")
        self.assertEqual(problems, [], "\n" + "\n".join(problems))

    def test_counts_of_a_shared_outage_are_the_callers_offices_only(self):
        """joint-outage cancelled one appointment of A and one of B: A's principals see one."""
        joint, plan = "outages/joint-outage", "outages/joint-outage/plans/joint-plan"
        call = self.api.call
        for caller in ("a-planner", "a-admin", "a-office_admin", "a-clerk"):
            got = call("rebook.v1.OutageService/GetOutage",
                       outages_pb2.GetOutageRequest(name=joint), caller)[0]
            self.assertEqual(got.cancelled_appointment_count, 1, caller)
            self.assertEqual(list(got.offices), [f"offices/{A}"], caller)
            impact = call("rebook.v1.OutageService/GetOutageImpact",
                          outages_pb2.GetOutageImpactRequest(name=joint), caller)[0]
            self.assertEqual(impact.total_appointments, 1, caller)
            got = call("rebook.v1.PlanService/GetPlan", plans_pb2.GetPlanRequest(name=plan),
                       caller)[0]
            self.assertEqual(got.summary.assigned_count + got.summary.unassigned_count, 1, caller)
            listed = call("rebook.v1.PlanService/ListPlans",
                          plans_pb2.ListPlansRequest(parent=joint), caller)[0]
            for p in listed.plans:
                self.assertEqual(p.summary.assigned_count + p.summary.unassigned_count, 1, caller)
            cmp = call("rebook.v1.PlanService/ComparePlans", plans_pb2.ComparePlansRequest(
                plan_a=plan, plan_b=joint + "/plans/joint-plan-2"), caller)[0]
            for s in (cmp.summary_a, cmp.summary_b):
                self.assertEqual(s.assigned_count + s.unassigned_count, 1, caller)
            self.assertLessEqual(cmp.changed_count + cmp.assigned_only_in_a +
                                 cmp.assigned_only_in_b, 1, caller)
            rows = call("rebook.v1.PlanService/ListPlanAssignments",
                        plans_pb2.ListPlanAssignmentsRequest(parent=plan), caller)[0]
            self.assertEqual(len(rows.assignments), 1, caller)
            listed = call("rebook.v1.AppointmentService/ListAppointments",
                          appointments_pb2.ListAppointmentsRequest(parent="offices/-",
                                                                   outage=joint), caller)[0]
            self.assertEqual(listed.total_size, 1, caller)
            stats = call("rebook.v1.NotificationService/GetDeliveryStats",
                         notifications_pb2.GetDeliveryStatsRequest(outage=joint), caller)[0]
            self.assertEqual(stats.reached_citizens + stats.unreached_citizens, 1, caller)
            self.assertEqual({r.office for r in stats.rows}, {f"offices/{A}"}, caller)
        # The wildcard admin sees both citizens: the counts above are a filter, not a constant.
        got = call("rebook.v1.OutageService/GetOutage", outages_pb2.GetOutageRequest(name=joint),
                   "root")[0]
        self.assertEqual(got.cancelled_appointment_count, 2)
        got = call("rebook.v1.PlanService/GetPlan", plans_pb2.GetPlanRequest(name=plan), "root")[0]
        self.assertEqual(got.summary.assigned_count + got.summary.unassigned_count, 2)


if __name__ == "__main__":
    unittest.main()
