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
cmake --build --preset release -j "$(nproc)" --target rebookd rebookctl rebook-gen \
  rebook-notifier rebook-batch rebook-simulate
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
# The Halle outage lies in January 2026: the server runs on a simulated clock that starts on the
# afternoon of the outage and moves only when the demo advances it (a demo facility).
# The citizens' response pages listen on a free port that the links in the messages name.
# rebook-simulate answers for all 630 citizens from this one address within seconds, so the
# rate limits of the offer links (docs/security.md), made for real citizens, are off here.
# The offices' calendar feeds (docs/exports.md) are keyed by this secret.
head -c 32 /dev/urandom | base64 | tr -d '/+=' > "$demo/calendar-feed.secret"
chmod 600 "$demo/calendar-feed.secret"
http_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
public_url="http://127.0.0.1:$http_port"
"$bin/rebookd" --db="$demo/rebook.db" --tokens="$demo/tokens" --listen=127.0.0.1:0 \
  --port_file="$demo/port" --http_listen="127.0.0.1:$http_port" --public_base_url="$public_url" \
  --simulated_time=2026-01-27T16:00:00Z --calendar_feed_secret_file="$demo/calendar-feed.secret" \
  --public_rate_per_s=0 --public_failures_per_min=0 --public_prefix_failures_per_min=0 \
  2>"$demo/rebookd.log" &
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

# ---- offers, answers, expiry and re-planning (see docs/offers.md) -------------------------------
outage=halle-2026-01-27
# The demo sends nothing for real: every channel is the `file` channel, appending JSON lines.
channels=email,sms,webhook,letter,phone,file
for c in ${channels//,/ }; do
  printf '[channel.%s]\ntype = file\npath = %s\n\n' "$c" "$demo/messages.jsonl"
done > "$demo/channels.conf"
notify() {  # one pass of the notification worker
  "$bin/rebook-notifier" --server="$REBOOK_SERVER" --token-file="$demo/admin.token" --once \
    --channels="$channels" --channel-config="$demo/channels.conf" 2>>"$demo/notifier.log"
}
started=$(date +%s)

echo
echo "==> solving the rebooking plan (28 Jan to 20 Feb 2026, reserve 20%)"
ctl plan create "$outage" --id first --horizon-start 2026-01-28T07:00 \
  --horizon-end 2026-02-21T00:00 --reserve 0.2 --time-limit 20 --request-id demo-plan-first
echo "==> committing it: every placed citizen gets an offer held for 48 hours"
ctl plan commit "$outage/first" --request-id demo-commit-first >/dev/null

echo "==> notifying (rebook-notifier --once --channels=file)"
notify
echo "==> the citizens answer through the links in their messages (seeded: 60% accept, 25% decline, 15% silent; 5% rebooked themselves)"
"$bin/rebook-simulate" --token-file "$demo/admin.token" respond \
  --messages "$demo/messages.jsonl" --seed 7
echo "==> 49 hours pass (simulated): unanswered offers expire"
"$bin/rebook-simulate" --token-file "$demo/admin.token" clock --advance-hours 49
echo "==> rebook-batch: expire due offers, then re-plan the freed slots and waiting citizens"
"$bin/rebook-batch" --token-file "$demo/admin.token"
echo "==> notifying the new offers"
notify
grep -c '"kind":"offer"' "$demo/messages.jsonl" | xargs echo "offer messages written so far:"

echo
ctl outage impact "$outage"
echo
latest=$(ctl --json plan list "$outage" | python3 -c '
import json, sys
plans = json.load(sys.stdin).get("plans", [])
committed = [p for p in plans if p.get("state") == "COMMITTED"]
print(max(committed, key=lambda p: p.get("commit_time", ""))["name"] if committed else "")')
[ -n "$latest" ] && ctl plan show "$latest"
echo
echo "offers, answers and re-plan took $(( $(date +%s) - started )) s"

echo "==> exporting the schedule for the booking system and the counters (docs/exports.md)"
exports=$demo/exports
mkdir -p "$exports"
ctl export "$outage" --format csv --out "$exports/schedule.csv"
ctl export "$outage" --format blocks --out "$exports/blocks.csv"
ctl export "$outage" --format ics --per clerk --out "$exports/calendars"
ctl export "$outage" --format pdf --out "$exports/tageslisten.pdf"
first_office=$(tail -n +2 "$demo/halle/offices.csv" | head -1 | cut -d, -f1)
echo "calendar feed of $first_office (subscribe in a calendar client):"
"$bin/rebookd" --calendar_feed_secret_file="$demo/calendar-feed.secret" \
  --public_base_url="$public_url" --print_calendar_feed_url="$first_office"
echo
echo "==> the outage report for staff (one HTML file: open it in a browser, print it on A4)"
ctl report "$outage" --html "$demo/report.html"
echo "Server log: $demo/rebookd.log   Database: $demo/rebook.db   Messages: $demo/messages.jsonl"
echo "Exports: $exports/schedule.csv $exports/blocks.csv $exports/calendars/ $exports/tageslisten.pdf"
echo "Report: $demo/report.html"
