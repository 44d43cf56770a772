#!/usr/bin/env bash
# Issue 15.2 and 15.3 through rebookctl against a real rebookd: "Why this slot?" for a citizen
# with an offer (staff lines in German and English, the citizen's sentence, NOT_FOUND for
# another office's clerk), and a what-if plan with an extra shift that is compared in staff
# language, stores no capacity and cannot be committed. Every wait is bounded.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/cli_common.sh"

admin_hash=$("$bin/rebookctl" hash-token test-admin-token)
other_hash=$("$bin/rebookctl" hash-token other-office-clerk)
sync_hash=$("$bin/rebookctl" hash-token sync-worker)
{
  echo "ops admin * $admin_hash"
  echo "nord clerk nord-office $other_hash"
  echo "feed sync * $sync_hash"
} >"$work/tokens"
# The tiny bundle's outage lies on 3 March 2026: the clock starts at 07:00 in Landsberg that day.
start_rebookd 2026-03-03T06:00:00Z
export REBOOK_TOKEN=test-admin-token

"$bin/rebook-gen" --preset tiny --out "$work/tiny" >/dev/null 2>&1
ctl import "$work/tiny" >"$work/out" 2>"$work/err"
ctl outage declare --office landsberg --start 2026-03-03T08:00 --end 2026-03-03T12:00 \
  --cause "Netzausfall" --id tiny-outage >"$work/out"
ctl plan create tiny-outage --id first --time-limit 2 >"$work/out" 2>"$work/err"
ctl plan commit tiny-outage/first >"$work/out"
expect_in "offers made" "$work/out"
# The outage report reads the same committed plan, offers and appointments (on either backend).
ctl report tiny-outage --html "$work/report.html" --shift-effects 0 >"$work/out" 2>"$work/err"
expect_in "Netzausfall" "$work/report.html"
expect_in "<svg" "$work/report.html"

echo "== explain every offered citizen; pick one with earlier days"
ctl appointments list --outage tiny-outage --status offered --json >"$work/offered.json"
/usr/bin/python3 -c "import json,sys; [print(a['name']) for a in json.load(open(sys.argv[1]))['appointments']]" \
  "$work/offered.json" >"$work/names"
[ -s "$work/names" ] || fail "no offered appointment"
picked=
while read -r name; do
  ctl explain "$name" --json >"$work/explain.json"
  if /usr/bin/python3 -c "import json,sys; sys.exit(0 if json.load(open(sys.argv[1])).get('days') else 1)" \
    "$work/explain.json"; then picked=$name; break; fi
done <"$work/names"
[ -n "$picked" ] || fail "no offered appointment has an earlier day to explain"
/usr/bin/python3 - "$work/explain.json" <<'PY'
import json, sys
e = json.load(open(sys.argv[1]))
assert e["plan"] == "outages/tiny-outage/plans/first", e
assert e["office"].startswith("offices/") and e["interval"], e
for d in e["days"]:
    assert d["reason"] in ("OFFICE_CLOSED", "HOLIDAY", "NO_OPENING", "NO_QUALIFIED_CLERK",
                           "MINIMUM_NOTICE", "BEFORE_EARLIEST_START", "AFTER_DEADLINE", "FULL",
                           "DEADLINE_PRIORITY", "CITIZEN_UNAVAILABLE", "RESERVE", "FREE"), d
    if d["reason"] == "FULL":
        assert int(d["needed_minutes"]) > int(d.get("longest_free_minutes", 0)), d
assert len(e["staff_text"]) == 3 + len(e["days"]), e
PY
ctl explain "$picked" >"$work/out"
expect_in "Termin: " "$work/out"
expect_in "Frühestmöglicher Beginn (Mindestvorlauf, frühester Wunsch): " "$work/out"
expect_in "In Frage kommende Standorte: " "$work/out"
expect_in "Für die Person: " "$work/out"
ctl explain "$picked" --language en >"$work/out"
expect_in "Slot: " "$work/out"
expect_in "Offices in question: " "$work/out"
ctl explain "$picked" --citizen >"$work/out"
if ! grep -qE "^(Früher war kein Termin frei, weil .*\.|Inzwischen ist ein früherer Termin frei geworden.*)$" "$work/out"; then
  cat "$work/out"; fail "no citizen sentence"
