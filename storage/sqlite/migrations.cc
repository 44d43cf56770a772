#include "storage/sqlite/migrations.h"

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "SQLiteCpp/Column.h"
#include "SQLiteCpp/Statement.h"
#include "SQLiteCpp/Transaction.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "storage/sqlite/internal/audit_schema.h"
#include "storage/sqlite/internal/errors.h"
#include "storage/sqlite/internal/schema_step4.h"
#include "storage/sqlite/internal/schema_step9.h"

namespace rebook::storage::sqlite {
namespace {

// Step 1: the records of storage/store.h. Instants are INTEGER unix seconds (UTC); enums are
// stored by domain name; see internal/row_codec.h for the packed list columns.
// Foreign keys: appointment -> office, service; shift -> clerk, office (so deleting a referenced
// office, service or clerk fails). Child rows (skills, outage offices) cascade with their owner.
constexpr std::string_view kCoreSchema = R"sql(
CREATE TABLE offices (
  id TEXT PRIMARY KEY NOT NULL,
  name TEXT NOT NULL,
  state TEXT NOT NULL,
  time_zone TEXT NOT NULL,
  address TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE services (
  id TEXT PRIMARY KEY NOT NULL,
  name TEXT NOT NULL,
  category TEXT NOT NULL,
  duration_min INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE clerks (
  id TEXT PRIMARY KEY NOT NULL,
  name TEXT NOT NULL,
  home_office_id TEXT NOT NULL  -- '' if none
) WITHOUT ROWID;
CREATE INDEX clerks_by_home_office ON clerks(home_office_id);

CREATE TABLE clerk_skills (
  clerk_id TEXT NOT NULL REFERENCES clerks(id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  service_id TEXT NOT NULL,
  PRIMARY KEY (clerk_id, position)
) WITHOUT ROWID;

CREATE TABLE shifts (
  office_id TEXT NOT NULL REFERENCES offices(id),
  id TEXT NOT NULL,
  clerk_id TEXT NOT NULL REFERENCES clerks(id),
  start_time INTEGER NOT NULL,
  end_time INTEGER NOT NULL,
  kind TEXT NOT NULL,
  PRIMARY KEY (office_id, id)
) WITHOUT ROWID;
CREATE INDEX shifts_by_clerk ON shifts(clerk_id, start_time);
CREATE INDEX shifts_by_start ON shifts(start_time);

CREATE TABLE closures (
  office_id TEXT NOT NULL,
  date TEXT NOT NULL,  -- YYYY-MM-DD in the office's zone
  reason TEXT NOT NULL,
  PRIMARY KEY (office_id, date)
) WITHOUT ROWID;

CREATE TABLE standing_bookings (
  office_id TEXT NOT NULL,  -- '' if the booking lies in no shift
  id TEXT NOT NULL,
  clerk_id TEXT NOT NULL,
  start_time INTEGER NOT NULL,
  end_time INTEGER NOT NULL,
  PRIMARY KEY (office_id, id)
) WITHOUT ROWID;
CREATE INDEX standing_bookings_by_clerk ON standing_bookings(clerk_id, start_time);
CREATE INDEX standing_bookings_by_start ON standing_bookings(start_time);

CREATE TABLE outages (
  id TEXT PRIMARY KEY NOT NULL,
  window_start INTEGER NOT NULL,
  window_end INTEGER NOT NULL,
  cause TEXT NOT NULL,
  state TEXT NOT NULL,
  declare_time INTEGER NOT NULL,
  close_time INTEGER,
  close_reason TEXT NOT NULL,
  cancelled_appointments INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX outages_by_state ON outages(state);

CREATE TABLE outage_offices (
  outage_id TEXT NOT NULL REFERENCES outages(id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  office_id TEXT NOT NULL,
  PRIMARY KEY (outage_id, position)
) WITHOUT ROWID;
CREATE INDEX outage_offices_by_office ON outage_offices(office_id);

CREATE TABLE appointments (
  id TEXT PRIMARY KEY NOT NULL,
  office_id TEXT NOT NULL REFERENCES offices(id),
  service_id TEXT NOT NULL REFERENCES services(id),
  original_start INTEGER NOT NULL,
  earliest_start INTEGER,
  deadline INTEGER,
  priority INTEGER NOT NULL,
  cases INTEGER NOT NULL,
  allowed_offices TEXT,  -- packed string list, NULL if empty
  unavailable TEXT,      -- packed interval list, NULL if empty
  kind TEXT NOT NULL,
  contact_name TEXT NOT NULL,
  contact_phone TEXT NOT NULL,
  contact_email TEXT NOT NULL,
  contact_postal_address TEXT NOT NULL,
  contact_language TEXT NOT NULL,
  contact_channel TEXT NOT NULL,
  status TEXT NOT NULL,
  outage_id TEXT,  -- NULL if none
  status_reason TEXT NOT NULL,
  create_time INTEGER NOT NULL,
  update_time INTEGER NOT NULL
);
CREATE INDEX appointments_by_start ON appointments(original_start, id);
CREATE INDEX appointments_by_office ON appointments(office_id, original_start, id);
CREATE INDEX appointments_by_service ON appointments(service_id);
CREATE INDEX appointments_by_status ON appointments(status, original_start);
CREATE INDEX appointments_by_outage ON appointments(outage_id) WHERE outage_id IS NOT NULL;

CREATE TABLE requests (
  request_id TEXT PRIMARY KEY NOT NULL,
  method TEXT NOT NULL,
  fingerprint BLOB NOT NULL,
  response BLOB NOT NULL
);
)sql";

// Step 2: offices keep their offer TTL; the references the first schema missed; plans, offers
// and the outbox (storage/outreach_store.h).
//
// SQLite cannot add a foreign key to a table, so clerk_skills, closures, standing_bookings and
// outage_offices are rebuilt (create, copy, drop, rename, recreate indexes). Nothing refers to
// them, so dropping the old tables checks no constraint. Foreign keys are deferred during
// migrations and checked before the commit (see ApplyMigrations): a file holding a closure of a
// missing office, say, is refused rather than silently cleaned up.
//
// A standing booking's office is '' when it lies in no shift, so its reference is the generated
// column office_ref (NULL for ''), which keeps (office_id, id) as the key.
//
// The outreach tables carry no foreign keys: storage/store.h stores their ids as given.
// Doubles are REAL (exact); a plan's seed is its uint64 bit pattern as INTEGER; a plan's
// shortfall and suggested shifts are one JSON column (see internal/plan_rows.h); an offer's
// alternatives are a packed slot list (see internal/row_codec.h).
constexpr std::string_view kOutreachSchema = R"sql(
ALTER TABLE offices ADD COLUMN offer_ttl_s INTEGER NOT NULL DEFAULT 172800;

CREATE TABLE clerk_skills_v2 (
  clerk_id TEXT NOT NULL REFERENCES clerks(id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  service_id TEXT NOT NULL REFERENCES services(id),
  PRIMARY KEY (clerk_id, position)
) WITHOUT ROWID;
INSERT INTO clerk_skills_v2 (clerk_id, position, service_id)
  SELECT clerk_id, position, service_id FROM clerk_skills;
DROP TABLE clerk_skills;
ALTER TABLE clerk_skills_v2 RENAME TO clerk_skills;
CREATE INDEX clerk_skills_by_service ON clerk_skills(service_id);

CREATE TABLE closures_v2 (
  office_id TEXT NOT NULL REFERENCES offices(id),
  date TEXT NOT NULL,  -- YYYY-MM-DD in the office's zone
  reason TEXT NOT NULL,
  PRIMARY KEY (office_id, date)
) WITHOUT ROWID;
INSERT INTO closures_v2 (office_id, date, reason) SELECT office_id, date, reason FROM closures;
DROP TABLE closures;
ALTER TABLE closures_v2 RENAME TO closures;

CREATE TABLE standing_bookings_v2 (
  office_id TEXT NOT NULL,  -- '' if the booking lies in no shift
  id TEXT NOT NULL,
  clerk_id TEXT NOT NULL,
  start_time INTEGER NOT NULL,
  end_time INTEGER NOT NULL,
  office_ref TEXT GENERATED ALWAYS AS (NULLIF(office_id, '')) VIRTUAL REFERENCES offices(id),
  PRIMARY KEY (office_id, id)
) WITHOUT ROWID;
INSERT INTO standing_bookings_v2 (office_id, id, clerk_id, start_time, end_time)
  SELECT office_id, id, clerk_id, start_time, end_time FROM standing_bookings;
DROP TABLE standing_bookings;
ALTER TABLE standing_bookings_v2 RENAME TO standing_bookings;
CREATE INDEX standing_bookings_by_clerk ON standing_bookings(clerk_id, start_time);
CREATE INDEX standing_bookings_by_start ON standing_bookings(start_time);
CREATE INDEX standing_bookings_by_office_ref ON standing_bookings(office_ref);

CREATE TABLE outage_offices_v2 (
  outage_id TEXT NOT NULL REFERENCES outages(id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  office_id TEXT NOT NULL REFERENCES offices(id),
  PRIMARY KEY (outage_id, position)
) WITHOUT ROWID;
INSERT INTO outage_offices_v2 (outage_id, position, office_id)
  SELECT outage_id, position, office_id FROM outage_offices;
DROP TABLE outage_offices;
ALTER TABLE outage_offices_v2 RENAME TO outage_offices;
CREATE INDEX outage_offices_by_office ON outage_offices(office_id);

CREATE TABLE plans (
  outage_id TEXT NOT NULL,
  id TEXT NOT NULL,
  state TEXT NOT NULL,
  horizon_start INTEGER NOT NULL,
  horizon_end INTEGER NOT NULL,
  reserve_share REAL NOT NULL,
  w_unassigned REAL NOT NULL,
  w_office_change REAL NOT NULL,
  w_overtime_min REAL NOT NULL,
  seed INTEGER NOT NULL,  -- the uint64 seed's bit pattern
  time_limit_s REAL NOT NULL,
  objective REAL NOT NULL,
  delay_cost REAL NOT NULL,
  office_change_cost REAL NOT NULL,
  overtime_cost REAL NOT NULL,
  unassigned_cost REAL NOT NULL,
  assigned INTEGER NOT NULL,
  unassigned INTEGER NOT NULL,
  mean_delay_min REAL NOT NULL,
  max_delay_min REAL NOT NULL,
  office_changes INTEGER NOT NULL,
  overtime_min INTEGER NOT NULL,
  solve_s REAL NOT NULL,
  lower_bound REAL,
  gap REAL,
  fcfs_inversions INTEGER NOT NULL,
  capacity_notes TEXT,  -- JSON shortfall and suggested shifts; NULL if both are empty
  create_time INTEGER NOT NULL,
  commit_time INTEGER,
  base_plan_id TEXT NOT NULL,
  failure_reason TEXT NOT NULL,
  PRIMARY KEY (outage_id, id)
) WITHOUT ROWID;
CREATE INDEX plans_by_create_time ON plans(outage_id, create_time, id);

CREATE TABLE plan_assignments (
  outage_id TEXT NOT NULL,
  plan_id TEXT NOT NULL,
  appointment_id TEXT NOT NULL,
  status TEXT NOT NULL,
  office_id TEXT NOT NULL,  -- '' if unassigned
  clerk_id TEXT NOT NULL,
  start_time INTEGER NOT NULL,
  end_time INTEGER NOT NULL,
  cost REAL NOT NULL,
  reason TEXT NOT NULL,
  PRIMARY KEY (outage_id, plan_id, appointment_id)
) WITHOUT ROWID;
CREATE INDEX plan_assignments_by_office ON plan_assignments(outage_id, plan_id, office_id);

CREATE TABLE offers (
  appointment_id TEXT NOT NULL,
  version INTEGER NOT NULL,
  office_id TEXT NOT NULL,
  outage_id TEXT NOT NULL,
  plan_id TEXT NOT NULL,
  state TEXT NOT NULL,
  slot_office_id TEXT NOT NULL,
  slot_clerk_id TEXT NOT NULL,
  slot_start INTEGER NOT NULL,
  slot_end INTEGER NOT NULL,
  slot_cost REAL NOT NULL,
  alternatives TEXT,  -- packed slot list, NULL if none
  token TEXT NOT NULL UNIQUE,
  create_time INTEGER NOT NULL,
  expire_time INTEGER NOT NULL,
  reminder_time INTEGER,
  respond_time INTEGER,
  response_channel TEXT NOT NULL,
  accepted_alternative INTEGER NOT NULL,
  explanation TEXT NOT NULL,
  PRIMARY KEY (appointment_id, version)
);
CREATE INDEX offers_by_outage_state ON offers(outage_id, state);
CREATE INDEX offers_by_state_expiry ON offers(state, expire_time);
CREATE INDEX offers_by_office ON offers(office_id, appointment_id, version);

CREATE TABLE outbox_messages (
  id TEXT PRIMARY KEY NOT NULL,
  idempotency_key TEXT NOT NULL UNIQUE,
  office_id TEXT NOT NULL,
  outage_id TEXT NOT NULL,
  appointment_id TEXT NOT NULL,
  offer_version INTEGER NOT NULL,
  kind TEXT NOT NULL,
  channel TEXT NOT NULL,
  language TEXT NOT NULL,
  state TEXT NOT NULL,
  attempts INTEGER NOT NULL,
  next_attempt_time INTEGER NOT NULL,
  lease_expire_time INTEGER,
  lease_token TEXT NOT NULL,
  leased_by TEXT NOT NULL,
  last_error TEXT NOT NULL,
  provider_message_id TEXT NOT NULL,
  fallback_from TEXT NOT NULL,
  explanation TEXT NOT NULL,
  create_time INTEGER NOT NULL,
  update_time INTEGER NOT NULL
);
CREATE INDEX outbox_messages_due ON outbox_messages(state, channel, next_attempt_time, id);
CREATE INDEX outbox_messages_by_lease_expiry ON outbox_messages(state, lease_expire_time);
CREATE INDEX outbox_messages_by_create_time ON outbox_messages(create_time, id);
CREATE INDEX outbox_messages_by_outage ON outbox_messages(outage_id, create_time, id);
CREATE INDEX outbox_messages_by_office ON outbox_messages(office_id, create_time, id);
CREATE INDEX outbox_messages_by_appointment ON outbox_messages(appointment_id, create_time, id);

CREATE TABLE outbox_message_events (
  message_id TEXT NOT NULL,
  seq INTEGER NOT NULL,  -- 1, 2, ... per message, in the order the events were added
  time INTEGER NOT NULL,
  from_state TEXT NOT NULL,
  to_state TEXT NOT NULL,
  reason TEXT NOT NULL,
  worker TEXT NOT NULL,
  PRIMARY KEY (message_id, seq)
) WITHOUT ROWID;
)sql";

// Step 3: each notification channel has one name (services/domain/model.h, kKnownChannels); the
// staff call list, `phone_list` until then, is `phone`. Queries filter messages by channel
// (leases, lists), so stored rows carry the current name. Idempotency keys keep the name they
// were made with: they are opaque once stored.
constexpr std::string_view kOneNamePerChannel = R"sql(
UPDATE outbox_messages SET channel = 'phone' WHERE channel = 'phone_list';
UPDATE appointments SET contact_channel = 'phone' WHERE contact_channel = 'phone_list';
)sql";

// Step 6: the personal-data lifecycle (storage/privacy_store.h). An office's retention in
// days (none: the server's default applies), and one row per appointment whose personal data
// was erased (by retention or on request), so that a purge is idempotent and an export can
// say what was erased and when. Both stay when the data is gone: they hold no personal data.
constexpr std::string_view kPrivacySchema = R"sql(
CREATE TABLE privacy_retention (
  office_id TEXT PRIMARY KEY NOT NULL REFERENCES offices(id) ON DELETE CASCADE,
  retention_days INTEGER NOT NULL,
  update_time INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE privacy_erasures (
  office_id TEXT NOT NULL,
  appointment_id TEXT NOT NULL,
  erase_time INTEGER NOT NULL,
  reason TEXT NOT NULL,
  PRIMARY KEY (office_id, appointment_id)
) WITHOUT ROWID;
)sql";

// Step 7: the age of the oldest unsent message (the metrics endpoint, docs/metrics.md) read from
// an index instead of a lookup of every pending row (190 ms at 100,000 messages).
constexpr std::string_view kUnsentByAge = R"sql(
CREATE INDEX outbox_messages_by_state_age ON outbox_messages(state, create_time);
)sql";

// Step 8: the slot an appointment is rebooked into (status confirmed), with how and when that
// was confirmed, and the slot its open offer holds (status offered); NULL otherwise. They are
// written with the status in one transaction (storage/store.h). The counter lists a day's slots
// of an office or a clerk in slot order; at most one of the two slots is set, so the indexes
// take whichever is (expressions the queries repeat verbatim, see appointment_queries.cc).
//
// Backfill from the offers: an offered appointment holds the main slot of its newest open offer;
// a confirmed one is rebooked into the slot of its newest accepted offer (the main slot or the
// accepted alternative), confirmed through the offer's response channel at its respond time.
// Alternatives are a packed list of five fields per slot (internal/row_codec.h); ids and numbers
// hold no ',' or '\', so the list splits at every ','.
constexpr std::string_view kAppointmentSlots = R"sql(
ALTER TABLE appointments ADD COLUMN rebooked_office_id TEXT;
ALTER TABLE appointments ADD COLUMN rebooked_clerk_id TEXT;
ALTER TABLE appointments ADD COLUMN rebooked_start INTEGER;
ALTER TABLE appointments ADD COLUMN rebooked_end INTEGER;
ALTER TABLE appointments ADD COLUMN confirmed_via TEXT;  -- 'link', 'phone', 'staff'
ALTER TABLE appointments ADD COLUMN confirm_time INTEGER;
ALTER TABLE appointments ADD COLUMN held_office_id TEXT;
ALTER TABLE appointments ADD COLUMN held_clerk_id TEXT;
ALTER TABLE appointments ADD COLUMN held_start INTEGER;
ALTER TABLE appointments ADD COLUMN held_end INTEGER;

CREATE INDEX appointments_by_slot_office ON appointments(
  COALESCE(rebooked_office_id, held_office_id), COALESCE(rebooked_start, held_start),
  id, office_id)
  WHERE COALESCE(rebooked_office_id, held_office_id) IS NOT NULL;
CREATE INDEX appointments_by_slot_clerk ON appointments(
  COALESCE(rebooked_clerk_id, held_clerk_id), COALESCE(rebooked_start, held_start),
  id, office_id)
  WHERE COALESCE(rebooked_clerk_id, held_clerk_id) IS NOT NULL;
CREATE INDEX appointments_by_slot_start ON appointments(
  COALESCE(rebooked_start, held_start), id, office_id)
  WHERE COALESCE(rebooked_start, held_start) IS NOT NULL;

UPDATE appointments SET held_office_id = o.slot_office_id, held_clerk_id = o.slot_clerk_id,
    held_start = o.slot_start, held_end = o.slot_end
  FROM offers AS o
  WHERE appointments.status = 'offered' AND o.office_id = appointments.office_id
    AND o.appointment_id = appointments.id AND o.state = 'open'
    AND o.version = (SELECT MAX(p.version) FROM offers AS p WHERE p.office_id = o.office_id
                       AND p.appointment_id = o.appointment_id AND p.state = 'open');

CREATE TEMP TABLE step8_accepted AS
  SELECT o.office_id, o.appointment_id, o.slot_office_id, o.slot_clerk_id, o.slot_start,
      o.slot_end, o.accepted_alternative AS k, o.alternatives, o.response_channel, o.respond_time
    FROM offers AS o JOIN appointments AS a ON a.office_id = o.office_id
      AND a.id = o.appointment_id AND a.status = 'confirmed'
    WHERE o.state = 'accepted'
      AND o.version = (SELECT MAX(p.version) FROM offers AS p WHERE p.office_id = o.office_id
                         AND p.appointment_id = o.appointment_id AND p.state = 'accepted');
CREATE TEMP TABLE step8_fields AS
  WITH RECURSIVE fields(office_id, appointment_id, n, field, rest) AS (
    SELECT office_id, appointment_id, 0, NULL, alternatives || ',' FROM step8_accepted
      WHERE k >= 0 AND alternatives IS NOT NULL
    UNION ALL
    SELECT office_id, appointment_id, n + 1, substr(rest, 1, instr(rest, ',') - 1),
        substr(rest, instr(rest, ',') + 1)
      FROM fields WHERE rest <> '')
  SELECT office_id, appointment_id, n, field FROM fields WHERE n > 0;
UPDATE step8_accepted SET
    slot_office_id = (SELECT f.field FROM step8_fields AS f
                        WHERE f.office_id = step8_accepted.office_id
                          AND f.appointment_id = step8_accepted.appointment_id
                          AND f.n = 5 * k + 1),
    slot_clerk_id = (SELECT f.field FROM step8_fields AS f
                       WHERE f.office_id = step8_accepted.office_id
                         AND f.appointment_id = step8_accepted.appointment_id
                         AND f.n = 5 * k + 2),
    slot_start = (SELECT CAST(f.field AS INTEGER) FROM step8_fields AS f
                    WHERE f.office_id = step8_accepted.office_id
                      AND f.appointment_id = step8_accepted.appointment_id
                      AND f.n = 5 * k + 3),
    slot_end = (SELECT CAST(f.field AS INTEGER) FROM step8_fields AS f
                  WHERE f.office_id = step8_accepted.office_id
                    AND f.appointment_id = step8_accepted.appointment_id
                    AND f.n = 5 * k + 4)
  WHERE k >= 0 AND EXISTS (SELECT 1 FROM step8_fields AS f
                             WHERE f.office_id = step8_accepted.office_id
                               AND f.appointment_id = step8_accepted.appointment_id
                               AND f.n = 5 * k + 4);
UPDATE appointments SET rebooked_office_id = s.slot_office_id, rebooked_clerk_id = s.slot_clerk_id,
    rebooked_start = s.slot_start, rebooked_end = s.slot_end,
    confirmed_via = CASE WHEN s.response_channel IN ('link', 'phone') THEN s.response_channel
                         ELSE 'staff' END,
    confirm_time = COALESCE(s.respond_time, appointments.update_time)
  FROM step8_accepted AS s
  WHERE s.office_id = appointments.office_id AND s.appointment_id = appointments.id;
DROP TABLE step8_fields;
DROP TABLE step8_accepted;
)sql";

// Step 10: outbox_messages_by_lease_expiry (state, lease_expire_time) served no query: the
// expired leases are read per (state, channel) from outbox_messages_due (ExpiredLeasesSql in
// internal/message_rows.h; only messages in flight are LEASED), and nothing else filters on the
// lease's expiry. Each message paid for it on insert and on every lease and report (issue 20).
constexpr std::string_view kNoLeaseExpiryIndex = R"sql(
DROP INDEX outbox_messages_by_lease_expiry;
)sql";

// Step 11: a page of a large listing is read in key order from an index, never sorted.
// Listing the open offers of every office (rebook-simulate respond, a staff tool) searched
// offers_by_state_expiry and sorted every open offer for each page of 1,000 (about 1 s per page
// on a state-wide outage of 991,893 open offers), and an outage's appointments (the exports, the
// report) were read through appointments_by_outage (outage_id) and sorted for each page: both
// listings grew with the square of the outage. Offers are now indexed by (state, key) and by
// (outage_id, key) instead of (outage_id, state) (open offers are nearly all of the current
// outage's, and a listing by outage and state walks either index in order); the outage's
// appointment index ends in the appointment key. A plan commit sets neither outage_id nor
// original_start, so it does not write the wider appointment index.
constexpr std::string_view kListingsInKeyOrder = R"sql(
DROP INDEX offers_by_outage_state;
CREATE INDEX offers_by_outage ON offers(outage_id, appointment_id, office_id, version);
CREATE INDEX offers_by_state ON offers(state, appointment_id, office_id, version);
DROP INDEX appointments_by_outage;
CREATE INDEX appointments_by_outage ON appointments(outage_id, original_start, id, office_id)
  WHERE outage_id IS NOT NULL;
)sql";

// Step 12: appointment UPDATEs write their change-feed events themselves
// (internal/appointment_feed.h): the per-row trigger cost a bulk update half its time.
constexpr std::string_view kFeedUpdatesWrittenByTheStore = R"sql(
DROP TRIGGER change_events_on_update;
)sql";

constexpr std::array<Migration, 12> kMigrations = {{
    {1,
     "core records: offices, services, clerks, shifts, closures, bookings, outages, "
     "appointments, requests",
     kCoreSchema},
    {2,
     "offer TTL of offices; references of skills, closures, bookings, outage offices; plans, "
     "assignments, offers, outbox messages and their events",
     kOutreachSchema},
    {3, "one name per notification channel: phone_list is phone", kOneNamePerChannel},
    {4,
     "appointment ids unique per office: appointments, offers and plan assignments keyed by "
     "office and id; outbox idempotency keys name the office",
     sqlite_internal::kAppointmentsPerOffice},
    {5, "append-only audit log with a hash chain", sqlite_internal::kAuditSchema},
    {6, "personal-data lifecycle: office retention settings, erasure records", kPrivacySchema},
    {7, "outbox messages by state and age, for the oldest unsent message", kUnsentByAge},
    {8,
     "appointments carry their rebooked slot (with how and when it was confirmed) and the slot "
     "their open offer holds, backfilled from the offers; indexed by slot office, clerk, start",
     kAppointmentSlots},
    {9, "change feed: events of appointment, offer and slot changes, written by triggers",
     sqlite_internal::kChangeFeed},
    {10, "outbox messages without the unused index by state and lease expiry", kNoLeaseExpiryIndex},
    {11, "offers indexed by state and by outage, appointments by outage, in their listing order",
     kListingsInKeyOrder},
    {12,
     "change feed: appointment updates record their events in the store's UPDATE paths, not by "
     "a trigger",
     kFeedUpdatesWrittenByTheStore},
}};

constexpr const char* kCreateMigrationsTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version INTEGER PRIMARY KEY NOT NULL,"
    " name TEXT NOT NULL,"
    " applied_at INTEGER NOT NULL)";

int ReadVersion(SQLite::Database& db) {
  if (!db.tableExists("schema_migrations")) return 0;
  SQLite::Statement query(db, "SELECT IFNULL(MAX(version), 0) FROM schema_migrations");
  query.executeStep();
  return query.getColumn(0).getInt();
}

absl::Status TooNew(int found, std::size_t known) {
  return absl::FailedPreconditionError(absl::StrCat("database schema version ", found,
                                                    " is newer than this binary, which knows ",
                                                    "versions up to ", known, "; upgrade rebook"));
}

// FAILED_PRECONDITION naming the first rows whose references are missing, if any.
absl::Status CheckForeignKeys(SQLite::Database& db) {
  SQLite::Statement check(db, "PRAGMA foreign_key_check");
  std::vector<std::string> violations;
  std::int64_t count = 0;
  while (check.executeStep()) {
    if (++count > 5) continue;
    // Columns: table, rowid (NULL for WITHOUT ROWID tables), parent table, constraint index.
    violations.push_back(absl::StrCat(
        check.getColumn(0).getString(), " row ",
        check.getColumn(1).isNull() ? std::string("(no rowid)") : check.getColumn(1).getString(),
        " -> missing ", check.getColumn(2).getString()));
  }
  if (count == 0) return absl::OkStatus();
  return absl::FailedPreconditionError(absl::StrCat(
      "the database holds ", count, " rows that refer to missing records, which the new schema ",
      "forbids; fix them with the sqlite3 shell and retry: ", absl::StrJoin(violations, "; "),
      count > 5 ? "; ..." : ""));
}

}  // namespace

