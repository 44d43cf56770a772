// PutShifts and PutStandingBookings: an import's thousands of shifts and standing bookings in a
// few statements.
//
// When the table holds no row of the records' offices yet (a first import), no record can meet
// an existing key and they go in one COPY (copy_rows.h), the server's cheapest path. Otherwise,
// or if that COPY violates a constraint, each chunk of rows is one INSERT ... SELECT FROM
// unnest(<one array per column>) ON CONFLICT DO UPDATE: a fixed handful of parameters however many
// rows, so the statement is parsed and planned once per chunk, not once per row, and the whole call
// costs a round trip per chunk (measured with log_statement=all: one statement per record
// before).
#include <algorithm>
#include <cstdint>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "storage/postgres/internal/copy_rows.h"
#include "storage/postgres/internal/pg_transaction.h"

namespace rebook::storage::postgres_internal {
namespace {

// Rows per statement: large enough that round trips do not count, small enough that one
// statement's arrays stay a few hundred kilobytes.
constexpr std::size_t kScheduleBulkRows = 5000;

// The indexes of `records` to write, in order: the last record of each (office_id, id) key,
// since one INSERT ... ON CONFLICT DO UPDATE may not touch a row twice.
template <typename T>
std::vector<std::size_t> LastOfEachKey(std::span<const T> records) {
  std::set<std::pair<std::string_view, std::string_view>> seen;
  std::vector<std::size_t> keep;
  keep.reserve(records.size());
  for (std::size_t i = records.size(); i-- > 0;) {
    if (seen.emplace(records[i].office_id, records[i].id).second) keep.push_back(i);
  }
  return {keep.rbegin(), keep.rend()};
}

// The columns every record has: office, id, clerk, start and end.
struct ScheduleColumns {
  std::vector<std::string> office_ids, ids, clerk_ids;
  std::vector<std::int64_t> starts, ends;

