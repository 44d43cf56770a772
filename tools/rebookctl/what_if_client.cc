#include "tools/rebookctl/what_if_client.h"

#include <algorithm>
#include <iostream>

#include "absl/strings/str_cat.h"
#include "tools/rebookctl/commands.h"
#include "tools/rebookctl/paging.h"

namespace rebook::ctl {
namespace {

namespace v1 = ::rebook::v1;

absl::Status ToStatus(const grpc::Status& s) {
  return absl::Status(static_cast<absl::StatusCode>(s.error_code()), s.error_message());
}

}  // namespace

absl::StatusOr<v1::Plan> BasePlan(const Client& client, const std::string& outage_name) {
  auto stub = v1::PlanService::NewStub(client.channel());
  v1::ListPlansRequest req;
  req.set_parent(outage_name);
  v1::ListPlansResponse all;
  grpc::Status s = ListAll(
      req, kNoLimit,
      [&](const auto& r, auto* page) { return stub->ListPlans(client.Context().get(), r, page); },
      [](auto* r) { return r->mutable_plans(); }, &all);
  if (!s.ok()) return ToStatus(s);
  const v1::Plan* best = nullptr;
  for (const v1::Plan& p : all.plans()) {
    if (p.state() == v1::Plan::COMMITTED) return p;
    if (p.state() == v1::Plan::READY &&
        (best == nullptr || p.create_time().seconds() >= best->create_time().seconds())) {
      best = &p;
    }
  }
  if (best == nullptr) {
    return absl::FailedPreconditionError(absl::StrCat(
        outage_name, " has no committed or ready plan to compare with: create one first"));
  }
  return *best;
}

absl::StatusOr<WhatIfResult> SolveWhatIf(const Client& client, const v1::Plan& base,
                                         const v1::CapacityChanges& changes, double seconds,
                                         const std::string& language,
                                         const std::function<void(double)>& progress) {
  auto stub = v1::PlanService::NewStub(client.channel());
  v1::CreatePlanRequest req;
  req.set_parent(base.name().substr(0, base.name().find("/plans/")));
  req.set_request_id(NewRequestId());
  *req.mutable_what_if() = changes;
  *req.mutable_parameters() = base.parameters();
  req.mutable_parameters()->mutable_time_limit()->set_seconds(static_cast<std::int64_t>(seconds));
  req.mutable_parameters()->mutable_time_limit()->set_nanos(0);
  WhatIfResult out;
  grpc::Status s =
      client.CallWithRetry(static_cast<int>(seconds) + 120, [&](grpc::ClientContext* ctx) {
        auto reader = stub->CreatePlan(ctx, req);
        v1::CreatePlanResponse msg;
        while (reader->Read(&msg)) {
          if (msg.has_progress() && progress) progress(msg.progress().fraction());
          if (msg.has_plan()) out.plan = msg.plan();
        }
        return reader->Finish();
      });
  if (!s.ok()) return ToStatus(s);
  v1::ComparePlansRequest cmp;
  cmp.set_plan_a(base.name());
  cmp.set_plan_b(out.plan.name());
  cmp.set_language_code(language);
  s = stub->ComparePlans(client.Context().get(), cmp, &out.comparison);
  if (!s.ok()) return ToStatus(s);
  return out;
}

void AddShiftEffects(const Client& client, double seconds, report::ReportInput& in) {
  if (!in.plan.has_value() || seconds <= 0) return;
  v1::GetPlanRequest get;
  get.set_name(absl::StrCat("outages/", in.outage_id, "/plans/", in.plan->id));
  v1::Plan base;
  grpc::Status s =
      v1::PlanService::NewStub(client.channel())->GetPlan(client.Context().get(), get, &base);
  if (!s.ok()) return;
  std::vector<report::SuggestedShiftInfo>& shifts = in.plan->suggested_shifts;
  for (std::size_t i = 0; i < shifts.size() && i < 3; ++i) {
    report::SuggestedShiftInfo& x = shifts[i];
    v1::CapacityChanges changes;
    v1::CapacityChanges::ExtraShift* e = changes.add_extra_shifts();
    e->set_office(absl::StrCat("offices/", x.office_id));
    e->set_service_type(absl::StrCat("serviceTypes/", x.service_id));
    e->mutable_date()->set_year(static_cast<int>(x.day.year()));
    e->mutable_date()->set_month(static_cast<int>(static_cast<unsigned>(x.day.month())));
    e->mutable_date()->set_day(static_cast<int>(static_cast<unsigned>(x.day.day())));
    e->set_minutes(std::clamp<std::int64_t>(x.minutes, 15, 720));
    absl::StatusOr<WhatIfResult> r = SolveWhatIf(client, base, changes, seconds, "de", {});
    if (!r.ok()) {
      std::cerr << "note: the effect of extra shift " << i + 1
                << " was not measured: " << r.status().message() << "\n";
      if (r.status().code() == absl::StatusCode::kPermissionDenied) return;
      continue;
    }
    const v1::StaffFigures& a = r->comparison.staff_a();
    const v1::StaffFigures& b = r->comparison.staff_b();
    x.effect = report::ShiftEffect{a.placed(),
                                   b.placed(),
                                   a.placed_within_5_working_days(),
                                   b.placed_within_5_working_days(),
                                   a.mean_delay_days(),
                                   b.mean_delay_days()};
  }
}

}  // namespace rebook::ctl
