// PostgreSQL schema steps 2 and 3: the meaning of SQLite steps 8 (appointment slots) and 9 (the
// change feed, storage/sqlite/internal/schema_step9.h). Only migrations.cc includes this; it
// lives apart to keep that file short.
#ifndef REBOOK_STORAGE_POSTGRES_INTERNAL_SCHEMA_SLOTS_FEED_H_
#define REBOOK_STORAGE_POSTGRES_INTERNAL_SCHEMA_SLOTS_FEED_H_

#include <string_view>

namespace rebook::storage::postgres_internal {

// Step 2: the slot an appointment is rebooked into (status confirmed) with how and when that
// was confirmed, and the slot its open offer holds (status offered); NULL otherwise (see
// storage/store.h). At most one of the two is set, so the indexes take whichever is; the
// queries repeat these expressions verbatim (appointment_queries.cc).
//
// No backfill from the offers as SQLite's step 8 has: no PostgreSQL database predates the
// slots (this backend was introduced together with them).
inline constexpr std::string_view kAppointmentSlots = R"sql(
ALTER TABLE appointments
  ADD COLUMN rebooked_office_id text COLLATE "C",
  ADD COLUMN rebooked_clerk_id text COLLATE "C",
  ADD COLUMN rebooked_start timestamptz,
  ADD COLUMN rebooked_end timestamptz,
  ADD COLUMN confirmed_via text,  -- 'link', 'phone', 'staff'
  ADD COLUMN confirm_time timestamptz,
  ADD COLUMN held_office_id text COLLATE "C",
  ADD COLUMN held_clerk_id text COLLATE "C",
  ADD COLUMN held_start timestamptz,
  ADD COLUMN held_end timestamptz;

CREATE INDEX appointments_by_slot_office ON appointments (
  COALESCE(rebooked_office_id, held_office_id), COALESCE(rebooked_start, held_start),
  id, office_id)
  WHERE COALESCE(rebooked_office_id, held_office_id) IS NOT NULL;
CREATE INDEX appointments_by_slot_clerk ON appointments (
  COALESCE(rebooked_clerk_id, held_clerk_id), COALESCE(rebooked_start, held_start),
  id, office_id)
  WHERE COALESCE(rebooked_clerk_id, held_clerk_id) IS NOT NULL;
CREATE INDEX appointments_by_slot_start ON appointments (
  COALESCE(rebooked_start, held_start), id, office_id)
  WHERE COALESCE(rebooked_start, held_start) IS NOT NULL;
)sql";

// Step 3: the change feed, one row per state change of an appointment, written by triggers in
// the transaction that makes the change; kinds, payload, change times and event ids
// (`<epoch>-<cursor>`) exactly as SQLite's step 9 writes them. The triggers below run once per
// row; step 4 (schema_feed_statements.h) replaces them by triggers that run once per statement
// and write the same events. What follows holds for both.
//
// Cursors, gap-free and in commit order across replicas: a sequence is not (a rolled-back
// transaction burns numbers, and a transaction that drew a smaller number can commit after one
// that drew a larger one, so a reader would skip an event that shows up later). Instead a
// statement's n events take max(cursor) + 1 .. max(cursor) + n of what its transaction sees
// (from the pruned floor in change_feed_state when the table is empty), and
//  - every write transaction of every replica that may write events holds the write lock
//    (pg_store.h, kWriteLockKey) from before its snapshot until after its commit, so the next
//    writer sees the previous one's events: numbers follow commit order, a rollback leaves none
//    behind. Outbox-scoped writes (storage::WriteScope::kOutbox: leases, delivery reports) hold
//    kOutboxLockKey instead, and the store refuses their writes to appointments and erasures,
//    the only tables whose triggers write events;
//  - without that lock (PgStoreOptions::serialize_writes = false), two writers that draw the
//    same number collide on the primary key; the store maps that collision on
//    change_events_pkey to a retry of the later transaction (errors.cc), which then sees the
//    earlier commit. A cursor is thus never visible before every smaller one is.
// Pruning deletes a prefix and raises `pruned_through`, so cursors are never reused.
//
// The epoch is 16 random hex digits drawn when the database is created; PostgreSQL's own
// backups restore it unchanged with the events (the feed continues, ids stay unique).
inline constexpr std::string_view kChangeFeed = R"sql(
CREATE TABLE change_feed_state (
  id integer PRIMARY KEY CHECK (id = 1),
  epoch text NOT NULL,
  pruned_through bigint NOT NULL  -- the largest cursor pruning deleted, 0 if none
);
INSERT INTO change_feed_state (id, epoch, pruned_through)
  VALUES (1, substr(replace(gen_random_uuid()::text, '-', ''), 1, 16), 0);

