// Appointments: one row each (see appointment_rows.h), keyed by (office_id, id) and listed in
// (original_start, id, office_id) order, or (slot start, id, office_id) when filtered by slot.
//
// An appointment's slot is whichever of its rebooked and held slots is set (never both); the
// expressions below are those the indexes of migration step 8 are built on, verbatim.
#include <algorithm>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "services/common/status_macros.h"
#include "sqlite3.h"
#include "storage/sqlite/internal/appointment_feed.h"
#include "storage/sqlite/internal/appointment_rows.h"
#include "storage/sqlite/internal/listing_sql.h"
#include "storage/sqlite/internal/paged_query.h"
#include "storage/sqlite/internal/row_codec.h"
#include "storage/sqlite/internal/sqlite_transaction.h"

namespace rebook::storage::sqlite_internal {
namespace {

constexpr const char* kSlotOffice = "COALESCE(rebooked_office_id, held_office_id)";
constexpr const char* kSlotClerk = "COALESCE(rebooked_clerk_id, held_clerk_id)";
constexpr const char* kSlotStart = "COALESCE(rebooked_start, held_start)";

PageKey AppointmentKeyOf(const domain::Appointment& a, bool by_slot) {
  if (!by_slot) return PageKey{ToUnixSeconds(a.original_start), a.id, a.office_id};
  // A slot filter matches only appointments with a slot.
  const domain::ScheduledSlot* slot = a.rebooked_slot ? &a.rebooked_slot->slot : &*a.held_slot;
  return PageKey{ToUnixSeconds(slot->time.start), a.id, a.office_id};
}

}  // namespace

const PagedQuery& AppointmentListing(bool by_slot) {
  static const PagedQuery* by_start =
      new PagedQuery{.listing = "appointments",
                     .select = absl::StrCat("SELECT ", kAppointmentColumns, " FROM appointments"),
                     .key = {{"original_start", KeyType::kInteger},
                             {"id", KeyType::kText},
                             {"office_id", KeyType::kText}}};
  static const PagedQuery* by_slot_start = new PagedQuery{
      .listing = "appointments by slot",
      .select = absl::StrCat("SELECT ", kAppointmentColumns, " FROM appointments"),
      .key = {
          {kSlotStart, KeyType::kInteger}, {"id", KeyType::kText}, {"office_id", KeyType::kText}}};
  return by_slot ? *by_slot_start : *by_start;
}

SqlFilter AppointmentSqlFilter(const AppointmentFilter& filter) {
  SqlFilter where;
  if (filter.office_ids) where.AddIn("office_id", *filter.office_ids);
  if (filter.service_id) where.Add("service_id = ?", {*filter.service_id});
  if (!filter.statuses.empty()) {
    std::vector<std::string> names;
    for (domain::AppointmentStatus s : filter.statuses) names.emplace_back(domain::ToString(s));
    where.AddIn("status", names);
  }
  if (filter.outage_id) {
    // No outage is stored as NULL (see the partial index appointments_by_outage).
    if (filter.outage_id->empty()) {
      where.Add("outage_id IS NULL");
    } else {
      where.Add("outage_id = ?", {*filter.outage_id});
    }
  }
  if (filter.kind) where.Add("kind = ?", {std::string(domain::ToString(*filter.kind))});
  if (filter.original_start_in) {
    where.Add("original_start >= ? AND original_start < ?",
              {ToUnixSeconds(filter.original_start_in->start),
               ToUnixSeconds(filter.original_start_in->end)});
  }
  if (filter.slot_office_id) where.Add(absl::StrCat(kSlotOffice, " = ?"), {*filter.slot_office_id});
  if (filter.slot_clerk_id) where.Add(absl::StrCat(kSlotClerk, " = ?"), {*filter.slot_clerk_id});
  if (filter.slot_start_in) {
    where.Add(
        absl::StrCat(kSlotStart, " >= ? AND ", kSlotStart, " < ?"),
        {ToUnixSeconds(filter.slot_start_in->start), ToUnixSeconds(filter.slot_start_in->end)});
  } else if (filter.FiltersSlots()) {
    where.Add(absl::StrCat(kSlotStart, " IS NOT NULL"));
  }
  return where;
}

absl::StatusOr<domain::Appointment> SqliteTransaction::GetAppointment(const std::string& office_id,
                                                                      const std::string& id) {
  return Guard("get appointment", [&]() -> absl::StatusOr<domain::Appointment> {
    StatementLease q = Prepare(absl::StrCat("SELECT ", kAppointmentColumns,
                                            " FROM appointments WHERE office_id = ? AND id = ?"));
    q->bindNoCopy(1, office_id);
    q->bindNoCopy(2, id);
    if (!q->executeStep()) {
      return absl::NotFoundError(absl::StrCat("no appointment ", id, " at office ", office_id));
    }
    return ReadAppointment(*q);
  });
}

absl::StatusOr<std::vector<domain::Appointment>> SqliteTransaction::FindAppointments(
    std::span<const domain::AppointmentKey> keys) {
  return Guard("find appointments", [&]() -> absl::StatusOr<std::vector<domain::Appointment>> {
    StatementLease q = Prepare(absl::StrCat("SELECT ", kAppointmentColumns,
                                            " FROM appointments WHERE office_id = ? AND id = ?"));
    std::vector<domain::Appointment> found;
    for (const domain::AppointmentKey& key : keys) {
      q->bindNoCopy(1, key.office_id);
      q->bindNoCopy(2, key.id);
      if (q->executeStep()) {
        REBOOK_ASSIGN_OR_RETURN(domain::Appointment a, ReadAppointment(*q));
        found.push_back(std::move(a));
      }
      q->reset();
    }
    return found;
  });
}

absl::Status SqliteTransaction::InsertAppointments(
    std::span<const domain::Appointment> appointments) {
  // Inserting in (original_start, id) order appends to the largest indexes instead of
  // scattering over them: an unsorted 100k import runs 1.5x faster sorted first. The office
  // breaks ties, so the change feed's events come in the order PostgreSQL numbers them
  // (storage/postgres/internal/schema_feed_statements.h).
  const std::vector<const domain::Appointment*> ordered = InFeedOrder(appointments);
  static const MultiRowInsert* shape = new MultiRowInsert(
      absl::StrCat("INSERT INTO appointments (", kAppointmentColumns, ") VALUES "), 32, "");
  return WriteInChunks(
      "insert appointments", ordered.size(),
      [&](std::size_t begin, std::size_t end) -> absl::Status {
        return InsertRows(
            *shape, begin, end,
            [&](SQLite::Statement& q, std::size_t i, int base) {
              BindAppointment(q, *ordered[i], base);
            },
            [&](const SQLite::Exception& e, std::size_t i) -> absl::Status {
              // Name the offending appointment; other errors map in Guard.
              const domain::Appointment& a = *ordered[i];
              if (e.getExtendedErrorCode() == SQLITE_CONSTRAINT_PRIMARYKEY ||
                  e.getExtendedErrorCode() == SQLITE_CONSTRAINT_UNIQUE) {
                return absl::AlreadyExistsError(absl::StrCat("appointment ", a.id, " of office ",
                                                             a.office_id, " already exists"));
              }
              if (e.getExtendedErrorCode() == SQLITE_CONSTRAINT_FOREIGNKEY) {
                return absl::FailedPreconditionError(
                    absl::StrCat("appointment ", a.id, " refers to an unknown office (",
                                 a.office_id, ") or service (", a.service_id, ")"));
              }
              throw;
            });
      });
}

absl::Status SqliteTransaction::UpdateAppointment(const domain::Appointment& appointment) {
  return WriteAtomically("update appointment", [&]() -> absl::Status {
    // The change feed's event first, while the row still holds its old values
    // (appointment_feed.h); the savepoint takes it back if the UPDATE fails.
    StatementLease event = Prepare(AppointmentRowUpdateEventSql());
    BindAppointment(*event, appointment);
    event->exec();
    StatementLease q = Prepare(kUpdateAppointmentSql);
    BindAppointment(*q, appointment);
    if (q->exec() == 0) {
      return absl::NotFoundError(absl::StrCat("update appointment: no record ", appointment.id,
                                              " at office ", appointment.office_id));
    }
    return absl::OkStatus();
  });
}

absl::Status SqliteTransaction::UpdateAppointments(
    std::span<const domain::Appointment> appointments) {
  return WriteInChunks(
      "update appointments", appointments.size(),
      [&](std::size_t begin, std::size_t end) -> absl::Status {
        // Each row's change-feed event is read just before the row changes
        // (appointment_feed.h) and the chunk's events are written after its rows, in call
        // order, with multi-row INSERTs: a per-row INSERT ... SELECT cost each row a statement
        // journal, as the trigger did. Most bulk updates change only lifecycle columns (a
        // commit, an expiry batch): try the narrow UPDATE first, and the full one where it
        // matched no row.
        ChangeEventBuffer events;
        {
          StatementLease event = Prepare(AppointmentRowUpdateEventSelect());
          StatementLease narrow = Prepare(kUpdateAppointmentLifecycleSql);
          StatementLease q = Prepare(kUpdateAppointmentSql);
          for (const domain::Appointment& a : appointments.subspan(begin, end - begin)) {
            BindAppointment(*event, a);
            if (event->executeStep()) events.Add(*event);
            event->reset();
            BindAppointment(*narrow, a);
            int changed = narrow->exec();
            narrow->reset();
            if (changed == 0) {
              BindAppointment(*q, a);
              changed = q->exec();
              q->reset();
            }
            if (changed == 0) {
              return absl::NotFoundError(absl::StrCat("update appointments: no record ", a.id,
                                                      " at office ", a.office_id));
            }
          }
        }
        if (events.size() == 0) return absl::OkStatus();
        return InsertRows(
            ChangeEventBuffer::Shape(), 0, events.size(),
            [&](SQLite::Statement& q, std::size_t i, int base) { events.Bind(q, i, base); },
            [](const SQLite::Exception&, std::size_t) -> absl::Status { throw; });
      });
}

absl::Status SqliteTransaction::DeleteAppointment(const std::string& office_id,
                                                  const std::string& id) {
  return ExecExpectingRow("delete appointment", absl::StrCat(id, " at office ", office_id),
                          "DELETE FROM appointments WHERE office_id = ? AND id = ?",
                          [&](SQLite::Statement& q) {
                            q.bindNoCopy(1, office_id);
                            q.bindNoCopy(2, id);
                          });
}

absl::StatusOr<Page<domain::Appointment>> SqliteTransaction::ListAppointments(
    const AppointmentFilter& filter, const PageRequest& page) {
  return Guard("list appointments", [&]() -> absl::StatusOr<Page<domain::Appointment>> {
    SqlFilter where = AppointmentSqlFilter(filter);
    const bool by_slot = filter.FiltersSlots();
    return ReadPage<domain::Appointment>(
        connection_, AppointmentListing(by_slot), std::move(where), page, ReadAppointment,
        [by_slot](const domain::Appointment& a) { return AppointmentKeyOf(a, by_slot); });
  });
}

absl::StatusOr<std::int64_t> SqliteTransaction::CountAppointments(const AppointmentFilter& filter) {
  return Guard("count appointments", [&]() -> absl::StatusOr<std::int64_t> {
    const SqlFilter where = AppointmentSqlFilter(filter);
    StatementLease q = Prepare(absl::StrCat("SELECT COUNT(*) FROM appointments", where.Where()));
    where.Bind(*q);
    q->executeStep();
    return q->getColumn(0).getInt64();
  });
}

absl::Status SqliteTransaction::ScanAppointments(
    const AppointmentFilter& filter, const std::function<void(const domain::Appointment&)>& fn) {
  return Guard("scan appointments", [&]() -> absl::Status {
    const SqlFilter where = AppointmentSqlFilter(filter);
    StatementLease q = Prepare(absl::StrCat(
        "SELECT ", kAppointmentColumns, " FROM appointments", where.Where(),
        filter.FiltersSlots() ? absl::StrCat(" ORDER BY ", kSlotStart, ", id, office_id")
                              : std::string(" ORDER BY original_start, id, office_id")));
    where.Bind(*q);
    while (q->executeStep()) {
      REBOOK_ASSIGN_OR_RETURN(domain::Appointment a, ReadAppointment(*q));
      fn(a);
    }
    return absl::OkStatus();
  });
}

absl::StatusOr<std::int64_t> SqliteTransaction::SetAppointmentStatus(
    const AppointmentFilter& filter, domain::AppointmentStatus status, const std::string& outage_id,
    const std::string& status_reason, Instant update_time) {
  std::int64_t changed = 0;
  absl::Status s = WriteAtomically("set appointment status", [&]() -> absl::Status {
    const SqlFilter where = AppointmentSqlFilter(filter);
    // A slot stays only with its status (store.h).
    const bool keeps_rebooked = status == domain::AppointmentStatus::kConfirmed;
    const bool keeps_held = status == domain::AppointmentStatus::kOffered;
    const char* rebooked =
        keeps_rebooked
            ? ""
            : ", rebooked_office_id = NULL, rebooked_clerk_id = NULL, rebooked_start = NULL, "
              "rebooked_end = NULL, confirmed_via = NULL, confirm_time = NULL";
    const char* held = keeps_held
                           ? ""
                           : ", held_office_id = NULL, held_clerk_id = NULL, held_start = NULL, "
                             "held_end = NULL";
    StatementLease q = Prepare(absl::StrCat(
        "UPDATE appointments SET status = ?, outage_id = ?, status_reason = ?, update_time = ?",
        rebooked, held, where.Where()));
    // The change feed's events first, while the rows hold their old values
    // (appointment_feed.h), in the feed's order as PostgreSQL numbers them (change_feed_store.h).
    StatementLease event = Prepare(AppointmentUpdateEventsSql(
        [&](std::string_view column) -> std::string {
          if (column == "status") return "?1";
          if (column == "outage_id") return "?2";
          if (column == "update_time") return "?4";
          const bool rebooked_column = column.rfind("rebooked_", 0) == 0 ||
                                       column == "confirmed_via" || column == "confirm_time";
          if (rebooked_column && !keeps_rebooked) return "NULL";
          if (column.rfind("held_", 0) == 0 && !keeps_held) return "NULL";
          return "o." + std::string(column);
        },
        where.Where(), " ORDER BY o.original_start, o.id, o.office_id"));
    for (SQLite::Statement* s : {&*event, &*q}) {
      s->bindNoCopy(1, domain::ToString(status).data());  // a string literal (see model.cc)
      if (outage_id.empty()) {
        s->bind(2);
      } else {
        s->bindNoCopy(2, outage_id);
      }
      s->bind(4, ToUnixSeconds(update_time));
      where.Bind(*s, 5);
    }
    q->bindNoCopy(3, status_reason);
    event->exec();
    changed = q->exec();
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  return changed;
}

}  // namespace rebook::storage::sqlite_internal
