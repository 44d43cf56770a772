// rebookctl plan whatif OUTAGE --add-shift office,day,skill,hours ...: solves a what-if plan with
// capacity changes that are not stored, and compares it with the outage's plan in force.
#include <iostream>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "rebook/v1/plans.grpc.pb.h"
#include "services/domain/local_time.h"
#include "tools/common/exit_codes.h"
#include "tools/rebookctl/commands.h"
#include "tools/rebookctl/paging.h"
#include "tools/rebookctl/progress_bar.h"
#include "tools/rebookctl/table.h"

namespace rebook::ctl {
namespace {

namespace v1 = ::rebook::v1;

bool ToDate(const std::string& text, v1::Date* out) {
  absl::StatusOr<domain::LocalDate> d = domain::ParseLocalDate(text);
  if (!d.ok()) return false;
  out->set_year(static_cast<int>(d->year()));
  out->set_month(static_cast<int>(static_cast<unsigned>(d->month())));
  out->set_day(static_cast<int>(static_cast<unsigned>(d->day())));
  return true;
}

// "office,YYYY-MM-DD,skill,hours[,HH:MM]".
absl::Status AddShift(const std::string& text, v1::CapacityChanges* out) {
  std::vector<std::string> f = absl::StrSplit(text, ',');
  double hours = 0;
  v1::CapacityChanges::ExtraShift x;
  if (f.size() < 4 || f.size() > 5 || !ToDate(f[1], x.mutable_date()) ||
      !absl::SimpleAtod(f[3], &hours) || hours <= 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("--add-shift \"", text, "\": expected office,YYYY-MM-DD,skill,hours[,HH:MM]"));
  }
  x.set_office(Qualify("offices", f[0]));
  x.set_service_type(Qualify("serviceTypes", f[2]));
  x.set_minutes(static_cast<std::int64_t>(hours * 60 + 0.5));
  if (f.size() == 5) x.set_start_time(f[4]);
  *out->add_extra_shifts() = std::move(x);
  return absl::OkStatus();
}

// "clerk,YYYY-MM-DD[,YYYY-MM-DD]".
absl::Status AddAbsence(const std::string& text, v1::CapacityChanges* out) {
  std::vector<std::string> f = absl::StrSplit(text, ',');
  v1::CapacityChanges::ClerkAbsence a;
  if (f.size() < 2 || f.size() > 3 || !ToDate(f[1], a.mutable_start_date()) ||
      (f.size() == 3 && !ToDate(f[2], a.mutable_end_date()))) {
    return absl::InvalidArgumentError(
        absl::StrCat("--absent \"", text, "\": expected clerk,YYYY-MM-DD[,YYYY-MM-DD]"));
  }
  a.set_clerk(Qualify("clerks", f[0]));
  *out->add_absences() = std::move(a);
  return absl::OkStatus();
}

// The plan what-ifs compare with: the committed one, else the newest ready one.
absl::StatusOr<v1::Plan> BasePlan(const Client& client, v1::PlanService::Stub& stub,
                                  const std::string& outage) {
  v1::ListPlansRequest req;
  req.set_parent(outage);
  v1::ListPlansResponse all;
  grpc::Status s = ListAll(
      req, kNoLimit,
      [&](const auto& r, auto* page) { return stub.ListPlans(client.Context().get(), r, page); },
      [](auto* r) { return r->mutable_plans(); }, &all);
  if (!s.ok())
    return absl::Status(static_cast<absl::StatusCode>(s.error_code()), s.error_message());
  const v1::Plan* best = nullptr;
  for (const v1::Plan& p : all.plans()) {
    if (p.state() == v1::Plan::COMMITTED) return p;
    if (p.state() == v1::Plan::READY &&
        (best == nullptr || p.create_time().seconds() >= best->create_time().seconds())) {
      best = &p;
    }
  }
  if (best == nullptr) {
    return absl::FailedPreconditionError(
        absl::StrCat(outage, " has no committed or ready plan to compare with: create one first"));
  }
  return *best;
}

}  // namespace

