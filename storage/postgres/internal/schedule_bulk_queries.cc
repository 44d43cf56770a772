// PutShifts and PutStandingBookings: an import's thousands of shifts and standing bookings in a
// few statements. Each chunk of rows is one INSERT ... SELECT FROM unnest(<one array per
// column>) ON CONFLICT DO UPDATE: a fixed handful of parameters however many rows, so the
// statement is parsed and planned once per chunk, not once per row, and the whole call costs a
// round trip per chunk (measured with log_statement=all: one statement per record before).
#include <algorithm>
#include <cstdint>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
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

// Writes `records` (deduplicated) in chunks; `statement(chunk, params)` builds one chunk's SQL.
template <typename T, typename Statement>
void WriteInBulk(pqxx::dbtransaction& tx, std::span<const T> records, Statement statement) {
  const std::vector<std::size_t> keep = LastOfEachKey(records);
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
    WriteInBulk(tx, shifts, [](const std::vector<const domain::Shift*>& chunk, Params& p) {
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
    WriteInBulk(tx, bookings,
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
