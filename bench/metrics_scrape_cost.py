"""The cost of a /metrics scrape at a large database (issue 14): wall time per scrape and
rebookd's CPU per scrape (utime + stime from /proc), at 100k appointments and 100k outbox
messages. Not a test; run by hand after a release build:

    PYTHONPATH=build/release/tests/python/gen REBOOK_BIN_DIR=build/release/bin \
        /usr/bin/python3 bench/metrics_scrape_cost.py

The appointments are imported over gRPC (400 calls of 250); the outbox rows are then written
into the stopped server's file with sqlite3 (no plan is solved: the scrape cost depends on the
row counts, not on how the rows came about), and rebookd is started again on it.
"""
import os
import sqlite3
import sys
import time
import urllib.request

import grpc

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tests", "python"))
from rebookd_process import Rebookd  # noqa: E402
from test_backup import BATCH, batch_request  # noqa: E402
from test_api import auth  # noqa: E402

from rebook.v1 import appointments_pb2_grpc, capacity_pb2, capacity_pb2_grpc, common_pb2  # noqa

APPOINTMENTS_BATCHES = 400
MESSAGES = 100_000
SCRAPES = 50
STATES = ("pending", "leased", "sent", "delivered", "failed", "dead")
CHANNELS = ("email", "sms", "letter")


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def fill_outbox(db_path, n):
    with sqlite3.connect(db_path) as db:
        cols = [r[1] for r in db.execute("PRAGMA table_info(outbox_messages)")]
        now = int(time.time())
        rows = []
        for i in range(n):
            v = {c: "" for c in cols}
            v.update(id=f"m{i}", idempotency_key=f"k{i}", office_id="K", outage_id="o1",
                     appointment_id=f"b{i // BATCH}-{i % BATCH}", offer_version=1, kind="offer",
                     channel=CHANNELS[i % 3], language="de", state=STATES[i % 6], attempts=0,
                     next_attempt_time=now, lease_expire_time=None, create_time=now - i,
                     update_time=now)
            rows.append(tuple(v[c] for c in cols))
        db.executemany(f"INSERT INTO outbox_messages ({','.join(cols)}) VALUES "
                       f"({','.join('?' * len(cols))})", rows)


def measure(server, port):
    url = f"http://127.0.0.1:{port}/metrics"
    urllib.request.urlopen(url, timeout=30).read()  # warm
    cpu0, t0 = cpu_seconds(server.proc.pid), time.monotonic()
    for _ in range(SCRAPES):
        body = urllib.request.urlopen(url, timeout=30).read().decode()
    wall, cpu = time.monotonic() - t0, cpu_seconds(server.proc.pid) - cpu0
    count_line = [ln for ln in body.splitlines() if ln.startswith("rebook_store_count_seconds")]
    print(f"{SCRAPES} scrapes: {1000 * wall / SCRAPES:.1f} ms wall and "
          f"{1000 * cpu / SCRAPES:.1f} ms rebookd CPU per scrape; {len(body)} bytes; "
          f"{count_line[0]}")


def main():
    tmp = os.path.join(os.environ.get("TMPDIR", "/tmp"), f"rebook-metrics-cost-{os.getpid()}")
    os.makedirs(tmp)
    port_file = os.path.join(tmp, "mport")
    args = ("--metrics_listen=127.0.0.1:0", "--metrics_port_file=" + port_file)
    server = Rebookd(*args)
    with grpc.insecure_channel(server.address) as channel:
        req = capacity_pb2.ImportCapacityRequest(request_id="cost-seed")
        req.offices.add(name="offices/K", display_name="K", state="DE-ST",
                        time_zone="Europe/Berlin")
        req.service_types.add(name="serviceTypes/kfz", display_name="Kfz",
                              category=common_pb2.VEHICLE_REGISTRATION, duration_minutes=15)
        capacity_pb2_grpc.CapacityServiceStub(channel).ImportCapacity(
            iter([req]), metadata=auth("admin"), timeout=60)
        stub = appointments_pb2_grpc.AppointmentServiceStub(channel)
        t0 = time.monotonic()
        for i in range(APPOINTMENTS_BATCHES):
            stub.ImportAppointments(iter([batch_request(i)]), metadata=auth("admin"), timeout=60)
        print(f"imported {APPOINTMENTS_BATCHES * BATCH} appointments in "
              f"{time.monotonic() - t0:.1f} s")
    while not os.path.exists(port_file):
        time.sleep(0.05)
    print("empty outbox:", end=" ")
    measure(server, int(open(port_file).read()))
    db_path = server.db_path
    server.terminate()
    fill_outbox(db_path, MESSAGES)
    os.unlink(port_file)
    again = Rebookd("--db=" + db_path, *args)
    try:
        while not os.path.exists(port_file) or not open(port_file).read().strip():
            time.sleep(0.05)
        print(f"{MESSAGES} outbox messages:", end=" ")
        measure(again, int(open(port_file).read()))
    finally:
        again.close()
        server.close()


if __name__ == "__main__":
    main()
