// PostgreSQL schema step 4: the change feed's triggers once per statement instead of once per
// row. Only migrations.cc includes this; it lives apart (and self-contained: it only drops and
// creates functions and triggers) so that the step can be renumbered when branches merge.
//
// Step 3 (schema_slots_feed.h) wrote each event with a FOR EACH ROW plpgsql trigger that ran
// `SELECT max(cursor)` and an INSERT per row: ~80 % of the server's CPU in an import
// (bench/postgres ingest, gRPC and COPY alike) and a large part of a region plan commit. Step 4
// replaces those triggers by FOR EACH STATEMENT triggers with transition tables
// (REFERENCING NEW TABLE / OLD TABLE), each of which writes all of a statement's events with one
// INSERT ... SELECT: the feed's state and max(cursor) are read once per statement, and the rows
// go through one plan instead of one plpgsql call each.
//
// What stays as step 3 documents it:
//  - kinds, payload, change times and event ids are those of the per-row triggers, column for
//    column (the same CASE for the kind, the same freed slot for slot_released, the newest offer
//    for slot events, no slot for a deleted appointment); an update that changes only the update
//    time or the status reason writes nothing (the row trigger's WHEN clause, now a WHERE over
//    the joined OLD and NEW tables, matched by the primary key, which no update changes);
//  - cursors: a statement numbers its n events base + 1 .. base + n, base being max(cursor) of
//    what the transaction sees, or `pruned_through` when the table is empty. Gap-free and in
//    commit order across replicas as step 3 says (the write lock; without it, a collision on
//    change_events_pkey and a retry); a rollback leaves none, pruning never lowers the floor;
//  - erasure (a privacy_erasures row) writes appointment_erased with the erasure time.
//
// JIT is off in these functions: a statement of many rows costs enough to cross
// jit_above_cost, and compiling the INSERT took 1.8 s of a 50,000-row UPDATE's 4.5 s (its own
// run 0.2 s); the query is the same every time and runs once per statement.
//
// Order within a statement: a transition table does not say in which order the rows were
// written, so the events of one statement are numbered in the appointments' listing order,
// (original_start, id, office_id) (the appointments_by_start index, ListAppointments). That is
// the order in which SQLite's InsertAppointments inserts (it sorts the batch first), so an
// import's events come in the same order on both backends; PgTransaction::InsertAppointments and
// UpdateAppointments sort a call's rows the same way before they split them into statements.
// Statements run in the order the transaction issues them, so events of different statements
// keep that order.
#ifndef REBOOK_STORAGE_POSTGRES_INTERNAL_SCHEMA_FEED_STATEMENTS_H_
#define REBOOK_STORAGE_POSTGRES_INTERNAL_SCHEMA_FEED_STATEMENTS_H_

#include <string_view>

