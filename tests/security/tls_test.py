"""TLS of rebookd's gRPC listener, seen from its real clients (docs/security.md, "TLS").

Makes a throwaway CA with openssl (a server certificate for 127.0.0.1/localhost, a client
certificate) and a second, unrelated CA with its own client certificate, then starts two real
rebookd on 127.0.0.1 port 0: one serving TLS, one requiring client certificates (mutual TLS).
rebookctl, rebook-batch, rebook-notifier and the Python client (rebookd_process.open_channel)
must work with the right CA and client certificate and be refused otherwise, clearly. rebookd
itself must refuse to serve plaintext on a non-loopback address (checked without binding one).
"""
import http.client
import os
import ssl
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.error
import urllib.request

import grpc

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python"))
from rebookd_process import Rebookd, open_channel  # noqa: E402

from rebook.v1 import outages_pb2, outages_pb2_grpc  # noqa: E402

BIN = os.environ.get("REBOOK_BIN_DIR", "build/release/bin")
TIMEOUT = 20
TOKENS = {"admin-token": ("admin", "*"), "notifier-token": ("notifier", "*")}
EXIT_UNAVAILABLE = 7  # tools/common/exit_codes.h


def openssl(*args, cwd):
    subprocess.run(["openssl", *args], cwd=cwd, check=True, timeout=60,
                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def make_ca(d, name):
    openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
            "-keyout", f"{name}.key", "-out", f"{name}.pem", "-days", "2",
            "-subj", f"/CN=rebook test {name}", cwd=d)


def make_cert(d, ca, name, extensions, serial):
    """A certificate `name`.pem/.key signed by `ca`, with the X.509 v3 `extensions` lines."""
    with open(os.path.join(d, f"{name}.ext"), "w") as f:
        f.write(extensions)
    openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
            "-keyout", f"{name}.key", "-out", f"{name}.csr", "-subj", f"/CN={name}", cwd=d)
    openssl("x509", "-req", "-in", f"{name}.csr", "-CA", f"{ca}.pem", "-CAkey", f"{ca}.key",
            "-set_serial", str(serial), "-days", "2", "-out", f"{name}.pem",
            "-extfile", f"{name}.ext", cwd=d)


class TlsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory(prefix="rebook-tls-")
        d = cls.dir = cls.tmp.name
        make_ca(d, "ca")
        make_ca(d, "other-ca")
        make_cert(d, "ca", "server", "subjectAltName=IP:127.0.0.1,DNS:localhost\n"
                  "extendedKeyUsage=serverAuth\n", 1)
        make_cert(d, "ca", "client", "extendedKeyUsage=clientAuth\n", 2)
        make_cert(d, "other-ca", "stranger", "extendedKeyUsage=clientAuth\n", 3)
        tls = [f"--tls_cert={cls.path('server.pem')}", f"--tls_key={cls.path('server.key')}"]
        cls.http_port_file = cls.path("http-port")
        cls.tls = Rebookd(*tls, "--http_listen=127.0.0.1:0",
                          f"--http_tls_cert={cls.path('server.pem')}",
                          f"--http_tls_key={cls.path('server.key')}",
                          f"--http_port_file={cls.http_port_file}", tokens=TOKENS)
        cls.mtls = Rebookd(*tls, f"--tls_client_ca={cls.path('ca.pem')}",
                           "--public_base_url=https://rebook.example/", tokens=TOKENS)

    @classmethod
    def tearDownClass(cls):
        cls.mtls.close()
        cls.tls.close()
        cls.tmp.cleanup()

    @classmethod
    def path(cls, name):
        return os.path.join(cls.dir, name)

    def run_tool(self, tool, *args, env_extra=None):
        env = {k: v for k, v in os.environ.items() if not k.startswith("REBOOK_")}
        env.update(env_extra or {})
        return subprocess.run([os.path.join(BIN, tool), *args], capture_output=True, text=True,
                              timeout=120, env=env)

    def ctl(self, server, *args):
        return self.run_tool("rebookctl", f"--server={server.address}", "--token=admin-token",
                             "--timeout=10", *args)

    def list_outages(self, channel, token="admin-token"):
        stub = outages_pb2_grpc.OutageServiceStub(channel)
        return stub.ListOutages(outages_pb2.ListOutagesRequest(), timeout=TIMEOUT,
                                metadata=[("authorization", f"Bearer {token}")])

    def assert_refused(self, result, *expected):
        self.assertEqual(result.returncode, EXIT_UNAVAILABLE, result.stdout + result.stderr)
        for text in expected:
            self.assertIn(text, result.stderr)

    # --- TLS works

    def test_rebookctl_over_tls_with_the_flags_before_or_after_the_subcommand(self):
        ca = f"--ca-file={self.path('ca.pem')}"
        for args in ([ca, "outage", "list", "--json"], ["outage", "list", ca, "--json"],
                     ["outage", ca, "list", "--tls", "--json"]):
            result = self.ctl(self.tls, *args)
            self.assertEqual(result.returncode, 0, f"{args}: {result.stderr}")

    def test_rebookctl_reads_the_ca_from_the_environment(self):
        result = self.run_tool("rebookctl", "outage", "list", env_extra={
            "REBOOK_SERVER": self.tls.address, "REBOOK_TOKEN": "admin-token",
            "REBOOK_CA_FILE": self.path("ca.pem")})
        self.assertEqual(result.returncode, 0, result.stderr)

    def test_python_client_over_tls(self):
        with open_channel(self.tls.address, ca_file=self.path("ca.pem")) as channel:
            self.list_outages(channel)

    def test_rebook_batch_over_tls(self):
        result = self.run_tool("rebook-batch", f"--server={self.tls.address}",
                               "--token=admin-token", f"--ca-file={self.path('ca.pem')}")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("expiries: 0 offers expired", result.stdout)

    def test_the_response_page_serves_https_with_the_same_certificate(self):
        with open(self.http_port_file) as f:
            port = int(f.read())
        context = ssl.create_default_context(cafile=self.path("ca.pem"))
        with urllib.request.urlopen(f"https://127.0.0.1:{port}/healthz", context=context,
                                    timeout=TIMEOUT) as answer:
            self.assertEqual(answer.status, 200)
        with self.assertRaises((urllib.error.URLError, ConnectionError, http.client.HTTPException)):
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=TIMEOUT).read()
        wrong = ssl.create_default_context(cafile=self.path("other-ca.pem"))
        with self.assertRaises(urllib.error.URLError) as caught:
            urllib.request.urlopen(f"https://127.0.0.1:{port}/healthz", context=wrong,
                                   timeout=TIMEOUT)
        self.assertIsInstance(caught.exception.reason, ssl.SSLCertVerificationError)

    # --- refused, clearly

    def test_a_server_certificate_of_another_ca_is_refused(self):
        self.assert_refused(self.ctl(self.tls, f"--ca-file={self.path('other-ca.pem')}",
                                     "outage", "list"), "cannot reach rebookd", "--ca-file")
        with open_channel(self.tls.address, ca_file=self.path("other-ca.pem")) as channel:
            with self.assertRaises(grpc.RpcError) as caught:
                self.list_outages(channel)
        self.assertEqual(caught.exception.code(), grpc.StatusCode.UNAVAILABLE)

    def test_a_plaintext_client_of_a_tls_server_is_told_to_use_tls(self):
        self.assert_refused(self.ctl(self.tls, "outage", "list"), "cannot reach rebookd",
                            "pass --tls")
        with open_channel(self.tls.address) as channel:
            with self.assertRaises(grpc.RpcError) as caught:
                self.list_outages(channel)
        self.assertEqual(caught.exception.code(), grpc.StatusCode.UNAVAILABLE)

    def test_a_missing_ca_file_is_named_before_connecting(self):
        result = self.ctl(self.tls, "--ca-file=/nonexistent/ca.pem", "outage", "list")
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("--ca-file file /nonexistent/ca.pem", result.stderr)

    # --- mutual TLS

    def test_mtls_without_a_client_certificate_is_refused(self):
        self.assert_refused(self.ctl(self.mtls, f"--ca-file={self.path('ca.pem')}",
                                     "outage", "list"), "--client-cert")
        with open_channel(self.mtls.address, ca_file=self.path("ca.pem")) as channel:
            with self.assertRaises(grpc.RpcError) as caught:
                self.list_outages(channel)
        self.assertEqual(caught.exception.code(), grpc.StatusCode.UNAVAILABLE)

    def test_mtls_with_a_client_certificate_of_another_ca_is_refused(self):
        result = self.ctl(self.mtls, f"--ca-file={self.path('ca.pem')}",
                          f"--client-cert={self.path('stranger.pem')}",
                          f"--client-key={self.path('stranger.key')}", "outage", "list")
        self.assert_refused(result)

    def test_mtls_with_the_client_certificate_works(self):
        files = {"ca_file": self.path("ca.pem"), "client_cert": self.path("client.pem"),
                 "client_key": self.path("client.key")}
        result = self.ctl(self.mtls, "outage", "list", *(
            f"--{flag}={path}" for flag, path in
            (("ca-file", files["ca_file"]), ("client-cert", files["client_cert"]),
             ("client-key", files["client_key"]))))
        self.assertEqual(result.returncode, 0, result.stderr)
        with open_channel(self.mtls.address, **files) as channel:
            self.list_outages(channel)

    def test_rebook_notifier_over_mtls(self):
        config = self.path("channels.conf")
        with open(config, "w") as f:
            f.write(f"[channel.file]\ntype = file\npath = {self.path('outbox.jsonl')}\n")
        result = self.run_tool(
            "rebook-notifier", f"--server={self.mtls.address}", "--token=notifier-token",
            f"--ca-file={self.path('ca.pem')}", f"--client-cert={self.path('client.pem')}",
            f"--client-key={self.path('client.key')}", f"--channel-config={config}", "--once")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("notifier_stopped", result.stdout + result.stderr)


