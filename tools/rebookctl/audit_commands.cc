// rebookctl audit list|verify|export: the audit log, for principals with the auditor role.
//
//   rebookctl audit list --principal planung --since 2026-01-27T00:00:00Z
//   rebookctl audit verify            # exit 0: intact; exit 1: broken (the entry is named)
//   rebookctl audit export --output audit-2026-01.jsonl --until 2026-02-01T00:00:00Z
//
// Exit codes are those of tools/common/exit_codes.h; `verify` exits 1 when the chain is broken.
#include <fstream>
#include <iostream>
#include <memory>
#include <tuple>
#include <variant>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "google/protobuf/util/json_util.h"
#include "rebook/v1/audit.grpc.pb.h"
#include "tools/common/exit_codes.h"
#include "tools/rebookctl/commands.h"
#include "tools/rebookctl/paging.h"
#include "tools/rebookctl/table.h"

namespace rebook::ctl {
namespace {

namespace v1 = ::rebook::v1;

struct Filter {
  std::string since, until, principal, office, method;
  int limit = kNoLimit;
};

// RFC 3339 ("2026-01-27T11:50:00Z" or with an offset) into `ts`; false if it is not one.
bool ParseTimestamp(const std::string& text, google::protobuf::Timestamp* ts) {
  absl::Time t;
  std::string error;
  if (!absl::ParseTime(absl::RFC3339_full, text, &t, &error)) return false;
  ts->set_seconds(absl::ToUnixSeconds(t));
  return true;
}

// The request for `f`, or the exit code of a usage error.
std::variant<v1::ListAuditEntriesRequest, int> ToRequest(const Filter& f) {
  v1::ListAuditEntriesRequest req;
  for (auto [text, ts, flag] : {std::tuple{f.since, req.mutable_start_time(), "--since"},
                                std::tuple{f.until, req.mutable_end_time(), "--until"}}) {
    if (text.empty()) continue;
    if (!ParseTimestamp(text, ts)) {
      std::cerr << "error: " << flag << " must be RFC 3339, like 2026-01-27T11:50:00Z\n";
      return cli::kExitUsage;
    }
  }
  if (f.since.empty()) req.clear_start_time();
  if (f.until.empty()) req.clear_end_time();
  req.set_principal(f.principal);
  if (!f.office.empty()) req.set_office(Qualify("offices", f.office));
  req.set_method(f.method);
  return req;
}

// Calls `row` for every matching entry, page by page, up to f.limit. Returns the exit code.
template <typename Row>
int ForEachEntry(const Client& client, const Filter& f, Row row) {
  auto req = ToRequest(f);
  if (std::holds_alternative<int>(req)) return std::get<int>(req);
  v1::ListAuditEntriesRequest r = std::get<v1::ListAuditEntriesRequest>(req);
  r.set_page_size(PageSize(f.limit));
  auto stub = v1::AuditService::NewStub(client.channel());
  int seen = 0;
  for (;;) {
    v1::ListAuditEntriesResponse page;
    grpc::Status s = stub->ListAuditEntries(client.Context().get(), r, &page);
    if (!s.ok()) return ReportError(s);
    for (const v1::AuditEntry& e : page.entries()) {
      if (f.limit > 0 && seen >= f.limit) return cli::kExitOk;
      row(e);
      ++seen;
    }
    if (page.next_page_token().empty()) return cli::kExitOk;
    r.set_page_token(page.next_page_token());
  }
}

std::string Resources(const v1::AuditEntry& e) {
  if (e.resources().empty()) return "";
  std::string out = e.resources(0);
  if (e.resources_size() > 1) absl::StrAppend(&out, " (+", e.resources_size() - 1, ")");
  return out;
}

int List(const Client& client, const Filter& f, bool json) {
  v1::ListAuditEntriesResponse all;
  Table t({"#", "time (UTC)", "principal", "role", "method", "category", "outcome", "records",
           "request id", "resources"});
  int code = ForEachEntry(client, f, [&](const v1::AuditEntry& e) {
    if (json) {
      *all.add_entries() = e;
      return;
    }
    const std::string method = e.method().substr(e.method().find('/') + 1);
    t.AddRow({absl::StrCat(e.sequence()),
              absl::FormatTime("%Y-%m-%d %H:%M:%S", absl::FromUnixSeconds(e.time().seconds()),
                               absl::UTCTimeZone()),
              e.principal(), e.role(), method, e.category(), e.outcome(),
              absl::StrCat(e.record_count()), e.request_id(), Resources(e)});
  });
  if (code != cli::kExitOk) return code;
  if (json) return PrintJson(all), cli::kExitOk;
  t.Print(std::cout);
  return cli::kExitOk;
}

int Verify(const Client& client, bool json) {
  v1::VerifyAuditChainResponse resp;
  grpc::Status s = v1::AuditService::NewStub(client.channel())
                       ->VerifyAuditChain(client.Context().get(), {}, &resp);
  if (!s.ok()) return ReportError(s);
  if (json) {
    PrintJson(resp);
  } else if (resp.ok()) {
    std::cout << "ok: " << resp.verified_entries() << " entries verified; last #"
              << resp.last_sequence() << " " << resp.last_hash() << "\n";
  } else {
    std::cout << "BROKEN at entry #" << resp.first_broken_sequence() << ": " << resp.reason()
              << " (" << resp.verified_entries() << " entries before it verified)\n";
  }
  return resp.ok() ? cli::kExitOk : cli::kExitFailed;
}

int Export(const Client& client, const Filter& f, const std::string& output) {
  std::ofstream file;
  if (output != "-") {
    file.open(output, std::ios::out | std::ios::trunc);
    if (!file) {
      std::cerr << "error: cannot write " << output << "\n";
      return cli::kExitFailed;
    }
  }
  std::ostream& out = output == "-" ? std::cout : file;
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  std::int64_t count = 0;
  std::int64_t last = 0;
  std::string last_hash;
  int code = ForEachEntry(client, f, [&](const v1::AuditEntry& e) {
    std::string line;
    (void)google::protobuf::util::MessageToJsonString(e, &line, options);
    out << line << "\n";
    ++count;
    last = e.sequence();
    last_hash = e.hash();
  });
  out.flush();
  if (code != cli::kExitOk) return code;
  if (!out) {
    std::cerr << "error: writing " << output << " failed\n";
    return cli::kExitFailed;
  }
  std::cerr << "exported " << count << " entries";
  if (count > 0) std::cerr << "; last #" << last << " " << last_hash;
  std::cerr << "\n";
  return cli::kExitOk;
}

void AddFilterFlags(CLI::App* cmd, Filter& f) {
  cmd->add_option("--since", f.since, "entries at or after this time (RFC 3339)");
  cmd->add_option("--until", f.until, "entries before this time (RFC 3339)");
  cmd->add_option("--principal", f.principal, "only this principal's entries");
  cmd->add_option("--office", f.office, "entries of principals of this office (id or name)");
  cmd->add_option("--method", f.method, "full method, e.g. rebook.v1.PlanService/CommitPlan");
  cmd->add_option("--limit", f.limit, "at most this many (default: all)");
}

}  // namespace

void AddAuditCommands(CLI::App& app, const GlobalOptions& global, int* exit_code) {
  CLI::App* audit =
      app.add_subcommand("audit", "The audit log (auditor role): list, verify, export")
          ->require_subcommand(1);

  auto list = std::make_shared<Filter>();
  CLI::App* l = audit->add_subcommand("list", "List audit entries, oldest first");
  AddFilterFlags(l, *list);
  l->callback([=, &global] {
    auto client = Client::Connect(global);
    if (!client.ok()) return void(*exit_code = ReportError(client.status()));
    *exit_code = List(*client, *list, global.json);
  });

  CLI::App* v = audit->add_subcommand(
      "verify", "Check the hash chain of the whole log; exit 1 if it is broken");
  v->callback([=, &global] {
    auto client = Client::Connect(global);
    if (!client.ok()) return void(*exit_code = ReportError(client.status()));
    *exit_code = Verify(*client, global.json);
  });

  auto exported = std::make_shared<Filter>();
  auto output = std::make_shared<std::string>("-");
  CLI::App* e = audit->add_subcommand("export", "Write audit entries as JSON lines");
  AddFilterFlags(e, *exported);
  e->add_option("--output,-o", *output, "file to write (default: - for stdout)");
  e->callback([=, &global] {
    auto client = Client::Connect(global);
    if (!client.ok()) return void(*exit_code = ReportError(client.status()));
    *exit_code = Export(*client, *exported, *output);
  });
}

}  // namespace rebook::ctl
