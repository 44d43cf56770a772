// InsertAppointments: an import's appointments in a few statements, in the change feed's order
// (InFeedOrder, as SQLite inserts them). Each chunk of rows is one
// INSERT ... SELECT FROM unnest(<one array per column>) ON CONFLICT DO NOTHING RETURNING the
// keys written: 32 parameters however many rows, so PostgreSQL parses and plans a short
// statement per chunk. Before, a chunk of 1,000 rows was a VALUES list of 32,000 parameters,
// and parsing it was ~6 % of the server's CPU in a region import (bench/postgres ingest).
//
// Every array is sent as text[] (NULL elements for missing values) and cast per column in the
// SELECT; an appointment's allowed offices travel as one text[] literal and its unavailable
// times as one JSON text, each cast back by the SELECT.
#include <algorithm>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "storage/postgres/internal/pg_transaction.h"

namespace rebook::storage::postgres_internal {
namespace {

// Rows per statement: round trips do not count, and one statement's arrays stay a few MB.
constexpr std::size_t kInsertRows = 5000;

// A column, as the INSERT names it, and the SELECT expression over the unnested text value `v`.
struct Column {
  const char* name;
  const char* select;  // "%" stands for the unnested column
};

constexpr Column kColumns[] = {
    {"office_id", "%"},
    {"id", "%"},
    {"service_id", "%"},
    {"original_start", "to_timestamp(%::bigint)"},
    {"earliest_start", "to_timestamp(%::bigint)"},
    {"deadline", "to_timestamp(%::bigint)"},
    {"priority", "%::integer"},
    {"cases", "%::integer"},
    {"allowed_offices", "%::text[]"},
    {"unavailable", "%::jsonb"},
    {"kind", "%"},
    {"contact_name", "%"},
    {"contact_phone", "%"},
    {"contact_email", "%"},
    {"contact_postal_address", "%"},
    {"contact_language", "%"},
    {"contact_channel", "%"},
    {"status", "%"},
    {"outage_id", "%"},
    {"status_reason", "%"},
    {"create_time", "to_timestamp(%::bigint)"},
    {"update_time", "to_timestamp(%::bigint)"},
    {"rebooked_office_id", "%"},
    {"rebooked_clerk_id", "%"},
    {"rebooked_start", "to_timestamp(%::bigint)"},
    {"rebooked_end", "to_timestamp(%::bigint)"},
    {"confirmed_via", "%"},
    {"confirm_time", "to_timestamp(%::bigint)"},
    {"held_office_id", "%"},
    {"held_clerk_id", "%"},
    {"held_start", "to_timestamp(%::bigint)"},
    {"held_end", "to_timestamp(%::bigint)"},
};
constexpr std::size_t kColumnCount = std::size(kColumns);

// The text of a PostgreSQL array literal, built one element at a time.
class ArrayLiteral {
 public:
  ArrayLiteral() : text_("{") {}
  void Add(std::string_view value) {
    Separate();
    text_.push_back('"');
    for (char c : value) {
      if (c == '"' || c == '\\') text_.push_back('\\');
      text_.push_back(c);
    }
    text_.push_back('"');
  }
  void Add(std::int64_t value) {
    Separate();
    absl::StrAppend(&text_, value);
  }
  void Add(Instant t) { Add(UnixSeconds(t)); }
  void Add(const std::optional<Instant>& t) { t ? Add(*t) : AddNull(); }
  void AddNull() {
    Separate();
    text_.append("NULL");
  }
  std::string Finish() && { return std::move(text_) + "}"; }

