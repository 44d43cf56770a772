#!/usr/bin/env bash
# The solver against CBC's proven optimum on random instances, in one run: for every size N and
# seed S, the solver (mean of REPEAT runs) and CBC on the same instance, then one line per
# instance, the misses, and a summary of how many instances are within WITHIN % (default 0.5) of
# the optimum and solved with at least 100 times less CPU than CBC.
#
#   bench/solver/sweep.sh [BUILD_DIR] [N...]        # default: 20 30 40 50 60, seeds 1-5
#   SEEDS="1 2 3" REPEAT=20 bench/solver/sweep.sh build/release 40 60
#   SHAPE=varied bench/solver/sweep.sh build/release  # structure drawn per seed (--shape varied)
#   bench/solver/sweep.sh --summary LOG             # summarise a saved table (a partial run too)
#   CBC_FROM=LOG bench/solver/sweep.sh build/release 20 35  # CBC's results from a saved table
#
# The full varied sweep of issue 17 (60 instances of 20-80 appointments, CBC up to 300 s each):
#   SHAPE=varied SEEDS="$(seq -s ' ' 1 12)" CBC_TIME_LIMIT=300 \
#     bench/solver/sweep.sh build/release 20 35 50 65 80 | tee sweep.log
#
# Time is CPU time on both sides (getrusage: the bench's own for the solver, averaged over
# REPEAT runs; its children's for CBC, which runs with `threads 1` and includes starting CBC and
# reading the LP, about 10 ms). The bench prints the solver's CPU to the microsecond and CBC's to
# the millisecond, so rounding moves a ratio near 100 by well under 1 %; a solver CPU below
# 0.1 ms counts as 0.1 ms. Instances CBC does not prove optimal within CBC_TIME_LIMIT are listed
# but not counted. Everything runs under `nice -n 10`, one instance at a time. Not part of ctest:
# it needs /usr/bin/cbc and minutes to hours. bench/solver/README.md describes the output.
#
# CBC_FROM=LOG takes CBC's optimum and CPU time for each instance from a saved table of the same
# shape (a sweep's log; bench/solver/varied-cbc.log holds the varied sweep's) and runs only the
# solver, so that a solver change is measured in minutes against the same CBC runs. Instances
# missing from LOG are solved by CBC as usual.
set -euo pipefail

summarise() {
  # Columns: 1 instance, 4 solver objective, 5 "wall (cpu)", 8 CBC objective, 9 CBC s.
  awk -F'|' -v within="$WITHIN" '
    function trim(s) { gsub(/^ +| +$/, "", s); return s }
    NF < 15 || $2 ~ /^ *instance *$/ || $2 ~ /^-+$/ { next }  # only the table'"'"'s rows
    {
      name = trim($2); obj = trim($5) + 0; cbc = trim($9); cbc_s = trim($10) + 0
      split(trim($6), t, /[()]/); cpu = t[2] + 0
      if (cbc == "-" || cbc ~ /not proven/) {
        printf "%-14s CBC did not prove an optimum\n", name; unproven++; next
      }
      opt = cbc + 0; excess = opt > 0 ? 100 * (obj / opt - 1) : 0
      ratio = cbc_s / (cpu > 1e-4 ? cpu : 1e-4)
      good = excess <= within + 1e-9; quick = ratio >= 100
      n++; ok += good; fast += quick; both += good && quick; sum += excess
      if (excess > worst) worst = excess
      line = sprintf("%-14s %+.3f %% of the optimum, %.3f ms vs CBC %.2f s: %.0fx", name, excess,
                     1000 * cpu, cbc_s, ratio)
      print line
      if (!good || !quick) misses = misses "  " line (good ? "" : " [objective]") \
                                    (quick ? "" : " [CPU]") "\n"
    }
    END {
      if (n == 0) { print "no instance with a CBC optimum"; exit }
      if (misses != "") printf "misses:\n%s", misses
      printf "within %s %%: %d/%d; at least 100x: %d/%d; both: %d/%d; mean excess %.3f %%; " \
             "worst %.3f %%%s\n", within, ok, n, fast, n, both, n, sum / n, worst,
             unproven ? sprintf("; %d without a CBC optimum", unproven) : ""
    }' "$@"
}

WITHIN=${WITHIN:-0.5}
if [ "${1:-}" = "--summary" ]; then
  shift
  summarise "$@"
  exit
fi

build=${1:-build/release}
shift || true
sizes=("$@")
if [ ${#sizes[@]} -eq 0 ]; then sizes=(20 30 40 50 60); fi
seeds=${SEEDS:-"1 2 3 4 5"}
repeat=${REPEAT:-50}
cbc_limit=${CBC_TIME_LIMIT:-300}
shape=${SHAPE:-preset}
bin="$build/bin/rebook-solver-bench"

# Prints the bench's row with columns 9-12 (CBC, CBC s, solver/CBC, CBC s / solver s) taken
# from the saved row of the same instance (reference).
with_saved_cbc() {
  awk -F'|' -v OFS='|' -v reference="$1" '
    function trim(s) { gsub(/^ +| +$/, "", s); return s }
    BEGIN { while ((getline line < reference) > 0) {
              n = split(line, f, "|"); if (n < 15) continue
              cbc[trim(f[2])] = trim(f[9]); cbc_s[trim(f[2])] = trim(f[10]) } }
    NF >= 15 {
      name = trim($2); obj = trim($5) + 0; split(trim($6), t, /[()]/); cpu = t[2] + 0
      opt = cbc[name] + 0; secs = cbc_s[name] + 0
      $9 = " " cbc[name] " "; $10 = " " cbc_s[name] " "
      $11 = opt > 0 ? sprintf(" %.4f ", obj / opt) : " - "
      $12 = sprintf(" %.0f ", secs / (cpu > 1e-4 ? cpu : 1e-4))
    }
    { print }'
}

"$bin" --header
rows=$(mktemp)
trap 'rm -f "$rows"' EXIT
for n in "${sizes[@]}"; do
  for s in $seeds; do
    name="$([ "$shape" = varied ] && echo varied || echo random)-$n-s$s"
    if [ -n "${CBC_FROM:-}" ] && grep -q "^| $name |" "$CBC_FROM"; then
      nice -n 10 "$bin" --random "$n" --seed "$s" --shape "$shape" --repeat "$repeat" \
        2>/dev/null | with_saved_cbc "$CBC_FROM" | tee -a "$rows"
    else
      nice -n 10 "$bin" --random "$n" --seed "$s" --shape "$shape" --repeat "$repeat" --cbc \
        --cbc-time-limit "$cbc_limit" 2>/dev/null | tee -a "$rows"
    fi
  done
done
summarise "$rows"
