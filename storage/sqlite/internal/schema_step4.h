// Schema step 4 (see migrations.cc for the steps before): appointments keyed by office and id.
// Only migrations.cc includes this; it lives apart to keep that file short.
#ifndef REBOOK_STORAGE_SQLITE_INTERNAL_SCHEMA_STEP4_H_
#define REBOOK_STORAGE_SQLITE_INTERNAL_SCHEMA_STEP4_H_

#include <string_view>

namespace rebook::storage::sqlite_internal {

// Step 4: appointment ids are unique per office, not across offices: resource names are
// offices/{office}/appointments/{id}, and offices choose their ids independently, so a foreign
// id must neither collide nor reveal that it exists (docs/resource-ids.md). Appointments are keyed
// by (office_id, id); so are the rows that refer to one appointment: offers by (appointment_id,
// office_id, version), plan assignments by the new appointment_office_id (the appointment's
// original office; '' if the appointment was gone when this step ran). Tables are rebuilt as in
// step 2 (nothing has a foreign key to them). Outbox idempotency keys gain the office
// (outage/office/appointment/v<version>/<kind>/<channel>, see domain::MessageIdempotencyKey),
// so that a message enqueued again after the upgrade is still recognised as a repeat.
inline constexpr std::string_view kAppointmentsPerOffice = R"sql(
CREATE TABLE appointments_v4 (
  office_id TEXT NOT NULL REFERENCES offices(id),
  id TEXT NOT NULL,
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
  update_time INTEGER NOT NULL,
  PRIMARY KEY (office_id, id)
);
INSERT INTO appointments_v4 (office_id, id, service_id, original_start, earliest_start, deadline,
  priority, cases, allowed_offices, unavailable, kind, contact_name, contact_phone, contact_email,
  contact_postal_address, contact_language, contact_channel, status, outage_id, status_reason,
  create_time, update_time)
  SELECT office_id, id, service_id, original_start, earliest_start, deadline, priority, cases,
    allowed_offices, unavailable, kind, contact_name, contact_phone, contact_email,
    contact_postal_address, contact_language, contact_channel, status, outage_id, status_reason,
    create_time, update_time FROM appointments;
DROP TABLE appointments;
ALTER TABLE appointments_v4 RENAME TO appointments;
CREATE INDEX appointments_by_start ON appointments(original_start, id, office_id);
CREATE INDEX appointments_by_office ON appointments(office_id, original_start, id);
CREATE INDEX appointments_by_service ON appointments(service_id);
CREATE INDEX appointments_by_status ON appointments(status, original_start);
CREATE INDEX appointments_by_outage ON appointments(outage_id) WHERE outage_id IS NOT NULL;

CREATE TABLE offers_v4 (
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
  PRIMARY KEY (appointment_id, office_id, version)
);
INSERT INTO offers_v4 SELECT appointment_id, version, office_id, outage_id, plan_id, state,
  slot_office_id, slot_clerk_id, slot_start, slot_end, slot_cost, alternatives, token,
  create_time, expire_time, reminder_time, respond_time, response_channel, accepted_alternative,
  explanation FROM offers;
DROP TABLE offers;
ALTER TABLE offers_v4 RENAME TO offers;
CREATE INDEX offers_by_outage_state ON offers(outage_id, state);
CREATE INDEX offers_by_state_expiry ON offers(state, expire_time);
CREATE INDEX offers_by_office ON offers(office_id, appointment_id, version);

CREATE TABLE plan_assignments_v4 (
  outage_id TEXT NOT NULL,
  plan_id TEXT NOT NULL,
  appointment_id TEXT NOT NULL,
  appointment_office_id TEXT NOT NULL,  -- the appointment's original office
  status TEXT NOT NULL,
  office_id TEXT NOT NULL,  -- '' if unassigned
  clerk_id TEXT NOT NULL,
  start_time INTEGER NOT NULL,
  end_time INTEGER NOT NULL,
  cost REAL NOT NULL,
  reason TEXT NOT NULL,
  PRIMARY KEY (outage_id, plan_id, appointment_id, appointment_office_id)
) WITHOUT ROWID;
INSERT INTO plan_assignments_v4 (outage_id, plan_id, appointment_id, appointment_office_id,
  status, office_id, clerk_id, start_time, end_time, cost, reason)
  SELECT p.outage_id, p.plan_id, p.appointment_id,
    IFNULL((SELECT a.office_id FROM appointments a WHERE a.id = p.appointment_id), ''),
    p.status, p.office_id, p.clerk_id, p.start_time, p.end_time, p.cost, p.reason
  FROM plan_assignments p;
DROP TABLE plan_assignments;
ALTER TABLE plan_assignments_v4 RENAME TO plan_assignments;
CREATE INDEX plan_assignments_by_office ON plan_assignments(outage_id, plan_id, office_id);

UPDATE outbox_messages
  SET idempotency_key = outage_id || '/' || office_id || '/' ||
    substr(idempotency_key, length(outage_id) + 2)
  WHERE substr(idempotency_key, 1, length(outage_id) + length(appointment_id) + 2) =
    outage_id || '/' || appointment_id || '/';
)sql";

}  // namespace rebook::storage::sqlite_internal

#endif  // REBOOK_STORAGE_SQLITE_INTERNAL_SCHEMA_STEP4_H_
