#include "storage/postgres/migrations.h"

#include <array>
#include <string>

#include "absl/strings/str_cat.h"
#include "storage/postgres/internal/errors.h"
#include "storage/postgres/internal/schema_feed_statements.h"
#include "storage/postgres/internal/schema_slots_feed.h"

namespace rebook::storage::postgres {
namespace {

// Step 1: the meaning of SQLite steps 1-7 (storage/sqlite/migrations.cc): every record of
// storage/store.h, plans, offers, the outbox, the audit log and the personal-data lifecycle.
//
// Types: instants are timestamptz holding whole seconds; enums are text holding the domain
// names (readable with psql, robust to enum reordering); ids are text COLLATE "C" so listings
// sort by bytes whatever the database's locale; string lists are text[]; interval and slot
// lists and a plan's capacity notes are jsonb; idempotent requests' fingerprints and responses
// are bytea. Doubles are float8 (exact).
//
// References as in SQLite: appointment -> office, service; shift -> office, clerk; skill ->
// clerk (cascade), service; closure -> office; standing booking -> office unless '' (via the
// generated column office_ref); outage office -> outage (cascade), office; retention -> office
// (cascade). Outreach tables carry no foreign keys (storage/store.h stores their ids as given).
//
// Several replicas: unique keys (requests, offer tokens, outbox idempotency keys) give one
// effect across processes; outbox_messages_due serves LeaseMessages' FOR UPDATE SKIP LOCKED.
constexpr std::string_view kSchema = R"sql(
CREATE TABLE offices (
  id text COLLATE "C" PRIMARY KEY,
  name text NOT NULL,
  state text NOT NULL,
  time_zone text NOT NULL,
  address text NOT NULL,
  offer_ttl_s bigint NOT NULL
);

CREATE TABLE services (
  id text COLLATE "C" PRIMARY KEY,
  name text NOT NULL,
  category text NOT NULL,
  duration_min integer NOT NULL
);

CREATE TABLE clerks (
  id text COLLATE "C" PRIMARY KEY,
  name text NOT NULL,
  home_office_id text COLLATE "C" NOT NULL  -- '' if none
);
CREATE INDEX clerks_by_home_office ON clerks (home_office_id);

CREATE TABLE clerk_skills (
  clerk_id text COLLATE "C" NOT NULL REFERENCES clerks (id) ON DELETE CASCADE,
  position integer NOT NULL,
  service_id text COLLATE "C" NOT NULL REFERENCES services (id),
  PRIMARY KEY (clerk_id, position)
);
CREATE INDEX clerk_skills_by_service ON clerk_skills (service_id);

CREATE TABLE shifts (
  office_id text COLLATE "C" NOT NULL REFERENCES offices (id),
  id text COLLATE "C" NOT NULL,
  clerk_id text COLLATE "C" NOT NULL REFERENCES clerks (id),
  start_time timestamptz NOT NULL,
  end_time timestamptz NOT NULL,
  kind text NOT NULL,
  PRIMARY KEY (office_id, id)
);
CREATE INDEX shifts_by_clerk ON shifts (clerk_id, start_time);
CREATE INDEX shifts_by_start ON shifts (start_time);

CREATE TABLE closures (
  office_id text COLLATE "C" NOT NULL REFERENCES offices (id),
  date date NOT NULL,  -- in the office's zone
  reason text NOT NULL,
  PRIMARY KEY (office_id, date)
);

CREATE TABLE standing_bookings (
  office_id text COLLATE "C" NOT NULL,  -- '' if the booking lies in no shift
  id text COLLATE "C" NOT NULL,
  clerk_id text COLLATE "C" NOT NULL,
  start_time timestamptz NOT NULL,
  end_time timestamptz NOT NULL,
  office_ref text COLLATE "C" GENERATED ALWAYS AS (NULLIF(office_id, '')) STORED
    REFERENCES offices (id),
  PRIMARY KEY (office_id, id)
);
CREATE INDEX standing_bookings_by_clerk ON standing_bookings (clerk_id, start_time);
CREATE INDEX standing_bookings_by_start ON standing_bookings (start_time);
CREATE INDEX standing_bookings_by_office_ref ON standing_bookings (office_ref);

CREATE TABLE outages (
  id text COLLATE "C" PRIMARY KEY,
  window_start timestamptz NOT NULL,
  window_end timestamptz NOT NULL,
  cause text NOT NULL,
  state text NOT NULL,
  declare_time timestamptz NOT NULL,
  close_time timestamptz,
  close_reason text NOT NULL,
  cancelled_appointments bigint NOT NULL
);
CREATE INDEX outages_by_state ON outages (state);

CREATE TABLE outage_offices (
  outage_id text COLLATE "C" NOT NULL REFERENCES outages (id) ON DELETE CASCADE,
  position integer NOT NULL,
  office_id text COLLATE "C" NOT NULL REFERENCES offices (id),
  PRIMARY KEY (outage_id, position)
);
CREATE INDEX outage_offices_by_office ON outage_offices (office_id);

CREATE TABLE appointments (
  office_id text COLLATE "C" NOT NULL REFERENCES offices (id),
  id text COLLATE "C" NOT NULL,
  service_id text COLLATE "C" NOT NULL REFERENCES services (id),
  original_start timestamptz NOT NULL,
  earliest_start timestamptz,
  deadline timestamptz,
  priority integer NOT NULL,
  cases integer NOT NULL,
  allowed_offices text[] NOT NULL,
  unavailable jsonb NOT NULL,  -- [[start, end], ...] in unix seconds
  kind text NOT NULL,
  contact_name text NOT NULL,
  contact_phone text NOT NULL,
  contact_email text NOT NULL,
  contact_postal_address text NOT NULL,
  contact_language text NOT NULL,
  contact_channel text NOT NULL,
  status text NOT NULL,
  outage_id text COLLATE "C",  -- NULL if none
  status_reason text NOT NULL,
  create_time timestamptz NOT NULL,
  update_time timestamptz NOT NULL,
  PRIMARY KEY (office_id, id)
);
CREATE INDEX appointments_by_start ON appointments (original_start, id, office_id);
CREATE INDEX appointments_by_office ON appointments (office_id, original_start, id);
CREATE INDEX appointments_by_service ON appointments (service_id);
CREATE INDEX appointments_by_status ON appointments (status, original_start);
CREATE INDEX appointments_by_outage ON appointments (outage_id) WHERE outage_id IS NOT NULL;

CREATE TABLE requests (
  request_id text COLLATE "C" PRIMARY KEY,
  method text NOT NULL,
  fingerprint bytea NOT NULL,
  response bytea NOT NULL
);

CREATE TABLE plans (
  outage_id text COLLATE "C" NOT NULL,
  id text COLLATE "C" NOT NULL,
  state text NOT NULL,
  horizon_start timestamptz NOT NULL,
  horizon_end timestamptz NOT NULL,
  reserve_share float8 NOT NULL,
  w_unassigned float8 NOT NULL,
  w_office_change float8 NOT NULL,
  w_overtime_min float8 NOT NULL,
  seed bigint NOT NULL,  -- the uint64 seed's bit pattern
  time_limit_s float8 NOT NULL,
  objective float8 NOT NULL,
  delay_cost float8 NOT NULL,
  office_change_cost float8 NOT NULL,
  overtime_cost float8 NOT NULL,
  unassigned_cost float8 NOT NULL,
  assigned bigint NOT NULL,
  unassigned bigint NOT NULL,
  mean_delay_min float8 NOT NULL,
  max_delay_min float8 NOT NULL,
  office_changes bigint NOT NULL,
  overtime_min bigint NOT NULL,
  solve_s float8 NOT NULL,
  lower_bound float8,
  gap float8,
  fcfs_inversions bigint NOT NULL,
  capacity_notes jsonb,  -- shortfall and suggested shifts; NULL if both are empty
  create_time timestamptz NOT NULL,
  commit_time timestamptz,
  base_plan_id text NOT NULL,
  failure_reason text NOT NULL,
  PRIMARY KEY (outage_id, id)
);
CREATE INDEX plans_by_create_time ON plans (outage_id, create_time, id);

CREATE TABLE plan_assignments (
  outage_id text COLLATE "C" NOT NULL,
  plan_id text COLLATE "C" NOT NULL,
  appointment_id text COLLATE "C" NOT NULL,
  appointment_office_id text COLLATE "C" NOT NULL,
  status text NOT NULL,
  office_id text COLLATE "C" NOT NULL,  -- '' if unassigned
  clerk_id text NOT NULL,
  start_time timestamptz NOT NULL,
  end_time timestamptz NOT NULL,
  cost float8 NOT NULL,
  reason text NOT NULL,
  PRIMARY KEY (outage_id, plan_id, appointment_id, appointment_office_id)
);
CREATE INDEX plan_assignments_by_office ON plan_assignments (outage_id, plan_id, office_id);

CREATE TABLE offers (
  appointment_id text COLLATE "C" NOT NULL,
  office_id text COLLATE "C" NOT NULL,
  version integer NOT NULL,
  outage_id text COLLATE "C" NOT NULL,
  plan_id text NOT NULL,
  state text NOT NULL,
  slot_office_id text NOT NULL,
  slot_clerk_id text NOT NULL,
  slot_start timestamptz NOT NULL,
  slot_end timestamptz NOT NULL,
  slot_cost float8 NOT NULL,
  alternatives jsonb NOT NULL,  -- [{"office", "clerk", "start", "end", "cost"}, ...]
  token text COLLATE "C" NOT NULL UNIQUE,
  create_time timestamptz NOT NULL,
  expire_time timestamptz NOT NULL,
  reminder_time timestamptz,
  respond_time timestamptz,
  response_channel text NOT NULL,
  accepted_alternative integer NOT NULL,
  explanation text NOT NULL,
  PRIMARY KEY (appointment_id, office_id, version)
);
CREATE INDEX offers_by_outage_state ON offers (outage_id, state);
CREATE INDEX offers_by_state_expiry ON offers (state, expire_time);
CREATE INDEX offers_by_office ON offers (office_id, appointment_id, version);

CREATE TABLE outbox_messages (
  id text COLLATE "C" PRIMARY KEY,
  idempotency_key text COLLATE "C" NOT NULL UNIQUE,
  office_id text COLLATE "C" NOT NULL,
  outage_id text COLLATE "C" NOT NULL,
  appointment_id text COLLATE "C" NOT NULL,
  offer_version integer NOT NULL,
  kind text NOT NULL,
  channel text COLLATE "C" NOT NULL,
  language text NOT NULL,
  state text NOT NULL,
  attempts integer NOT NULL,
  next_attempt_time timestamptz NOT NULL,
  lease_expire_time timestamptz,
  lease_token text NOT NULL,
  leased_by text NOT NULL,
  last_error text NOT NULL,
  provider_message_id text NOT NULL,
  fallback_from text NOT NULL,
  explanation text NOT NULL,
  create_time timestamptz NOT NULL,
  update_time timestamptz NOT NULL
);
CREATE INDEX outbox_messages_due ON outbox_messages (state, channel, next_attempt_time, id);
CREATE INDEX outbox_messages_by_lease_expiry ON outbox_messages (state, lease_expire_time);
CREATE INDEX outbox_messages_by_create_time ON outbox_messages (create_time, id);
CREATE INDEX outbox_messages_by_outage ON outbox_messages (outage_id, create_time, id);
CREATE INDEX outbox_messages_by_office ON outbox_messages (office_id, create_time, id);
CREATE INDEX outbox_messages_by_appointment ON outbox_messages (appointment_id, create_time, id);
CREATE INDEX outbox_messages_by_state_age ON outbox_messages (state, create_time);

CREATE TABLE outbox_message_events (
  seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,  -- the order events were added
  message_id text COLLATE "C" NOT NULL,
  time timestamptz NOT NULL,
  from_state text NOT NULL,
  to_state text NOT NULL,
  reason text NOT NULL,
  worker text NOT NULL
);
CREATE INDEX outbox_message_events_by_message ON outbox_message_events (message_id, time, seq);

CREATE TABLE audit_entries (
  seq bigint PRIMARY KEY,  -- 1, 2, ... in append order
  time timestamptz NOT NULL,
  principal text NOT NULL,
  role text NOT NULL,
  offices jsonb NOT NULL,
  method text NOT NULL,
  category text NOT NULL,
  resources jsonb NOT NULL,
  record_count bigint NOT NULL,
  outcome text NOT NULL,
  request_id text NOT NULL,
  prev_hash text NOT NULL,
  hash text NOT NULL
);
CREATE INDEX audit_entries_by_time ON audit_entries (time, seq);
CREATE INDEX audit_entries_by_principal ON audit_entries (principal, seq);
CREATE INDEX audit_entries_by_method ON audit_entries (method, seq);
CREATE FUNCTION audit_entries_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'audit_entries is append-only'; END $$;
CREATE TRIGGER audit_entries_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_entries
  FOR EACH STATEMENT EXECUTE FUNCTION audit_entries_append_only();

CREATE TABLE privacy_retention (
  office_id text COLLATE "C" PRIMARY KEY REFERENCES offices (id) ON DELETE CASCADE,
  retention_days integer NOT NULL,
  update_time timestamptz NOT NULL
);

CREATE TABLE privacy_erasures (
  office_id text COLLATE "C" NOT NULL,
  appointment_id text COLLATE "C" NOT NULL,
  erase_time timestamptz NOT NULL,
  reason text NOT NULL,
  PRIMARY KEY (office_id, appointment_id)
);
)sql";

// Step 5 (SQLite step 10): outbox_messages_by_lease_expiry served no query. LeaseMessages
// finds the expired leases with the due ones, by channel and state (outbox_messages_due); only
// messages in flight are LEASED. Each message paid for the index on insert, lease and report.
constexpr std::string_view kNoLeaseExpiryIndex = R"sql(
DROP INDEX outbox_messages_by_lease_expiry;
)sql";

