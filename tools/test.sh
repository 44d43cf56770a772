#!/usr/bin/env bash
# The test command of README.md and CI: installs what is missing, builds with warnings as errors,
# runs every test in the release build, then again under AddressSanitizer + UBSan; in CI
# (CI=true) it then runs the fuzz gate: every target, seed 1, a fixed number of inputs
# (tools/fuzz.sh --gate, docs/fuzzing.md).
#
#   bash tools/test.sh            # release + asan (+ fuzz in CI)
#   REBOOK_TEST_PRESETS=release bash tools/test.sh   # only one preset
#   REBOOK_TEST_FUZZ=1 bash tools/test.sh            # the fuzz stage outside CI too
#   bash tools/test.sh --tsan     # the server, notifier and e2e tests under ThreadSanitizer
#                                 # (same as REBOOK_TEST_PRESETS=tsan; not part of CI)
#   REBOOK_TEST_POSTGRES=0 bash tools/test.sh        # without the throwaway PostgreSQL cluster
#
# A throwaway PostgreSQL 15 cluster (tools/pg_cluster.sh) runs for the whole command, so the
# PostgreSQL store's tests run against a real server; it is stopped and removed on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
presets=${REBOOK_TEST_PRESETS:-"release asan"}
if [[ "${1:-}" == "--tsan" ]]; then
  presets=tsan
elif [[ $# -gt 0 ]]; then
  echo "usage: bash tools/test.sh [--tsan]" >&2
  exit 2
fi
bash tools/install-deps.sh

if [[ "${REBOOK_TEST_POSTGRES:-1}" != 0 ]]; then
  pg_dir=$(mktemp -d "${TMPDIR:-/tmp}/rebook-pg.XXXXXX")
  trap 'bash tools/pg_cluster.sh stop "$pg_dir"' EXIT
  eval "$(bash tools/pg_cluster.sh start "$pg_dir")"
  echo "==> PostgreSQL test cluster at $REBOOK_TEST_POSTGRES_URL"
fi

jobs=${REBOOK_JOBS:-$(nproc)}
df -h . | tail -1 | awk '{print "==> disk: " $4 " free of " $2}'

for preset in $presets; do
  echo "==> [$preset] configure and build"
  cmake --preset "$preset" >/dev/null
  # The arrows of docs/development.md's Layout table, checked before anything is compiled.
  /usr/bin/python3 tools/check_layers.py "build/$preset"
  cmake --build --preset "$preset" -j "$jobs"
  echo "==> [$preset] test"
  if [[ "$preset" == tsan ]]; then
    # Every process of the run (tests, and the rebookd and rebook-notifier they start) writes
    # its TSan reports to build/tsan/tsan-logs/tsan.<pid> (log_path in CMakePresets.json); a
    # child's report does not fail its test by itself, so any file there fails the run.
    rm -rf build/tsan/tsan-logs && mkdir -p build/tsan/tsan-logs
    status=0
    ctest --preset tsan -j "$jobs" || status=$?
    reports=$(cat build/tsan/tsan-logs/tsan.* 2>/dev/null | grep -c "^WARNING: ThreadSanitizer" || true)
    if [[ "$reports" -gt 0 ]]; then
      cat build/tsan/tsan-logs/tsan.*
      echo "==> [tsan] $reports ThreadSanitizer reports, in build/tsan/tsan-logs/" >&2
      status=1
    fi
    [[ $status -eq 0 ]] || exit $status
  else
    ctest --preset "$preset" -j "$jobs"
  fi
  if [ "${CI:-}" = true ]; then
    # A CI clone is thrown away: the next preset needs the disk more than this one's 4-5 GB of
    # objects and test binaries (a CI run once failed its asan link with "No space left").
    rm -rf "build/$preset"
  fi
done
if [ "${CI:-}" = true ] || [ "${REBOOK_TEST_FUZZ:-0}" = 1 ]; then
  # The repeatable gate (seed 1, a fixed number of inputs per target, two targets at a time:
  # about two minutes on the 2-core CI machine); see tools/fuzz.sh and docs/fuzzing.md.
  REBOOK_FUZZ_JOBS=${REBOOK_FUZZ_JOBS:-2} bash tools/fuzz.sh --gate
  presets="$presets fuzz"
fi
echo "==> all tests passed ($presets)"
