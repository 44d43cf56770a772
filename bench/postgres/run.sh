#!/usr/bin/env bash
# rebook on PostgreSQL against its baselines, side by side in one run (see pg_bench.py):
#
#   eval "$(bash tools/pg_cluster.sh start /tmp/pg-bench)"   # or any REBOOK_TEST_POSTGRES_URL
#   bench/postgres/run.sh ingest --presets city,region      # gRPC import vs PostgreSQL's COPY
#   bench/postgres/run.sh drain --preset city               # 4 notifiers, 1 and 2 rebookd, vs SQLite
#   bench/postgres/run.sh region                            # region: import, plan, commit, outbox
#   bench/postgres/run.sh all                               # all three
#   bash tools/pg_cluster.sh stop /tmp/pg-bench
#
# Builds nothing: build rebookd rebookctl rebook-gen rebook-notifier first. Not part of ctest
# (region takes minutes).
set -euo pipefail
cd "$(dirname "$0")/../.."
exec /usr/bin/python3 bench/postgres/pg_bench.py "$@"
