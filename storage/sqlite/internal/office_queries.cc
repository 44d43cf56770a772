// Offices and services: small tables keyed by id, listed in id order.
#include <chrono>
#include <cstdint>

#include "absl/strings/str_cat.h"
#include "services/common/status_macros.h"
#include "storage/sqlite/internal/paged_query.h"
#include "storage/sqlite/internal/row_codec.h"
#include "storage/sqlite/internal/sqlite_transaction.h"

namespace rebook::storage::sqlite_internal {
namespace {

absl::StatusOr<domain::Office> ReadOffice(SQLite::Statement& q) {
  domain::Office o;
  o.id = q.getColumn(0).getString();
  o.name = q.getColumn(1).getString();
  o.state = q.getColumn(2).getString();
  o.time_zone = q.getColumn(3).getString();
  o.address = q.getColumn(4).getString();
  o.offer_ttl = std::chrono::seconds(q.getColumn(5).getInt64());
  return o;
}

absl::StatusOr<domain::Service> ReadService(SQLite::Statement& q) {
  domain::Service s;
  s.id = q.getColumn(0).getString();
  s.name = q.getColumn(1).getString();
  REBOOK_ASSIGN_OR_RETURN(s.category, DecodeServiceCategory(q.getColumn(2).getText()));
  s.duration_min = q.getColumn(3).getInt();
  return s;
}

constexpr const char* kOfficeColumns = "id, name, state, time_zone, address, offer_ttl_s";
constexpr const char* kServiceColumns = "id, name, category, duration_min";

// One page of `table` in id order, rows read by `read` (returning absl::StatusOr<T>).
template <typename T, typename ReadRow>
absl::StatusOr<Page<T>> ListById(Connection& connection, const char* table, const char* columns,
                                 const PageRequest& page, ReadRow read) {
  const PagedQuery query = {.listing = table,
                            .select = absl::StrCat("SELECT ", columns, " FROM ", table),
                            .key = {{"id", KeyType::kText}}};
  return ReadPage<T>(connection, query, SqlFilter(), page, read,
                     [](const T& row) { return PageKey{row.id}; });
}

}  // namespace

absl::StatusOr<domain::Office> SqliteTransaction::GetOffice(const std::string& id) {
  return Guard("get office", [&]() -> absl::StatusOr<domain::Office> {
    StatementLease q =
        Prepare(absl::StrCat("SELECT ", kOfficeColumns, " FROM offices WHERE id = ?"));
    q->bindNoCopy(1, id);
    if (!q->executeStep()) return absl::NotFoundError(absl::StrCat("no office ", id));
    return ReadOffice(*q);
  });
}

absl::StatusOr<Page<domain::Office>> SqliteTransaction::ListOffices(const PageRequest& page) {
  return Guard("list offices", [&] {
    return ListById<domain::Office>(connection_, "offices", kOfficeColumns, page, ReadOffice);
  });
}

absl::Status SqliteTransaction::PutOffice(const domain::Office& office) {
  return PutOffices({&office, 1});
}

absl::Status SqliteTransaction::PutOffices(std::span<const domain::Office> offices) {
  if (offices.empty()) return CheckWritable("put offices");
  return WriteInChunks("put offices", offices.size(), [&](std::size_t begin, std::size_t end) {
    StatementLease q = Prepare(
        "INSERT INTO offices (id, name, state, time_zone, address, offer_ttl_s) "
        "VALUES (?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (id) DO UPDATE SET name = excluded.name, state = excluded.state, "
        "time_zone = excluded.time_zone, address = excluded.address, "
        "offer_ttl_s = excluded.offer_ttl_s");
    for (std::size_t i = begin; i < end; ++i) {
      const domain::Office& office = offices[i];
      q->bindNoCopy(1, office.id);
      q->bindNoCopy(2, office.name);
      q->bindNoCopy(3, office.state);
      q->bindNoCopy(4, office.time_zone);
      q->bindNoCopy(5, office.address);
      q->bind(6, static_cast<std::int64_t>(office.offer_ttl.count()));
      q->exec();
      q->reset();
    }
    return absl::OkStatus();
  });
}

absl::Status SqliteTransaction::DeleteOffice(const std::string& id) {
  return ExecExpectingRow("delete office", id, "DELETE FROM offices WHERE id = ?",
                          [&](SQLite::Statement& q) { q.bindNoCopy(1, id); });
}

absl::StatusOr<domain::Service> SqliteTransaction::GetService(const std::string& id) {
  return Guard("get service", [&]() -> absl::StatusOr<domain::Service> {
    StatementLease q =
        Prepare(absl::StrCat("SELECT ", kServiceColumns, " FROM services WHERE id = ?"));
    q->bindNoCopy(1, id);
    if (!q->executeStep()) return absl::NotFoundError(absl::StrCat("no service ", id));
    return ReadService(*q);
  });
}

absl::StatusOr<Page<domain::Service>> SqliteTransaction::ListServices(const PageRequest& page) {
  return Guard("list services", [&] {
    return ListById<domain::Service>(connection_, "services", kServiceColumns, page, ReadService);
  });
}

absl::Status SqliteTransaction::PutService(const domain::Service& service) {
  return PutServices({&service, 1});
}

absl::Status SqliteTransaction::PutServices(std::span<const domain::Service> services) {
  if (services.empty()) return CheckWritable("put services");
  return WriteInChunks("put services", services.size(), [&](std::size_t begin, std::size_t end) {
    StatementLease q = Prepare(
        "INSERT INTO services (id, name, category, duration_min) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (id) DO UPDATE SET name = excluded.name, category = excluded.category, "
        "duration_min = excluded.duration_min");
    for (std::size_t i = begin; i < end; ++i) {
      const domain::Service& service = services[i];
      q->bindNoCopy(1, service.id);
      q->bindNoCopy(2, service.name);
      q->bind(3, std::string(domain::ToString(service.category)));
      q->bind(4, service.duration_min);
      q->exec();
      q->reset();
    }
    return absl::OkStatus();
  });
}

absl::Status SqliteTransaction::DeleteService(const std::string& id) {
  return ExecExpectingRow("delete service", id, "DELETE FROM services WHERE id = ?",
                          [&](SQLite::Statement& q) { q.bindNoCopy(1, id); });
}

}  // namespace rebook::storage::sqlite_internal
