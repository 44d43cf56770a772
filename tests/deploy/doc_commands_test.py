"""Every shell command in README.md and docs/*.md, run exactly as written.

A command is a fenced ```sh or ```bash block. Each file's blocks run in order, as one bash -e
script, in a scratch root (a folder whose entries link to the source tree's, so `deploy/...`
and `tools/...` resolve while anything written lands in the scratch folder), with the built
binaries first on PATH. A block that cannot run in a test carries a visible marker on the line
before its fence:

    <!-- doc-test: skip (the reason) -->

and is counted as skipped; the test prints how many blocks it ran and skipped per file.
Indented code blocks are not commands: one that starts with a rebook binary, cmake, ctest or
`bash tools/` fails the test (fence it as ```sh, with a skip marker if it cannot run).

`cmake` lines (the README's build) meet a stand-in on PATH that accepts only the project's
build commands and prints that ctest built everything already; rebookd gets a free loopback
port through REBOOK_SERVER, which the README reads.

Environment: REBOOK_BIN_DIR, REBOOK_SOURCE_DIR. Whole test: under ~90 s.
"""
import glob
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

BIN = os.environ["REBOOK_BIN_DIR"]
SRC = os.environ["REBOOK_SOURCE_DIR"]
FENCE = re.compile(r"^```(\w*)\s*$")
SKIP = re.compile(r"^<!--\s*doc-test:\s*skip\s*\((.+)\)\s*-->\s*$")
COMMANDS = re.compile(r"^    (rebookctl|rebookd|rebook-\w+|cmake|ctest|bash tools/|build/release/)")
PER_FILE_TIMEOUT_S = 75

CMAKE_SHIM = """#!/bin/sh
# doc_commands_test: ctest has built the project already; only its build commands are accepted.
case "$*" in
  "--preset release"|"--build --preset release"|"--build --preset release "*) echo "cmake $*: built by ctest already"; exit 0 ;;
esac
echo "doc_commands_test: unexpected cmake $*" >&2
exit 1
"""


def blocks(path):
    """(kind, language, skip_reason, text, line) of every fenced block; indented command blocks
    come back as kind 'indented'."""
    lines = open(path, encoding="utf-8").read().split("\n")
    out, i, previous = [], 0, ""
    while i < len(lines):
        match = FENCE.match(lines[i])
        if match:
            start, body = i + 1, []
            i += 1
            while i < len(lines) and not lines[i].startswith("```"):
                body.append(lines[i])
                i += 1
            skip = SKIP.match(previous)
            out.append(("fenced", match.group(1), skip.group(1) if skip else None,
                        "\n".join(body), start))
        elif COMMANDS.match(lines[i]) and (i == 0 or not lines[i - 1].startswith("    ")):
            out.append(("indented", "", None, lines[i], i + 1))
        if i < len(lines) and lines[i].strip():
            previous = lines[i]
        i += 1
    return out


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_file(name, script, work):
    root = os.path.join(work, "root-" + re.sub(r"\W", "_", name))
    os.makedirs(root)
    for entry in os.listdir(SRC):
        if entry not in (".git", "build", "var"):
            os.symlink(os.path.join(SRC, entry), os.path.join(root, entry))
    shims = os.path.join(work, "shims")
    env = dict(os.environ, HOME=os.path.join(root, "home"), REBOOK_BIN_DIR=BIN,
               REBOOK_SERVER=f"127.0.0.1:{free_port()}",
               PATH=f"{BIN}:{shims}:{os.environ['PATH']}")
    for var in ("REBOOK_HOME", "REBOOK_TOKEN"):
        env.pop(var, None)
    os.makedirs(env["HOME"])
    script_path = os.path.join(work, name.replace("/", "_") + ".sh")
    with open(script_path, "w") as f:
        f.write(script)
    started = time.monotonic()
    process = subprocess.Popen(["bash", "-e", "-o", "pipefail", script_path], cwd=root, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               start_new_session=True)
    try:
        output, _ = process.communicate(timeout=PER_FILE_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        output, _ = process.communicate()
        return False, output + f"\n(timed out after {PER_FILE_TIMEOUT_S} s)"
    finally:
        try:
            os.killpg(process.pid, signal.SIGKILL)  # what the block left running (rebookd &)
        except ProcessLookupError:
            pass
    elapsed = time.monotonic() - started
    return process.returncode == 0, output + f"\n(exit {process.returncode}, {elapsed:.1f} s)"


def main():
    files = [os.path.join(SRC, "README.md")] + sorted(glob.glob(os.path.join(SRC, "docs/*.md")))
    failures, ran, skipped = [], 0, 0
    with tempfile.TemporaryDirectory(prefix="rebook-doccmd-") as work:
        shims = os.path.join(work, "shims")
        os.makedirs(shims)
        with open(os.path.join(shims, "cmake"), "w") as f:
            f.write(CMAKE_SHIM)
        os.chmod(os.path.join(shims, "cmake"), 0o755)
        for path in files:
            name = os.path.relpath(path, SRC)
            runnable, file_ran, file_skipped = [], 0, 0
            for kind, language, skip, text, line in blocks(path):
                if kind == "indented":
                    failures.append(f"{name}:{line}: an indented command block ({text.strip()!r})"
                                    " : fence it as ```sh (with a doc-test skip marker if it "
                                    "cannot run)")
                    continue
                if language not in ("sh", "bash"):
                    continue
                if skip:
                    file_skipped += 1
                    print(f"  skip {name}:{line}: {skip}")
                    continue
                file_ran += 1
                runnable.append(f"# --- {name}:{line}\n{text}\n")
            ran += file_ran
            skipped += file_skipped
            if runnable:
                ok, output = run_file(name, "".join(runnable), work)
                print(f"{name}: {file_ran} blocks run, {file_skipped} skipped: "
                      f"{'ok' if ok else 'FAILED'} {output.strip().splitlines()[-1]}")
                if not ok:
                    failures.append(f"{name}: its blocks failed:\n{output[-3000:]}")
            elif file_skipped:
                print(f"{name}: 0 blocks run, {file_skipped} skipped")
    for failure in failures:
        print("FAIL:", failure)
    print(f"doc_commands_test: {ran} blocks run, {skipped} skipped (marked), "
          f"{len(failures)} failures")
    return 1 if failures or ran == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
