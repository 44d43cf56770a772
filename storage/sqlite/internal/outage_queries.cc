// Outages and the offices they touch (the outage_offices child table, in the outage's order).
// Outages are listed in id order.
#include "absl/strings/str_cat.h"
#include "services/common/status_macros.h"
#include "storage/sqlite/internal/child_rows.h"
#include "storage/sqlite/internal/paged_query.h"
#include "storage/sqlite/internal/row_codec.h"
#include "storage/sqlite/internal/sqlite_transaction.h"

namespace rebook::storage::sqlite_internal {
namespace {

constexpr ChildList kOutageOffices = {"outage_offices", "outage_id", "office_id"};

constexpr const char* kOutageColumns =
    "id, window_start, window_end, cause, state, declare_time, close_time, close_reason, "
    "cancelled_appointments";

absl::StatusOr<domain::Outage> ReadOutage(SQLite::Statement& q) {
  domain::Outage o;
  o.id = q.getColumn(0).getString();
  o.window = {FromUnixSeconds(q.getColumn(1).getInt64()),
              FromUnixSeconds(q.getColumn(2).getInt64())};
  o.cause = q.getColumn(3).getString();
  REBOOK_ASSIGN_OR_RETURN(o.state, DecodeOutageState(q.getColumn(4).getText()));
  o.declare_time = FromUnixSeconds(q.getColumn(5).getInt64());
  if (!q.getColumn(6).isNull()) o.close_time = FromUnixSeconds(q.getColumn(6).getInt64());
  o.close_reason = q.getColumn(7).getString();
  o.cancelled_appointments = q.getColumn(8).getInt64();
  return o;
}

}  // namespace

absl::StatusOr<domain::Outage> SqliteTransaction::GetOutage(const std::string& id) {
  return Guard("get outage", [&]() -> absl::StatusOr<domain::Outage> {
    domain::Outage outage;
    {
      StatementLease q =
          Prepare(absl::StrCat("SELECT ", kOutageColumns, " FROM outages WHERE id = ?"));
      q->bindNoCopy(1, id);
      if (!q->executeStep()) return absl::NotFoundError(absl::StrCat("no outage ", id));
      REBOOK_ASSIGN_OR_RETURN(outage, ReadOutage(*q));
    }
    outage.office_ids = ReadChildList(connection_, kOutageOffices, id);
    return outage;
  });
}

absl::StatusOr<Page<domain::Outage>> SqliteTransaction::ListOutages(const OutageFilter& filter,
                                                                    const PageRequest& page) {
  return Guard("list outages", [&]() -> absl::StatusOr<Page<domain::Outage>> {
    SqlFilter where;
    if (filter.office_ids) {
      where.Add(
          "id IN (SELECT outage_id FROM outage_offices WHERE office_id IN "
          "(SELECT value FROM json_each(?)))",
          {JsonStringArray(*filter.office_ids)});
    }
    if (filter.state) where.Add("state = ?", {std::string(domain::ToString(*filter.state))});
    static const PagedQuery* query =
        new PagedQuery{.listing = "outages",
                       .select = absl::StrCat("SELECT ", kOutageColumns, " FROM outages"),
                       .key = {{"id", KeyType::kText}}};
    REBOOK_ASSIGN_OR_RETURN(
        Page<domain::Outage> result,
        ReadPage<domain::Outage>(connection_, *query, std::move(where), page, ReadOutage,
                                 [](const domain::Outage& o) { return PageKey{o.id}; }));
    for (domain::Outage& outage : result.items) {
      outage.office_ids = ReadChildList(connection_, kOutageOffices, outage.id);
    }
    return result;
  });
}

absl::Status SqliteTransaction::PutOutage(const domain::Outage& outage) {
  return WriteAtomically("put outage", [&]() -> absl::Status {
    {
      StatementLease q = Prepare(
          "INSERT INTO outages (id, window_start, window_end, cause, state, declare_time, "
          "close_time, close_reason, cancelled_appointments) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
          "ON CONFLICT (id) DO UPDATE SET window_start = excluded.window_start, "
          "window_end = excluded.window_end, cause = excluded.cause, state = excluded.state, "
          "declare_time = excluded.declare_time, close_time = excluded.close_time, "
          "close_reason = excluded.close_reason, "
          "cancelled_appointments = excluded.cancelled_appointments");
      q->bindNoCopy(1, outage.id);
      q->bind(2, ToUnixSeconds(outage.window.start));
      q->bind(3, ToUnixSeconds(outage.window.end));
      q->bindNoCopy(4, outage.cause);
      q->bind(5, std::string(domain::ToString(outage.state)));
      q->bind(6, ToUnixSeconds(outage.declare_time));
      if (outage.close_time) {
        q->bind(7, ToUnixSeconds(*outage.close_time));
      } else {
        q->bind(7);
      }
      q->bindNoCopy(8, outage.close_reason);
      q->bind(9, outage.cancelled_appointments);
      q->exec();
    }
    ReplaceChildList(connection_, kOutageOffices, outage.id, outage.office_ids);
    return absl::OkStatus();
  });
}

}  // namespace rebook::storage::sqlite_internal
