# Sourced by the CLI tests that drive rebookctl against a real rebookd: the built binaries
# ($REBOOK_BIN_DIR), a temp folder $work removed on exit, the server's database $db, a server
# started by the test into $server_pid that is always killed, and the checks they share. Every
# wait is bounded.
bin=${REBOOK_BIN_DIR:?REBOOK_BIN_DIR must point at the built binaries}
work=$(mktemp -d)
server_pid=
# $db: $work/rebook.db, or with REBOOK_TEST_BACKEND=postgres (tests/support/postgres_variant.sh)
# a fresh database of its own on the cluster of REBOOK_TEST_POSTGRES_URL, dropped on exit.
pg_database=
if [ "${REBOOK_TEST_BACKEND:-}" = postgres ]; then
  : "${REBOOK_TEST_POSTGRES_URL:?REBOOK_TEST_BACKEND=postgres needs REBOOK_TEST_POSTGRES_URL}"
  pg_database="rebook_cli_$$"
  psql "$REBOOK_TEST_POSTGRES_URL" -v ON_ERROR_STOP=1 -qc "CREATE DATABASE $pg_database" >/dev/null
  db="${REBOOK_TEST_POSTGRES_URL%/*}/$pg_database"
else
  db="$work/rebook.db"
fi
cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then kill -KILL "$server_pid"; fi
  if [ -n "$pg_database" ]; then
    psql "$REBOOK_TEST_POSTGRES_URL" -qc "DROP DATABASE IF EXISTS $pg_database WITH (FORCE)" \
      >/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; echo "--- server log" >&2; tail -20 "$work/rebookd.log" >&2 || true; exit 1; }
expect_in() { grep -qF -- "$1" "$2" || { echo "--- $2:"; cat "$2"; fail "expected \"$1\" in $2"; }; }
ctl() { timeout 120 "$bin/rebookctl" "$@"; }
# start_rebookd TIME: rebookd on 127.0.0.1:0 over $db with $work/tokens, its clock
# simulated from TIME (UTC); waits for its port and exports REBOOK_SERVER.
start_rebookd() {
  "$bin/rebookd" --listen=127.0.0.1:0 --db="$db" --tokens="$work/tokens" \
    --port_file="$work/port" --shutdown_grace_s=5 --simulated_time="$1" \
    2>"$work/rebookd.log" &
  server_pid=$!
  for _ in $(seq 1 300); do [ -s "$work/port" ] && break; sleep 0.1; done
  [ -s "$work/port" ] || fail "rebookd did not start"
  export REBOOK_SERVER="127.0.0.1:$(cat "$work/port")"
}
