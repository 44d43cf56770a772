// StatisticsKeeper: refreshes the planner's statistics of the tables a committed write grew or
// changed in bulk, right after that commit instead of at autovacuum's next round.
//
// Why: PostgreSQL plans every statement from per-table statistics (pg_statistic,
// pg_class.reltuples) that autovacuum gathers on its own schedule: it visits a database once per
// autovacuum_naptime (a minute by default) and analyzes a table once about a tenth of it
// changed. After a region import (100,000 appointments into empty tables) the declare, plan and
// commit of the next minute ran on tables without statistics, and where autovacuum's analyze
// fell inside them decided whether the commit's statements cost 4-18x more or less
// (docs/deployment-postgres.md, "Measurements").
//
// How: PgStore reports the rows each committed write wrote per table (Note; bulk writes only,
// see PgTransaction::written()). Once the rows noted for a table since this object last analyzed
// it reach max(kMinRows, kShare x its size in pg_class.reltuples), a thread of this object runs
// `ANALYZE (SKIP_LOCKED)` on it over a connection of its own. Writers never wait for it: Note
// only adds to a map. SKIP_LOCKED skips a table that autovacuum or another replica analyzes
// right then (that analysis covers it). A failure (server gone) is counted, the rows are
// dropped and the connection reopened on the next bulk write: statistics are an optimisation,
// never a reason for a write to fail.
//
//   StatisticsKeeper keeper(url);
//   keeper.Note({{"appointments", 100000}});   // after the import's commit
//   keeper.WaitIdle();                         // tests and benchmarks only
//
// Thread-safe. The destructor lets a running ANALYZE finish (it samples at most
// 300 x default_statistics_target rows per table: a fraction of a second) and stops.
#ifndef REBOOK_STORAGE_POSTGRES_INTERNAL_STATISTICS_KEEPER_H_
#define REBOOK_STORAGE_POSTGRES_INTERNAL_STATISTICS_KEEPER_H_

#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "pqxx/pqxx"

namespace rebook::storage::postgres_internal {

// Rows written per table by one transaction (inserted, updated or deleted).
using WrittenRows = std::map<std::string, std::int64_t>;

class StatisticsKeeper {
 public:
  // Fewer rows than this never trigger an analysis: autovacuum's own threshold (50 rows plus a
  // tenth) is soon enough for small tables.
  static constexpr std::int64_t kMinRows = 1000;
  // The share of a table's rows that must change: autovacuum_analyze_scale_factor's default.
  static constexpr double kShare = 0.1;

  struct Counts {
    std::int64_t analyzed = 0;  // tables analyzed (each ANALYZE of one table counts once)
    std::int64_t failed = 0;    // ANALYZE runs that failed (their rows were dropped)
  };

  explicit StatisticsKeeper(std::string url);
  ~StatisticsKeeper();
  StatisticsKeeper(const StatisticsKeeper&) = delete;
  StatisticsKeeper& operator=(const StatisticsKeeper&) = delete;

  // Adds a committed transaction's rows. Never blocks on the database.
  void Note(const WrittenRows& rows);
  // Blocks until everything noted so far was analyzed or found below its threshold.
  void WaitIdle();
  Counts counts() const;

 private:
  void Loop();
  // One round over `rows` (a copy of pending_): analyzes the tables due; returns the rows of the
  // tables it analyzed (to subtract) or, on failure, all of them (to drop).
  WrittenRows Round(const WrittenRows& rows);

  const std::string url_;
  std::unique_ptr<pqxx::connection> connection_;  // the thread's; opened on first use

  mutable std::mutex mu_;
  std::condition_variable wake_;  // Note or stop
  std::condition_variable idle_;  // a round ended
  WrittenRows pending_;           // rows noted per table since its last analysis here
  bool dirty_ = false;            // Note added rows since the last round began
  bool busy_ = false;             // a round runs
  bool stop_ = false;
  Counts counts_;
  std::thread thread_;  // last: starts after every other member
};

}  // namespace rebook::storage::postgres_internal

#endif  // REBOOK_STORAGE_POSTGRES_INTERNAL_STATISTICS_KEEPER_H_