// Step 6 (PostgreSQL only): the ready messages in the order leases take them. LeaseMessages
// (internal/lease_sql.h) reads this index from its start and stops after its LIMIT; through
// outbox_messages_due it had to read and sort every due message of the channels, a run per
// state and channel, for each lease (about 17,000 rows per lease of a region's outbox).
constexpr std::string_view kReadyIndex = R"sql(
CREATE INDEX outbox_messages_ready ON outbox_messages (next_attempt_time, id)
  WHERE state IN ('pending', 'failed');
)sql";

// Step 7 (SQLite step 11): a page of offers in one state or of one outage, or of an outage's
// appointments, read from an index in the listing's key order. Through offers_by_outage_state
// and appointments_by_outage the planner had two choices for each page: sort every matching
// row, or walk the primary key and filter out the rows of other outages and states (all
// earlier outages' offers, in a database that serves many municipalities for months).
// internal/listing_plan_test.cc checks the rows each page touches.
constexpr std::string_view kListingsInKeyOrder = R"sql(
DROP INDEX offers_by_outage_state;
CREATE INDEX offers_by_outage ON offers (outage_id, appointment_id, office_id, version);
CREATE INDEX offers_by_state ON offers (state, appointment_id, office_id, version);
DROP INDEX appointments_by_outage;
CREATE INDEX appointments_by_outage ON appointments (outage_id, original_start, id, office_id)
  WHERE outage_id IS NOT NULL;
)sql";

