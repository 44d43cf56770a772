#!/usr/bin/env bash
# The pipeline benchmark: a generated scenario through a real rebookd on a real SQLite file,
# stage by stage, with the raw SQLite baseline of the write stages (see pipeline.py).
#
#   bench/pipeline/run.sh --preset region                # default: halle, 4 notifier workers
#   bench/pipeline/run.sh --preset city --workers 1 --build build/release
#   bench/pipeline/run.sh --preset state --allow-state   # 1,000,000 appointments
#
# Builds nothing: build rebookd rebookctl rebook-gen rebook-notifier rebook-simulate
# bench_pipeline_raw first. Not part of ctest (region takes minutes).
set -euo pipefail
cd "$(dirname "$0")/../.."
exec /usr/bin/python3 bench/pipeline/pipeline.py "$@"
