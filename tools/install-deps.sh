#!/usr/bin/env bash
# The one list of Debian 12 packages rebook needs to build, test, benchmark and run.
# Idempotent: safe to run on a machine that already has everything.
set -euo pipefail

packages=(
  # toolchain
  build-essential cmake ninja-build pkg-config git clang-format
  # the fuzz targets (tools/fuzz.sh): clang 14 with its libFuzzer and sanitizer runtimes
  clang libclang-rt-14-dev
  # gRPC and protobuf
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler libabsl-dev
  # storage and time
  libsqlitecpp-dev libsqlite3-dev sqlite3 libhowardhinnant-date-dev tzdata
  # the PostgreSQL backend, and the server its tests start (tools/pg_cluster.sh)
  libpqxx-dev libpq-dev postgresql-15
  # CSV, JSON and command-line parsing
  libcsv-dev nlohmann-json3-dev libcli11-dev
  # the solver's lower bounds: min-cost flow (network simplex) and an LP solver (simplex)
  liblemon-dev coinor-libclp-dev
  # notification channels
  libcurl4-openssl-dev libkainjow-mustache-dev libcairo2-dev libqrencode-dev libsodium-dev
  # letters and day lists: Pango shapes Arabic (right to left) and Cyrillic; SMS only to mobiles
  libpango1.0-dev libphonenumber-dev
  fonts-dejavu-core openssl
  # the citizens' HTTP response endpoint (offer links)
  libmicrohttpd-dev
  # sd_notify for rebookd under systemd (Type=notify); systemd-analyze checks deploy/'s units
  libsystemd-dev systemd
  # the binaries' allocator (cmake/Malloc.cmake): tcmalloc from gperftools
  libgoogle-perftools-dev
  # tests and benchmarks
  libgtest-dev libgmock-dev libbenchmark-dev
  python3 python3-grpcio python3-protobuf python3-aiosmtpd python3-icalendar python3-prometheus-client python3-jsonschema poppler-utils
  # the outage report's browser test (headless screenshots and print to PDF)
  chromium
  # reference MIP solver, used by the solver benchmark only
  coinor-cbc
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
