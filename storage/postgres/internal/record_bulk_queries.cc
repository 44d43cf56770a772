// PutOffices, PutServices and PutClerks: an import's offices, service types and clerks in a few
// statements, as PutShifts does for shifts (schedule_bulk_queries.cc): one INSERT ... SELECT
// FROM unnest(<one array per column>) ON CONFLICT DO UPDATE per chunk of rows. A clerk's skills
// are replaced for the whole chunk by one DELETE and one INSERT. Before, PutClerk cost three
// statements a clerk (a region has 1,161 clerks).
#include <algorithm>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/str_cat.h"
#include "storage/postgres/internal/pg_transaction.h"

namespace rebook::storage::postgres_internal {
namespace {

constexpr std::size_t kBulkRows = 5000;

// The last record of each id, in order: one INSERT ... ON CONFLICT DO UPDATE may not touch a
// row twice, and a later record replaces an earlier one.
template <typename T>
std::vector<const T*> LastOfEachId(std::span<const T> records) {
  std::set<std::string_view> seen;
  std::vector<const T*> keep;
  keep.reserve(records.size());
  for (std::size_t i = records.size(); i-- > 0;) {
    if (seen.insert(records[i].id).second) keep.push_back(&records[i]);
  }
  std::reverse(keep.begin(), keep.end());
  return keep;
}

// Runs `write(chunk)` for each chunk of the deduplicated `records`.
template <typename T, typename Write>
void InChunks(std::span<const T> records, Write write) {
  const std::vector<const T*> keep = LastOfEachId(records);
  for (std::size_t begin = 0; begin < keep.size(); begin += kBulkRows) {
    const std::size_t end = std::min(keep.size(), begin + kBulkRows);
    write(std::span<const T* const>(keep.data() + begin, end - begin));
  }
}

}  // namespace

absl::Status PgTransaction::PutOffices(std::span<const domain::Office> offices) {
  if (offices.empty()) return CheckWritable("put offices");
  return WriteAtomically("put offices", [&](pqxx::dbtransaction& tx) -> absl::Status {
    InChunks(offices, [&](std::span<const domain::Office* const> chunk) {
      std::vector<std::string> ids, names, states, zones, addresses;
      std::vector<std::int64_t> ttls;
      for (const domain::Office* o : chunk) {
        ids.push_back(o->id);
        names.push_back(o->name);
        states.push_back(o->state);
        zones.push_back(o->time_zone);
        addresses.push_back(o->address);
        ttls.push_back(static_cast<std::int64_t>(o->offer_ttl.count()));
      }
      Params p;
      const std::string sql = absl::StrCat(
          "INSERT INTO offices (id, name, state, time_zone, address, offer_ttl_s) "
          "SELECT * FROM unnest(",
          p.AddTextArray(ids), ", ", p.AddTextArray(names), ", ", p.AddTextArray(states), ", ",
          p.AddTextArray(zones), ", ", p.AddTextArray(addresses), ", ", p.AddBigintArray(ttls),
          ") ON CONFLICT (id) DO UPDATE SET name = excluded.name, state = excluded.state, "
          "time_zone = excluded.time_zone, address = excluded.address, "
          "offer_ttl_s = excluded.offer_ttl_s");
      p.Exec(tx, sql);
    });
    return absl::OkStatus();
  });
}

absl::Status PgTransaction::PutServices(std::span<const domain::Service> services) {
  if (services.empty()) return CheckWritable("put services");
  return WriteAtomically("put services", [&](pqxx::dbtransaction& tx) -> absl::Status {
    InChunks(services, [&](std::span<const domain::Service* const> chunk) {
      std::vector<std::string> ids, names, categories;
      std::vector<std::int64_t> durations;
      for (const domain::Service* s : chunk) {
        ids.push_back(s->id);
        names.push_back(s->name);
        categories.emplace_back(domain::ToString(s->category));
        durations.push_back(s->duration_min);
      }
      Params p;
      const std::string sql = absl::StrCat(
          "INSERT INTO services (id, name, category, duration_min) "
          "SELECT i, n, c, d FROM unnest(",
          p.AddTextArray(ids), ", ", p.AddTextArray(names), ", ", p.AddTextArray(categories), ", ",
          p.AddBigintArray(durations),
          ") AS r (i, n, c, d) ON CONFLICT (id) DO UPDATE SET name = excluded.name, "
          "category = excluded.category, duration_min = excluded.duration_min");
      p.Exec(tx, sql);
    });
    return absl::OkStatus();
  });
}

absl::Status PgTransaction::PutClerks(std::span<const domain::Clerk> clerks) {
  if (clerks.empty()) return CheckWritable("put clerks");
  CountNextWrite("clerks", clerks.size());
  return WriteAtomically("put clerks", [&](pqxx::dbtransaction& tx) -> absl::Status {
    InChunks(clerks, [&](std::span<const domain::Clerk* const> chunk) {
      std::vector<std::string> ids, names, homes, skill_clerks, skills;
      std::vector<std::int64_t> positions;
      for (const domain::Clerk* c : chunk) {
        ids.push_back(c->id);
        names.push_back(c->name);
        homes.push_back(c->home_office_id);
        for (std::size_t i = 0; i < c->skills.size(); ++i) {
          skill_clerks.push_back(c->id);
          positions.push_back(static_cast<std::int64_t>(i));
          skills.push_back(c->skills[i]);
        }
      }
      Params p;
      const std::string ids_array = p.AddTextArray(ids);
      std::string sql =
          absl::StrCat("INSERT INTO clerks (id, name, home_office_id) SELECT * FROM unnest(",
                       ids_array, ", ", p.AddTextArray(names), ", ", p.AddTextArray(homes),
                       ") ON CONFLICT (id) DO UPDATE SET name = excluded.name, "
                       "home_office_id = excluded.home_office_id");
      p.Exec(tx, sql);
      Params d;
      sql =
          absl::StrCat("DELETE FROM clerk_skills WHERE clerk_id = ANY(", d.AddTextArray(ids), ")");
      d.Exec(tx, sql);
      if (skills.empty()) return;
      Params s;
      sql = absl::StrCat(
          "INSERT INTO clerk_skills (clerk_id, position, service_id) SELECT * FROM unnest(",
          s.AddTextArray(skill_clerks), ", ", s.AddBigintArray(positions), ", ",
          s.AddTextArray(skills), ")");
      s.Exec(tx, sql);
    });
    return absl::OkStatus();
  });
}

}  // namespace rebook::storage::postgres_internal
