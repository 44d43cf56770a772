// Offices, services, clerks (with their skills), shifts, closures, standing bookings and
// outages (with their offices): records keyed by id or (office_id, id), listed in key order.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "services/domain/local_time.h"
#include "storage/postgres/internal/pg_transaction.h"

namespace rebook::storage::postgres_internal {
namespace {

const std::string kOfficeSelect =
    "SELECT id, name, state, time_zone, address, offer_ttl_s FROM offices";
const std::string kServiceSelect = "SELECT id, name, category, duration_min FROM services";
// Skills come along as one JSON array, in the clerk's order.
const std::string kClerkSelect =
    "SELECT id, name, home_office_id, (SELECT COALESCE(json_agg(service_id ORDER BY position), "
    "'[]') FROM clerk_skills WHERE clerk_id = clerks.id)::text FROM clerks";
const std::string kShiftSelect = absl::StrCat("SELECT office_id, id, clerk_id, ", Ts("start_time"),
                                              ", ", Ts("end_time"), ", kind FROM shifts");
const std::string kBookingSelect =
    absl::StrCat("SELECT office_id, id, clerk_id, ", Ts("start_time"), ", ", Ts("end_time"),
                 " FROM standing_bookings");
const std::string kClosureSelect = "SELECT office_id, date::text, reason FROM closures";
const std::string kOutageSelect = absl::StrCat(
    "SELECT id, ", Ts("window_start"), ", ", Ts("window_end"), ", cause, state, ",
    Ts("declare_time"), ", ", Ts("close_time"),
    ", close_reason, cancelled_appointments, (SELECT COALESCE(json_agg(office_id ORDER BY "
    "position), '[]') FROM outage_offices WHERE outage_id = outages.id)::text FROM outages");

absl::StatusOr<domain::Office> ReadOffice(const pqxx::row& r) {
  return domain::Office{.id = Str(r[0]),
                        .name = Str(r[1]),
                        .state = Str(r[2]),
                        .time_zone = Str(r[3]),
                        .address = Str(r[4]),
                        .offer_ttl = std::chrono::seconds(Int(r[5]))};
}

absl::StatusOr<domain::Service> ReadService(const pqxx::row& r) {
  domain::Service s{.id = Str(r[0]), .name = Str(r[1])};
  REBOOK_ASSIGN_OR_RETURN(s.category,
                          Decode(domain::ParseServiceCategory(Str(r[2])), "category", r[2]));
  s.duration_min = static_cast<int>(Int(r[3]));
  return s;
}

absl::StatusOr<domain::Clerk> ReadClerk(const pqxx::row& r) {
  domain::Clerk c{.id = Str(r[0]), .name = Str(r[1])};
  c.home_office_id = Str(r[2]);
  REBOOK_ASSIGN_OR_RETURN(c.skills, JsonStrings(r[3]));
  return c;
}

absl::StatusOr<domain::Shift> ReadShift(const pqxx::row& r) {
  domain::Shift s{.id = Str(r[1]), .clerk_id = Str(r[2]), .office_id = Str(r[0])};
  s.time = {Time(r[3]), Time(r[4])};
  REBOOK_ASSIGN_OR_RETURN(s.kind, Decode(domain::ParseShiftKind(Str(r[5])), "shift kind", r[5]));
  return s;
}

absl::StatusOr<domain::StandingBooking> ReadBooking(const pqxx::row& r) {
  return domain::StandingBooking{.id = Str(r[1]),
                                 .clerk_id = Str(r[2]),
                                 .office_id = Str(r[0]),
                                 .time = {Time(r[3]), Time(r[4])}};
}

absl::StatusOr<domain::Closure> ReadClosure(const pqxx::row& r) {
  domain::Closure c{.office_id = Str(r[0])};
  absl::StatusOr<domain::LocalDate> date = domain::ParseLocalDate(Str(r[1]));
  if (!date.ok()) return absl::InternalError(absl::StrCat("corrupt date column: ", Str(r[1])));
  c.date = *date;
  c.reason = Str(r[2]);
  return c;
}

std::optional<domain::OutageState> ParseOutageState(const std::string& s) {
  for (domain::OutageState state : {domain::OutageState::kActive, domain::OutageState::kClosed}) {
    if (s == domain::ToString(state)) return state;
  }
  return std::nullopt;
}

absl::StatusOr<domain::Outage> ReadOutage(const pqxx::row& r) {
  domain::Outage o{.id = Str(r[0])};
  o.window = {Time(r[1]), Time(r[2])};
  o.cause = Str(r[3]);
  REBOOK_ASSIGN_OR_RETURN(o.state, Decode(ParseOutageState(Str(r[4])), "outage state", r[4]));
  o.declare_time = Time(r[5]);
  o.close_time = OptTime(r[6]);
  o.close_reason = Str(r[7]);
  o.cancelled_appointments = Int(r[8]);
  REBOOK_ASSIGN_OR_RETURN(o.office_ids, JsonStrings(r[9]));
  return o;
}

template <typename T>
PageKey IdKey(const T& row) {
  return {row.id};
}
template <typename T>
PageKey OfficeAndIdKey(const T& row) {
  return {row.office_id, row.id};
}

// The one row of `select` WHERE `where` (with `p`), or NOT_FOUND with `missing`.
template <typename T, typename ReadRow>
absl::StatusOr<T> GetOne(pqxx::dbtransaction& tx, const std::string& select,
                         const std::string& where, const Params& p, ReadRow read,
                         const std::string& missing) {
  const pqxx::result r = p.Exec(tx, absl::StrCat(select, " WHERE ", where));
  if (r.empty()) return absl::NotFoundError(missing);
  return read(r[0]);
}

// Replaces the child rows (owner, position, value) of `owner` in `table`.
void ReplaceChildren(pqxx::dbtransaction& tx, const char* table, const char* owner_column,
                     const char* value_column, const std::string& owner,
                     const std::vector<std::string>& values) {
  tx.exec_params(absl::StrCat("DELETE FROM ", table, " WHERE ", owner_column, " = $1"), owner);
  if (values.empty()) return;
  tx.exec_params(
      absl::StrCat("INSERT INTO ", table, " (", owner_column, ", position, ", value_column,
                   ") SELECT $1, v.ordinality - 1, v.value FROM "
                   "unnest($2::text[]) WITH ORDINALITY AS v(value, ordinality)"),
      owner, TextArrayLiteral(values));
}

}  // namespace

Filter PgTransaction::ShiftFilterSql(const ShiftFilter& filter) {
  Filter where;
  if (filter.office_ids) where.AddIn("office_id", *filter.office_ids);
  if (filter.clerk_id) where.Add(absl::StrCat("clerk_id = ", where.params.Add(*filter.clerk_id)));
  if (filter.clerk_ids) where.AddIn("clerk_id", *filter.clerk_ids);
  if (filter.overlapping) {
    where.Add(absl::StrCat("start_time < ", where.params.AddInstant(filter.overlapping->end),
                           " AND end_time > ", where.params.AddInstant(filter.overlapping->start)));
  }
  return where;
}

absl::StatusOr<domain::Office> PgTransaction::GetOffice(const std::string& id) {
  return Guard("get office", [&](pqxx::dbtransaction& tx) -> absl::StatusOr<domain::Office> {
    Params p;
    const std::string where = absl::StrCat("id = ", p.Add(id));
    return GetOne<domain::Office>(tx, kOfficeSelect, where, p, ReadOffice,
                                  absl::StrCat("no office ", id));
  });
}

absl::StatusOr<Page<domain::Office>> PgTransaction::ListOffices(const PageRequest& page) {
  return Guard("list offices", [&](pqxx::dbtransaction& tx) {
    static const PagedQuery* query =
        new PagedQuery{"offices", kOfficeSelect, {{"id", KeyType::kText}}};
    return ReadPage<domain::Office>(tx, *query, Filter(), page, ReadOffice, IdKey<domain::Office>);
  });
}

absl::Status PgTransaction::PutOffice(const domain::Office& o) {
  return WriteAtomically("put office", [&](pqxx::dbtransaction& tx) -> absl::Status {
    tx.exec_params(
        "INSERT INTO offices (id, name, state, time_zone, address, offer_ttl_s) "
        "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO UPDATE SET name = excluded.name, "
        "state = excluded.state, time_zone = excluded.time_zone, address = excluded.address, "
        "offer_ttl_s = excluded.offer_ttl_s",
        o.id, o.name, o.state, o.time_zone, o.address,
        static_cast<std::int64_t>(o.offer_ttl.count()));
    return absl::OkStatus();
  });
}

absl::Status PgTransaction::DeleteOffice(const std::string& id) {
  Params p;
  const std::string sql = absl::StrCat("DELETE FROM offices WHERE id = ", p.Add(id));
  return ExecExpectingRow("delete office", id, sql, p);
}

absl::StatusOr<domain::Service> PgTransaction::GetService(const std::string& id) {
  return Guard("get service", [&](pqxx::dbtransaction& tx) -> absl::StatusOr<domain::Service> {
    Params p;
    const std::string where = absl::StrCat("id = ", p.Add(id));
    return GetOne<domain::Service>(tx, kServiceSelect, where, p, ReadService,
                                   absl::StrCat("no service ", id));
  });
}

absl::StatusOr<Page<domain::Service>> PgTransaction::ListServices(const PageRequest& page) {
  return Guard("list services", [&](pqxx::dbtransaction& tx) {
    static const PagedQuery* query =
        new PagedQuery{"services", kServiceSelect, {{"id", KeyType::kText}}};
    return ReadPage<domain::Service>(tx, *query, Filter(), page, ReadService,
                                     IdKey<domain::Service>);
  });
}

absl::Status PgTransaction::PutService(const domain::Service& s) {
  return WriteAtomically("put service", [&](pqxx::dbtransaction& tx) -> absl::Status {
    tx.exec_params(
        "INSERT INTO services (id, name, category, duration_min) VALUES ($1, $2, $3, $4) "
        "ON CONFLICT (id) DO UPDATE SET name = excluded.name, category = excluded.category, "
        "duration_min = excluded.duration_min",
        s.id, s.name, std::string(domain::ToString(s.category)), s.duration_min);
    return absl::OkStatus();
  });
}

absl::Status PgTransaction::DeleteService(const std::string& id) {
  Params p;
  const std::string sql = absl::StrCat("DELETE FROM services WHERE id = ", p.Add(id));
  return ExecExpectingRow("delete service", id, sql, p);
}

absl::StatusOr<domain::Clerk> PgTransaction::GetClerk(const std::string& id) {
  return Guard("get clerk", [&](pqxx::dbtransaction& tx) -> absl::StatusOr<domain::Clerk> {
    Params p;
    const std::string where = absl::StrCat("id = ", p.Add(id));
    return GetOne<domain::Clerk>(tx, kClerkSelect, where, p, ReadClerk,
                                 absl::StrCat("no clerk ", id));
  });
}

absl::StatusOr<Page<domain::Clerk>> PgTransaction::ListClerks(const ClerkFilter& filter,
                                                              const PageRequest& page) {
  return Guard("list clerks", [&](pqxx::dbtransaction& tx) {
    Filter where;
    if (filter.office_ids) {
      const std::string offices = where.params.AddTextArray(*filter.office_ids);
      where.Add(absl::StrCat("(home_office_id = ANY(", offices,
                             ") OR id IN (SELECT clerk_id FROM shifts WHERE office_id = ANY(",
                             offices, ")))"));
    }
    static const PagedQuery* query =
        new PagedQuery{"clerks", kClerkSelect, {{"id", KeyType::kText}}};
    return ReadPage<domain::Clerk>(tx, *query, std::move(where), page, ReadClerk,
                                   IdKey<domain::Clerk>);
  });
}

absl::Status PgTransaction::PutClerk(const domain::Clerk& c) {
  return WriteAtomically("put clerk", [&](pqxx::dbtransaction& tx) -> absl::Status {
    tx.exec_params(
        "INSERT INTO clerks (id, name, home_office_id) VALUES ($1, $2, $3) ON CONFLICT (id) DO "
        "UPDATE SET name = excluded.name, home_office_id = excluded.home_office_id",
        c.id, c.name, c.home_office_id);
    ReplaceChildren(tx, "clerk_skills", "clerk_id", "service_id", c.id, c.skills);
    return absl::OkStatus();
  });
}

absl::Status PgTransaction::DeleteClerk(const std::string& id) {
  Params p;
  const std::string sql = absl::StrCat("DELETE FROM clerks WHERE id = ", p.Add(id));
  return ExecExpectingRow("delete clerk", id, sql, p);
}

absl::StatusOr<domain::Shift> PgTransaction::GetShift(const std::string& office_id,
                                                      const std::string& id) {
  return Guard("get shift", [&](pqxx::dbtransaction& tx) -> absl::StatusOr<domain::Shift> {
    Params p;
    const std::string where =
        absl::StrCat("office_id = ", p.Add(office_id), " AND id = ", p.Add(id));
    return GetOne<domain::Shift>(tx, kShiftSelect, where, p, ReadShift,
                                 absl::StrCat("no shift ", id, " at office ", office_id));
  });
}

absl::StatusOr<Page<domain::Shift>> PgTransaction::ListShifts(const ShiftFilter& filter,
                                                              const PageRequest& page) {
  return Guard("list shifts", [&](pqxx::dbtransaction& tx) {
    static const PagedQuery* query = new PagedQuery{
        "shifts", kShiftSelect, {{"office_id", KeyType::kText}, {"id", KeyType::kText}}};
    return ReadPage<domain::Shift>(tx, *query, ShiftFilterSql(filter), page, ReadShift,
                                   OfficeAndIdKey<domain::Shift>);
  });
}

absl::Status PgTransaction::PutShift(const domain::Shift& s) {
  return WriteAtomically("put shift", [&](pqxx::dbtransaction& tx) -> absl::Status {
    tx.exec_params(
        "INSERT INTO shifts (office_id, id, clerk_id, start_time, end_time, kind) VALUES ($1, "
        "$2, $3, to_timestamp($4::bigint), to_timestamp($5::bigint), $6) ON CONFLICT (office_id, "
        "id) DO UPDATE "
        "SET clerk_id = excluded.clerk_id, start_time = excluded.start_time, "
        "end_time = excluded.end_time, kind = excluded.kind",
        s.office_id, s.id, s.clerk_id, UnixSeconds(s.time.start), UnixSeconds(s.time.end),
        std::string(domain::ToString(s.kind)));
    return absl::OkStatus();
  });
}

absl::Status PgTransaction::DeleteShift(const std::string& office_id, const std::string& id) {
  Params p;
  const std::string sql = absl::StrCat("DELETE FROM shifts WHERE office_id = ", p.Add(office_id),
                                       " AND id = ", p.Add(id));
  return ExecExpectingRow("delete shift", absl::StrCat(office_id, "/", id), sql, p);
}

absl::StatusOr<std::vector<domain::Closure>> PgTransaction::ListClosures(
    const std::optional<std::vector<std::string>>& office_ids) {
  return Guard(
      "list closures",
      [&](pqxx::dbtransaction& tx) -> absl::StatusOr<std::vector<domain::Closure>> {
        Filter where;
        if (office_ids) where.AddIn("office_id", *office_ids);
        std::vector<domain::Closure> closures;
        for (const pqxx::row& row : where.params.Exec(
                 tx, absl::StrCat(kClosureSelect, where.Where(), " ORDER BY office_id, date"))) {
          REBOOK_ASSIGN_OR_RETURN(closures.emplace_back(), ReadClosure(row));
        }
        return closures;
      });
}

absl::StatusOr<Page<domain::Closure>> PgTransaction::ListClosures(
    const std::optional<std::vector<std::string>>& office_ids, const PageRequest& page) {
  return Guard("list closures", [&](pqxx::dbtransaction& tx) {
    Filter where;
    if (office_ids) where.AddIn("office_id", *office_ids);
    static const PagedQuery* query = new PagedQuery{
        "closures", kClosureSelect, {{"office_id", KeyType::kText}, {"date", KeyType::kDate}}};
    return ReadPage<domain::Closure>(tx, *query, std::move(where), page, ReadClosure,
                                     [](const domain::Closure& c) {
                                       return PageKey{c.office_id, domain::FormatLocalDate(c.date)};
                                     });
  });
}

absl::Status PgTransaction::PutClosure(const domain::Closure& c) {
  return WriteAtomically("put closure", [&](pqxx::dbtransaction& tx) -> absl::Status {
    tx.exec_params(
        "INSERT INTO closures (office_id, date, reason) VALUES ($1, $2::date, $3) "
        "ON CONFLICT (office_id, date) DO UPDATE SET reason = excluded.reason",
        c.office_id, domain::FormatLocalDate(c.date), c.reason);
    return absl::OkStatus();
  });
}

absl::Status PgTransaction::DeleteClosure(const std::string& office_id, domain::LocalDate date) {
  const std::string day = domain::FormatLocalDate(date);
  Params p;
  const std::string sql = absl::StrCat("DELETE FROM closures WHERE office_id = ", p.Add(office_id),
                                       " AND date = ", p.Add(day), "::date");
  return ExecExpectingRow("delete closure", absl::StrCat(office_id, "/", day), sql, p);
}

absl::StatusOr<domain::StandingBooking> PgTransaction::GetStandingBooking(
    const std::string& office_id, const std::string& id) {
  return Guard("get standing booking",
               [&](pqxx::dbtransaction& tx) -> absl::StatusOr<domain::StandingBooking> {
                 Params p;
                 const std::string where =
                     absl::StrCat("office_id = ", p.Add(office_id), " AND id = ", p.Add(id));
                 return GetOne<domain::StandingBooking>(
                     tx, kBookingSelect, where, p, ReadBooking,
                     absl::StrCat("no standing booking ", id, " at office '", office_id, "'"));
               });
}

absl::StatusOr<Page<domain::StandingBooking>> PgTransaction::ListStandingBookings(
    const ShiftFilter& filter, const PageRequest& page) {
  return Guard("list standing bookings", [&](pqxx::dbtransaction& tx) {
    static const PagedQuery* query =
        new PagedQuery{"standing_bookings",
                       kBookingSelect,
                       {{"office_id", KeyType::kText}, {"id", KeyType::kText}}};
    return ReadPage<domain::StandingBooking>(tx, *query, ShiftFilterSql(filter), page, ReadBooking,
                                             OfficeAndIdKey<domain::StandingBooking>);
  });
}

absl::Status PgTransaction::PutStandingBooking(const domain::StandingBooking& b) {
  return WriteAtomically("put standing booking", [&](pqxx::dbtransaction& tx) -> absl::Status {
    tx.exec_params(
        "INSERT INTO standing_bookings (office_id, id, clerk_id, start_time, end_time) VALUES "
        "($1, $2, $3, to_timestamp($4::bigint), to_timestamp($5::bigint)) ON CONFLICT (office_id, "
        "id) DO UPDATE "
        "SET clerk_id = excluded.clerk_id, start_time = excluded.start_time, "
        "end_time = excluded.end_time",
        b.office_id, b.id, b.clerk_id, UnixSeconds(b.time.start), UnixSeconds(b.time.end));
    return absl::OkStatus();
  });
}

absl::Status PgTransaction::DeleteStandingBooking(const std::string& office_id,
                                                  const std::string& id) {
  Params p;
  const std::string sql =
      absl::StrCat("DELETE FROM standing_bookings WHERE office_id = ", p.Add(office_id),
                   " AND id = ", p.Add(id));
  return ExecExpectingRow("delete standing booking", absl::StrCat(office_id, "/", id), sql, p);
}

absl::StatusOr<domain::Outage> PgTransaction::GetOutage(const std::string& id) {
  return Guard("get outage", [&](pqxx::dbtransaction& tx) -> absl::StatusOr<domain::Outage> {
    Params p;
    const std::string where = absl::StrCat("id = ", p.Add(id));
    return GetOne<domain::Outage>(tx, kOutageSelect, where, p, ReadOutage,
                                  absl::StrCat("no outage ", id));
  });
}

absl::StatusOr<Page<domain::Outage>> PgTransaction::ListOutages(const OutageFilter& filter,
                                                                const PageRequest& page) {
  return Guard("list outages", [&](pqxx::dbtransaction& tx) {
    Filter where;
    if (filter.office_ids) {
      where.Add(absl::StrCat("id IN (SELECT outage_id FROM outage_offices WHERE office_id = ANY(",
                             where.params.AddTextArray(*filter.office_ids), "))"));
    }
    if (filter.state) {
      where.Add(
          absl::StrCat("state = ", where.params.Add(std::string(domain::ToString(*filter.state)))));
    }
    static const PagedQuery* query =
        new PagedQuery{"outages", kOutageSelect, {{"id", KeyType::kText}}};
    return ReadPage<domain::Outage>(tx, *query, std::move(where), page, ReadOutage,
                                    IdKey<domain::Outage>);
  });
}

absl::Status PgTransaction::PutOutage(const domain::Outage& o) {
  return WriteAtomically("put outage", [&](pqxx::dbtransaction& tx) -> absl::Status {
    Params p;
    const std::string sql = absl::StrCat(
        "INSERT INTO outages (id, window_start, window_end, cause, state, declare_time, "
        "close_time, close_reason, cancelled_appointments) VALUES (",
        p.Add(o.id), ", ", p.AddInstant(o.window.start), ", ", p.AddInstant(o.window.end), ", ",
        p.Add(o.cause), ", ", p.Add(std::string(domain::ToString(o.state))), ", ",
        p.AddInstant(o.declare_time), ", ", p.AddInstant(o.close_time), ", ", p.Add(o.close_reason),
        ", ", p.Add(o.cancelled_appointments),
        "::bigint) ON CONFLICT (id) DO UPDATE SET window_start = excluded.window_start, "
        "window_end = excluded.window_end, cause = excluded.cause, state = excluded.state, "
        "declare_time = excluded.declare_time, close_time = excluded.close_time, "
        "close_reason = excluded.close_reason, "
        "cancelled_appointments = excluded.cancelled_appointments");
    p.Exec(tx, sql);
    ReplaceChildren(tx, "outage_offices", "outage_id", "office_id", o.id, o.office_ids);
    return absl::OkStatus();
  });
}

}  // namespace rebook::storage::postgres_internal
