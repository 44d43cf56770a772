#!/usr/bin/env bash
# The test command of README.md and CI: installs what is missing, builds with warnings as errors,
# runs every test in the release build, then again under AddressSanitizer + UBSan; in CI
# (CI=true) it then runs every fuzz target for 60 s (tools/fuzz.sh, docs/fuzzing.md).
#
#   bash tools/test.sh            # release + asan (+ fuzz in CI)
#   REBOOK_TEST_PRESETS=release bash tools/test.sh   # only one preset
#   REBOOK_TEST_FUZZ=1 bash tools/test.sh            # the fuzz stage outside CI too
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/install-deps.sh

presets=${REBOOK_TEST_PRESETS:-"release asan"}
jobs=${REBOOK_JOBS:-$(nproc)}
for preset in $presets; do
  echo "==> [$preset] configure and build"
  cmake --preset "$preset" >/dev/null
  # The arrows of docs/development.md's Layout table, checked before anything is compiled.
  /usr/bin/python3 tools/check_layers.py "build/$preset"
  cmake --build --preset "$preset" -j "$jobs"
  echo "==> [$preset] test"
  ctest --preset "$preset" -j "$jobs"
done
if [ "${CI:-}" = true ] || [ "${REBOOK_TEST_FUZZ:-0}" = 1 ]; then
  # Two targets at a time on the 2-core CI machine: eight targets take four minutes.
  REBOOK_FUZZ_JOBS=${REBOOK_FUZZ_JOBS:-2} bash tools/fuzz.sh "${REBOOK_FUZZ_SECONDS:-60}"
  presets="$presets fuzz"
fi
echo "==> all tests passed ($presets)"
