#!/usr/bin/env bash
# rebookctl audit list|verify|export against a real rebookd on a SQLite file (or a PostgreSQL
# database, see cli_common.sh): only the auditor reads the log, the export holds no citizen's
# name, and tampering with the stored rows shows in verify.
# Every wait is bounded and the server is always stopped.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/cli_common.sh"
exit_code() {
  local want=$1 got=0
  shift
  "$@" >"$work/out" 2>"$work/err" || got=$?
  [ "$got" = "$want" ] || { cat "$work/out" "$work/err"; fail "exit $got, want $want: $*"; }
}
start_server() {
  rm -f "$work/port"
  "$bin/rebookd" --listen=127.0.0.1:0 --db="$db" --tokens="$work/tokens" \
    --port_file="$work/port" --shutdown_grace_s=5 2>>"$work/rebookd.log" &
  server_pid=$!
  for _ in $(seq 1 300); do [ -s "$work/port" ] && break; sleep 0.1; done
  [ -s "$work/port" ] || fail "rebookd did not start"
  export REBOOK_SERVER="127.0.0.1:$(cat "$work/port")"
}
stop_server() {
  kill -TERM "$server_pid"
  for _ in $(seq 1 200); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
  wait "$server_pid" || fail "rebookd exited with $?"
  server_pid=
}

{
  echo "ops admin * $("$bin/rebookctl" hash-token admin-token)"
  echo "revision auditor * $("$bin/rebookctl" hash-token auditor-token)"
  echo "revision-a auditor landsberg $("$bin/rebookctl" hash-token auditor-a-token)"
} >"$work/tokens"
start_server
"$bin/rebook-gen" --preset tiny --out "$work/tiny" >/dev/null 2>&1

echo "== calls that touch personal data are recorded"
REBOOK_TOKEN=admin-token ctl import "$work/tiny" --request-id tiny-1 >/dev/null 2>&1
REBOOK_TOKEN=admin-token ctl appointments list --office - >/dev/null

echo "== only the auditor reads the log"
exit_code 5 env REBOOK_TOKEN=admin-token "$bin/rebookctl" audit list
exit_code 5 env REBOOK_TOKEN=admin-token "$bin/rebookctl" audit verify
exit_code 5 env REBOOK_TOKEN=auditor-token "$bin/rebookctl" appointments list --office -
export REBOOK_TOKEN=auditor-token
exit_code 0 ctl audit list --principal ops
expect_in "ImportBundle" "$work/out"
expect_in "ListAppointments" "$work/out"
expect_in "tiny-1" "$work/out"
exit_code 0 ctl audit list --json --method rebook.v1.AppointmentService/ListAppointments
expect_in '"category": "personal_data_read"' "$work/out"
exit_code 2 ctl audit list --since yesterday
# An auditor of some offices lists one of its offices at a time.
exit_code 5 env REBOOK_TOKEN=auditor-a-token "$bin/rebookctl" audit list
exit_code 0 env REBOOK_TOKEN=auditor-a-token "$bin/rebookctl" audit list --office landsberg
exit_code 5 env REBOOK_TOKEN=auditor-a-token "$bin/rebookctl" audit verify

echo "== export writes JSON lines without personal data"
exit_code 0 ctl audit export --output "$work/audit.jsonl" --principal ops
expect_in "exported " "$work/err"
lines=$(wc -l <"$work/audit.jsonl")
[ "$lines" -ge 2 ] || fail "export has $lines lines"
/usr/bin/python3 - "$work/audit.jsonl" "$work/tiny/appointments.csv" <<'PY' || fail "export check"
import csv, json, sys
entries = [json.loads(line) for line in open(sys.argv[1])]
assert all(e["principal"] == "ops" for e in entries), "filter not applied"
text = open(sys.argv[1]).read()
rows = list(csv.DictReader(open(sys.argv[2], newline="", encoding="utf-8")))
checked = 0
for row in rows:
    for column in ("citizen_name", "email", "phone", "postal_address"):
        value = row[column]
        if len(value) > 3:
            checked += 1
            if value in text:
                sys.exit(f"{column} {value!r} is in the audit export")
assert checked > 20, f"only {checked} personal values to look for"
PY
exit_code 0 ctl audit verify
expect_in "ok: " "$work/out"

echo "== tampering with the stored rows shows in verify"
stop_server
# sql SQL: SQL on the server's database, with the backend's own client.
sql() {
  if [ -n "$pg_database" ]; then psql "$db" -v ON_ERROR_STOP=1 -qc "$1"; else sqlite3 "$db" "$1"; fi
}
sql "UPDATE audit_entries SET principal = 'x' WHERE seq = 2;" >/dev/null 2>"$work/err" &&
  fail "the append-only trigger let an UPDATE through"
expect_in "append-only" "$work/err"
if [ -n "$pg_database" ]; then
  sql "DROP TRIGGER audit_entries_append_only ON audit_entries;" >/dev/null
else
  sql "DROP TRIGGER audit_entries_no_update;"
fi
sql "UPDATE audit_entries SET record_count = record_count + 1 WHERE seq = 2;" >/dev/null
start_server
exit_code 1 ctl audit verify
expect_in "BROKEN at entry #2" "$work/out"
stop_server
echo "PASS"