CREATE TABLE change_events (
  cursor bigint PRIMARY KEY,
  epoch text NOT NULL,
  change_time timestamptz NOT NULL,
  office_id text COLLATE "C" NOT NULL,
  appointment_id text COLLATE "C" NOT NULL,
  outage_id text COLLATE "C" NOT NULL,  -- '' if none
  kind text NOT NULL,
  status text NOT NULL,
  service_id text NOT NULL,
  cases integer NOT NULL,
  original_start timestamptz NOT NULL,
  rebooked_office_id text,  -- NULL: no rebooked slot
  rebooked_clerk_id text,
  rebooked_start timestamptz,
  rebooked_end timestamptz,
  confirmed_via text,
  confirm_time timestamptz,
  held_office_id text,  -- NULL: no held slot
  held_clerk_id text,
  held_start timestamptz,
  held_end timestamptz,
  offer_version integer NOT NULL,  -- 0: no offer concerned
  offer_state text                 -- NULL: no offer concerned
);

-- Appends one event for appointment `a` (its state after the change); `freed` is the slot a
-- slot_released event names (office, clerk, start, end), else the appointment's held slot.
CREATE FUNCTION rebook_change_event(a appointments, change_kind text, at timestamptz,
    freed_office text, freed_clerk text, freed_start timestamptz, freed_end timestamptz,
    with_offer boolean) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  next_cursor bigint;
  feed_epoch text;
  offer_v integer := 0;
  offer_s text;
BEGIN
  SELECT s.epoch, COALESCE((SELECT max(e.cursor) FROM change_events e), s.pruned_through) + 1
    INTO feed_epoch, next_cursor FROM change_feed_state s WHERE s.id = 1;
  IF with_offer THEN
    SELECT o.version, o.state INTO offer_v, offer_s FROM offers o
      WHERE o.appointment_id = a.id AND o.office_id = a.office_id
      ORDER BY o.version DESC LIMIT 1;
    offer_v := COALESCE(offer_v, 0);
  END IF;
  INSERT INTO change_events VALUES (next_cursor, feed_epoch, at, a.office_id, a.id,
    COALESCE(a.outage_id, ''), change_kind, a.status, a.service_id, a.cases, a.original_start,
    a.rebooked_office_id, a.rebooked_clerk_id, a.rebooked_start, a.rebooked_end,
    a.confirmed_via, a.confirm_time, freed_office, freed_clerk, freed_start, freed_end,
    offer_v, offer_s);
END $$;