std::span<const Migration> SchemaMigrations() { return kMigrations; }

absl::StatusOr<int> SchemaVersion(SQLite::Database& db) {
  try {
    return ReadVersion(db);
  } catch (...) {
    return sqlite_internal::StatusFromCurrentException("read schema version");
  }
}

absl::StatusOr<int> ApplyMigrations(SQLite::Database& db, std::span<const Migration> migrations) {
  for (std::size_t i = 0; i < migrations.size(); ++i) {
    if (migrations[i].version != static_cast<int>(i) + 1) {
      return absl::InvalidArgumentError(absl::StrCat("migration #", i + 1, " has version ",
                                                     migrations[i].version, "; must be 1..N"));
    }
  }
  const int known = static_cast<int>(migrations.size());
  // Errors name the step: an I/O error or a full disk here must say that the schema upgrade
  // failed (it is rolled back and the next start tries again), not just "disk I/O error".
  std::string what = "apply schema migrations";
  try {
    // Fast path without the write lock: an up-to-date file is the common case.
    int version = ReadVersion(db);
    if (version == known) return version;
    if (version > known) return TooNew(version, migrations.size());

    SQLite::Transaction tx(db, SQLite::TransactionBehavior::IMMEDIATE);
    db.exec(kCreateMigrationsTable);
    version = ReadVersion(db);  // another process may have migrated meanwhile
    if (version > known) return TooNew(version, migrations.size());
    what = absl::StrCat("upgrade the database schema from version ", version, " to ", known);
    SQLite::Statement record(db,
                             "INSERT INTO schema_migrations(version, name, applied_at) "
                             "VALUES (?, ?, CAST(strftime('%s', 'now') AS INTEGER))");
    // Steps may rebuild tables, which leaves references dangling between statements.
    db.exec("PRAGMA defer_foreign_keys = ON");
    for (int v = version + 1; v <= known; ++v) {
      const Migration& step = migrations[static_cast<std::size_t>(v - 1)];
      db.exec(std::string(step.sql));
      record.bind(1, step.version);
      record.bind(2, std::string(step.name));
      record.exec();
      record.reset();
    }
    if (absl::Status references = CheckForeignKeys(db); !references.ok()) return references;
    tx.commit();
    return known;
  } catch (...) {
    return sqlite_internal::StatusFromCurrentException(what);
  }
}

}  // namespace rebook::storage::sqlite
