"""The .deb as a user gets it: cpack builds rebook_<version>_amd64.deb from the release build,
`dpkg-deb -c` lists what it installs, `dpkg -x` unpacks it into a scratch root, and the
unpacked binaries run from there: --version of rebookd and rebookctl, the notifier finding the
unpacked templates, rebookd starting on the shipped flagfile and outbox policy with only its
paths (database, tokens, listen ports) redirected into the scratch root, and the notifier
draining it once on the shipped channel config.

Environment: REBOOK_BUILD_DIR (the CMake build folder), REBOOK_VERSION (project version).
"""
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

BUILD = os.environ["REBOOK_BUILD_DIR"]
VERSION = os.environ["REBOOK_VERSION"]

# Every path a user relies on; the test fails naming the missing ones.
EXPECTED = [
    "./usr/bin/rebookd", "./usr/bin/rebookctl", "./usr/bin/rebook-notifier",
    "./usr/bin/rebook-batch", "./usr/bin/rebook-check", "./usr/bin/rebook-solve",
    "./usr/bin/rebook-gen", "./usr/bin/rebook-sync",
    "./usr/share/rebook/templates/de/offer.subject.mustache",
    "./usr/share/rebook/templates/en/offer.txt.mustache",
    "./etc/rebook/rebookd.flags", "./etc/rebook/tokens", "./etc/rebook/outbox.conf",
    "./etc/rebook/notifier-default.conf", "./etc/rebook/sync.conf",
    "./lib/systemd/system/rebookd.service", "./lib/systemd/system/rebook-notifier@.service",
    "./lib/systemd/system/rebook-batch.service", "./lib/systemd/system/rebook-batch.timer",
    "./lib/systemd/system/rebook-sync.service",
    "./usr/share/bash-completion/completions/rebookctl",
    "./usr/share/doc/rebook/README.md", "./usr/share/doc/rebook/deploying.md",
]
# What must not ship: tests, benchmarks, fuzzers, demo helpers.
FORBIDDEN = re.compile(r"_test$|/bench_|/fuzz_|rebook-simulate|/tests/")


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, capture_output=True, text=True, timeout=120, **kw)


def main():
    work = tempfile.mkdtemp(prefix="rebook-deb-")
    rebookd = None
    try:
        started = time.monotonic()
        out = os.path.join(work, "out")
        run(["cpack", "--config", os.path.join(BUILD, "CPackConfig.cmake"), "-B", out])
        deb = os.path.join(out, f"rebook_{VERSION}_amd64.deb")
        assert os.path.isfile(deb), f"no {deb}: {os.listdir(out)}"
        print(f"built {os.path.basename(deb)} ({os.path.getsize(deb) >> 20} MiB) in "
              f"{time.monotonic() - started:.1f} s")

        listing = run(["dpkg-deb", "-c", deb]).stdout
        paths = {line.split()[-1] for line in listing.splitlines() if line.strip()}
        paths |= {p.rstrip("/") for p in paths}
        missing = [p for p in EXPECTED if p not in paths]
        assert not missing, f"missing from the .deb: {missing}"
        shipped_bad = sorted(p for p in paths if FORBIDDEN.search(p))
        assert not shipped_bad, f"the .deb ships test/bench files: {shipped_bad}"
        for line in listing.splitlines():
            if " ./etc/rebook/" in line and not line.endswith("/"):
                assert line.startswith("-rw-r-----"), f"config not 0640: {line}"

        info = run(["dpkg-deb", "-I", deb]).stdout
        assert re.search(rf"^ Version: {re.escape(VERSION)}$", info, re.M), info
        assert re.search(r"^ Architecture: amd64$", info, re.M), info
        assert re.search(r"^ Depends:.*\badduser\b", info, re.M), info
        assert "postinst" in info, info
        assert run(["dpkg-deb", "-f", deb, "Package"]).stdout.strip() == "rebook"
        control = os.path.join(work, "control")
        run(["dpkg-deb", "-e", deb, control])
        with open(os.path.join(control, "conffiles")) as f:
            listed = f.read().split()
        assert "/etc/rebook/rebookd.flags" in listed and "/etc/rebook/tokens" in listed, listed

        root = os.path.join(work, "root")
        run(["dpkg", "-x", deb, root])
        for tool in ("rebookd", "rebookctl", "rebook-notifier", "rebook-batch", "rebook-sync"):
            line = run([os.path.join(root, "usr/bin", tool), "--version"]).stdout.strip()
            assert re.fullmatch(rf"{tool} {re.escape(VERSION)} \(commit \w+\)", line), line
            print(line)
        # The unpacked notifier uses the unpacked templates (found beside its binary).
        help_text = run([os.path.join(root, "usr/bin/rebook-notifier"), "--help"]).stdout
        assert os.path.join(root, "usr/share/rebook/templates") in help_text, help_text

        # rebookd on the shipped flagfile: every path redirected, everything else as shipped.
        state = os.path.join(work, "state")
        os.makedirs(state)
        tokens = os.path.join(state, "tokens")
        # The shipped token file (comments only) plus one notifier principal.
        shutil.copy(os.path.join(root, "etc/rebook/tokens"), tokens)
        token = "deb-test-notifier-token-0123456789"
        digest = run([os.path.join(root, "usr/bin/rebookctl"), "hash-token", token]).stdout
        with open(tokens, "a") as f:
            f.write(f"notifier-1 notifier * {digest.strip()}\n")
        port_file = os.path.join(state, "port")
        log = open(os.path.join(state, "rebookd.log"), "w")
        rebookd = subprocess.Popen(
            [os.path.join(root, "usr/bin/rebookd"),
             f"--flagfile={root}/etc/rebook/rebookd.flags",
             f"--outbox_policy={root}/etc/rebook/outbox.conf",
             f"--db={state}/rebook.db", f"--tokens={tokens}", "--listen=127.0.0.1:0",
             "--http_listen=127.0.0.1:0", f"--port_file={port_file}"],
            stdout=log, stderr=log)
        deadline = time.monotonic() + 30
        while not os.path.exists(port_file):
            assert rebookd.poll() is None, open(log.name).read()
            assert time.monotonic() < deadline, "rebookd did not start"
            time.sleep(0.1)
        assert oct(os.stat(f"{state}/rebook.db").st_mode & 0o777) == "0o600"
        # The unpacked notifier on the shipped channel config (its spool folder redirected)
        # and templates drains the (empty) outbox of that rebookd once.
        with open(os.path.join(root, "etc/rebook/notifier-default.conf")) as f:
            config = f.read().replace("/var/lib/rebook-notifier/default", state)
        with open(os.path.join(state, "notifier.conf"), "w") as f:
            f.write(config)
        port = open(port_file).read().strip()
        notifier = subprocess.run(
            [os.path.join(root, "usr/bin/rebook-notifier"), f"--server=127.0.0.1:{port}",
             "--token-file=/dev/stdin", f"--channel-config={state}/notifier.conf", "--once"],
            input=token + "\n", capture_output=True, text=True, timeout=60)
        assert notifier.returncode == 0, notifier.stdout + notifier.stderr
        assert '"channels":"email,letter"' in notifier.stdout + notifier.stderr, notifier.stderr
        rebookd.send_signal(signal.SIGTERM)
        assert rebookd.wait(timeout=30) == 0, open(log.name).read()
        rebookd = None
        print(f"deb_package_test: passed in {time.monotonic() - started:.1f} s")
        return 0
    finally:
        if rebookd is not None:
            rebookd.kill()
            rebookd.wait()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