fi
# Short names work too: OFFICE/ID.
short=${picked#offices/}; short=${short/\/appointments\//\/}
ctl explain "$short" --json >"$work/out"
expect_in "\"appointment\": \"$picked\"" "$work/out"

echo "== another office's clerk gets NOT_FOUND, the sync role no explanation; bad input exits 2/3"
got=0; REBOOK_TOKEN=other-office-clerk ctl explain "$picked" >"$work/out" 2>"$work/err" || got=$?
[ "$got" = 4 ] || fail "foreign office: exit $got, want 4 (NOT_FOUND)"
expect_in "NOT_FOUND" "$work/err"
if grep -q "Termin" "$work/out"; then fail "an explanation for another office"; fi
got=0; REBOOK_TOKEN=sync-worker ctl explain "$picked" >"$work/out" 2>"$work/err" || got=$?
[ "$got" = 5 ] || fail "sync role: exit $got, want 5 (PERMISSION_DENIED)"
got=0; ctl explain "$picked" --language fr >"$work/out" 2>"$work/err" || got=$?
[ "$got" = 2 ] || fail "--language fr: exit $got, want 2"
got=0; ctl explain "offices/landsberg/appointments/nobody" >"$work/out" 2>"$work/err" || got=$?
[ "$got" = 4 ] || fail "unknown appointment: exit $got, want 4"

echo "== what-if: an extra shift, compared in staff language; no capacity stored; not committable"
ctl capacity shifts --office landsberg --json >"$work/shifts-before.json"
ctl capacity clerks --json >"$work/clerks-before.json"
skill=$(/usr/bin/python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['appointments'][0]['service_type'].split('/')[-1])" \
  "$work/offered.json")
ctl plan whatif tiny-outage --add-shift "landsberg,2026-03-04,$skill,4" --absent nobody-clerk,2026-03-05 \
  --time-limit 2 >"$work/out" 2>"$work/err" && fail "an absence of an unknown clerk was accepted"
expect_in "FAILED_PRECONDITION" "$work/err"
ctl plan whatif tiny-outage --add-shift "landsberg,2026-03-04,$skill,4" --reserve 0.1 \
  --time-limit 2 >"$work/out" 2>"$work/err"
expect_in "Was-wäre-wenn-Plan outages/tiny-outage/plans/" "$work/out"
expect_in "verglichen mit outages/tiny-outage/plans/first:" "$work/out"
expect_in "Untergebracht: " "$work/out"
expect_in "Innerhalb von 5 Arbeitstagen: " "$work/out"
expect_in "Mittlere Verschiebung: " "$work/out"
expect_in "Überstunden: " "$work/out"
what_if=$(sed -n 's/^Was-wäre-wenn-Plan \(outages\/[^ ]*\) .*/\1/p' "$work/out")
[ -n "$what_if" ] || fail "no what-if plan name"
ctl plan show "$what_if" >"$work/out"
expect_in "what-if (not committable)" "$work/out"
got=0; ctl plan commit "$what_if" >"$work/out" 2>"$work/err" || got=$?
[ "$got" = 6 ] || fail "committing a what-if plan: exit $got, want 6 (FAILED_PRECONDITION)"
expect_in "what-if plan" "$work/err"
ctl capacity shifts --office landsberg --json >"$work/shifts-after.json"
ctl capacity clerks --json >"$work/clerks-after.json"
cmp -s "$work/shifts-before.json" "$work/shifts-after.json" || fail "a what-if changed the shifts"
cmp -s "$work/clerks-before.json" "$work/clerks-after.json" || fail "a what-if changed the clerks"
ctl plan whatif tiny-outage --add-shift landsberg,04.03.2026,x,4 >"$work/out" 2>"$work/err" \
  && fail "a bad --add-shift was accepted"
expect_in "expected office,YYYY-MM-DD,skill,hours" "$work/err"
ctl plan whatif tiny-outage --add-shift "landsberg,2026-03-04,$skill,4" --language en \
  --time-limit 2 >"$work/out" 2>"$work/err"
expect_in "Placed: " "$work/out"
expect_in "Within 5 working days: " "$work/out"
# The what-if plans the same citizens as the committed plan (their offers' slots free again),
# and an extra shift loses nobody a slot.
ctl plan whatif tiny-outage --add-shift "landsberg,2026-03-04,$skill,4" --time-limit 2 --json \
  >"$work/cmp.json" 2>"$work/err"
/usr/bin/python3 - "$work/cmp.json" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
a, b = c["staff_a"], c["staff_b"]
assert int(a["citizens"]) > 0 and a["citizens"] == b["citizens"], c
assert int(b["placed"]) >= int(a["placed"]), c
assert len(c["staff_text"]) == 4, c
PY
echo "PASS"
