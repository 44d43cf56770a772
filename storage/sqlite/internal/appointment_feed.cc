#include "storage/sqlite/internal/appointment_feed.h"

#include <string>
#include <string_view>
#include <vector>

#include "SQLiteCpp/Column.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "sqlite3.h"
#include "storage/sqlite/internal/appointment_rows.h"

namespace rebook::storage::sqlite_internal {
const char* const kChangeEventColumns =
    "epoch, change_time, office_id, appointment_id, outage_id, kind, status, service_id, cases, "
    "original_start, rebooked_office_id, rebooked_clerk_id, rebooked_start, rebooked_end, "
    "confirmed_via, confirm_time, held_office_id, held_clerk_id, held_start, held_end, "
    "offer_version, offer_state";

void ChangeEventBuffer::Add(SQLite::Statement& select) {
  for (int i = 0; i < kChangeEventColumnCount; ++i) {
    SQLite::Column c = select.getColumn(i);
    Cell& cell = cells_.emplace_back();
    cell.type = c.getType();
    if (cell.type == SQLITE_INTEGER) {
      cell.integer = c.getInt64();
    } else if (cell.type != SQLITE_NULL) {
      cell.text = c.getString();
    }
  }
}

void ChangeEventBuffer::Bind(SQLite::Statement& insert, std::size_t event, int base) const {
  for (int i = 0; i < kChangeEventColumnCount; ++i) {
    const Cell& cell = cells_[event * kChangeEventColumnCount + static_cast<std::size_t>(i)];
    if (cell.type == SQLITE_INTEGER) {
      insert.bind(base + i + 1, cell.integer);
    } else if (cell.type == SQLITE_NULL) {
      insert.bind(base + i + 1);
    } else {
      insert.bindNoCopy(base + i + 1, cell.text);
    }
  }
}

const MultiRowInsert& ChangeEventBuffer::Shape() {
  static const MultiRowInsert* shape = new MultiRowInsert(
      absl::StrCat("INSERT INTO change_events (", kChangeEventColumns, ") VALUES "),
      kChangeEventColumnCount, "");
  return *shape;
}

namespace {

// The appointment columns in kAppointmentColumns order: BindAppointment's parameters ?1..?32.
const std::vector<std::string>& AppointmentColumnList() {
  static const auto* columns =
      new std::vector<std::string>(absl::StrSplit(kAppointmentColumns, ", "));
  return *columns;
}

// Whether a change of `column` is an event (schema_step9.h): all but the key, the status reason
// and the create and update times.
bool IsFeedColumn(std::string_view column) {
  return column != "id" && column != "office_id" && column != "status_reason" &&
         column != "create_time" && column != "update_time";
}

}  // namespace

std::string AppointmentUpdateEventsSelect(
    const std::function<std::string(std::string_view column)>& new_value, std::string_view where,
    std::string_view order) {
  const auto n = [&](const char* column) { return new_value(column); };
  // Any of the four columns of a slot changed.
  const auto slot_moved = [&](const char* prefix, const char* office, const char* clerk) {
    const std::string start = absl::StrCat(prefix, "_start");
    const std::string end = absl::StrCat(prefix, "_end");
    return absl::StrCat("o.", office, " IS NOT ", n(office), " OR o.", clerk, " IS NOT ", n(clerk),
                        " OR o.", start, " IS NOT ", n(start.c_str()), " OR o.", end, " IS NOT ",
                        n(end.c_str()));
  };
  const std::string kind =
      absl::StrCat("CASE WHEN ", n("rebooked_start"), " IS NOT NULL AND (",
                   slot_moved("rebooked", "rebooked_office_id", "rebooked_clerk_id"),
                   ") THEN 'slot_confirmed' WHEN ", n("held_start"), " IS NOT NULL AND (",
                   slot_moved("held", "held_office_id", "held_clerk_id"),
                   ") THEN 'slot_held' WHEN (o.held_start IS NOT NULL AND ", n("held_start"),
                   " IS NULL) OR (o.rebooked_start IS NOT NULL AND ", n("rebooked_start"),
                   " IS NULL) THEN 'slot_released' WHEN o.status IS NOT ", n("status"),
                   " OR o.outage_id IS NOT ", n("outage_id"),
                   " THEN 'status_changed' ELSE 'appointment_updated' END");
  std::vector<std::string> changed;
  for (const std::string& column : AppointmentColumnList()) {
    if (IsFeedColumn(column)) {
      changed.push_back(absl::StrCat("o.", column, " IS NOT ", n(column.c_str())));
    }
  }
  // A released slot's event carries the slot freed: the old held one, else the old rebooked one.
  const auto held = [&](const char* suffix) {
    return absl::StrCat("CASE WHEN o.event_kind = 'slot_released' THEN IFNULL(o.held_", suffix,
                        ", o.rebooked_", suffix, ") ELSE ",
                        n(absl::StrCat("held_", suffix).c_str()), " END");
  };
  const std::string newest_offer =
      "FROM offers f WHERE f.appointment_id = o.id AND f.office_id = o.office_id "
      "ORDER BY f.version DESC LIMIT 1";
  // The inner query adds the event's kind to the row; the outer one (also `o`: the same
  // columns, so new_value's `o.` expressions mean the same in both) writes the event.
  return absl::StrCat(
      "SELECT (SELECT epoch FROM change_feed_epoch), ", n("update_time"),
      ", o.office_id, o.id, IFNULL(", n("outage_id"), ", ''), o.event_kind, ", n("status"), ", ",
      n("service_id"), ", ", n("cases"), ", ", n("original_start"), ", ", n("rebooked_office_id"),
      ", ", n("rebooked_clerk_id"), ", ", n("rebooked_start"), ", ", n("rebooked_end"), ", ",
      n("confirmed_via"), ", ", n("confirm_time"), ", ", held("office_id"), ", ", held("clerk_id"),
      ", ", held("start"), ", ", held("end"),
      ", CASE WHEN o.event_kind LIKE 'slot_%' THEN IFNULL((SELECT f.version ", newest_offer,
      "), 0) ELSE 0 END, CASE WHEN o.event_kind LIKE 'slot_%' THEN (SELECT f.state ", newest_offer,
      ") END FROM (SELECT o.*, ", kind, " AS event_kind FROM appointments o",
      where.empty() ? " WHERE (" : absl::StrCat(std::string(where), " AND ("),
      absl::StrJoin(changed, " OR "), ")) o", std::string(order));
}

std::string AppointmentUpdateEventsSql(
    const std::function<std::string(std::string_view column)>& new_value, std::string_view where,
    std::string_view order) {
  return absl::StrCat("INSERT INTO change_events (", kChangeEventColumns, ") ",
                      AppointmentUpdateEventsSelect(new_value, where, order));
}

const std::string& AppointmentRowUpdateEventSql() {
  static const std::string* sql = new std::string(absl::StrCat(
      "INSERT INTO change_events (", kChangeEventColumns, ") ", AppointmentRowUpdateEventSelect()));
  return *sql;
}

const std::string& AppointmentRowUpdateEventSelect() {
  static const std::string* sql = new std::string(AppointmentUpdateEventsSelect(
      [](std::string_view column) -> std::string {
        const std::vector<std::string>& bound = AppointmentColumnList();
        for (std::size_t i = 0; i < bound.size(); ++i) {
          if (column == bound[i]) return absl::StrCat("?", i + 1);
        }
        return "o." + std::string(column);  // not reached: every column is bound
      },
      " WHERE o.office_id = ?2 AND o.id = ?1", ""));
  return *sql;
}

}  // namespace rebook::storage::sqlite_internal
