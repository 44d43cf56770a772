#include "storage/postgres/pg_audit_log.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "nlohmann/json.hpp"
#include "services/common/status_macros.h"
#include "storage/audit_page_token.h"
#include "storage/postgres/internal/connection_pool.h"
#include "storage/postgres/internal/errors.h"
#include "storage/postgres/internal/sql.h"

namespace rebook::storage {
namespace {

using postgres_internal::Params;
using postgres_internal::Str;

const std::string kColumns = absl::StrCat(
    "seq, ", postgres_internal::Ts("time"),
    ", principal, role, offices::text, method, category, resources::text, record_count, "
    "outcome, request_id, prev_hash, hash");

std::string ToJson(const std::vector<std::string>& items) { return nlohmann::json(items).dump(); }

absl::StatusOr<AuditRecord> ReadRecord(const pqxx::row& r) {
  AuditRecord a;
  try {
    a.seq = r[0].as<std::int64_t>();
    a.time = postgres_internal::Time(r[1]);
    a.principal = Str(r[2]);
    a.role = Str(r[3]);
    a.offices = nlohmann::json::parse(r[4].c_str()).get<std::vector<std::string>>();
    a.method = Str(r[5]);
    a.category = Str(r[6]);
    a.resources = nlohmann::json::parse(r[7].c_str()).get<std::vector<std::string>>();
  } catch (const nlohmann::json::exception& e) {
    return absl::InternalError(absl::StrCat("corrupt audit entry: ", e.what()));
  }
  a.record_count = r[8].as<std::int64_t>();
  a.outcome = Str(r[9]);
  a.request_id = Str(r[10]);
  a.prev_hash = Str(r[11]);
  a.hash = Str(r[12]);
  return a;
}

}  // namespace

PgAuditLog::PgAuditLog(PgAuditLogOptions options, std::unique_ptr<pqxx::connection> connection)
    : options_(std::move(options)),
      connection_(std::move(connection)),
      group_([this](AuditGroupCommit::SteadyTime deadline, AuditGroupCommit::Body body) {
        return AppendTransaction(deadline, body);
      }) {}

PgAuditLog::~PgAuditLog() = default;

absl::StatusOr<std::unique_ptr<PgAuditLog>> PgAuditLog::Open(const PgAuditLogOptions& options) {
  if (options.url.empty()) return absl::InvalidArgumentError("PgAuditLog needs a connection url");
  REBOOK_ASSIGN_OR_RETURN(std::unique_ptr<pqxx::connection> connection,
                          postgres_internal::Connect(options.url));
  try {
    pqxx::read_transaction tx(*connection);
    if (!tx.exec("SELECT to_regclass('audit_entries') IS NOT NULL")[0][0].as<bool>()) {
      return absl::FailedPreconditionError(
          "the database has no audit_entries table: open the PgStore first (it migrates)");
    }
  } catch (...) {
    return postgres_internal::StatusFromCurrentException("open audit log");
  }
  return std::unique_ptr<PgAuditLog>(new PgAuditLog(options, std::move(connection)));
}

absl::Status PgAuditLog::Run(
    const TransactionOptions& options, const char* what,
    const std::function<absl::Status(pqxx::connection&, std::int64_t)>& body) {
  const auto deadline =
      options.deadline.value_or(std::chrono::steady_clock::now() + options_.default_timeout);
  std::lock_guard<std::mutex> lock(mu_);
  if (connection_ == nullptr || !connection_->is_open()) {
    REBOOK_ASSIGN_OR_RETURN(connection_, postgres_internal::Connect(options_.url));
  }
  const std::int64_t ms =
      std::max<std::int64_t>(1, std::chrono::duration_cast<std::chrono::milliseconds>(
                                    deadline - std::chrono::steady_clock::now())
                                    .count());
  try {
    return body(*connection_, ms);
  } catch (...) {
    absl::Status s = postgres_internal::StatusFromCurrentException(what);
    if (absl::IsUnavailable(s)) connection_.reset();
    return s;
  }
}

absl::Status PgAuditLog::Append(
    const TransactionOptions& options,
    absl::FunctionRef<absl::StatusOr<AuditRecord>(const AuditChainTip&)> seal) {
  return group_.Append(
      options.deadline.value_or(std::chrono::steady_clock::now() + options_.default_timeout), seal);
}

absl::Status PgAuditLog::AppendTransaction(AuditGroupCommit::SteadyTime deadline,
                                           AuditGroupCommit::Body body) {
  TransactionOptions options;
  options.deadline = deadline;
  return Run(
      options, "append audit entry", [&](pqxx::connection& c, std::int64_t ms) -> absl::Status {
        pqxx::work tx(c);
        tx.exec(
            absl::StrCat("SET LOCAL lock_timeout = ", ms, "; SET LOCAL statement_timeout = ", ms));
        // Read committed: the tip is read after the lock, so it is the latest entry.
        tx.exec(absl::StrCat("SELECT pg_advisory_xact_lock(", kAuditLockKey, ")"));
        AuditChainTip tip;
        const pqxx::result last =
            tx.exec("SELECT seq, hash FROM audit_entries ORDER BY seq DESC LIMIT 1");
        if (!last.empty()) tip = {last[0][0].as<std::int64_t>(), Str(last[0][1])};
        REBOOK_RETURN_IF_ERROR(body(tip, [&](const AuditRecord& r) -> absl::Status {
          Params p;
          const std::string sql = absl::StrCat(
              "INSERT INTO audit_entries (seq, time, principal, role, offices, method, "
              "category, resources, record_count, outcome, request_id, prev_hash, hash) "
              "VALUES (",
              p.Add(r.seq), "::bigint, ", p.AddInstant(r.time), ", ", p.Add(r.principal), ", ",
              p.Add(r.role), ", ", p.Add(ToJson(r.offices)), "::jsonb, ",
              absl::StrCat(p.Add(r.method), ", ", p.Add(r.category), ", ",
                           p.Add(ToJson(r.resources)), "::jsonb, ", p.Add(r.record_count),
                           "::bigint, "),
              p.Add(r.outcome), ", ", p.Add(r.request_id), ", ", p.Add(r.prev_hash), ", ",
              p.Add(r.hash), ")");
          p.Exec(tx, sql);
          return absl::OkStatus();
        }));
        tx.commit();  // an error above leaves `tx` to roll back
        return absl::OkStatus();
      });
}

absl::StatusOr<Page<AuditRecord>> PgAuditLog::List(const TransactionOptions& options,
                                                   const AuditFilter& filter,
                                                   const PageRequest& page) {
  REBOOK_ASSIGN_OR_RETURN(std::int64_t after, ParseAuditPageToken(page.page_token));
  const int size = std::clamp(page.page_size, 1, 1000);
  Page<AuditRecord> result;
  REBOOK_RETURN_IF_ERROR(
      Run(options, "list audit entries", [&](pqxx::connection& c, std::int64_t ms) -> absl::Status {
        pqxx::read_transaction tx(c);
        tx.exec(absl::StrCat("SET LOCAL statement_timeout = ", ms));
        postgres_internal::Filter where;
        where.Add(absl::StrCat("seq > ", where.params.Add(after), "::bigint"));
        if (filter.from) where.Add(absl::StrCat("time >= ", where.params.AddInstant(*filter.from)));
        if (filter.until) {
          where.Add(absl::StrCat("time < ", where.params.AddInstant(*filter.until)));
        }
        if (filter.principal) {
          where.Add(absl::StrCat("principal = ", where.params.Add(*filter.principal)));
        }
        if (filter.method) where.Add(absl::StrCat("method = ", where.params.Add(*filter.method)));
        if (filter.office) {
          where.Add(
              absl::StrCat("(offices ? ", where.params.Add(*filter.office), " OR offices ? '*')"));
        }
        const pqxx::result rows =
            where.params.Exec(tx, absl::StrCat("SELECT ", kColumns, " FROM audit_entries",
                                               where.Where(), " ORDER BY seq LIMIT ", size + 1));
        for (const pqxx::row& row : rows) {
          REBOOK_ASSIGN_OR_RETURN(AuditRecord r, ReadRecord(row));
          result.items.push_back(std::move(r));
        }
        return absl::OkStatus();
      }));
  if (result.items.size() > static_cast<std::size_t>(size)) {
    result.items.pop_back();
    result.next_page_token = AuditPageToken(result.items.back().seq);
  }
  return result;
}

absl::Status PgAuditLog::Scan(const TransactionOptions& options,
                              const std::function<absl::Status(const AuditRecord&)>& fn) {
  return Run(options, "scan audit entries",
             [&](pqxx::connection& c, std::int64_t ms) -> absl::Status {
               pqxx::transaction<pqxx::repeatable_read, pqxx::read_only> tx(c);  // one snapshot
               tx.exec(absl::StrCat("SET LOCAL statement_timeout = ", ms));
               // Streamed in batches by seq, so a long log is never all in memory.
               std::int64_t after = 0;
               for (;;) {
                 const pqxx::result rows = tx.exec_params(
                     absl::StrCat("SELECT ", kColumns,
                                  " FROM audit_entries WHERE seq > $1 ORDER BY seq LIMIT 1000"),
                     after);
                 if (rows.empty()) return absl::OkStatus();
                 for (const pqxx::row& row : rows) {
                   REBOOK_ASSIGN_OR_RETURN(AuditRecord r, ReadRecord(row));
                   after = r.seq;
                   REBOOK_RETURN_IF_ERROR(fn(r));
                 }
               }
             });
}

}  // namespace rebook::storage
