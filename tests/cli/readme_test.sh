#!/usr/bin/env bash
# README.md's "Running it yourself" block, run exactly as written (lines starting with `cmake`
# are skipped: ctest has built everything) on a temp REBOOK_HOME, a free loopback port and the
# built binaries. Only the environment variables the README itself reads are set here.
set -euo pipefail
bin=${REBOOK_BIN_DIR:?REBOOK_BIN_DIR must point at the built binaries}
src=${REBOOK_SOURCE_DIR:?REBOOK_SOURCE_DIR must point at the source tree}
work=$(mktemp -d)
runner_pid=
cleanup() {
  # The block runs in its own process group (setsid): stop whatever of it is left, rebookd too.
  if [ -n "$runner_pid" ]; then kill -KILL -- "-$runner_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
fail() {
  echo "FAIL: $*" >&2
  echo "--- output" >&2; cat "$work/out" "$work/err" >&2 || true
  echo "--- rebookd log" >&2; tail -20 "$work/home/rebookd.log" >&2 || true
  exit 1
}

# The fenced sh block right after "## Running it yourself", minus the build lines.
/usr/bin/python3 - "$src/README.md" >"$work/block.sh" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
section = text[text.index("## Running it yourself"):]
block = re.search(r"```sh\n(.*?)```", section, re.S).group(1)
for line in block.splitlines():
    if not line.startswith("cmake"):
        print(line)
PY
grep -q rebookd "$work/block.sh" || fail "no sh block in README's Running it yourself"
port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')

cd "$src"
set +e
REBOOK_BIN_DIR="$bin" REBOOK_HOME="$work/home" REBOOK_SERVER="127.0.0.1:$port" HOME="$work" \
  setsid timeout 240 bash -e "$work/block.sh" >"$work/out" 2>"$work/err" &
runner_pid=$!
wait "$runner_pid"
rc=$?
set -e
[ "$rc" = 0 ] || fail "the README block exited $rc"

# What the last lines promise: the outage's impact, and cancelled appointments as JSON.
grep -q "Impact of outages/halle-mitte" "$work/out" || fail "no outage impact"
/usr/bin/python3 - "$work/out" <<'PY' || fail "the --json list is not the last output"
import json, sys
text = open(sys.argv[1]).read()
doc = json.loads(text[text.rindex("\n{") + 1:])
rows = doc["appointments"]
assert len(rows) == 5 and all(r["status"] == "CANCELLED" for r in rows), doc
PY
[ "$(stat -c %a "$work/home/admin.token")" = 600 ] || fail "the token file is not private"
echo PASS
