#!/usr/bin/env bash
# The solver benchmark table: FCFS by hand, the solver, its lower bound and, on small instances,
# the exact optimum from CBC (the spec's time-indexed MIP). Not part of ctest: it needs
# /usr/bin/cbc and minutes of time.
#
#   bench/solver/run.sh [BUILD_DIR] [PRESET...]
#   bench/solver/run.sh build/release tiny small halle city
#
# Presets come from rebook-gen (bundles are cached in $REBOOK_BENCH_DIR, default
# /tmp/rebook-bench). "random-N" rows are the solver's own random instances with N appointments.
# The state preset (~1,000,000 appointments) runs rebook-solve under /usr/bin/time -v instead.
set -euo pipefail

build=${1:-build/release}
shift || true
presets=("$@")
if [ ${#presets[@]} -eq 0 ]; then
  presets=(random-40 random-80 tiny small halle dst easter city region)
fi
dir=${REBOOK_BENCH_DIR:-/tmp/rebook-bench}
limit=${REBOOK_BENCH_TIME_LIMIT:-60}
mkdir -p "$dir"
bin="$build/bin"

"$bin/rebook-solver-bench" --header
for p in "${presets[@]}"; do
  case "$p" in
    random-*)
      n=${p#random-}
      "$bin/rebook-solver-bench" --random "$n" --seed 1 --cbc --cbc-time-limit 600 \
        --time-limit "$limit"
      ;;
    state)
      [ -d "$dir/state" ] || "$bin/rebook-gen" --preset state --out "$dir/state" >&2
      /usr/bin/time -v "$bin/rebook-solve" "$dir/state" --out "$dir/state-plan" \
        --time-limit "${REBOOK_STATE_TIME_LIMIT:-600}" 2> "$dir/state.log" || true
      grep -E "objective .* total|Maximum resident|Elapsed|User time|System time" "$dir/state.log" >&2
      ;;
    *)
      [ -d "$dir/$p" ] || "$bin/rebook-gen" --preset "$p" --out "$dir/$p" >&2
      cbc=()
      # CBC proves tiny optimal in seconds; small takes over ten minutes (REBOOK_BENCH_CBC_SMALL=1).
      case "$p" in tiny) cbc=(--cbc --cbc-time-limit 600) ;; esac
      if [ "$p" = small ] && [ -n "${REBOOK_BENCH_CBC_SMALL:-}" ]; then
        cbc=(--cbc --cbc-time-limit 900)
      fi
      "$bin/rebook-solver-bench" "$dir/$p" --name "$p" --time-limit "$limit" "${cbc[@]}"
      ;;
  esac
done