namespace rebook::storage::postgres_internal {

// Each function reads the feed's epoch and the cursor before its statement's first event (`f`)
// itself: a transition table is visible only in its trigger's own function, so the functions
// share no helper.
inline constexpr std::string_view kChangeFeedStatements = R"sql(
DROP TRIGGER change_events_on_insert ON appointments;
DROP TRIGGER change_events_on_update ON appointments;
DROP TRIGGER change_events_on_delete ON appointments;
DROP TRIGGER change_events_on_erasure ON privacy_erasures;
DROP FUNCTION rebook_change_events_on_write();
DROP FUNCTION rebook_change_events_on_erasure();
DROP FUNCTION rebook_change_event(appointments, text, timestamptz, text, text, timestamptz,
  timestamptz, boolean);

CREATE FUNCTION rebook_change_events_on_insert() RETURNS trigger LANGUAGE plpgsql
  SET jit = off AS $$
BEGIN
  INSERT INTO change_events
  SELECT f.base + row_number() OVER (ORDER BY n.original_start, n.id, n.office_id), f.epoch,
    n.update_time, n.office_id, n.id, COALESCE(n.outage_id, ''), 'appointment_created',
    n.status, n.service_id, n.cases, n.original_start, n.rebooked_office_id,
    n.rebooked_clerk_id, n.rebooked_start, n.rebooked_end, n.confirmed_via, n.confirm_time,
    n.held_office_id, n.held_clerk_id, n.held_start, n.held_end, 0, NULL
  FROM rebook_inserted n CROSS JOIN (
    SELECT s.epoch, COALESCE((SELECT max(e.cursor) FROM change_events e), s.pruned_through)
      AS base FROM change_feed_state s WHERE s.id = 1) f;
  RETURN NULL;
END $$;

-- A deleted appointment's event names no slot.
CREATE FUNCTION rebook_change_events_on_delete() RETURNS trigger LANGUAGE plpgsql
  SET jit = off AS $$
BEGIN
  INSERT INTO change_events
  SELECT f.base + row_number() OVER (ORDER BY d.original_start, d.id, d.office_id), f.epoch,
    date_trunc('second', now()), d.office_id, d.id, COALESCE(d.outage_id, ''),
    'appointment_erased', d.status, d.service_id, d.cases, d.original_start, NULL, NULL, NULL,
    NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0, NULL
  FROM rebook_deleted d CROSS JOIN (
    SELECT s.epoch, COALESCE((SELECT max(e.cursor) FROM change_events e), s.pruned_through)
      AS base FROM change_feed_state s WHERE s.id = 1) f;
  RETURN NULL;
END $$;

-- One event per row whose state changed (everything but the update time and the status
-- reason), of the first kind that applies; a slot_released event names the slot freed; slot
-- events carry the appointment's newest offer.
CREATE FUNCTION rebook_change_events_on_update() RETURNS trigger LANGUAGE plpgsql
  SET jit = off AS $$
BEGIN
  INSERT INTO change_events
  SELECT f.base + row_number() OVER (ORDER BY c.original_start, c.id, c.office_id), f.epoch,
    c.update_time, c.office_id, c.id, COALESCE(c.outage_id, ''), c.change_kind, c.status,
    c.service_id, c.cases, c.original_start, c.rebooked_office_id, c.rebooked_clerk_id,
    c.rebooked_start, c.rebooked_end, c.confirmed_via, c.confirm_time,
    CASE WHEN c.change_kind = 'slot_released'
      THEN COALESCE(c.was_held_office_id, c.was_rebooked_office_id) ELSE c.held_office_id END,
    CASE WHEN c.change_kind = 'slot_released'
      THEN COALESCE(c.was_held_clerk_id, c.was_rebooked_clerk_id) ELSE c.held_clerk_id END,
    CASE WHEN c.change_kind = 'slot_released'
      THEN COALESCE(c.was_held_start, c.was_rebooked_start) ELSE c.held_start END,
    CASE WHEN c.change_kind = 'slot_released'
      THEN COALESCE(c.was_held_end, c.was_rebooked_end) ELSE c.held_end END,
    COALESCE(o.version, 0), o.state
  FROM (
    SELECT n.office_id, n.id, n.update_time, n.outage_id, n.status, n.service_id, n.cases,
      n.original_start, n.rebooked_office_id, n.rebooked_clerk_id, n.rebooked_start,
      n.rebooked_end, n.confirmed_via, n.confirm_time, n.held_office_id, n.held_clerk_id,
      n.held_start, n.held_end,
      p.held_office_id AS was_held_office_id, p.held_clerk_id AS was_held_clerk_id,
      p.held_start AS was_held_start, p.held_end AS was_held_end,
      p.rebooked_office_id AS was_rebooked_office_id,
      p.rebooked_clerk_id AS was_rebooked_clerk_id, p.rebooked_start AS was_rebooked_start,
      p.rebooked_end AS was_rebooked_end,
      CASE
        WHEN n.rebooked_start IS NOT NULL
          AND (p.rebooked_office_id, p.rebooked_clerk_id, p.rebooked_start, p.rebooked_end)
            IS DISTINCT FROM
              (n.rebooked_office_id, n.rebooked_clerk_id, n.rebooked_start, n.rebooked_end)
          THEN 'slot_confirmed'
        WHEN n.held_start IS NOT NULL
          AND (p.held_office_id, p.held_clerk_id, p.held_start, p.held_end)
            IS DISTINCT FROM (n.held_office_id, n.held_clerk_id, n.held_start, n.held_end)
          THEN 'slot_held'
        WHEN (p.held_start IS NOT NULL AND n.held_start IS NULL)
          OR (p.rebooked_start IS NOT NULL AND n.rebooked_start IS NULL)
          THEN 'slot_released'
        WHEN (p.status, p.outage_id) IS DISTINCT FROM (n.status, n.outage_id)
          THEN 'status_changed'
        ELSE 'appointment_updated' END AS change_kind
    FROM rebook_updated n
      JOIN rebook_previous p ON p.office_id = n.office_id AND p.id = n.id
    WHERE (p.status, p.outage_id, p.service_id, p.original_start, p.earliest_start,
           p.deadline, p.priority, p.cases, p.allowed_offices, p.unavailable, p.kind,
           p.contact_name, p.contact_phone, p.contact_email, p.contact_postal_address,
           p.contact_language, p.contact_channel, p.rebooked_office_id, p.rebooked_clerk_id,
           p.rebooked_start, p.rebooked_end, p.confirmed_via, p.confirm_time,
           p.held_office_id, p.held_clerk_id, p.held_start, p.held_end)
          IS DISTINCT FROM
          (n.status, n.outage_id, n.service_id, n.original_start, n.earliest_start,
           n.deadline, n.priority, n.cases, n.allowed_offices, n.unavailable, n.kind,
           n.contact_name, n.contact_phone, n.contact_email, n.contact_postal_address,
           n.contact_language, n.contact_channel, n.rebooked_office_id, n.rebooked_clerk_id,
           n.rebooked_start, n.rebooked_end, n.confirmed_via, n.confirm_time,
           n.held_office_id, n.held_clerk_id, n.held_start, n.held_end)) c
  CROSS JOIN (
    SELECT s.epoch, COALESCE((SELECT max(e.cursor) FROM change_events e), s.pruned_through)
      AS base FROM change_feed_state s WHERE s.id = 1) f
  LEFT JOIN LATERAL (
    SELECT x.version, x.state FROM offers x
    WHERE c.change_kind IN ('slot_confirmed', 'slot_held', 'slot_released')
      AND x.appointment_id = c.id AND x.office_id = c.office_id
    ORDER BY x.version DESC LIMIT 1) o ON true;
  RETURN NULL;
END $$;

-- The appointment's state as the erasure finds it (its personal data is scrubbed afterwards).
CREATE FUNCTION rebook_change_events_on_erasure() RETURNS trigger LANGUAGE plpgsql
  SET jit = off AS $$
BEGIN
  INSERT INTO change_events
  SELECT f.base + row_number() OVER (ORDER BY a.original_start, a.id, a.office_id), f.epoch,
    r.erase_time, a.office_id, a.id, COALESCE(a.outage_id, ''), 'appointment_erased', a.status,
    a.service_id, a.cases, a.original_start, a.rebooked_office_id, a.rebooked_clerk_id,
    a.rebooked_start, a.rebooked_end, a.confirmed_via, a.confirm_time, a.held_office_id,
    a.held_clerk_id, a.held_start, a.held_end, 0, NULL
  FROM rebook_erased r
    JOIN appointments a ON a.office_id = r.office_id AND a.id = r.appointment_id
    CROSS JOIN (
      SELECT s.epoch, COALESCE((SELECT max(e.cursor) FROM change_events e), s.pruned_through)
        AS base FROM change_feed_state s WHERE s.id = 1) f;
  RETURN NULL;
END $$;

-- Transition tables allow one event per trigger: three on appointments.
CREATE TRIGGER change_events_on_insert AFTER INSERT ON appointments
  REFERENCING NEW TABLE AS rebook_inserted
  FOR EACH STATEMENT EXECUTE FUNCTION rebook_change_events_on_insert();
CREATE TRIGGER change_events_on_update AFTER UPDATE ON appointments
  REFERENCING OLD TABLE AS rebook_previous NEW TABLE AS rebook_updated
  FOR EACH STATEMENT EXECUTE FUNCTION rebook_change_events_on_update();
CREATE TRIGGER change_events_on_delete AFTER DELETE ON appointments
  REFERENCING OLD TABLE AS rebook_deleted
  FOR EACH STATEMENT EXECUTE FUNCTION rebook_change_events_on_delete();
CREATE TRIGGER change_events_on_erasure AFTER INSERT ON privacy_erasures
  REFERENCING NEW TABLE AS rebook_erased
  FOR EACH STATEMENT EXECUTE FUNCTION rebook_change_events_on_erasure();
)sql";

}  // namespace rebook::storage::postgres_internal

#endif  // REBOOK_STORAGE_POSTGRES_INTERNAL_SCHEMA_FEED_STATEMENTS_H_
