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
#include "tools/rebookctl/progress_bar.h"
#include "tools/rebookctl/what_if_client.h"

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
    v1::CreatePlanRequest req;  // only its parent and changes: SolveWhatIf fills the rest
    req.set_parent(Qualify("outages", w->outage));
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
    absl::StatusOr<v1::Plan> base;
    if (w->base.empty()) {
      base = BasePlan(*client, req.parent());
    } else {
      v1::GetPlanRequest get;
      get.set_name(w->base.rfind("outages/", 0) == 0 ? w->base
                                                     : req.parent() + "/plans/" + w->base);
      v1::Plan p;
      grpc::Status s =
          v1::PlanService::NewStub(client->channel())->GetPlan(client->Context().get(), get, &p);
      if (!s.ok()) return void(*exit_code = ReportError(s));
      base = std::move(p);
    }
    if (!base.ok()) return void(*exit_code = ReportError(base.status()));
    ProgressBar bar("% of the search time", 100);
    absl::StatusOr<WhatIfResult> r =
        SolveWhatIf(*client, *base, *changes, w->time_limit, w->language,
                    [&](double f) { bar.Update(static_cast<std::int64_t>(100 * f)); });
    bar.Finish(r.ok() ? "what-if plan ready" : "failed");
    if (!r.ok()) return void(*exit_code = ReportError(r.status()));
    const v1::Plan& what_if = r->plan;
    const v1::PlanComparison& resp = r->comparison;
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