constexpr std::array<Migration, 7> kMigrations = {{
    {1,
     "the schema of SQLite steps 1-7: records, requests, plans, offers, outbox, audit log, "
     "personal-data lifecycle",
     kSchema},
    {2,
     "appointments carry their rebooked slot (with how and when it was confirmed) and the slot "
     "their open offer holds; indexed by slot office, clerk, start (SQLite step 8)",
     postgres_internal::kAppointmentSlots},
    {3,
     "change feed: events of appointment, offer and slot changes, written by triggers "
     "(SQLite step 9)",
     postgres_internal::kChangeFeed},
    {4,
     "change feed: one trigger call per statement (transition tables) instead of per row; a "
     "statement's events numbered in (original_start, id, office_id) order",
     postgres_internal::kChangeFeedStatements},
    {5, "outbox messages without the unused index by state and lease expiry (SQLite step 10)",
     kNoLeaseExpiryIndex},
    {6, "outbox messages ready to lease (pending, failed) indexed by next attempt time and id",
     kReadyIndex},
    {7,
     "offers indexed by outage and by state, appointments by outage, in their listing order "
     "(SQLite step 11)",
     kListingsInKeyOrder},
}};

int ReadVersion(pqxx::transaction_base& tx) {
  const pqxx::result exists = tx.exec("SELECT to_regclass('schema_migrations') IS NOT NULL");
  if (!exists[0][0].as<bool>()) return 0;
  return tx.exec("SELECT COALESCE(MAX(version), 0) FROM schema_migrations")[0][0].as<int>();
}

