// Shifts, closures and standing bookings: records keyed within an office. Shifts and bookings
// are listed in (office_id, id) order and share ShiftFilter.
#include "absl/strings/str_cat.h"
#include "services/common/status_macros.h"
#include "storage/sqlite/internal/paged_query.h"
#include "storage/sqlite/internal/row_codec.h"
#include "storage/sqlite/internal/sqlite_transaction.h"

namespace rebook::storage::sqlite_internal {
namespace {

constexpr const char* kShiftColumns = "office_id, id, clerk_id, start_time, end_time, kind";
constexpr const char* kBookingColumns = "office_id, id, clerk_id, start_time, end_time";
constexpr const char* kClosureColumns = "office_id, date, reason";
constexpr const char* kPutShiftSql =
    "INSERT INTO shifts (office_id, id, clerk_id, start_time, end_time, kind) "
    "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (office_id, id) DO UPDATE SET "
    "clerk_id = excluded.clerk_id, start_time = excluded.start_time, "
    "end_time = excluded.end_time, kind = excluded.kind";
constexpr const char* kPutBookingSql =
    "INSERT INTO standing_bookings (office_id, id, clerk_id, start_time, end_time) "
    "VALUES (?, ?, ?, ?, ?) ON CONFLICT (office_id, id) DO UPDATE SET "
    "clerk_id = excluded.clerk_id, start_time = excluded.start_time, "
    "end_time = excluded.end_time";

absl::StatusOr<domain::Shift> ReadShift(SQLite::Statement& q) {
  domain::Shift s;
  s.office_id = q.getColumn(0).getString();
  s.id = q.getColumn(1).getString();
  s.clerk_id = q.getColumn(2).getString();
  s.time = {FromUnixSeconds(q.getColumn(3).getInt64()), FromUnixSeconds(q.getColumn(4).getInt64())};
  REBOOK_ASSIGN_OR_RETURN(s.kind, DecodeShiftKind(q.getColumn(5).getText()));
  return s;
}

absl::StatusOr<domain::Closure> ReadClosure(SQLite::Statement& q) {
  domain::Closure c;
  c.office_id = q.getColumn(0).getString();
  REBOOK_ASSIGN_OR_RETURN(c.date, DecodeDate(q.getColumn(1).getText()));
  c.reason = q.getColumn(2).getString();
  return c;
}

absl::StatusOr<domain::StandingBooking> ReadBooking(SQLite::Statement& q) {
  domain::StandingBooking b;
  b.office_id = q.getColumn(0).getString();
  b.id = q.getColumn(1).getString();
  b.clerk_id = q.getColumn(2).getString();
  b.time = {FromUnixSeconds(q.getColumn(3).getInt64()), FromUnixSeconds(q.getColumn(4).getInt64())};
  return b;
}

// One page of `table` (shifts or standing_bookings) in (office_id, id) order.
template <typename T, typename ReadRow>
absl::StatusOr<Page<T>> ListByOfficeAndId(Connection& connection, const char* table,
                                          const char* columns, SqlFilter where,
                                          const PageRequest& page, ReadRow read) {
  const PagedQuery query = {.listing = table,
                            .select = absl::StrCat("SELECT ", columns, " FROM ", table),
                            .key = {{"office_id", KeyType::kText}, {"id", KeyType::kText}}};
  return ReadPage<T>(connection, query, std::move(where), page, read, [](const T& row) {
    return PageKey{row.office_id, row.id};
  });
}

}  // namespace

SqlFilter SqliteTransaction::ShiftSqlFilter(const ShiftFilter& filter) {
  SqlFilter where;
  if (filter.office_ids) where.AddIn("office_id", *filter.office_ids);
  if (filter.clerk_id) where.Add("clerk_id = ?", {*filter.clerk_id});
  if (filter.clerk_ids) where.AddIn("clerk_id", *filter.clerk_ids);
  if (filter.overlapping) {
    where.Add("start_time < ? AND end_time > ?",
              {ToUnixSeconds(filter.overlapping->end), ToUnixSeconds(filter.overlapping->start)});
  }
  return where;
}

absl::StatusOr<domain::Shift> SqliteTransaction::GetShift(const std::string& office_id,
                                                          const std::string& id) {
  return Guard("get shift", [&]() -> absl::StatusOr<domain::Shift> {
    StatementLease q = Prepare(
        absl::StrCat("SELECT ", kShiftColumns, " FROM shifts WHERE office_id = ? AND id = ?"));
    q->bindNoCopy(1, office_id);
    q->bindNoCopy(2, id);
    if (!q->executeStep()) {
      return absl::NotFoundError(absl::StrCat("no shift ", id, " at office ", office_id));
    }
    return ReadShift(*q);
  });
}

absl::StatusOr<Page<domain::Shift>> SqliteTransaction::ListShifts(const ShiftFilter& filter,
                                                                  const PageRequest& page) {
  return Guard("list shifts", [&] {
    return ListByOfficeAndId<domain::Shift>(connection_, "shifts", kShiftColumns,
                                            ShiftSqlFilter(filter), page, ReadShift);
  });
}

absl::Status SqliteTransaction::PutShift(const domain::Shift& shift) {
  return PutShifts({&shift, 1});
}

absl::Status SqliteTransaction::PutShifts(std::span<const domain::Shift> shifts) {
  if (shifts.empty()) return CheckWritable("put shifts");
  return WriteInChunks("put shifts", shifts.size(), [&](std::size_t begin, std::size_t end) {
    StatementLease q = Prepare(kPutShiftSql);
    for (std::size_t i = begin; i < end; ++i) {
      const domain::Shift& shift = shifts[i];
      q->bindNoCopy(1, shift.office_id);
      q->bindNoCopy(2, shift.id);
      q->bindNoCopy(3, shift.clerk_id);
      q->bind(4, ToUnixSeconds(shift.time.start));
      q->bind(5, ToUnixSeconds(shift.time.end));
      q->bind(6, std::string(domain::ToString(shift.kind)));
      q->exec();
      q->reset();
    }
    return absl::OkStatus();
  });
}

absl::Status SqliteTransaction::DeleteShift(const std::string& office_id, const std::string& id) {
  return ExecExpectingRow("delete shift", absl::StrCat(office_id, "/", id),
                          "DELETE FROM shifts WHERE office_id = ? AND id = ?",
                          [&](SQLite::Statement& q) {
                            q.bindNoCopy(1, office_id);
                            q.bindNoCopy(2, id);
                          });
}

absl::StatusOr<std::vector<domain::Closure>> SqliteTransaction::ListClosures(
    const std::optional<std::vector<std::string>>& office_ids) {
  return Guard("list closures", [&]() -> absl::StatusOr<std::vector<domain::Closure>> {
    SqlFilter where;
    if (office_ids) where.AddIn("office_id", *office_ids);
    StatementLease q = Prepare(absl::StrCat("SELECT ", kClosureColumns, " FROM closures",
                                            where.Where(), " ORDER BY office_id, date"));
    where.Bind(*q);
    std::vector<domain::Closure> closures;
    while (q->executeStep()) {
      REBOOK_ASSIGN_OR_RETURN(closures.emplace_back(), ReadClosure(*q));
    }
    return closures;
  });
}

absl::StatusOr<Page<domain::Closure>> SqliteTransaction::ListClosures(
    const std::optional<std::vector<std::string>>& office_ids, const PageRequest& page) {
  return Guard("list closures", [&] {
    SqlFilter where;
    if (office_ids) where.AddIn("office_id", *office_ids);
    const PagedQuery query = {.listing = "closures",
                              .select = absl::StrCat("SELECT ", kClosureColumns, " FROM closures"),
                              .key = {{"office_id", KeyType::kText}, {"date", KeyType::kText}}};
    return ReadPage<domain::Closure>(connection_, query, std::move(where), page, ReadClosure,
                                     [](const domain::Closure& c) {
                                       return PageKey{c.office_id, EncodeDate(c.date)};
                                     });
  });
}

absl::Status SqliteTransaction::PutClosure(const domain::Closure& closure) {
  return WriteAtomically("put closure", [&]() -> absl::Status {
    StatementLease q = Prepare(
        "INSERT INTO closures (office_id, date, reason) VALUES (?, ?, ?) "
        "ON CONFLICT (office_id, date) DO UPDATE SET reason = excluded.reason");
    q->bindNoCopy(1, closure.office_id);
    q->bind(2, EncodeDate(closure.date));
    q->bindNoCopy(3, closure.reason);
    q->exec();
    return absl::OkStatus();
  });
}

absl::Status SqliteTransaction::DeleteClosure(const std::string& office_id,
                                              domain::LocalDate date) {
  const std::string day = EncodeDate(date);
  return ExecExpectingRow("delete closure", absl::StrCat(office_id, "/", day),
                          "DELETE FROM closures WHERE office_id = ? AND date = ?",
                          [&](SQLite::Statement& q) {
                            q.bindNoCopy(1, office_id);
                            q.bindNoCopy(2, day);
                          });
}

absl::StatusOr<domain::StandingBooking> SqliteTransaction::GetStandingBooking(
    const std::string& office_id, const std::string& id) {
  return Guard("get standing booking", [&]() -> absl::StatusOr<domain::StandingBooking> {
    StatementLease q = Prepare(absl::StrCat(
        "SELECT ", kBookingColumns, " FROM standing_bookings WHERE office_id = ? AND id = ?"));
    q->bindNoCopy(1, office_id);
    q->bindNoCopy(2, id);
    if (!q->executeStep()) {
      return absl::NotFoundError(
          absl::StrCat("no standing booking ", id, " at office '", office_id, "'"));
    }
    return ReadBooking(*q);
  });
}

absl::StatusOr<Page<domain::StandingBooking>> SqliteTransaction::ListStandingBookings(
    const ShiftFilter& filter, const PageRequest& page) {
  return Guard("list standing bookings", [&] {
    return ListByOfficeAndId<domain::StandingBooking>(connection_, "standing_bookings",
                                                      kBookingColumns, ShiftSqlFilter(filter), page,
                                                      ReadBooking);
  });
}

absl::Status SqliteTransaction::PutStandingBooking(const domain::StandingBooking& booking) {
  return PutStandingBookings({&booking, 1});
}

absl::Status SqliteTransaction::PutStandingBookings(
    std::span<const domain::StandingBooking> bookings) {
  if (bookings.empty()) return CheckWritable("put standing bookings");
  return WriteInChunks("put standing bookings", bookings.size(),
                       [&](std::size_t begin, std::size_t end) {
                         StatementLease q = Prepare(kPutBookingSql);
                         for (std::size_t i = begin; i < end; ++i) {
                           const domain::StandingBooking& booking = bookings[i];
                           q->bindNoCopy(1, booking.office_id);
                           q->bindNoCopy(2, booking.id);
                           q->bindNoCopy(3, booking.clerk_id);
                           q->bind(4, ToUnixSeconds(booking.time.start));
                           q->bind(5, ToUnixSeconds(booking.time.end));
                           q->exec();
                           q->reset();
                         }
                         return absl::OkStatus();
                       });
}

absl::Status SqliteTransaction::DeleteStandingBooking(const std::string& office_id,
                                                      const std::string& id) {
  return ExecExpectingRow("delete standing booking", absl::StrCat(office_id, "/", id),
                          "DELETE FROM standing_bookings WHERE office_id = ? AND id = ?",
                          [&](SQLite::Statement& q) {
                            q.bindNoCopy(1, office_id);
                            q.bindNoCopy(2, id);
                          });
}

}  // namespace rebook::storage::sqlite_internal
