#!/usr/bin/env bash
# The test command of README.md and CI: installs what is missing, builds with warnings as errors,
# runs every test in the release build, then again under AddressSanitizer + UBSan.
#
#   bash tools/test.sh            # release + asan
#   REBOOK_TEST_PRESETS=release bash tools/test.sh   # only one preset
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
echo "==> all tests passed ($presets)"
