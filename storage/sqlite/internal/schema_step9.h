// Schema step 9 (see migrations.cc for the steps before): the change feed
// (storage/change_feed_store.h). Only migrations.cc includes this; it lives apart to keep that
// file short.
#ifndef REBOOK_STORAGE_SQLITE_INTERNAL_SCHEMA_STEP9_H_
#define REBOOK_STORAGE_SQLITE_INTERNAL_SCHEMA_STEP9_H_

#include <string_view>

namespace rebook::storage::sqlite_internal {

// Step 9: one row per state change of an appointment, written by triggers in the transaction
// that makes the change, so no code path can forget one. Step 12 (migrations.cc) dropped
// change_events_on_update: the store's UPDATE paths write those events themselves, with the
// same statement body (appointment_feed.h).
//
// Cursors: `cursor` is an AUTOINCREMENT rowid. SQLite has one writer at a time, so rows are
// numbered in commit order; a rolled-back transaction rolls back its rows and the
// sqlite_sequence counter with them (no gap); AUTOINCREMENT never reuses a number, even after
// pruning has deleted every row.
//
// No index by office: a read scans a bounded window of cursors (change_feed_queries.cc), and an
// index would cost every event a second B-tree write (a third of the triggers' cost measured
// with bench/change_feed/trigger_cost.py).
//
// Event ids are `<epoch>-<cursor>`: the epoch is 16 random hex digits drawn here and drawn
// again when a backup is restored (sqlite_restore.cc), so that events numbered again after a
// restore have new ids. Each row keeps the epoch it was written under.
//
// The events carry the appointment's state after the change and no personal data. Kinds (the
// first that applies): slot_confirmed (a rebooked slot set or moved), slot_held (a held slot
// set or moved), slot_released (a held or rebooked slot cleared; the event's held slot is the
// one freed), status_changed (status or outage), appointment_updated (booking data, contact
// included). An update of the update time or status reason alone writes nothing. The offer of a
// slot event is the appointment's newest offer: the use cases write offers before the
// appointment (services/rebooking/offers.cc, commit.cc). Erasure (a privacy_erasures row) and
// deletion write appointment_erased. Change times are the appointment's update time (the
// server's clock, simulated ones included), the erasure time, or the wall clock for a deletion.
inline constexpr std::string_view kChangeFeed = R"sql(
CREATE TABLE change_feed_epoch (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  epoch TEXT NOT NULL
);
INSERT INTO change_feed_epoch (id, epoch) VALUES (1, lower(hex(randomblob(8))));

CREATE TABLE change_events (
  cursor INTEGER PRIMARY KEY AUTOINCREMENT,
  epoch TEXT NOT NULL,
  change_time INTEGER NOT NULL,
  office_id TEXT NOT NULL,
  appointment_id TEXT NOT NULL,
  outage_id TEXT NOT NULL,  -- '' if none
  kind TEXT NOT NULL,
  status TEXT NOT NULL,
  service_id TEXT NOT NULL,
  cases INTEGER NOT NULL,
  original_start INTEGER NOT NULL,
  rebooked_office_id TEXT,  -- NULL: no rebooked slot
  rebooked_clerk_id TEXT,
  rebooked_start INTEGER,
  rebooked_end INTEGER,
  confirmed_via TEXT,
  confirm_time INTEGER,
  held_office_id TEXT,  -- NULL: no held slot
  held_clerk_id TEXT,
  held_start INTEGER,
  held_end INTEGER,
  offer_version INTEGER NOT NULL,  -- 0: no offer concerned
  offer_state TEXT                 -- NULL: no offer concerned
);

CREATE TRIGGER change_events_on_insert AFTER INSERT ON appointments
BEGIN
  INSERT INTO change_events (epoch, change_time, office_id, appointment_id, outage_id, kind,
    status, service_id, cases, original_start, rebooked_office_id, rebooked_clerk_id,
    rebooked_start, rebooked_end, confirmed_via, confirm_time, held_office_id, held_clerk_id,
    held_start, held_end, offer_version, offer_state)
  VALUES ((SELECT epoch FROM change_feed_epoch), NEW.update_time, NEW.office_id, NEW.id,
    IFNULL(NEW.outage_id, ''), 'appointment_created', NEW.status, NEW.service_id, NEW.cases,
    NEW.original_start, NEW.rebooked_office_id, NEW.rebooked_clerk_id, NEW.rebooked_start,
    NEW.rebooked_end, NEW.confirmed_via, NEW.confirm_time, NEW.held_office_id, NEW.held_clerk_id,
    NEW.held_start, NEW.held_end, 0, NULL);
END;

CREATE TRIGGER change_events_on_update AFTER UPDATE ON appointments
WHEN OLD.status IS NOT NEW.status OR OLD.outage_id IS NOT NEW.outage_id
  OR OLD.service_id IS NOT NEW.service_id OR OLD.original_start IS NOT NEW.original_start
  OR OLD.earliest_start IS NOT NEW.earliest_start OR OLD.deadline IS NOT NEW.deadline
  OR OLD.priority IS NOT NEW.priority OR OLD.cases IS NOT NEW.cases
  OR OLD.allowed_offices IS NOT NEW.allowed_offices OR OLD.unavailable IS NOT NEW.unavailable
  OR OLD.kind IS NOT NEW.kind OR OLD.contact_name IS NOT NEW.contact_name
  OR OLD.contact_phone IS NOT NEW.contact_phone OR OLD.contact_email IS NOT NEW.contact_email
  OR OLD.contact_postal_address IS NOT NEW.contact_postal_address
  OR OLD.contact_language IS NOT NEW.contact_language
  OR OLD.contact_channel IS NOT NEW.contact_channel
  OR OLD.rebooked_office_id IS NOT NEW.rebooked_office_id
  OR OLD.rebooked_clerk_id IS NOT NEW.rebooked_clerk_id
  OR OLD.rebooked_start IS NOT NEW.rebooked_start OR OLD.rebooked_end IS NOT NEW.rebooked_end
  OR OLD.confirmed_via IS NOT NEW.confirmed_via OR OLD.confirm_time IS NOT NEW.confirm_time
  OR OLD.held_office_id IS NOT NEW.held_office_id OR OLD.held_clerk_id IS NOT NEW.held_clerk_id
  OR OLD.held_start IS NOT NEW.held_start OR OLD.held_end IS NOT NEW.held_end
BEGIN
  INSERT INTO change_events (epoch, change_time, office_id, appointment_id, outage_id, kind,
    status, service_id, cases, original_start, rebooked_office_id, rebooked_clerk_id,
    rebooked_start, rebooked_end, confirmed_via, confirm_time, held_office_id, held_clerk_id,
    held_start, held_end, offer_version, offer_state)
  SELECT (SELECT epoch FROM change_feed_epoch), NEW.update_time, NEW.office_id, NEW.id,
    IFNULL(NEW.outage_id, ''), k.kind, NEW.status, NEW.service_id, NEW.cases,
    NEW.original_start, NEW.rebooked_office_id, NEW.rebooked_clerk_id, NEW.rebooked_start,
    NEW.rebooked_end, NEW.confirmed_via, NEW.confirm_time,
    CASE WHEN k.kind = 'slot_released' THEN IFNULL(OLD.held_office_id, OLD.rebooked_office_id)
      ELSE NEW.held_office_id END,
    CASE WHEN k.kind = 'slot_released' THEN IFNULL(OLD.held_clerk_id, OLD.rebooked_clerk_id)
      ELSE NEW.held_clerk_id END,
    CASE WHEN k.kind = 'slot_released' THEN IFNULL(OLD.held_start, OLD.rebooked_start)
      ELSE NEW.held_start END,
    CASE WHEN k.kind = 'slot_released' THEN IFNULL(OLD.held_end, OLD.rebooked_end)
      ELSE NEW.held_end END,
    CASE WHEN k.kind LIKE 'slot_%' THEN IFNULL((SELECT o.version FROM offers o
      WHERE o.appointment_id = NEW.id AND o.office_id = NEW.office_id
      ORDER BY o.version DESC LIMIT 1), 0) ELSE 0 END,
    CASE WHEN k.kind LIKE 'slot_%' THEN (SELECT o.state FROM offers o
      WHERE o.appointment_id = NEW.id AND o.office_id = NEW.office_id
      ORDER BY o.version DESC LIMIT 1) END
  FROM (SELECT CASE
    WHEN NEW.rebooked_start IS NOT NULL AND (OLD.rebooked_office_id IS NOT NEW.rebooked_office_id
      OR OLD.rebooked_clerk_id IS NOT NEW.rebooked_clerk_id
      OR OLD.rebooked_start IS NOT NEW.rebooked_start OR OLD.rebooked_end IS NOT NEW.rebooked_end)
      THEN 'slot_confirmed'
    WHEN NEW.held_start IS NOT NULL AND (OLD.held_office_id IS NOT NEW.held_office_id
      OR OLD.held_clerk_id IS NOT NEW.held_clerk_id OR OLD.held_start IS NOT NEW.held_start
      OR OLD.held_end IS NOT NEW.held_end)
      THEN 'slot_held'
    WHEN (OLD.held_start IS NOT NULL AND NEW.held_start IS NULL)
      OR (OLD.rebooked_start IS NOT NULL AND NEW.rebooked_start IS NULL)
      THEN 'slot_released'
    WHEN OLD.status IS NOT NEW.status OR OLD.outage_id IS NOT NEW.outage_id
      THEN 'status_changed'
    ELSE 'appointment_updated' END AS kind) k;
END;

CREATE TRIGGER change_events_on_delete AFTER DELETE ON appointments
BEGIN
  INSERT INTO change_events (epoch, change_time, office_id, appointment_id, outage_id, kind,
    status, service_id, cases, original_start, rebooked_office_id, rebooked_clerk_id,
    rebooked_start, rebooked_end, confirmed_via, confirm_time, held_office_id, held_clerk_id,
    held_start, held_end, offer_version, offer_state)
  VALUES ((SELECT epoch FROM change_feed_epoch), CAST(strftime('%s', 'now') AS INTEGER),
    OLD.office_id, OLD.id, IFNULL(OLD.outage_id, ''), 'appointment_erased', OLD.status,
    OLD.service_id, OLD.cases, OLD.original_start, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
    NULL, NULL, NULL, 0, NULL);
END;

CREATE TRIGGER change_events_on_erasure AFTER INSERT ON privacy_erasures
BEGIN
  INSERT INTO change_events (epoch, change_time, office_id, appointment_id, outage_id, kind,
    status, service_id, cases, original_start, rebooked_office_id, rebooked_clerk_id,
    rebooked_start, rebooked_end, confirmed_via, confirm_time, held_office_id, held_clerk_id,
    held_start, held_end, offer_version, offer_state)
  SELECT (SELECT epoch FROM change_feed_epoch), NEW.erase_time, a.office_id, a.id,
    IFNULL(a.outage_id, ''), 'appointment_erased', a.status, a.service_id, a.cases,
    a.original_start, a.rebooked_office_id, a.rebooked_clerk_id, a.rebooked_start,
    a.rebooked_end, a.confirmed_via, a.confirm_time, a.held_office_id, a.held_clerk_id,
    a.held_start, a.held_end, 0, NULL
  FROM appointments a WHERE a.office_id = NEW.office_id AND a.id = NEW.appointment_id;
END;
)sql";

}  // namespace rebook::storage::sqlite_internal

#endif  // REBOOK_STORAGE_SQLITE_INTERNAL_SCHEMA_STEP9_H_
