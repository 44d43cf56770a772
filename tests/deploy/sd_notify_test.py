"""rebookd under systemd's Type=notify protocol: with NOTIFY_SOCKET naming a Unix datagram
socket, it sends READY=1 once it serves (its port file is written by then) and STOPPING=1 when
SIGTERM arrives, then exits 0.

Environment: REBOOK_BIN_DIR (the built binaries).
"""
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time

BIN = os.environ["REBOOK_BIN_DIR"]


def receive(sock, deadline):
    sock.settimeout(max(0.1, deadline - time.monotonic()))
    return sock.recv(4096).decode()


def main():
    with tempfile.TemporaryDirectory(prefix="rebook-notify-") as work:
        path = os.path.join(work, "notify.sock")
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        sock.bind(path)
        tokens = os.path.join(work, "tokens")
        open(tokens, "w").close()
        port_file = os.path.join(work, "port")
        env = dict(os.environ, NOTIFY_SOCKET=path)
        log = open(os.path.join(work, "rebookd.log"), "w")
        rebookd = subprocess.Popen(
            [os.path.join(BIN, "rebookd"), f"--db={work}/rebook.db", f"--tokens={tokens}",
             "--listen=127.0.0.1:0", f"--port_file={port_file}"],
            env=env, stdout=log, stderr=log)
        try:
            deadline = time.monotonic() + 30
            messages = []
            while "READY=1" not in messages:
                messages += receive(sock, deadline).split("\n")
            assert os.path.exists(port_file), "READY=1 came before rebookd was serving"
            rebookd.send_signal(signal.SIGTERM)
            deadline = time.monotonic() + 30
            after = []
            while "STOPPING=1" not in after:
                after += receive(sock, deadline).split("\n")
            assert rebookd.wait(timeout=30) == 0, open(log.name).read()
            print(f"sd_notify_test: received {messages + after}")
            return 0
        except socket.timeout:
            print("FAIL: no notification in time; rebookd log:\n" + open(log.name).read())
            return 1
        finally:
            if rebookd.poll() is None:
                rebookd.kill()
                rebookd.wait()


if __name__ == "__main__":
    sys.exit(main())
