#!/usr/bin/python3
"""A loopback HTTP sink for the SMS and webhook channel tests (http.server).

Binds 127.0.0.1 on a free port and writes the port to --port-file once it listens. Every
POST is appended to --log as one JSON line: path, headers, body, and, when --secret is given,
whether the Standard Webhooks signature verifies (computed here independently of the C++
code: HMAC-SHA256 over "{webhook-id}.{webhook-timestamp}.{body}" with the base64 key after
the "whsec_" prefix). Answers --fail-status for the first --fail-first requests, then
--status with --response as the body. With --keep-alive it speaks HTTP/1.1 and keeps
connections open between requests; each log line carries the client's port, so a test can see
whether requests shared a connection. Exits by itself after --max-seconds.
"""
import argparse
import base64
import hashlib
import hmac
import json
import os
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def verify(secret, headers, body):
    key = base64.b64decode(secret[len("whsec_"):] if secret.startswith("whsec_") else secret)
    msg_id = headers.get("webhook-id", "")
    ts = headers.get("webhook-timestamp", "")
    signed = ("%s.%s." % (msg_id, ts)).encode() + body
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    for sig in headers.get("webhook-signature", "").split(" "):
        version, _, value = sig.partition(",")
        if version == "v1" and hmac.compare_digest(value, expected):
            return True
    return False


def make_handler(args, state):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1" if args.keep_alive else "HTTP/1.0"

        def do_POST(self):
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length)
            headers = {k.lower(): v for k, v in self.headers.items()}
            with state["lock"]:
                state["count"] += 1
                failing = state["count"] <= args.fail_first
                entry = {"path": self.path, "headers": headers,
                         "client_port": self.client_address[1],
                         "body": body.decode("utf-8", "replace"),
                         "status": args.fail_status if failing else args.status}
                if args.secret:
                    entry["signature_ok"] = verify(args.secret, headers, body)
                with open(args.log, "a") as f:
                    f.write(json.dumps(entry) + "\n")
            status = entry["status"]
            payload = (args.fail_body if failing else args.response).encode()
            self.send_response(status)
            if failing and args.retry_after:
                self.send_header("Retry-After", str(args.retry_after))
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *unused):
            pass

    return Handler


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port-file", required=True)
    p.add_argument("--log", required=True)
    p.add_argument("--secret", default="")
    p.add_argument("--status", type=int, default=200)
    p.add_argument("--response", default='{"id": "gw-1"}')
    p.add_argument("--fail-first", type=int, default=0)
    p.add_argument("--fail-status", type=int, default=503)
    p.add_argument("--fail-body", default='{"error": "busy"}')
    p.add_argument("--retry-after", type=int, default=0)
    p.add_argument("--keep-alive", action="store_true")
    p.add_argument("--max-seconds", type=float, default=120)
    args = p.parse_args()
    state = {"count": 0, "lock": threading.Lock()}
    server = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(args, state))
    with open(args.port_file + ".tmp", "w") as f:
        f.write(str(server.server_address[1]))
    os.replace(args.port_file + ".tmp", args.port_file)
    threading.Timer(args.max_seconds, server.shutdown).start()
    server.serve_forever()


if __name__ == "__main__":
    main()
