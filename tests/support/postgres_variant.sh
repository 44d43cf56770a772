#!/usr/bin/env bash
# Runs an end-to-end test with its servers on PostgreSQL: REBOOK_TEST_BACKEND=postgres makes
# testing::TestDatabase (C++) and rebookd_process.py (Python) give each server a fresh
# database on the cluster named by REBOOK_TEST_POSTGRES_URL (tools/pg_cluster.sh, which
# tools/test.sh starts). Without that variable it exits 77, which ctest reports as skipped.
#
#   bash tests/support/postgres_variant.sh build/release/tests/api_e2e_test
set -euo pipefail
if [[ -z "${REBOOK_TEST_POSTGRES_URL:-}" ]]; then
  echo "REBOOK_TEST_POSTGRES_URL is not set: PostgreSQL variant skipped (run it with" \
    "tools/pg_cluster.sh, see docs/development.md)"
  exit 77
fi
export REBOOK_TEST_BACKEND=postgres
exec "$@"
