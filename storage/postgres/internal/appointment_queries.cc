// Appointments: one row each, keyed by (office_id, id) and listed in
// (original_start, id, office_id) order, or (slot start, id, office_id) when filtered by slot.
// Allowed offices are text[]; unavailable times are a jsonb array of [start, end] unix-second
// pairs. An appointment's slot is whichever of its rebooked and held slots is set (never both);
// the slot expressions below are those the indexes of schema step 2 are built on, verbatim.
#include <algorithm>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "absl/strings/str_cat.h"
#include "nlohmann/json.hpp"
#include "storage/postgres/internal/listing_sql.h"
#include "storage/postgres/internal/pg_transaction.h"

namespace rebook::storage::postgres_internal {
namespace {

const std::string kAppointmentSelect = absl::StrCat(
    "SELECT id, office_id, service_id, ", Ts("original_start"), ", ", Ts("earliest_start"), ", ",
    Ts("deadline"),
    ", priority, cases, to_json(allowed_offices)::text, unavailable::text, kind, contact_name, "
    "contact_phone, contact_email, contact_postal_address, contact_language, contact_channel, "
    "status, outage_id, status_reason, ",
    Ts("create_time"), ", ", Ts("update_time"), ", rebooked_office_id, rebooked_clerk_id, ",
    Ts("rebooked_start"), ", ", Ts("rebooked_end"), ", confirmed_via, ", Ts("confirm_time"),
    ", held_office_id, held_clerk_id, ", Ts("held_start"), ", ", Ts("held_end"),
    " FROM appointments");

constexpr const char* kAppointmentColumns =
    "office_id, id, service_id, original_start, earliest_start, deadline, priority, cases, "
    "allowed_offices, unavailable, kind, contact_name, contact_phone, contact_email, "
    "contact_postal_address, contact_language, contact_channel, status, outage_id, "
    "status_reason, create_time, update_time, rebooked_office_id, rebooked_clerk_id, "
    "rebooked_start, rebooked_end, confirmed_via, confirm_time, held_office_id, held_clerk_id, "
    "held_start, held_end";

// kAppointmentColumns from an UPDATE's VALUES list `v`, instants cast back to timestamptz.
constexpr const char* kAppointmentUpdateValues =
    "v.office_id, v.id, v.service_id, v.original_start::timestamptz, "
    "v.earliest_start::timestamptz, v.deadline::timestamptz, v.priority, v.cases, "
    "v.allowed_offices, v.unavailable, v.kind, v.contact_name, v.contact_phone, "
    "v.contact_email, v.contact_postal_address, v.contact_language, v.contact_channel, v.status, "
    "v.outage_id, v.status_reason, v.create_time::timestamptz, v.update_time::timestamptz, "
    "v.rebooked_office_id, v.rebooked_clerk_id, v.rebooked_start::timestamptz, "
    "v.rebooked_end::timestamptz, v.confirmed_via, v.confirm_time::timestamptz, "
    "v.held_office_id, v.held_clerk_id, v.held_start::timestamptz, v.held_end::timestamptz";

constexpr const char* kSlotOffice = "COALESCE(rebooked_office_id, held_office_id)";
constexpr const char* kSlotClerk = "COALESCE(rebooked_clerk_id, held_clerk_id)";
constexpr const char* kSlotStart = "COALESCE(rebooked_start, held_start)";

// Four values from a slot: office, clerk, start, end; all NULL without one.
std::string SlotValues(Params& p, const domain::ScheduledSlot* slot) {
  if (slot == nullptr) return "NULL, NULL, NULL, NULL";
  return absl::StrCat(p.Add(slot->office_id), ", ", p.Add(slot->clerk_id), ", ",
                      p.AddInstant(slot->time.start), ", ", p.AddInstant(slot->time.end));
}

// The slot columns' values; a slot is stored only with its status (store.h).
std::string SlotColumnValues(Params& p, const domain::Appointment& a) {
  const domain::RebookedSlot* rebooked =
      a.status == domain::AppointmentStatus::kConfirmed && a.rebooked_slot ? &*a.rebooked_slot
                                                                           : nullptr;
  const domain::ScheduledSlot* held =
      a.status == domain::AppointmentStatus::kOffered && a.held_slot ? &*a.held_slot : nullptr;
  std::string out = SlotValues(p, rebooked != nullptr ? &rebooked->slot : nullptr);
  if (rebooked != nullptr) {
    absl::StrAppend(&out, ", ", p.Add(std::string(domain::ToString(rebooked->confirmed_via))), ", ",
                    p.AddInstant(rebooked->confirm_time));
  } else {
    absl::StrAppend(&out, ", NULL, NULL");
  }
  absl::StrAppend(&out, ", ", SlotValues(p, held));
  return out;
}

// The slot in the four columns from `first`; nullopt if its office is NULL.
std::optional<domain::ScheduledSlot> ReadSlot(const pqxx::row& r, int first) {
  if (r[first].is_null()) return std::nullopt;
  return domain::ScheduledSlot{.office_id = Str(r[first]),
                               .clerk_id = Str(r[first + 1]),
                               .time = {Time(r[first + 2]), Time(r[first + 3])}};
}

absl::StatusOr<std::vector<domain::TimeInterval>> ParseIntervals(const pqxx::field& f) {
  std::vector<domain::TimeInterval> items;
  try {
    for (const nlohmann::json& pair : nlohmann::json::parse(f.c_str())) {
      items.push_back({FromUnixSeconds(pair.at(0).get<std::int64_t>()),
                       FromUnixSeconds(pair.at(1).get<std::int64_t>())});
    }
  } catch (const nlohmann::json::exception& e) {
    return absl::InternalError(absl::StrCat("corrupt unavailable column: ", e.what()));
  }
  return items;
}

// The VALUES of one appointment, in kAppointmentColumns order: "(v1, ..., v32)".
std::string AppointmentValues(Params& p, const domain::Appointment& a) {
  return absl::StrCat("(", p.Add(a.office_id), ", ", p.Add(a.id), ", ", p.Add(a.service_id), ", ",
                      p.AddInstant(a.original_start), ", ", p.AddInstant(a.earliest_start), ", ",
                      p.AddInstant(a.deadline), ", ", p.Add(std::int64_t{a.priority}),
                      "::integer, ", p.Add(std::int64_t{a.cases}), "::integer, ",
                      p.AddTextArray(a.allowed_offices), ", ", p.Add(IntervalsJson(a.unavailable)),
                      "::jsonb, ",
                      absl::StrCat(p.Add(std::string(domain::ToString(a.kind))), ", ",
                                   p.Add(a.contact.name), ", ", p.Add(a.contact.phone), ", ",
                                   p.Add(a.contact.email), ", ", p.Add(a.contact.postal_address),
                                   ", ", p.Add(a.contact.language), ", ", p.Add(a.contact.channel),
                                   ", ", p.Add(std::string(domain::ToString(a.status))), ", "),
                      a.outage_id.empty() ? p.AddNull() : p.Add(a.outage_id), ", ",
                      p.Add(a.status_reason), ", ", p.AddInstant(a.create_time), ", ",
                      p.AddInstant(a.update_time), ", ", SlotColumnValues(p, a), ")");
}

absl::StatusOr<domain::Appointment> ReadAppointment(const pqxx::row& r) {
  domain::Appointment a;
  a.id = Str(r[0]);
  a.office_id = Str(r[1]);
  a.service_id = Str(r[2]);
  a.original_start = Time(r[3]);
  a.earliest_start = OptTime(r[4]);
  a.deadline = OptTime(r[5]);
  a.priority = static_cast<int>(Int(r[6]));
  a.cases = static_cast<int>(Int(r[7]));
  REBOOK_ASSIGN_OR_RETURN(a.allowed_offices, JsonStrings(r[8]));
  REBOOK_ASSIGN_OR_RETURN(a.unavailable, ParseIntervals(r[9]));
  REBOOK_ASSIGN_OR_RETURN(
      a.kind, Decode(domain::ParseAppointmentKind(Str(r[10])), "appointment kind", r[10]));
  a.contact = {.name = Str(r[11]),
               .phone = Str(r[12]),
               .email = Str(r[13]),
               .postal_address = Str(r[14]),
               .language = Str(r[15]),
               .channel = Str(r[16])};
  REBOOK_ASSIGN_OR_RETURN(
      a.status, Decode(domain::ParseAppointmentStatus(Str(r[17])), "appointment status", r[17]));
  a.outage_id = Str(r[18]);
  a.status_reason = Str(r[19]);
  a.create_time = Time(r[20]);
  a.update_time = Time(r[21]);
  if (std::optional<domain::ScheduledSlot> slot = ReadSlot(r, 22)) {
    domain::RebookedSlot& rebooked = a.rebooked_slot.emplace();
    rebooked.slot = std::move(*slot);
    REBOOK_ASSIGN_OR_RETURN(
        rebooked.confirmed_via,
        Decode(domain::ParseConfirmationChannel(Str(r[26])), "confirmed_via", r[26]));
    rebooked.confirm_time = Time(r[27]);
  }
  a.held_slot = ReadSlot(r, 28);
  return a;
}

// Appointments per UPDATE: at most 32 parameters each, under PostgreSQL's 65535.
constexpr std::size_t kUpdateBatch = 1000;

PageKey AppointmentKeyOf(const domain::Appointment& a, bool by_slot) {
  if (!by_slot) return PageKey{absl::StrCat(UnixSeconds(a.original_start)), a.id, a.office_id};
  // A slot filter matches only appointments with a slot.
  const domain::ScheduledSlot* slot = a.rebooked_slot ? &a.rebooked_slot->slot : &*a.held_slot;
  return PageKey{absl::StrCat(UnixSeconds(slot->time.start)), a.id, a.office_id};
}

}  // namespace

Filter AppointmentFilterSql(const AppointmentFilter& filter) {
  Filter where;
  if (filter.office_ids) where.AddIn("office_id", *filter.office_ids);
  if (filter.service_id) {
    where.Add(absl::StrCat("service_id = ", where.params.Add(*filter.service_id)));
  }
  if (!filter.statuses.empty()) {
    std::vector<std::string> names;
    for (domain::AppointmentStatus s : filter.statuses) names.emplace_back(domain::ToString(s));
    where.AddIn("status", names);
  }
  if (filter.outage_id) {
    where.Add(filter.outage_id->empty()
                  ? std::string("outage_id IS NULL")
                  : absl::StrCat("outage_id = ", where.params.Add(*filter.outage_id)));
  }
  if (filter.kind) {
    where.Add(
        absl::StrCat("kind = ", where.params.Add(std::string(domain::ToString(*filter.kind)))));
  }
  if (filter.original_start_in) {
    where.Add(absl::StrCat(
        "original_start >= ", where.params.AddInstant(filter.original_start_in->start),
        " AND original_start < ", where.params.AddInstant(filter.original_start_in->end)));
  }
  if (filter.slot_office_id) {
    where.Add(absl::StrCat(kSlotOffice, " = ", where.params.Add(*filter.slot_office_id)));
  }
  if (filter.slot_clerk_id) {
    where.Add(absl::StrCat(kSlotClerk, " = ", where.params.Add(*filter.slot_clerk_id)));
  }
  if (filter.slot_start_in) {
    where.Add(absl::StrCat(kSlotStart, " >= ", where.params.AddInstant(filter.slot_start_in->start),
                           " AND ", kSlotStart, " < ",
                           where.params.AddInstant(filter.slot_start_in->end)));
  } else if (filter.FiltersSlots()) {
    where.Add(absl::StrCat(kSlotStart, " IS NOT NULL"));
  }
  return where;
}

const PagedQuery& AppointmentListing(bool by_slot) {
  static const PagedQuery* by_start = new PagedQuery{"appointments",
                                                     kAppointmentSelect,
                                                     {{"original_start", KeyType::kInstant},
                                                      {"id", KeyType::kText},
                                                      {"office_id", KeyType::kText}}};
  static const PagedQuery* by_slot_start = new PagedQuery{
      "appointments by slot",
      kAppointmentSelect,
      {{kSlotStart, KeyType::kInstant}, {"id", KeyType::kText}, {"office_id", KeyType::kText}}};
  return by_slot ? *by_slot_start : *by_start;
}

absl::StatusOr<domain::Appointment> PgTransaction::GetAppointment(const std::string& office_id,
                                                                  const std::string& id) {
  return Guard(
      "get appointment", [&](pqxx::dbtransaction& tx) -> absl::StatusOr<domain::Appointment> {
        const pqxx::result r = tx.exec_params(
            absl::StrCat(kAppointmentSelect, " WHERE office_id = $1 AND id = $2"), office_id, id);
        if (r.empty()) {
          return absl::NotFoundError(absl::StrCat("no appointment ", id, " at office ", office_id));
        }
        return ReadAppointment(r[0]);
      });
}

absl::StatusOr<std::vector<domain::Appointment>> PgTransaction::FindAppointments(
    std::span<const domain::AppointmentKey> keys) {
  return Guard("find appointments",
               [&](pqxx::dbtransaction& tx) -> absl::StatusOr<std::vector<domain::Appointment>> {
                 std::vector<domain::Appointment> found;
                 if (keys.empty()) return found;
                 std::vector<std::string> offices;
                 std::vector<std::string> ids;
                 for (const domain::AppointmentKey& k : keys) {
                   offices.push_back(k.office_id);
                   ids.push_back(k.id);
                 }
                 Params p;
                 const std::string sql = absl::StrCat(
                     kAppointmentSelect, " WHERE (office_id, id) IN (SELECT * FROM unnest(",
                     p.AddTextArray(offices), ", ", p.AddTextArray(ids), "))");
                 for (const pqxx::row& row : p.Exec(tx, sql)) {
                   REBOOK_ASSIGN_OR_RETURN(found.emplace_back(), ReadAppointment(row));
                 }
                 return found;
               });
}

absl::Status PgTransaction::UpdateAppointment(const domain::Appointment& appointment) {
  return UpdateAppointments({&appointment, 1});
}

namespace {

// One UPDATE ... FROM (VALUES ...) for appointments of distinct keys: one round trip per batch
// instead of one per appointment (a plan commit updates every appointment it offers a slot).
absl::Status UpdateAppointmentsInBulk(pqxx::dbtransaction& tx,
                                      std::span<const domain::Appointment* const> appointments) {
  Params p;
  std::string values;
  for (const domain::Appointment* a : appointments) {
    absl::StrAppend(&values, values.empty() ? "" : ", ", AppointmentValues(p, *a));
  }
  // A column that is NULL in every row of the VALUES list is text there: cast it back.
  const std::string sql = absl::StrCat(
      "UPDATE appointments AS t SET (", kAppointmentColumns, ") = (", kAppointmentUpdateValues,
      ") FROM (VALUES ", values, ") AS v (", kAppointmentColumns,
      ") WHERE t.office_id = v.office_id AND t.id = v.id RETURNING t.office_id, t.id");
  const pqxx::result updated = p.Exec(tx, sql);
  if (updated.size() == appointments.size()) return absl::OkStatus();
  std::set<std::pair<std::string, std::string>> found;
  for (const pqxx::row& row : updated) found.emplace(Str(row[0]), Str(row[1]));
  for (const domain::Appointment* a : appointments) {
    if (!found.contains({a->office_id, a->id})) {
      return absl::NotFoundError(
          absl::StrCat("update appointments: no record ", a->id, " at office ", a->office_id));
    }
  }
  return absl::InternalError("update appointments: fewer rows updated than given");
}

}  // namespace

absl::Status PgTransaction::UpdateAppointments(std::span<const domain::Appointment> appointments) {
  CountNextWrite("appointments", appointments.size());
  return WriteAtomically("update appointments", [&](pqxx::dbtransaction& tx) -> absl::Status {
    std::set<std::pair<std::string, std::string>> keys;
    for (const domain::Appointment& a : appointments) keys.emplace(a.office_id, a.id);
    if (keys.size() != appointments.size()) {
      // The same appointment twice: one UPDATE each, in order, so the last one stays.
      for (const domain::Appointment& a : appointments) {
        const domain::Appointment* one = &a;
        REBOOK_RETURN_IF_ERROR(UpdateAppointmentsInBulk(tx, {&one, 1}));
      }
      return absl::OkStatus();
    }
    // In the feed's order, so that the events do not depend on the batch size.
    const std::vector<const domain::Appointment*> ordered = InFeedOrder(appointments);
    const std::span<const domain::Appointment* const> all(ordered);
    for (std::size_t begin = 0; begin < all.size(); begin += kUpdateBatch) {
      REBOOK_RETURN_IF_ERROR(UpdateAppointmentsInBulk(
          tx, all.subspan(begin, std::min(kUpdateBatch, all.size() - begin))));
    }
    return absl::OkStatus();
  });
}

absl::Status PgTransaction::DeleteAppointment(const std::string& office_id, const std::string& id) {
  Params p;
  const std::string sql = absl::StrCat(
      "DELETE FROM appointments WHERE office_id = ", p.Add(office_id), " AND id = ", p.Add(id));
  return ExecExpectingRow("delete appointment", absl::StrCat(id, " at office ", office_id), sql, p);
}

absl::StatusOr<Page<domain::Appointment>> PgTransaction::ListAppointments(
    const AppointmentFilter& filter, const PageRequest& page) {
  return Guard("list appointments", [&](pqxx::dbtransaction& tx) {
    const bool by_slot = filter.FiltersSlots();
    return ReadPage<domain::Appointment>(
        tx, AppointmentListing(by_slot), AppointmentFilterSql(filter), page, ReadAppointment,
        [by_slot](const domain::Appointment& a) { return AppointmentKeyOf(a, by_slot); });
  });
}

absl::StatusOr<std::int64_t> PgTransaction::CountAppointments(const AppointmentFilter& filter) {
  return Guard("count appointments", [&](pqxx::dbtransaction& tx) -> absl::StatusOr<std::int64_t> {
    const Filter where = AppointmentFilterSql(filter);
    return Int(where.params.Exec(
        tx, absl::StrCat("SELECT COUNT(*) FROM appointments", where.Where()))[0][0]);
  });
}

absl::Status PgTransaction::ScanAppointments(
    const AppointmentFilter& filter, const std::function<void(const domain::Appointment&)>& fn) {
  return Guard("scan appointments", [&](pqxx::dbtransaction& tx) -> absl::Status {
    const Filter where = AppointmentFilterSql(filter);
    const pqxx::result rows = where.params.Exec(
        tx, absl::StrCat(kAppointmentSelect, where.Where(),
                         filter.FiltersSlots()
                             ? absl::StrCat(" ORDER BY ", kSlotStart, ", id, office_id")
                             : std::string(" ORDER BY original_start, id, office_id")));
    for (const pqxx::row& row : rows) {
      REBOOK_ASSIGN_OR_RETURN(domain::Appointment a, ReadAppointment(row));
      fn(a);
    }
    return absl::OkStatus();
  });
}

absl::StatusOr<std::int64_t> PgTransaction::SetAppointmentStatus(const AppointmentFilter& filter,
                                                                 domain::AppointmentStatus status,
                                                                 const std::string& outage_id,
                                                                 const std::string& status_reason,
                                                                 Instant update_time) {
  std::int64_t changed = 0;
  REBOOK_RETURN_IF_ERROR(
      WriteAtomically("set appointment status", [&](pqxx::dbtransaction& tx) -> absl::Status {
        Filter where = AppointmentFilterSql(filter);
        Params& p = where.params;
        const std::string sql = absl::StrCat(
            "UPDATE appointments SET status = ", p.Add(std::string(domain::ToString(status))),
            ", outage_id = ", outage_id.empty() ? p.AddNull() : p.Add(outage_id),
            ", status_reason = ", p.Add(status_reason),
            ", update_time = ", p.AddInstant(update_time),
            // A slot stays only with its status (store.h).
            status == domain::AppointmentStatus::kConfirmed
                ? ""
                : ", rebooked_office_id = NULL, rebooked_clerk_id = NULL, rebooked_start = NULL, "
                  "rebooked_end = NULL, confirmed_via = NULL, confirm_time = NULL",
            status == domain::AppointmentStatus::kOffered
                ? ""
                : ", held_office_id = NULL, held_clerk_id = NULL, held_start = NULL, "
                  "held_end = NULL",
            where.Where());
        changed = static_cast<std::int64_t>(p.Exec(tx, sql).affected_rows());
        CountNextWrite("appointments", static_cast<std::size_t>(changed));
        return absl::OkStatus();
      }));
  return changed;
}

}  // namespace rebook::storage::postgres_internal
