#!/usr/bin/env bash
# rebookctl against a real rebookd on 127.0.0.1 over a SQLite file. Every wait is bounded and the
# server is always stopped.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/cli_common.sh"

echo "== --version and --help everywhere"
for tool in rebookd rebookctl rebook-notifier rebook-batch rebook-simulate rebook-solve rebook-check \
  rebook-gen; do
  "$bin/$tool" --version >"$work/out" 2>"$work/err" || fail "$tool --version exited $?"
  expect_in "$tool ${REBOOK_VERSION:?} (commit " "$work/out"
  if grep -q "Debug build" "$work/out"; then fail "$tool --version: Debug build"; fi
done
"$bin/rebookd" --help >"$work/out" 2>&1 || true
expect_in "--tokens" "$work/out"
expect_in "--public_base_url" "$work/out"
if grep -q "No flags matched" "$work/out"; then fail "rebookd --help lists no flags"; fi

echo "test-admin-token" > "$work/token"
echo "ops admin * $("$bin/rebookctl" hash-token test-admin-token)" > "$work/tokens"
# The tiny bundle's outage lies on 3 March 2026: the clock starts at 07:00 in Landsberg that day.
start_rebookd 2026-03-03T06:00:00Z
export REBOOK_TOKEN=test-admin-token
# set_csv_field IN OUT LINE COLUMN VALUE: a CSV-aware edit of one field (line 1 is the header).
set_csv_field() {
  /usr/bin/python3 - "$@" <<'PY'
import csv, sys
src, dst, line, column, value = sys.argv[1:]
rows = list(csv.reader(open(src, newline="")))
rows[int(line) - 1][rows[0].index(column)] = value
csv.writer(open(dst, "w", newline=""), lineterminator="\n").writerows(rows)
PY
}

"$bin/rebook-gen" --preset tiny --out "$work/tiny" >/dev/null 2>&1

echo "== a broken bundle is refused with file, line and column; nothing is stored"
cp -r "$work/tiny" "$work/broken"
# Line 4 is the third appointment: give it an impossible deadline (a local-read error) ...
set_csv_field "$work/tiny/appointments.csv" "$work/broken/appointments.csv" 4 deadline \
  2026-02-30T10:00
if ctl import "$work/broken" >"$work/out" 2>"$work/err"; then fail "broken bundle imported"; fi
expect_in "appointments.csv:4:6 (deadline)" "$work/err"
# ... and a server-side rule (an e-mail address without @) on line 5.
set_csv_field "$work/tiny/appointments.csv" "$work/broken/appointments.csv" 5 email \
  nobody.example.org
if ctl import "$work/broken" >"$work/out" 2>"$work/err"; then fail "bad e-mail imported"; fi
expect_in "appointments.csv:5:14 (email): is not an e-mail address" "$work/err"
# ... and a Latin-1 name (invalid UTF-8) on line 3 is refused before anything is sent.
/usr/bin/python3 - "$work/tiny/appointments.csv" "$work/broken/appointments.csv" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="", encoding="utf-8")))
rows[2][rows[0].index("citizen_name")] = "J\udcf6rg M\udcfcller"  # raw bytes 0xF6, 0xFC
csv.writer(open(sys.argv[2], "w", newline="", encoding="utf-8", errors="surrogateescape"),
           lineterminator="\n").writerows(rows)
PY
if ctl import "$work/broken" >"$work/out" 2>"$work/err"; then fail "invalid UTF-8 imported"; fi
expect_in "appointments.csv:3:12 (citizen_name): is not valid UTF-8" "$work/err"
expect_in "nothing was imported" "$work/err"
ctl appointments list --office - >"$work/out"
expect_in "0 of 0 shown" "$work/out"
ctl capacity offices >"$work/out"
if grep -q landsberg "$work/out"; then fail "capacity stored by a failed bundle import"; fi

# ... also when the error comes after appointments were sent: rebookctl streams appointments.csv
# while reading it (2 per message here), and a CSV error cancels the call, so nothing is stored.
set_csv_field "$work/tiny/appointments.csv" "$work/broken/appointments.csv" 28 deadline \
  2026-02-30T10:00
if ctl import "$work/broken" --batch 2 >"$work/out" 2>"$work/err"; then
  fail "late broken row imported"
fi
expect_in "appointments.csv:28:6 (deadline)" "$work/err"
expect_in "nothing was imported" "$work/err"
ctl appointments list --office - >"$work/out"
expect_in "0 of 0 shown" "$work/out"
ctl capacity offices >"$work/out"
if grep -q landsberg "$work/out"; then fail "capacity stored by a cancelled bundle import"; fi

echo "== import, then import again: one effect"
ctl import "$work/tiny" --request-id tiny-1 >"$work/out" 2>"$work/err"
expect_in "appointments 30 received, 30 created" "$work/out"
ctl import "$work/tiny" >"$work/out" 2>"$work/err"
expect_in "30 unchanged" "$work/out"

echo "== lists return every row unless --limit cuts them"
ctl appointments list --office - >"$work/out"
expect_in "30 of 30 shown" "$work/out"
ctl appointments list --office - --limit 7 >"$work/out"
expect_in "7 of 30 shown" "$work/out"
ctl capacity offices --json --limit 1 >"$work/out"
/usr/bin/python3 -c "import json,sys; o=json.load(open(sys.argv[1])); assert len(o['offices'])==1, o" "$work/out"