CREATE FUNCTION rebook_change_events_on_write() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  k text;
  gone appointments;
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM rebook_change_event(NEW, 'appointment_created', NEW.update_time, NEW.held_office_id,
      NEW.held_clerk_id, NEW.held_start, NEW.held_end, false);
    RETURN NULL;
  END IF;
  IF TG_OP = 'DELETE' THEN
    -- A deleted appointment's event names no slot.
    gone := OLD;
    gone.rebooked_office_id := NULL; gone.rebooked_clerk_id := NULL;
    gone.rebooked_start := NULL; gone.rebooked_end := NULL; gone.confirmed_via := NULL;
    gone.confirm_time := NULL;
    PERFORM rebook_change_event(gone, 'appointment_erased', date_trunc('second', now()), NULL,
      NULL, NULL, NULL, false);
    RETURN NULL;
  END IF;
  k := CASE
    WHEN NEW.rebooked_start IS NOT NULL
      AND (OLD.rebooked_office_id, OLD.rebooked_clerk_id, OLD.rebooked_start, OLD.rebooked_end)
        IS DISTINCT FROM
          (NEW.rebooked_office_id, NEW.rebooked_clerk_id, NEW.rebooked_start, NEW.rebooked_end)
      THEN 'slot_confirmed'
    WHEN NEW.held_start IS NOT NULL
      AND (OLD.held_office_id, OLD.held_clerk_id, OLD.held_start, OLD.held_end)
        IS DISTINCT FROM (NEW.held_office_id, NEW.held_clerk_id, NEW.held_start, NEW.held_end)
      THEN 'slot_held'
    WHEN (OLD.held_start IS NOT NULL AND NEW.held_start IS NULL)
      OR (OLD.rebooked_start IS NOT NULL AND NEW.rebooked_start IS NULL)
      THEN 'slot_released'
    WHEN (OLD.status, OLD.outage_id) IS DISTINCT FROM (NEW.status, NEW.outage_id)
      THEN 'status_changed'
    ELSE 'appointment_updated' END;
  IF k = 'slot_released' THEN
    PERFORM rebook_change_event(NEW, k, NEW.update_time,
      COALESCE(OLD.held_office_id, OLD.rebooked_office_id),
      COALESCE(OLD.held_clerk_id, OLD.rebooked_clerk_id),
      COALESCE(OLD.held_start, OLD.rebooked_start), COALESCE(OLD.held_end, OLD.rebooked_end),
      true);
  ELSE
    PERFORM rebook_change_event(NEW, k, NEW.update_time, NEW.held_office_id, NEW.held_clerk_id,
      NEW.held_start, NEW.held_end, k LIKE 'slot_%');
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER change_events_on_insert AFTER INSERT ON appointments
  FOR EACH ROW EXECUTE FUNCTION rebook_change_events_on_write();
CREATE TRIGGER change_events_on_delete AFTER DELETE ON appointments
  FOR EACH ROW EXECUTE FUNCTION rebook_change_events_on_write();
-- Everything but the update time and the status reason.
CREATE TRIGGER change_events_on_update AFTER UPDATE ON appointments FOR EACH ROW
  WHEN ((OLD.status, OLD.outage_id, OLD.service_id, OLD.original_start, OLD.earliest_start,
         OLD.deadline, OLD.priority, OLD.cases, OLD.allowed_offices, OLD.unavailable, OLD.kind,
         OLD.contact_name, OLD.contact_phone, OLD.contact_email, OLD.contact_postal_address,
         OLD.contact_language, OLD.contact_channel, OLD.rebooked_office_id,
         OLD.rebooked_clerk_id, OLD.rebooked_start, OLD.rebooked_end, OLD.confirmed_via,
         OLD.confirm_time, OLD.held_office_id, OLD.held_clerk_id, OLD.held_start, OLD.held_end)
        IS DISTINCT FROM
        (NEW.status, NEW.outage_id, NEW.service_id, NEW.original_start, NEW.earliest_start,
         NEW.deadline, NEW.priority, NEW.cases, NEW.allowed_offices, NEW.unavailable, NEW.kind,
         NEW.contact_name, NEW.contact_phone, NEW.contact_email, NEW.contact_postal_address,
         NEW.contact_language, NEW.contact_channel, NEW.rebooked_office_id,
         NEW.rebooked_clerk_id, NEW.rebooked_start, NEW.rebooked_end, NEW.confirmed_via,
         NEW.confirm_time, NEW.held_office_id, NEW.held_clerk_id, NEW.held_start, NEW.held_end))
  EXECUTE FUNCTION rebook_change_events_on_write();

CREATE FUNCTION rebook_change_events_on_erasure() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  a appointments;
BEGIN
  SELECT * INTO a FROM appointments WHERE office_id = NEW.office_id AND id = NEW.appointment_id;
  IF FOUND THEN
    PERFORM rebook_change_event(a, 'appointment_erased', NEW.erase_time, a.held_office_id,
      a.held_clerk_id, a.held_start, a.held_end, false);
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER change_events_on_erasure AFTER INSERT ON privacy_erasures
  FOR EACH ROW EXECUTE FUNCTION rebook_change_events_on_erasure();
)sql";

}  // namespace rebook::storage::postgres_internal

#endif  // REBOOK_STORAGE_POSTGRES_INTERNAL_SCHEMA_SLOTS_FEED_H_