void AddPlanWhatIfCommand(CLI::App& plan, const GlobalOptions& global, int* exit_code) {
  struct WhatIf {
    std::string outage, base, language = "de";
    std::vector<std::string> shifts, absences;
    double reserve = -1, time_limit = 10;
  };
  auto w = std::make_shared<WhatIf>();
  CLI::App* cmd = plan.add_subcommand(
      "whatif", "Solve with capacity changes that are not stored and compare with the plan");
  cmd->add_option("outage", w->outage, "outage id or name")->required();
  cmd->add_option("--add-shift", w->shifts,
                  "extra shift office,YYYY-MM-DD,skill,hours[,HH:MM] (repeat)");
  cmd->add_option("--absent", w->absences, "clerk away clerk,YYYY-MM-DD[,YYYY-MM-DD] (repeat)");
  cmd->add_option("--reserve", w->reserve, "another reserve share (0 to 1)");
  cmd->add_option("--base", w->base, "plan to compare with (default: the committed one)");
  cmd->add_option("--time-limit", w->time_limit, "solver seconds")->capture_default_str();
  cmd->add_option("--language", w->language, "de or en")
      ->check(CLI::IsMember({"de", "en"}))
      ->capture_default_str();
  cmd->callback([=, &global] {
    v1::CreatePlanRequest req;
    req.set_parent(Qualify("outages", w->outage));
    req.set_request_id(NewRequestId());
    v1::CapacityChanges* changes = req.mutable_what_if();
    absl::Status bad;
    for (const std::string& s : w->shifts) bad.Update(AddShift(s, changes));
    for (const std::string& a : w->absences) bad.Update(AddAbsence(a, changes));
    if (w->reserve >= 0) changes->set_reserve_share(w->reserve);
    if (!bad.ok()) {
      std::cerr << "error: " << bad.message() << "\n";
      return void(*exit_code = cli::kExitUsage);
    }
    auto client = Client::Connect(global);
    if (!client.ok()) return void(*exit_code = ReportError(client.status()));
    auto stub = v1::PlanService::NewStub(client->channel());
    absl::StatusOr<v1::Plan> base;
    if (w->base.empty()) {
      base = BasePlan(*client, *stub, req.parent());
    } else {
      v1::GetPlanRequest get;
      get.set_name(w->base.rfind("outages/", 0) == 0 ? w->base
                                                     : req.parent() + "/plans/" + w->base);
      v1::Plan p;
      grpc::Status s = stub->GetPlan(client->Context().get(), get, &p);
      base = s.ok() ? absl::StatusOr<v1::Plan>(p) : absl::InternalError(s.error_message());
      if (!s.ok()) return void(*exit_code = ReportError(s));
    }
    if (!base.ok()) return void(*exit_code = ReportError(base.status()));
    // The base plan's parameters, with this call's solve time.
    *req.mutable_parameters() = base->parameters();
    req.mutable_parameters()->mutable_time_limit()->set_seconds(
        static_cast<std::int64_t>(w->time_limit));
    v1::Plan what_if;
    ProgressBar bar("% of the search time", 100);
    grpc::Status s =
        client->CallWithRetry(static_cast<int>(w->time_limit) + 120, [&](grpc::ClientContext* ctx) {
          auto reader = stub->CreatePlan(ctx, req);
          v1::CreatePlanResponse msg;
          while (reader->Read(&msg)) {
            if (msg.has_progress()) {
              bar.Update(static_cast<std::int64_t>(100 * msg.progress().fraction()));
            }
            if (msg.has_plan()) what_if = msg.plan();
          }
          return reader->Finish();
        });
    bar.Finish(s.ok() ? "what-if plan ready" : "failed");
    if (!s.ok()) return void(*exit_code = ReportError(s));
    v1::ComparePlansRequest cmp;
    cmp.set_plan_a(base->name());
    cmp.set_plan_b(what_if.name());
    cmp.set_language_code(w->language);
    v1::PlanComparison resp;
    s = stub->ComparePlans(client->Context().get(), cmp, &resp);
    if (!s.ok()) return void(*exit_code = ReportError(s));
    if (global.json) return PrintJson(resp);
    const bool en = w->language == "en";
    std::cout << (en ? "What-if plan " : "Was-wäre-wenn-Plan ") << what_if.name()
              << (en ? " (not committable; capacity unchanged)\n"
                     : " (nicht festschreibbar; Kapazität unverändert)\n")
              << (en ? "compared with " : "verglichen mit ") << base->name() << ":\n";
    for (const std::string& line : resp.staff_text()) std::cout << "  " << line << "\n";
  });
}

}  // namespace rebook::ctl