class ListenRuleTest(unittest.TestCase):
    """Bearer tokens never cross a network in clear text: rebookd refuses to start a plaintext
    listener on a non-loopback address. The refusal comes before binding, so nothing listens on
    0.0.0.0 here; the classification of each address is unit-tested (server_tls_test)."""

    def start(self, *args):
        with tempfile.TemporaryDirectory(prefix="rebook-listen-") as d:
            tokens = os.path.join(d, "tokens")
            with open(tokens, "w") as f:
                f.write("admin admin * sha256:" + "0" * 64 + "\n")
            port_file = os.path.join(d, "port")
            started = time.monotonic()
            result = subprocess.run(
                [os.path.join(BIN, "rebookd"), f"--db={d}/rebook.db", f"--tokens={tokens}",
                 f"--port_file={port_file}", *args],
                capture_output=True, text=True, timeout=60)
            self.assertLess(time.monotonic() - started, 60)
            self.assertFalse(os.path.exists(port_file), "rebookd must not have served")
            return result

    def test_plaintext_on_a_wildcard_address_is_refused_at_start(self):
        for address in ("0.0.0.0:0", "[::]:0"):
            result = self.start(f"--listen={address}")
            self.assertEqual(result.returncode, 1, result.stderr)
            self.assertIn(f"refusing to serve plaintext gRPC on non-loopback address {address}",
                          result.stderr)
            self.assertIn("--allow_insecure_listen", result.stderr)

    def test_a_certificate_without_its_key_is_refused_at_start(self):
        result = self.start("--listen=127.0.0.1:0", "--tls_cert=/nonexistent/server.pem")
        self.assertEqual(result.returncode, 1, result.stderr)
        self.assertIn("--tls_cert and --tls_key must be given together", result.stderr)


if __name__ == "__main__":
    unittest.main()
