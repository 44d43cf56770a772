#!/usr/bin/env bash
# The change-feed benchmark: committed changes through rebook-sync into a csv file sink, against
# the raw SQLite insert of the same events in the same run (see feed_bench.py).
#
#   bench/sync/run.sh                        # halle
#   bench/sync/run.sh --preset city --build build/release
#
# Builds nothing: build rebookd rebookctl rebook-gen rebook-sync bench_pipeline_raw first.
# Not part of ctest.
set -euo pipefail
cd "$(dirname "$0")/../.."
exec /usr/bin/python3 bench/sync/feed_bench.py "$@"