absl::Status TooNew(int found, std::size_t known) {
  return absl::FailedPreconditionError(absl::StrCat("database schema version ", found,
                                                    " is newer than this binary, which knows ",
                                                    "versions up to ", known, "; upgrade rebook"));
}

}  // namespace

std::span<const Migration> SchemaMigrations() { return kMigrations; }

absl::StatusOr<int> SchemaVersion(pqxx::connection& connection) {
  try {
    pqxx::read_transaction tx(connection);
    return ReadVersion(tx);
  } catch (...) {
    return postgres_internal::StatusFromCurrentException("read schema version");
  }
}

absl::StatusOr<int> ApplyMigrations(pqxx::connection& connection,
                                    std::span<const Migration> migrations) {
  for (std::size_t i = 0; i < migrations.size(); ++i) {
    if (migrations[i].version != static_cast<int>(i) + 1) {
      return absl::InvalidArgumentError(absl::StrCat("migration #", i + 1, " has version ",
                                                     migrations[i].version, "; must be 1..N"));
    }
  }
  const int known = static_cast<int>(migrations.size());
  std::string what = "apply schema migrations";
  try {
    pqxx::work tx(connection);
    // Replicas starting at once queue here; the one that migrates commits before the next
    // reads the version.
    tx.exec(absl::StrCat("SELECT pg_advisory_xact_lock(", kMigrationLockKey, ")"));
    int version = ReadVersion(tx);
    if (version == known) return version;
    if (version > known) return TooNew(version, migrations.size());
    tx.exec(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, "
        "name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())");
    what = absl::StrCat("upgrade the database schema from version ", version, " to ", known);
    for (int v = version + 1; v <= known; ++v) {
      const Migration& step = migrations[static_cast<std::size_t>(v - 1)];
      tx.exec(std::string(step.sql));
      tx.exec_params("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", step.version,
                     std::string(step.name));
    }
    tx.commit();
    return known;
  } catch (...) {
    return postgres_internal::StatusFromCurrentException(what);
  }
}

}  // namespace rebook::storage::postgres
