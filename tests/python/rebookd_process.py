"""Starts and stops a real rebookd on 127.0.0.1 (port 0) over a SQLite file in a temp folder,
and opens gRPC channels to it, plaintext or TLS (open_channel).

Used by the Python tests. Every wait is bounded; the process is always killed on exit.
"""
import hashlib
import os
import signal
import subprocess
import tempfile
import time

import grpc

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


class Rebookd:
    def __init__(self, *extra_args, tokens=None):
        """`tokens`: {token: (role, offices)}; default TOKENS. `offices` as in the token file."""
        principals = tokens or TOKENS
        self.dir = tempfile.TemporaryDirectory(prefix="rebookd-py-")
        bin_dir = os.environ.get("REBOOK_BIN_DIR", "build/release/bin")
        tokens = os.path.join(self.dir.name, "tokens")
        with open(tokens, "w") as f:
            for token, (role, offices) in principals.items():
                digest = hashlib.sha256(token.encode()).hexdigest()
                f.write(f"{token} {role} {offices} sha256:{digest}\n")
        self.port_file = os.path.join(self.dir.name, "port")
        self.db_path = os.path.join(self.dir.name, "rebook.db")
        self.log = open(os.path.join(self.dir.name, "rebookd.log"), "w")
        self.args = [os.path.join(bin_dir, "rebookd"), "--db=" + self.db_path,
                     "--tokens=" + tokens, "--port_file=" + self.port_file,
                     "--shutdown_grace_s=5", *extra_args]
        self._start("127.0.0.1:0")

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
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=5)
        return self.proc.returncode

    def close(self):
        self.terminate()
        self.log.close()
        self.dir.cleanup()