  template <typename T>
  void Add(const T& r) {
    office_ids.push_back(r.office_id);
    ids.push_back(r.id);
    clerk_ids.push_back(r.clerk_id);
    starts.push_back(UnixSeconds(r.time.start));
    ends.push_back(UnixSeconds(r.time.end));
  }
  // "unnest($1::text[], ..., $5::bigint[]" (the caller adds its own arrays and the alias).
  std::string Unnest(Params& p) const {
    return absl::StrCat("unnest(", p.AddTextArray(office_ids), ", ", p.AddTextArray(ids), ", ",
                        p.AddTextArray(clerk_ids), ", ", p.AddBigintArray(starts), ", ",
                        p.AddBigintArray(ends));
  }
};

// True if `table` holds no row of any office of `records`.
template <typename T>
bool NoRowsOfTheirOffices(pqxx::dbtransaction& tx, const char* table, std::span<const T> records) {
  std::set<std::string_view> offices;
  for (const T& r : records) offices.insert(r.office_id);
  Params p;
  const std::string list = p.AddTextArray(std::vector<std::string>(offices.begin(), offices.end()));
  const pqxx::result any = p.Exec(tx, absl::StrCat("SELECT EXISTS (SELECT 1 FROM ", table,
                                                   " WHERE office_id = ANY(", list, "))"));
  return !any[0][0].as<bool>();
}

// Writes `records` (deduplicated): in one COPY of `columns` (`row(copy, record)` writes a
// record's fields) when the table has no row of their offices, else, or if that COPY fails on a
// row, in chunks of `statement(chunk, params)`, which builds one chunk's upsert.
template <typename T, typename Row, typename Statement>
void WriteInBulk(pqxx::dbtransaction& tx, const char* table,
                 const std::vector<std::string>& columns, std::span<const T> records, Row row,
                 Statement statement) {
  const std::vector<std::size_t> keep = LastOfEachKey(records);
  // A violated constraint (an unknown office or clerk, a key written since the check): the
  // upsert below writes or reports it as before.
  if (NoRowsOfTheirOffices(tx, table, records) && CopyOrRollBack(tx, [&] {
        CopyRows copy(tx, table, columns);
        for (std::size_t i : keep) {
          row(copy, records[i]);
          copy.EndRow();
        }
        copy.Finish();
      })) {
    return;
  }
  for (std::size_t begin = 0; begin < keep.size(); begin += kScheduleBulkRows) {
    const std::size_t end = std::min(keep.size(), begin + kScheduleBulkRows);
    std::vector<const T*> chunk;
    chunk.reserve(end - begin);
    for (std::size_t i = begin; i < end; ++i) chunk.push_back(&records[keep[i]]);
    Params p;
    const std::string sql = statement(chunk, p);
    p.Exec(tx, sql);
  }
}

}  // namespace

absl::Status PgTransaction::PutShifts(std::span<const domain::Shift> shifts) {
  if (shifts.empty()) return CheckWritable("put shifts");
  CountNextWrite("shifts", shifts.size());
  return WriteAtomically("put shifts", [&](pqxx::dbtransaction& tx) -> absl::Status {
    WriteInBulk(
        tx, "shifts", {"office_id", "id", "clerk_id", "start_time", "end_time", "kind"}, shifts,
        [](CopyRows& copy, const domain::Shift& s) {
          copy.Text(s.office_id).Text(s.id).Text(s.clerk_id).Time(s.time.start).Time(s.time.end);
          copy.Text(domain::ToString(s.kind));
        },
        [](const std::vector<const domain::Shift*>& chunk, Params& p) {
          ScheduleColumns columns;
          std::vector<std::string> kinds;
          for (const domain::Shift* s : chunk) {
            columns.Add(*s);
            kinds.emplace_back(domain::ToString(s->kind));
          }
          const std::string unnest = columns.Unnest(p);
          return absl::StrCat(
              "INSERT INTO shifts (office_id, id, clerk_id, start_time, end_time, kind) "
              "SELECT o, i, c, to_timestamp(s), to_timestamp(e), k FROM ",
              unnest, ", ", p.AddTextArray(kinds),
              ") AS r (o, i, c, s, e, k) ON CONFLICT (office_id, id) DO UPDATE SET "
              "clerk_id = excluded.clerk_id, start_time = excluded.start_time, "
              "end_time = excluded.end_time, kind = excluded.kind");
        });
    return absl::OkStatus();
  });
}

absl::Status PgTransaction::PutStandingBookings(std::span<const domain::StandingBooking> bookings) {
  if (bookings.empty()) return CheckWritable("put standing bookings");
  CountNextWrite("standing_bookings", bookings.size());
  return WriteAtomically("put standing bookings", [&](pqxx::dbtransaction& tx) -> absl::Status {
    WriteInBulk(
        tx, "standing_bookings", {"office_id", "id", "clerk_id", "start_time", "end_time"},
        bookings,
        [](CopyRows& copy, const domain::StandingBooking& b) {
          copy.Text(b.office_id).Text(b.id).Text(b.clerk_id).Time(b.time.start).Time(b.time.end);
        },
        [](const std::vector<const domain::StandingBooking*>& chunk, Params& p) {
          ScheduleColumns columns;
          for (const domain::StandingBooking* b : chunk) columns.Add(*b);
          return absl::StrCat(
              "INSERT INTO standing_bookings (office_id, id, clerk_id, start_time, "
              "end_time) SELECT o, i, c, to_timestamp(s), to_timestamp(e) FROM ",
              columns.Unnest(p),
              ") AS r (o, i, c, s, e) ON CONFLICT (office_id, id) DO UPDATE SET "
              "clerk_id = excluded.clerk_id, start_time = excluded.start_time, "
              "end_time = excluded.end_time");
        });
    return absl::OkStatus();
  });
}

}  // namespace rebook::storage::postgres_internal
