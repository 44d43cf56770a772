#!/usr/bin/env bash
# The solver against CBC's proven optimum on random instances, in one run: for every size N and
# seed S, the solver (mean of --repeat runs) and CBC on the same instance, then a summary of how
# many instances are within WITHIN % (default 0.5) of the optimum and solved at least 100 times
# faster (CPU).
#
#   bench/solver/sweep.sh [BUILD_DIR] [N...]        # default: 20 30 40 50 60, seeds 1-5
#   SEEDS="1 2 3" REPEAT=20 bench/solver/sweep.sh build/release 40 60
#   SHAPE=varied bench/solver/sweep.sh build/release  # structure drawn per seed (--shape varied)
#
# The full varied sweep of the issue (>= 60 instances of 20-80 appointments, CBC up to 300 s each;
# hours of CPU, run it on an idle machine):
#   SHAPE=varied SEEDS="$(seq -s ' ' 1 12)" bench/solver/sweep.sh build/release 20 35 50 65 80
#
# Instances CBC does not prove optimal within CBC_TIME_LIMIT (default 300 s) are listed but not
# counted. CBC runs under `nice -n 10`, one at a time. Not part of ctest: it needs /usr/bin/cbc
# and minutes of time.
set -euo pipefail

build=${1:-build/release}
shift || true
sizes=("$@")
if [ ${#sizes[@]} -eq 0 ]; then sizes=(20 30 40 50 60); fi
seeds=${SEEDS:-"1 2 3 4 5"}
repeat=${REPEAT:-50}
cbc_limit=${CBC_TIME_LIMIT:-300}
shape=${SHAPE:-preset}
within=${WITHIN:-0.5}
bin="$build/bin/rebook-solver-bench"

"$bin" --header
rows=$(mktemp)
trap 'rm -f "$rows"' EXIT
for n in "${sizes[@]}"; do
  for s in $seeds; do
    nice -n 10 "$bin" --random "$n" --seed "$s" --shape "$shape" --repeat "$repeat" --cbc \
      --cbc-time-limit "$cbc_limit" 2>/dev/null | tee -a "$rows"
  done
done
# Columns: 1 instance, 4 solver objective, 5 "wall (cpu)", 8 CBC objective, 9 CBC s.
awk -F'|' -v within="$within" '
  function trim(s) { gsub(/^ +| +$/, "", s); return s }
  {
    name = trim($2); obj = trim($5) + 0; cbc = trim($9); cbc_s = trim($10) + 0
    split(trim($6), t, /[()]/); cpu = t[2] + 0
    if (cbc == "-" || cbc ~ /not proven/) { printf "%-14s CBC did not prove an optimum\n", name; next }
    opt = cbc + 0; excess = opt > 0 ? 100 * (obj / opt - 1) : 0
    ratio = cbc_s / (cpu > 1e-4 ? cpu : 1e-4)
    n++; ok += (excess <= within + 1e-9); fast += (ratio >= 100)
    both += (excess <= within + 1e-9 && ratio >= 100); sum += excess
    if (excess > worst) worst = excess
    printf "%-14s %+.2f %% of the optimum, %.2f ms vs CBC %.2f s: %.0fx\n", name, excess,
           1000 * cpu, cbc_s, ratio
  }
  END {
    if (n == 0) exit
    printf "within %s %%: %d/%d; at least 100x: %d/%d; both: %d/%d; mean excess %.3f %%; " \
           "worst %.3f %%\n", within, ok, n, fast, n, both, n, sum / n, worst
  }' "$rows"
