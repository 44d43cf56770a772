#include "storage/sqlite/internal/appointment_rows.h"

#include <optional>
#include <string>
#include <string_view>

#include "services/common/status_macros.h"
#include "storage/sqlite/internal/column_io.h"
#include "storage/sqlite/internal/row_codec.h"

namespace rebook::storage::sqlite_internal {

const char* const kAppointmentColumns =
    "id, office_id, service_id, original_start, earliest_start, deadline, priority, cases, "
    "allowed_offices, unavailable, kind, contact_name, contact_phone, contact_email, "
    "contact_postal_address, contact_language, contact_channel, status, outage_id, "
    "status_reason, create_time, update_time, rebooked_office_id, rebooked_clerk_id, "
    "rebooked_start, rebooked_end, confirmed_via, confirm_time, held_office_id, held_clerk_id, "
    "held_start, held_end";

const char* const kInsertAppointmentSql =
    "INSERT INTO appointments (id, office_id, service_id, original_start, earliest_start, "
    "deadline, priority, cases, allowed_offices, unavailable, kind, contact_name, contact_phone, "
    "contact_email, contact_postal_address, contact_language, contact_channel, status, "
    "outage_id, status_reason, create_time, update_time, rebooked_office_id, rebooked_clerk_id, "
    "rebooked_start, rebooked_end, confirmed_via, confirm_time, held_office_id, held_clerk_id, "
    "held_start, held_end) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, "
    "?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?31, ?32)";

const char* const kInsertAppointmentCoreSql =
    "INSERT INTO appointments (id, office_id, service_id, original_start, earliest_start, "
    "deadline, priority, cases, allowed_offices, unavailable, kind, contact_name, contact_phone, "
    "contact_email, contact_postal_address, contact_language, contact_channel, status, "
    "outage_id, status_reason, create_time, update_time) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, "
    "?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22)";

const char* const kUpdateAppointmentSql =
    "UPDATE appointments SET service_id = ?3, original_start = ?4, "
    "earliest_start = ?5, deadline = ?6, priority = ?7, cases = ?8, allowed_offices = ?9, "
    "unavailable = ?10, kind = ?11, contact_name = ?12, contact_phone = ?13, "
    "contact_email = ?14, contact_postal_address = ?15, contact_language = ?16, "
    "contact_channel = ?17, status = ?18, outage_id = ?19, status_reason = ?20, "
    "create_time = ?21, update_time = ?22, rebooked_office_id = ?23, rebooked_clerk_id = ?24, "
    "rebooked_start = ?25, rebooked_end = ?26, confirmed_via = ?27, confirm_time = ?28, "
    "held_office_id = ?29, held_clerk_id = ?30, held_start = ?31, held_end = ?32 "
    "WHERE office_id = ?2 AND id = ?1";

const char* const kUpdateAppointmentLifecycleSql =
    "UPDATE appointments SET status = ?18, status_reason = ?20, update_time = ?22, "
    "rebooked_office_id = ?23, rebooked_clerk_id = ?24, rebooked_start = ?25, "
    "rebooked_end = ?26, confirmed_via = ?27, confirm_time = ?28, held_office_id = ?29, "
    "held_clerk_id = ?30, held_start = ?31, held_end = ?32 "
    "WHERE office_id = ?2 AND id = ?1 AND service_id IS ?3 AND original_start IS ?4 AND "
    "earliest_start IS ?5 AND deadline IS ?6 AND priority IS ?7 AND cases IS ?8 AND "
    "allowed_offices IS ?9 AND unavailable IS ?10 AND kind IS ?11 AND contact_name IS ?12 AND "
    "contact_phone IS ?13 AND contact_email IS ?14 AND contact_postal_address IS ?15 AND "
    "contact_language IS ?16 AND contact_channel IS ?17 AND outage_id IS ?19 AND "
    "create_time IS ?21";

namespace {

constexpr int kSlotParameter = 23;  // the first slot column's parameter and column (1-based)

// Four parameters from `first`: office, clerk, start, end; all NULL without a slot.
void BindSlot(SQLite::Statement& s, int first, const domain::ScheduledSlot* slot) {
  if (slot == nullptr) {
    for (int i = 0; i < 4; ++i) s.bind(first + i);
    return;
  }
  s.bindNoCopy(first, slot->office_id);
  s.bindNoCopy(first + 1, slot->clerk_id);
  s.bind(first + 2, ToUnixSeconds(slot->time.start));
  s.bind(first + 3, ToUnixSeconds(slot->time.end));
}

// The slot in the four columns from 0-based `first`; nullopt if its office is NULL.
std::optional<domain::ScheduledSlot> ReadSlot(SQLite::Statement& s, int first) {
  if (s.getColumn(first).isNull()) return std::nullopt;
  domain::ScheduledSlot slot;
  slot.office_id = s.getColumn(first).getString();
  slot.clerk_id = s.getColumn(first + 1).getString();
  slot.time = {FromUnixSeconds(s.getColumn(first + 2).getInt64()),
               FromUnixSeconds(s.getColumn(first + 3).getInt64())};
  return slot;
}

}  // namespace

void BindAppointment(SQLite::Statement& s, const domain::Appointment& a, int base) {
  s.bindNoCopy(base + 1, a.id);
  s.bindNoCopy(base + 2, a.office_id);
  s.bindNoCopy(base + 3, a.service_id);
  s.bind(base + 4, ToUnixSeconds(a.original_start));
  BindNullable(s, base + 5, a.earliest_start);
  BindNullable(s, base + 6, a.deadline);
  s.bind(base + 7, a.priority);
  s.bind(base + 8, a.cases);
  BindNullable(s, base + 9, EncodeStringList(a.allowed_offices));
  BindNullable(s, base + 10, EncodeIntervalList(a.unavailable));
  BindName(s, base + 11, domain::ToString(a.kind));
  s.bindNoCopy(base + 12, a.contact.name);
  s.bindNoCopy(base + 13, a.contact.phone);
  s.bindNoCopy(base + 14, a.contact.email);
  s.bindNoCopy(base + 15, a.contact.postal_address);
  s.bindNoCopy(base + 16, a.contact.language);
  s.bindNoCopy(base + 17, a.contact.channel);
  BindName(s, base + 18, domain::ToString(a.status));
  if (a.outage_id.empty()) {
    s.bind(base + 19);
  } else {
    s.bindNoCopy(base + 19, a.outage_id);
  }
  s.bindNoCopy(base + 20, a.status_reason);
  s.bind(base + 21, ToUnixSeconds(a.create_time));
  s.bind(base + 22, ToUnixSeconds(a.update_time));
  if (s.getBindParameterCount() < base + kSlotParameter + 9) return;  // a schema before step 8
  // A slot is stored only with its status (store.h).
  const domain::RebookedSlot* rebooked =
      a.status == domain::AppointmentStatus::kConfirmed && a.rebooked_slot ? &*a.rebooked_slot
                                                                           : nullptr;
  const domain::ScheduledSlot* held =
      a.status == domain::AppointmentStatus::kOffered && a.held_slot ? &*a.held_slot : nullptr;
  BindSlot(s, base + kSlotParameter, rebooked != nullptr ? &rebooked->slot : nullptr);
  if (rebooked != nullptr) {
    BindName(s, base + kSlotParameter + 4, domain::ToString(rebooked->confirmed_via));
    s.bind(base + kSlotParameter + 5, ToUnixSeconds(rebooked->confirm_time));
  } else {
    s.bind(base + kSlotParameter + 4);
    s.bind(base + kSlotParameter + 5);
  }
  BindSlot(s, base + kSlotParameter + 6, held);
}

absl::StatusOr<domain::Appointment> ReadAppointment(SQLite::Statement& s) {
  domain::Appointment a;
  a.id = s.getColumn(0).getString();
  a.office_id = s.getColumn(1).getString();
  a.service_id = s.getColumn(2).getString();
  a.original_start = FromUnixSeconds(s.getColumn(3).getInt64());
  a.earliest_start = NullableInstant(s.getColumn(4));
  a.deadline = NullableInstant(s.getColumn(5));
  a.priority = s.getColumn(6).getInt();
  a.cases = s.getColumn(7).getInt();
  REBOOK_ASSIGN_OR_RETURN(a.allowed_offices, DecodeStringList(NullableText(s.getColumn(8))));
  REBOOK_ASSIGN_OR_RETURN(a.unavailable, DecodeIntervalList(NullableText(s.getColumn(9))));
  REBOOK_ASSIGN_OR_RETURN(a.kind, DecodeAppointmentKind(s.getColumn(10).getText()));
  a.contact.name = s.getColumn(11).getString();
  a.contact.phone = s.getColumn(12).getString();
  a.contact.email = s.getColumn(13).getString();
  a.contact.postal_address = s.getColumn(14).getString();
  a.contact.language = s.getColumn(15).getString();
  a.contact.channel = s.getColumn(16).getString();
  REBOOK_ASSIGN_OR_RETURN(a.status, DecodeAppointmentStatus(s.getColumn(17).getText()));
  a.outage_id = std::string(NullableText(s.getColumn(18)).value_or(""));
  a.status_reason = s.getColumn(19).getString();
  a.create_time = FromUnixSeconds(s.getColumn(20).getInt64());
  a.update_time = FromUnixSeconds(s.getColumn(21).getInt64());
  const int first = kSlotParameter - 1;
  if (std::optional<domain::ScheduledSlot> slot = ReadSlot(s, first)) {
    domain::RebookedSlot& r = a.rebooked_slot.emplace();
    r.slot = std::move(*slot);
    std::optional<domain::ConfirmationChannel> via =
        domain::ParseConfirmationChannel(s.getColumn(first + 4).getText());
    if (!via) return absl::InternalError("corrupt confirmed_via of a stored appointment");
    r.confirmed_via = *via;
    r.confirm_time = FromUnixSeconds(s.getColumn(first + 5).getInt64());
  }
  a.held_slot = ReadSlot(s, first + 6);
  return a;
}

}  // namespace rebook::storage::sqlite_internal
