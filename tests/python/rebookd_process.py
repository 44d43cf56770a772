"""Starts and stops a real rebookd on 127.0.0.1 (port 0) over a SQLite file in a temp folder,
and opens gRPC channels to it, plaintext or TLS (open_channel).

With REBOOK_TEST_BACKEND=postgres (tests/support/postgres_variant.sh sets it), each Rebookd gets
a fresh database of its own on the cluster named by REBOOK_TEST_POSTGRES_URL instead, dropped by
close(); query() reads either backend. Tests that read the SQLite file itself check
POSTGRES first and skip with a reason.

Used by the Python tests. Every wait is bounded; the process is always killed on exit.
"""
import hashlib
import itertools
import os
import signal
import sqlite3
import subprocess
import tempfile
import time

import grpc

POSTGRES = os.environ.get("REBOOK_TEST_BACKEND") == "postgres"
POSTGRES_URL = os.environ.get("REBOOK_TEST_POSTGRES_URL", "")
PSQL = "/usr/bin/psql"
_databases = itertools.count()

TOKENS = {
    "admin": ("admin", "*"),
    "clerk-a": ("clerk", "A"),
    "clerk-b": ("clerk", "B"),
}


def _read(path):
    with open(path, "rb") as f:
        return f.read()


def open_channel(address, tls=False, ca_file=None, client_cert=None, client_key=None):
    """A channel to rebookd at `address`, with the options of rebookd's command-line clients:
    plaintext unless `tls` or any file is given; then TLS, verifying the server against the PEM
    CA certificates of `ca_file` (default: the system's roots) and presenting the PEM
    `client_cert`/`client_key` pair to a rebookd that requires client certificates."""
    if not (tls or ca_file or client_cert or client_key):
        return grpc.insecure_channel(address)
    if bool(client_cert) != bool(client_key):
        raise ValueError("client_cert and client_key go together")
    credentials = grpc.ssl_channel_credentials(
        root_certificates=_read(ca_file) if ca_file else None,
        private_key=_read(client_key) if client_key else None,
        certificate_chain=_read(client_cert) if client_cert else None)
    return grpc.secure_channel(address, credentials)


def _with_database(url, name):
    """`url` with its database name replaced by `name`."""
    head, _, tail = url.partition("://")
    host, _, rest = tail.partition("/")
    query = "?" + rest.split("?", 1)[1] if "?" in rest else ""
    return f"{head}://{host}/{name}{query}"


def _psql(url, sql):
    """Rows of `sql` at `url`, as lists of strings."""
    out = subprocess.run([PSQL, url, "-v", "ON_ERROR_STOP=1", "-AtF", "\t", "-c", sql],
                         check=True, timeout=60, capture_output=True, text=True).stdout
    return [line.split("\t") for line in out.splitlines()]


class Rebookd:
    def __init__(self, *extra_args, tokens=None, db=None):
        """`tokens`: {token: (role, offices)}; default TOKENS. `offices` as in the token file.
        `db`: the --db of another Rebookd, to serve its database (which stays that one's);
        default: a fresh one of the backend picked above."""
        principals = tokens or TOKENS
        self.dir = tempfile.TemporaryDirectory(prefix="rebookd-py-")
        self.own_database = None
        if db is not None:
            self.db = db
        elif POSTGRES:
            if not POSTGRES_URL:
                raise RuntimeError("REBOOK_TEST_BACKEND=postgres needs REBOOK_TEST_POSTGRES_URL")
            name = f"rebook_py_{os.getpid()}_{next(_databases)}"
            _psql(POSTGRES_URL, f"CREATE DATABASE {name}")
            self.own_database = name
            self.db = _with_database(POSTGRES_URL, name)
        else:
            self.db = os.path.join(self.dir.name, "rebook.db")
        bin_dir = os.environ.get("REBOOK_BIN_DIR", "build/release/bin")
        tokens = os.path.join(self.dir.name, "tokens")
        with open(tokens, "w") as f:
            for token, (role, offices) in principals.items():
                digest = hashlib.sha256(token.encode()).hexdigest()
                f.write(f"{token} {role} {offices} sha256:{digest}\n")
        self.port_file = os.path.join(self.dir.name, "port")
        # The SQLite file (meaningless on PostgreSQL).
        self.db_path = self.db
        self.log = open(os.path.join(self.dir.name, "rebookd.log"), "w")
        self.args = [os.path.join(bin_dir, "rebookd"), "--db=" + self.db,
                     "--tokens=" + tokens, "--port_file=" + self.port_file,
                     "--shutdown_grace_s=5", *extra_args]
        self.proc = None
        try:
            self._start("127.0.0.1:0")
        except BaseException:
            self.close()  # a refused start leaves no process, database or folder behind
            raise

    def _start(self, listen):
        if os.path.exists(self.port_file):
            os.remove(self.port_file)
        self.proc = subprocess.Popen([*self.args, "--listen=" + listen],
                                     stdout=self.log, stderr=self.log)
        self.port = self._wait_for_port(timeout=30)

    def restart(self):
        """SIGTERM, then the same rebookd again: same database, tokens, flags and port (so that
        clients reconnect by themselves). Returns the old process's exit code."""
        code = self.terminate()
        self._start(f"127.0.0.1:{self.port}")
        return code

    def _wait_for_port(self, timeout):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("rebookd exited early: " + self.read_log())
            if os.path.exists(self.port_file):
                with open(self.port_file) as f:
                    text = f.read().strip()
                if text:
                    return int(text)
            time.sleep(0.05)
        raise RuntimeError("rebookd did not report its port in time")

    @property
    def address(self):
        return f"127.0.0.1:{self.port}"

    def channel(self, **tls):
        """open_channel(self.address, **tls): plaintext, or TLS with its options."""
        return open_channel(self.address, **tls)

    def read_log(self):
        self.log.flush()
        with open(self.log.name) as f:
            return f.read()

    def terminate(self, timeout=20):
        """Sends SIGTERM and returns the exit code (kills after `timeout` seconds)."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=5)
        return self.proc.returncode

    def query(self, sql):
        """Rows of `sql` on the server's database (either backend), as tuples; numbers as int.
        Write SQL both speak."""
        if self.db.startswith(("postgresql://", "postgres://")):
            return [tuple(int(v) if v.lstrip("-").isdigit() else v for v in row)
                    for row in _psql(self.db, sql)]
        with sqlite3.connect(f"file:{self.db}?mode=ro", uri=True) as db:
            return db.execute(sql).fetchall()

    def close(self):
        self.terminate()
        self.log.close()
        if self.own_database and not os.environ.get("REBOOK_KEEP_TEST_DIR"):
            _psql(POSTGRES_URL, f"DROP DATABASE IF EXISTS {self.own_database} WITH (FORCE)")
        self.dir.cleanup()
