#!/usr/bin/env bash
# The main job on the embedded default, end to end: installs what is missing, builds, starts
# rebookd on a SQLite file, loads the bundled Halle outage scenario (27 Jan 2026), declares the
# outage and shows its impact. Everything lives in var/demo/; run it again to start afresh.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
bash tools/install-deps.sh

echo "==> building rebookd, rebookctl and rebook-gen (release)"
cmake --preset release >/dev/null
cmake --build --preset release -j "$(nproc)" --target rebookd rebookctl rebook-gen
bin=$root/build/release/bin

demo=$root/var/demo
rm -rf "$demo"
mkdir -p "$demo"

echo "==> writing the Halle scenario bundle"
"$bin/rebook-gen" --preset halle --out "$demo/halle"

# One admin principal with a fresh random token; only its SHA-256 digest goes into the file.
token=$(head -c 24 /dev/urandom | base64 | tr -d '/+=')
echo "$token" > "$demo/admin.token"
chmod 600 "$demo/admin.token"
echo "demo-admin admin * $("$bin/rebookctl" hash-token "$token")" > "$demo/tokens"

echo "==> starting rebookd on $demo/rebook.db"
"$bin/rebookd" --db="$demo/rebook.db" --tokens="$demo/tokens" --listen=127.0.0.1:0 \
  --port_file="$demo/port" 2>"$demo/rebookd.log" &
server=$!
trap 'kill -TERM $server 2>/dev/null; wait $server 2>/dev/null || true' EXIT
for _ in $(seq 1 300); do [ -s "$demo/port" ] && break; sleep 0.1; done
[ -s "$demo/port" ] || { echo "rebookd did not start; see $demo/rebookd.log" >&2; exit 1; }
export REBOOK_SERVER="127.0.0.1:$(cat "$demo/port")"
ctl() { "$bin/rebookctl" --token-file "$demo/admin.token" "$@"; }

echo "==> importing the bundle (capacity and appointments, one transaction)"
ctl import "$demo/halle" --request-id demo-halle-import

offices=()
while IFS=, read -r id _; do offices+=(--office "$id"); done < <(tail -n +2 "$demo/halle/offices.csv")
echo "==> declaring the outage: 27 Jan 2026, 11:50 to 16:30, Europe/Berlin"
ctl outage declare "${offices[@]}" --start 2026-01-27T11:50 --end 2026-01-27T16:30 \
  --cause "Strom- und IT-Ausfall" --id halle-2026-01-27 --request-id demo-halle-declare

echo
ctl outage impact halle-2026-01-27
echo
echo "Server log: $demo/rebookd.log   Database: $demo/rebook.db"
