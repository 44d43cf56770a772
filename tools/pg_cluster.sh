#!/usr/bin/env bash
# A throwaway PostgreSQL 15 cluster for tests, from Debian's postgresql-15 binaries: a cluster in
# a folder of its own, listening on 127.0.0.1 only, on a free port, with trust authentication
# for the superuser "postgres". Nothing outside the folder is touched; stop removes it.
#
#   dir=$(mktemp -d)
#   eval "$(bash tools/pg_cluster.sh start "$dir")"   # exports REBOOK_TEST_POSTGRES_URL
#   ctest ...                                         # storage_postgres_test uses the URL
#   bash tools/pg_cluster.sh stop "$dir"              # stops the server, removes the folder
#
# Run as root, the cluster belongs to (and the server runs as) the "postgres" system user,
# which initdb requires; otherwise to the caller. For speed it runs with fsync off: it holds
# test data only and is removed afterwards. The server log is <dir>/server.log.
set -euo pipefail

bin=${REBOOK_PG_BIN:-/usr/lib/postgresql/15/bin}
usage() {
  echo "usage: bash tools/pg_cluster.sh start|stop DIR" >&2
  exit 2
}
[[ $# -eq 2 ]] || usage
command=$1
dir=$(realpath -m "$2")

as_owner() {
  if [[ $(id -u) -eq 0 ]]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

free_port() {
  /usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

case "$command" in
  start)
    [[ -x "$bin/initdb" ]] || {
      echo "pg_cluster: $bin/initdb missing; install postgresql-15 (tools/install-deps.sh)" >&2
      exit 1
    }
    mkdir -p "$dir"
    if [[ $(id -u) -eq 0 ]]; then chown postgres: "$dir"; fi
    as_owner "$bin/initdb" --pgdata="$dir/data" --username=postgres --auth=trust \
      --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || {
      cat "$dir/initdb.log" >&2
      exit 1
    }
    # pg_stat_statements (statement times for the benchmarks: CREATE EXTENSION pg_stat_statements
    # in the database to read them) when the module is installed; postgresql-15 ships it.
    preload=""
    if [[ -f "$("$bin/pg_config" --pkglibdir 2>/dev/null)/pg_stat_statements.so" ]]; then
      preload="-c shared_preload_libraries=pg_stat_statements"
    fi
    # A port another process takes between free_port and the server's bind fails the start;
    # a few attempts make that race harmless.
    for attempt in 1 2 3 4 5; do
      port=$(free_port)
      if as_owner "$bin/pg_ctl" --pgdata="$dir/data" --log="$dir/server.log" --wait \
        --timeout=60 start -o "-p $port -k $dir -c listen_addresses=127.0.0.1 \
        -c fsync=off -c synchronous_commit=off -c full_page_writes=off \
        -c max_connections=300 -c shared_buffers=64MB $preload" >/dev/null 2>&1; then
        echo "$port" >"$dir/port"
        echo "export REBOOK_TEST_POSTGRES_URL=postgresql://postgres@127.0.0.1:$port/postgres"
        exit 0
      fi
      echo "pg_cluster: start on port $port failed (attempt $attempt)" >&2
    done
    tail -20 "$dir/server.log" >&2 || true
    exit 1
    ;;
  stop)
    if [[ -f "$dir/data/postmaster.pid" ]]; then
      as_owner "$bin/pg_ctl" --pgdata="$dir/data" --wait --mode=fast stop >/dev/null 2>&1 ||
        as_owner "$bin/pg_ctl" --pgdata="$dir/data" --mode=immediate stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
    ;;
  *) usage ;;
esac
