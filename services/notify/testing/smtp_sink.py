#!/usr/bin/python3
"""A loopback SMTP server for notify tests (aiosmtpd).

Binds 127.0.0.1 on a free port, writes the port to --port-file once it listens, and saves
every message it receives in DATA to --out-dir as NNNN-<code>.eml (accepted or not), so a
test can compare the attempts of one message. Answers:
  --fail-first N --fail-code 451   the first N messages get 451 (then 250)
  --always-code 550                every message gets 550
  --tls-cert/--tls-key             offer STARTTLS and require it before MAIL
Exits by itself after --max-seconds (a test that forgets to stop it cannot leave it behind).
"""
import argparse
import asyncio
import os
import ssl
import sys

from aiosmtpd.smtp import SMTP

REASONS = {
    451: "451 4.3.0 Mailbox temporarily unavailable, please try again later",
    550: "550 5.1.1 Recipient address rejected: user unknown in local recipient table",
}


class Handler:
    def __init__(self, args):
        self.args = args
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        if self.args.always_code:
            code = self.args.always_code
        elif self.count <= self.args.fail_first:
            code = self.args.fail_code
        else:
            code = 250
        name = os.path.join(self.args.out_dir, "%04d-%d.eml" % (self.count, code))
        with open(name + ".tmp", "wb") as f:
            f.write(envelope.original_content or envelope.content)
        os.replace(name + ".tmp", name)
        if code == 250:
            return "250 2.0.0 OK queued as rb%04d" % self.count
        return REASONS.get(code, "%d error" % code)


async def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port-file", required=True)
    p.add_argument("--out-dir", required=True)
    p.add_argument("--fail-first", type=int, default=0)
    p.add_argument("--fail-code", type=int, default=451)
    p.add_argument("--always-code", type=int, default=0)
    p.add_argument("--tls-cert")
    p.add_argument("--tls-key")
    p.add_argument("--max-seconds", type=float, default=120)
    args = p.parse_args()
    os.makedirs(args.out_dir, exist_ok=True)
    handler = Handler(args)
    tls = None
    if args.tls_cert:
        tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        tls.load_cert_chain(args.tls_cert, args.tls_key)
    loop = asyncio.get_running_loop()
    server = await loop.create_server(
        lambda: SMTP(handler, tls_context=tls, require_starttls=tls is not None,
                     decode_data=False, enable_SMTPUTF8=True),
        "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    with open(args.port_file + ".tmp", "w") as f:
        f.write(str(port))
    os.replace(args.port_file + ".tmp", args.port_file)
    await asyncio.sleep(args.max_seconds)
    server.close()


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        sys.exit(0)
