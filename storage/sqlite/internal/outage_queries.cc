// Outages and the offices they touch (the outage_offices child table, in the outage's order).
// Outages are listed in id order.
#include "absl/strings/str_cat.h"
#include "services/common/status_macros.h"
#include "storage/sqlite/internal/row_codec.h"
#include "storage/sqlite/internal/sqlite_transaction.h"

namespace rebook::storage::sqlite_internal {
namespace {

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

absl::StatusOr<std::vector<std::string>> SqliteTransaction::ReadOutageOffices(
    const std::string& outage_id) {
  StatementLease q =
      Prepare("SELECT office_id FROM outage_offices WHERE outage_id = ? ORDER BY position");
  q->bindNoCopy(1, outage_id);
  std::vector<std::string> offices;
  while (q->executeStep()) offices.push_back(q->getColumn(0).getString());
  return offices;
}

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
    REBOOK_ASSIGN_OR_RETURN(outage.office_ids, ReadOutageOffices(id));
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
    const std::uint64_t digest = where.Digest("outages");
    if (!page.page_token.empty()) {
      REBOOK_ASSIGN_OR_RETURN(std::vector<std::string> key,
                              DecodePageToken(page.page_token, digest, 1));
      where.Add("id > ?", {key[0]});
    }
    const int limit = ClampPageSize(page.page_size);
    Page<domain::Outage> result;
    {
      StatementLease q = Prepare(absl::StrCat("SELECT ", kOutageColumns, " FROM outages",
                                              where.Where(), " ORDER BY id LIMIT ?"));
      q->bind(where.Bind(*q), limit + 1);
      while (q->executeStep()) {
        if (static_cast<int>(result.items.size()) == limit) {
          result.next_page_token = EncodePageToken(digest, {result.items.back().id});
          break;
        }
        REBOOK_ASSIGN_OR_RETURN(domain::Outage outage, ReadOutage(*q));
        result.items.push_back(std::move(outage));
      }
    }
    for (domain::Outage& outage : result.items) {
      REBOOK_ASSIGN_OR_RETURN(outage.office_ids, ReadOutageOffices(outage.id));
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
    {
      StatementLease q = Prepare("DELETE FROM outage_offices WHERE outage_id = ?");
      q->bindNoCopy(1, outage.id);
      q->exec();
    }
    StatementLease q =
        Prepare("INSERT INTO outage_offices (outage_id, position, office_id) VALUES (?, ?, ?)");
    for (std::size_t i = 0; i < outage.office_ids.size(); ++i) {
      q->bindNoCopy(1, outage.id);
      q->bind(2, static_cast<std::int64_t>(i));
      q->bindNoCopy(3, outage.office_ids[i]);
      q->exec();
      q->reset();
    }
    return absl::OkStatus();
  });
}

}  // namespace rebook::storage::sqlite_internal
