"""Backup and restore end to end: `rebookctl admin backup` while an import keeps writing,
`rebookd --restore` into a fresh database, and a fresh server on it that passes
PRAGMA integrity_check and holds every row acknowledged before the backup started, plus a
consistent prefix of the batches acknowledged later (each batch is one transaction)."""
import os
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import unittest

import grpc

sys.path.insert(0, os.path.dirname(__file__))
from rebookd_process import Rebookd  # noqa: E402
from test_api import TIMEOUT, auth, ts  # noqa: E402

from rebook.v1 import (admin_pb2, admin_pb2_grpc, appointments_pb2,  # noqa: E402
                       appointments_pb2_grpc, capacity_pb2, capacity_pb2_grpc, common_pb2)

BIN = os.environ.get("REBOOK_BIN_DIR", "build/release/bin")
BATCH = 250           # appointments per import call (one transaction each)
BEFORE = 40           # batches stored before the backup starts
MAX_BATCHES = 400     # the import thread stops here at the latest
START = (int(time.time()) // 3600 + 24) * 3600  # appointments from tomorrow on


def batch_request(i):
    req = appointments_pb2.ImportAppointmentsRequest(request_id=f"bk-import-{i}")
    for j in range(BATCH):
        req.appointments.add(
            name=f"offices/K/appointments/b{i}-{j}", service_type="serviceTypes/kfz",
            original_start_time=ts(START + 60 * (i * BATCH + j)), priority=2,
            contact=common_pb2.Contact(name=f"Bürger {i}-{j}", email=f"b{i}-{j}@example.org",
                                       language="de"))
    return req


class Importer(threading.Thread):
    """Imports batch after batch until told to stop; records when each was acknowledged."""

    def __init__(self, channel):
        super().__init__(daemon=True)
        self.stub = appointments_pb2_grpc.AppointmentServiceStub(channel)
        self.acked = []  # (batch, monotonic time of the answer)
        self.stop = threading.Event()
        self.error = None

    def run(self):
        try:
            for i in range(MAX_BATCHES):
                if self.stop.is_set():
                    return
                self.stub.ImportAppointments(iter([batch_request(i)]), metadata=auth("admin"),
                                             timeout=60)
                self.acked.append((i, time.monotonic()))
        except Exception as e:  # noqa: BLE001 - reported by the test
            self.error = e

    def wait_for(self, n, timeout=120):
        deadline = time.monotonic() + timeout
        while len(self.acked) < n and time.monotonic() < deadline and self.error is None:
            time.sleep(0.02)
        if len(self.acked) < n:
            raise RuntimeError(f"import stalled at {len(self.acked)} batches: {self.error}")


def stored_batches(db_path):
    """{batch: rows} of the appointments in `db_path`."""
    with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True) as db:
        counts = {}
        for (ident,) in db.execute("SELECT id FROM appointments WHERE office_id = 'K'"):
            b = int(ident[1:].split("-")[0])
            counts[b] = counts.get(b, 0) + 1
        return counts


def integrity(db_path):
    with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True) as db:
        return [r[0] for r in db.execute("PRAGMA integrity_check")]


class BackupRestoreTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory(prefix="rebook-backup-")
        self.server = Rebookd()
        self.channel = grpc.insecure_channel(self.server.address)
        grpc.channel_ready_future(self.channel).result(timeout=TIMEOUT)
        req = capacity_pb2.ImportCapacityRequest(request_id="bk-seed")
        req.offices.add(name="offices/K", display_name="Bürgerbüro K", state="DE-ST",
                        time_zone="Europe/Berlin")
        req.service_types.add(name="serviceTypes/kfz", display_name="Kfz-Zulassung",
                              category=common_pb2.VEHICLE_REGISTRATION, duration_minutes=15)
        capacity_pb2_grpc.CapacityServiceStub(self.channel).ImportCapacity(
            iter([req]), metadata=auth("admin"), timeout=TIMEOUT)

    def tearDown(self):
        self.channel.close()
        self.server.close()
        self.tmp.cleanup()

    def rebookctl(self, *args, token="admin"):
        env = dict(os.environ, REBOOK_TOKEN=token, REBOOK_SERVER=self.server.address)
        return subprocess.run([os.path.join(BIN, "rebookctl"), *args], env=env,
                              capture_output=True, text=True, timeout=120)

    def test_backup_during_import_restores_a_consistent_prefix(self):
        importer = Importer(self.channel)
        importer.start()
        try:
            importer.wait_for(BEFORE)
            acked_before = {b for b, _ in importer.acked}
            backup = os.path.join(self.tmp.name, "backup.db")
            started = time.monotonic()
            result = self.rebookctl("admin", "backup", backup)
            finished = time.monotonic()
            importer.wait_for(len(importer.acked) + 3)  # writes went on after the backup
        finally:
            importer.stop.set()
            importer.join(timeout=120)
        self.assertIsNone(importer.error)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("backed up", result.stdout)
        self.assertEqual(os.stat(backup).st_mode & 0o777, 0o600)
        during = [b for b, t in importer.acked if started < t < finished]
        print(f"backup took {finished - started:.2f} s; {len(acked_before)} batches before, "
              f"{len(during)} acknowledged while it ran, {len(importer.acked)} in all",
              file=sys.stderr)
        # No temporary copy is left in the server's folder.
        leftovers = [f for f in os.listdir(os.path.dirname(self.server.db_path))
                     if f.startswith(".rebook-backup-")]
        self.assertEqual(leftovers, [])

        restored = os.path.join(self.tmp.name, "restored", "rebook.db")
        os.makedirs(os.path.dirname(restored))
        run = subprocess.run([os.path.join(BIN, "rebookd"), "--db=" + restored,
                              "--restore=" + backup], capture_output=True, text=True, timeout=60)
        self.assertEqual(run.returncode, 0, run.stderr)
        self.assertEqual(os.stat(restored).st_mode & 0o777, 0o600)

        fresh = Rebookd("--db=" + restored)
        try:
            self.assertEqual(integrity(restored), ["ok"])
            batches = stored_batches(restored)
            self.assertTrue(acked_before <= set(batches), "a batch acknowledged before is lost")
            self.assertEqual(sorted(batches), list(range(len(batches))), "not a prefix")
            self.assertTrue(all(n == BATCH for n in batches.values()), "a batch is torn")
            self.assertLess(len(batches), len(importer.acked), "the copy holds later writes")
            with grpc.insecure_channel(fresh.address) as channel:
                grpc.channel_ready_future(channel).result(timeout=TIMEOUT)
                stub = appointments_pb2_grpc.AppointmentServiceStub(channel)
                last = max(acked_before)
                got = stub.GetAppointment(appointments_pb2.GetAppointmentRequest(
                    name=f"offices/K/appointments/b{last}-{BATCH - 1}"),
                    metadata=auth("admin"), timeout=TIMEOUT)
                self.assertEqual(got.contact.name, f"Bürger {last}-{BATCH - 1}")
        finally:
            fresh.close()

    def test_restore_refuses_to_overwrite_and_checks_the_file(self):
        backup = os.path.join(self.tmp.name, "backup.db")
        self.assertEqual(self.rebookctl("admin", "backup", backup).returncode, 0)
        again = self.rebookctl("admin", "backup", backup)
        self.assertEqual(again.returncode, 6, again.stderr)  # exists: failed precondition
        rebookd = os.path.join(BIN, "rebookd")
        # The live server's own database holds data: refused without --restore_overwrite.
        run = subprocess.run([rebookd, "--db=" + self.server.db_path, "--restore=" + backup],
                             capture_output=True, text=True, timeout=60)
        self.assertNotEqual(run.returncode, 0)
        self.assertIn("--restore_overwrite", run.stderr)
        garbage = os.path.join(self.tmp.name, "garbage.db")
        with open(garbage, "wb") as f:
            f.write(b"SQLite format 3\0" + b"\x07" * 8192)
        target = os.path.join(self.tmp.name, "new.db")
        run = subprocess.run([rebookd, "--db=" + target, "--restore=" + garbage],
                             capture_output=True, text=True, timeout=60)
        self.assertNotEqual(run.returncode, 0)
        self.assertFalse(os.path.exists(target))
        self.assertFalse(os.path.exists(target + ".restore-tmp"))

    def test_only_wildcard_admins_may_back_up(self):
        stub = admin_pb2_grpc.AdminServiceStub(self.channel)
        for token in ("clerk-a", "clerk-b"):
            with self.assertRaises(grpc.RpcError) as e:
                list(stub.Backup(admin_pb2.BackupRequest(), metadata=auth(token),
                                 timeout=TIMEOUT))
            self.assertEqual(e.exception.code(), grpc.StatusCode.PERMISSION_DENIED)
        chunks = list(stub.Backup(admin_pb2.BackupRequest(chunk_bytes=4096),
                                  metadata=auth("admin"), timeout=TIMEOUT))
        self.assertEqual(sum(len(c.data) for c in chunks), chunks[0].total_bytes)
        self.assertGreater(len(chunks), 1)
        self.assertGreater(chunks[0].schema_version, 0)


if __name__ == "__main__":
    unittest.main()