 private:
  void Separate() {
    if (text_.size() > 1) text_.push_back(',');
  }
  std::string text_;
};

// Office, clerk, start and end of a slot into columns[first..first+3]; NULL without one.
void AddSlot(ArrayLiteral* columns, const domain::ScheduledSlot* slot) {
  if (slot == nullptr) {
    for (int i = 0; i < 4; ++i) columns[i].AddNull();
    return;
  }
  columns[0].Add(slot->office_id);
  columns[1].Add(slot->clerk_id);
  columns[2].Add(slot->time.start);
  columns[3].Add(slot->time.end);
}

// One appointment as one element of each column, in kColumns order. A slot is stored only
// with its status (store.h).
void AddRow(std::vector<ArrayLiteral>& c, const domain::Appointment& a) {
  c[0].Add(a.office_id);
  c[1].Add(a.id);
  c[2].Add(a.service_id);
  c[3].Add(a.original_start);
  c[4].Add(a.earliest_start);
  c[5].Add(a.deadline);
  c[6].Add(std::int64_t{a.priority});
  c[7].Add(std::int64_t{a.cases});
  c[8].Add(TextArrayLiteral(a.allowed_offices));
  c[9].Add(IntervalsJson(a.unavailable));
  c[10].Add(domain::ToString(a.kind));
  c[11].Add(a.contact.name);
  c[12].Add(a.contact.phone);
  c[13].Add(a.contact.email);
  c[14].Add(a.contact.postal_address);
  c[15].Add(a.contact.language);
  c[16].Add(a.contact.channel);
  c[17].Add(domain::ToString(a.status));
  a.outage_id.empty() ? c[18].AddNull() : c[18].Add(a.outage_id);
  c[19].Add(a.status_reason);
  c[20].Add(a.create_time);
  c[21].Add(a.update_time);
  const domain::RebookedSlot* rebooked =
      a.status == domain::AppointmentStatus::kConfirmed && a.rebooked_slot ? &*a.rebooked_slot
                                                                           : nullptr;
  AddSlot(&c[22], rebooked != nullptr ? &rebooked->slot : nullptr);
  if (rebooked != nullptr) {
    c[26].Add(domain::ToString(rebooked->confirmed_via));
    c[27].Add(rebooked->confirm_time);
  } else {
    c[26].AddNull();
    c[27].AddNull();
  }
  const domain::ScheduledSlot* held =
      a.status == domain::AppointmentStatus::kOffered && a.held_slot ? &*a.held_slot : nullptr;
  AddSlot(&c[28], held);
}

// "INSERT INTO appointments (<columns>) SELECT <casts> FROM unnest($1::text[], ...) AS v(...)
// ON CONFLICT ... RETURNING office_id, id", with the chunk's arrays as parameters.
std::string InsertStatement(Params& p, std::vector<ArrayLiteral> columns) {
  std::vector<std::string> names, selects, arrays, aliases;
  for (std::size_t i = 0; i < kColumnCount; ++i) {
    const std::string alias = absl::StrCat("c", i);
    names.emplace_back(kColumns[i].name);
    std::string select;
    for (const char* s = kColumns[i].select; *s != '\0'; ++s) {
      if (*s == '%') {
        absl::StrAppend(&select, "v.", alias);
      } else {
        select.push_back(*s);
      }
    }
    selects.push_back(std::move(select));
    arrays.push_back(absl::StrCat(p.Add(std::move(columns[i]).Finish()), "::text[]"));
    aliases.push_back(alias);
  }
  return absl::StrCat("INSERT INTO appointments (", absl::StrJoin(names, ", "), ") SELECT ",
                      absl::StrJoin(selects, ", "), " FROM unnest(", absl::StrJoin(arrays, ", "),
                      ") AS v(", absl::StrJoin(aliases, ", "),
                      ") ON CONFLICT (office_id, id) DO NOTHING RETURNING office_id, id");
}

}  // namespace

absl::Status PgTransaction::InsertAppointments(std::span<const domain::Appointment> appointments) {
  CountNextWrite("appointments", appointments.size());
  return WriteAtomically("insert appointments", [&](pqxx::dbtransaction& tx) -> absl::Status {
    const std::vector<const domain::Appointment*> ordered = InFeedOrder(appointments);
    for (std::size_t begin = 0; begin < ordered.size(); begin += kInsertRows) {
      const std::size_t end = std::min(ordered.size(), begin + kInsertRows);
      std::vector<ArrayLiteral> columns(kColumnCount);
      for (std::size_t i = begin; i < end; ++i) AddRow(columns, *ordered[i]);
      Params p;
      const std::string sql = InsertStatement(p, std::move(columns));
      // ON CONFLICT DO NOTHING RETURNING tells which one existed (or came twice), to name it.
      const pqxx::result inserted = p.Exec(tx, sql);
      if (inserted.size() == end - begin) continue;
      std::set<std::pair<std::string, std::string>> fresh;
      for (const pqxx::row& row : inserted) fresh.emplace(Str(row[0]), Str(row[1]));
      for (std::size_t i = begin; i < end; ++i) {
        const domain::Appointment& a = *ordered[i];
        if (!fresh.erase({a.office_id, a.id})) {
          return absl::AlreadyExistsError(
              absl::StrCat("appointment ", a.id, " of office ", a.office_id, " already exists"));
        }
      }
    }
    return absl::OkStatus();
  });
}

}  // namespace rebook::storage::postgres_internal