echo "== declare the outage and see its impact"
ctl outage declare --office landsberg --start 2026-03-03T08:00 --end 2026-03-03T12:00 \
  --cause "Netzausfall" --id tiny-outage >"$work/out"
expect_in "cancelled:" "$work/out"
ctl outage impact tiny-outage >"$work/out"
expect_in "Impact of outages/tiny-outage" "$work/out"
expect_in "landsberg" "$work/out"
ctl --json outage show tiny-outage >"$work/out"
/usr/bin/python3 -c "import json,sys; o=json.load(open(sys.argv[1])); assert o['state']=='ACTIVE', o" "$work/out"
ctl appointments list --outage tiny-outage --status cancelled >"$work/out"
expect_in "cancelled" "$work/out"
echo "== global flags also after the subcommand"
ctl appointments list --outage tiny-outage --status cancelled --json >"$work/out"
/usr/bin/python3 -c "import json,sys; o=json.load(open(sys.argv[1])); assert o['appointments'], o" "$work/out"
ctl outage show tiny-outage --timeout 30 --server "$REBOOK_SERVER" --json >"$work/out"
expect_in '"state": "ACTIVE"' "$work/out"
ctl capacity shifts --office landsberg --limit 3 >"$work/out"
expect_in "regular" "$work/out"

echo "== closing refuses while citizens are open"
if ctl outage close tiny-outage >"$work/out" 2>"$work/err"; then fail "closed with open citizens"; fi
expect_in "FAILED_PRECONDITION" "$work/err"

echo "== privacy: export and erase one citizen, retention settings, purge"
ctl appointments list --outage tiny-outage --status cancelled --json >"$work/out"
citizen=$(/usr/bin/python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['appointments'][0]['name'])" "$work/out")
ctl privacy export "$citizen" >"$work/out"
/usr/bin/python3 -c "import json,sys; o=json.load(open(sys.argv[1])); assert o['appointments'][0]['contact'], o" "$work/out"
ctl privacy erase "$citizen" >"$work/out"
expect_in "Erased the personal data of 1 appointments" "$work/out"
ctl privacy export "$citizen" >"$work/out"
/usr/bin/python3 -c "import json,sys; o=json.load(open(sys.argv[1])); assert o['erasures'][0]['reason'] == 'request', o; assert 'email' not in o['appointments'][0].get('contact', {}), o" "$work/out"
ctl privacy settings landsberg --retention-days 14 >"$work/out"
expect_in "14 days" "$work/out"
ctl privacy purge >"$work/out"
expect_in "Erased the personal data of 0 appointments" "$work/out"

# exit_code EXPECTED CMD...: runs CMD (stdout and stderr to files) and checks its exit code.
exit_code() {
  local want=$1 got=0
  shift
  "$@" >"$work/out" 2>"$work/err" || got=$?
  [ "$got" = "$want" ] || { cat "$work/err"; fail "exit $got, want $want: $*"; }
  [ "$want" = 0 ] || [ -s "$work/err" ] || fail "no message on stderr: $*"
}
echo "== exit codes say what happened (tools/common/exit_codes.h)"
exit_code 6 ctl outage close tiny-outage
exit_code 4 ctl outage show no-such-outage
exit_code 3 ctl privacy export "Erika Mustermann"
exit_code 2 ctl outage list --no-such-flag
exit_code 2 ctl appointments list --status nonsense
exit_code 3 ctl appointments list --slot-day 03.03.2026
exit_code 0 ctl appointments list --slot-office landsberg --slot-day 2026-03-03 --slot-clerk x
expect_in "slot office/clerk" "$work/out"
expect_in "0 of 0 shown" "$work/out"
exit_code 5 env REBOOK_TOKEN=wrong "$bin/rebookctl" outage list
exit_code 5 env -u REBOOK_TOKEN "$bin/rebookctl" outage list
exit_code 7 ctl --server 127.0.0.1:1 --timeout 5 outage list
exit_code 0 ctl --version
echo "== hash-token: no empty token, stdin only when asked"
exit_code 2 "$bin/rebookctl" hash-token ""
exit_code 2 "$bin/rebookctl" hash-token </dev/null
exit_code 2 "$bin/rebookctl" hash-token --stdin </dev/null
direct=$("$bin/rebookctl" hash-token test-admin-token)
[ "$(echo test-admin-token | "$bin/rebookctl" hash-token -)" = "$direct" ] || fail "hash-token -"
[ "$("$bin/rebookctl" hash-token --stdin <"$work/token")" = "$direct" ] || fail "hash-token --stdin"
echo "== the token from a file"
exit_code 0 env -u REBOOK_TOKEN "$bin/rebookctl" --token-file "$work/token" outage list

echo "== bad token"
if REBOOK_TOKEN=wrong ctl outage list >"$work/out" 2>"$work/err"; then fail "wrong token accepted"; fi
expect_in "UNAUTHENTICATED" "$work/err"

echo "== SIGTERM drains and exits 0"
kill -TERM "$server_pid"
for _ in $(seq 1 200); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$server_pid" 2>/dev/null; then fail "rebookd still running after SIGTERM"; fi
wait "$server_pid" || fail "rebookd exited with $?"
server_pid=
expect_in '"event":"server_stopped"' "$work/rebookd.log"
if grep -q "Ines Seidel" "$work/rebookd.log"; then fail "personal data in the log"; fi
echo "PASS"
