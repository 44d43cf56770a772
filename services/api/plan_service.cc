#include "services/api/plan_service.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <functional>
#include <limits>
#include <optional>
#include <unordered_map>

#include "services/api/access.h"
#include "services/api/convert.h"
#include "services/api/convert_explain.h"
#include "services/api/convert_plans.h"
#include "services/api/names.h"
#include "services/api/operation_service.h"
#include "services/common/status_macros.h"
#include "services/rebooking/commit.h"
#include "services/rebooking/plan_use_case.h"
#include "services/rebooking/plan_view.h"
#include "services/rebooking/planning.h"
#include "services/solver/solver.h"
#include "services/solver/time_budget.h"

namespace rebook::api {
namespace {

constexpr char kCreatePlanMethod[] = "rebook.v1.PlanService/CreatePlan";
constexpr char kCommit[] = "rebook.v1.PlanService/CommitPlan";
constexpr char kReplan[] = "rebook.v1.PlanService/ReplanOutage";

// A time limit that also ends when the client goes away.
class CallBudget final : public solver::TimeBudget {
 public:
  CallBudget(double limit_seconds, grpc::ServerContext* ctx) : inner_(limit_seconds), ctx_(ctx) {}
  double ElapsedSeconds() const override {
    return ctx_->IsCancelled() ? std::numeric_limits<double>::infinity() : inner_.ElapsedSeconds();
  }
  double LimitSeconds() const override { return inner_.LimitSeconds(); }

 private:
  solver::SteadyTimeBudget inner_;
  grpc::ServerContext* ctx_;
};

// Reads an outage the principal may see.
absl::StatusOr<domain::Outage> VisibleOutage(storage::Transaction& tx, const Principal& who,
                                             const std::string& outage_id) {
  absl::StatusOr<domain::Outage> o = tx.GetOutage(outage_id);
  const std::string name = OutageName(outage_id);
  if (!o.ok()) return MapNotFound(o.status(), "outage", name);
  if (!CanSeeOutage(who, *o)) return NotFound("outage", name);
  return o;
}

// Reads an outage the principal may see and plan for (all its offices must be theirs).
absl::StatusOr<domain::Outage> PlannableOutage(storage::Transaction& tx, const Principal& who,
                                               const std::string& outage_id) {
  REBOOK_ASSIGN_OR_RETURN(domain::Outage outage, VisibleOutage(tx, who, outage_id));
  REBOOK_RETURN_IF_ERROR(RequireAllOffices(who, outage.office_ids));
  return outage;
}

absl::StatusOr<PlanName> ParsePlan(const std::string& name, const std::string& field) {
  return ParsePlanName(name, field);
}

// `outage` (optional) receives the plan's outage.
absl::StatusOr<domain::PlanRecord> VisiblePlan(storage::Transaction& tx, const Principal& who,
                                               const PlanName& n,
                                               domain::Outage* outage = nullptr) {
  REBOOK_ASSIGN_OR_RETURN(domain::Outage o, VisibleOutage(tx, who, n.outage_id));
  absl::StatusOr<domain::PlanRecord> p = tx.GetPlan(n.outage_id, n.plan_id);
  if (!p.ok()) return MapNotFound(p.status(), "plan", PlanResourceName(n.outage_id, n.plan_id));
  if (outage != nullptr) *outage = std::move(o);
  return p;
}

// The offices of `outage` that `who` may see; nullopt when they are all of them.
std::optional<std::vector<std::string>> PartOfOutage(const Principal& who,
                                                     const domain::Outage& outage) {
  std::vector<std::string> mine;
  for (const std::string& office : outage.office_ids) {
    if (who.CanAccessOffice(office)) mine.push_back(office);
  }
  if (mine.size() == outage.office_ids.size()) return std::nullopt;
  return mine;
}

// A plan as `who` may see it: of an outage shared with offices not theirs, the summary counts
// and costs only the citizens of their offices.
absl::Status PlanToProto(storage::Transaction& tx, const Principal& who,
                         const domain::Outage& outage, domain::PlanRecord plan, v1::Plan* out) {
  if (std::optional<std::vector<std::string>> mine = PartOfOutage(who, outage)) {
    REBOOK_ASSIGN_OR_RETURN(plan.summary, rebooking::SummaryForOffices(tx, plan, *mine));
  }
  ToProto(plan, who.VisibleOffices(), out);
  return absl::OkStatus();
}

// Solving takes part of the client's deadline; leave some for storing the result.
double EffectiveLimit(double requested, const grpc::ServerContext& ctx) {
  double remaining =
      std::chrono::duration<double>(ctx.deadline() - std::chrono::system_clock::now()).count();
  return std::max(0.05, std::min(requested, remaining * 0.8));
}

// What a planning RPC adds to a rebooking use case (plan_use_case.h): the principal's office
// checks, replay of a request answered before (the answer is a v1::Plan, stored by
// WriteIdempotent), and the client's deadline and cancellation.
class RpcPlanCall final : public rebooking::PlanCall {
 public:
  // `response` receives the answer; all pointers must outlive the object.
  RpcPlanCall(const ServiceEnv* env, const Call* call, grpc::ServerContext* ctx, const char* method,
              const std::string& request_id, v1::Plan* response,
              const google::protobuf::Message& request)
      : env_(*env),
        call_(*call),
        ctx_(ctx),
        method_(method),
        request_id_(request_id),
        fingerprint_(Fingerprint(request)),
        response_(response) {}

  absl::StatusOr<domain::Outage> PlannableOutage(storage::Transaction& tx,
                                                 const std::string& outage_id) override {
    return api::PlannableOutage(tx, call_.principal, outage_id);
  }
  absl::StatusOr<bool> Replayed(storage::Transaction& tx) override {
    return ReplayStoredResponse(tx, call_.principal, request_id_, method_, fingerprint_, response_);
  }
  const solver::TimeBudget& StartSolve(double limit_seconds) override {
    return budget_.emplace(EffectiveLimit(limit_seconds, *ctx_), ctx_);
  }
  bool Cancelled() const override { return ctx_->IsCancelled(); }
  absl::Status WriteOnce(
      absl::FunctionRef<absl::StatusOr<domain::PlanRecord>(storage::Transaction&)> write) override {
    return env_.WriteIdempotent(call_, request_id_, method_, fingerprint_, response_,
                                [&](storage::Transaction& tx) -> absl::Status {
                                  REBOOK_ASSIGN_OR_RETURN(domain::PlanRecord plan, write(tx));
                                  ToProto(plan, call_.principal.VisibleOffices(), response_);
                                  return absl::OkStatus();
                                });
  }

 private:
  const ServiceEnv& env_;
  const Call& call_;
  grpc::ServerContext* ctx_;
  const std::string method_;
  const std::string request_id_;
  const std::string fingerprint_;
  v1::Plan* response_;
  std::optional<CallBudget> budget_;
};

// Streams solver progress to the client: at most one message per `interval`, and the last one.
std::function<void(const solver::SolveProgress&, double)> StreamProgress(
    std::chrono::milliseconds interval, grpc::ServerWriter<v1::CreatePlanResponse>* writer) {
  auto last = std::chrono::steady_clock::now() - interval;
  return [interval, writer, last](const solver::SolveProgress& progress, double elapsed) mutable {
    auto now = std::chrono::steady_clock::now();
    if (now - last < interval && progress.fraction < 1.0) return;
    last = now;
    v1::CreatePlanResponse msg;
    v1::SolveProgress* out = msg.mutable_progress();
    out->set_fraction(progress.fraction);
    out->set_phase(progress.phase);
    out->set_objective(progress.objective);
    if (progress.lower_bound) out->set_lower_bound(*progress.lower_bound);
    if (std::isfinite(elapsed))
      out->mutable_elapsed()->set_seconds(static_cast<std::int64_t>(elapsed));
    writer->Write(msg);
  };
}

// Solver progress as an operation's stage "solving", in percent of the solve (GetOperation);
// then `also`, if set.
std::function<void(const solver::SolveProgress&, double)> ReportSolving(
    std::shared_ptr<Operation> op, std::function<void(const solver::SolveProgress&, double)> also) {
  if (op == nullptr) return also;
  return [op = std::move(op), also = std::move(also)](const solver::SolveProgress& progress,
                                                      double elapsed) {
    op->Report("solving", std::llround(std::clamp(progress.fraction, 0.0, 1.0) * 100), 100);
    if (also) also(progress, elapsed);
  };
}

}  // namespace

grpc::Status PlanServiceImpl::CreatePlan(Ctx* ctx, const v1::CreatePlanRequest* req,
                                         grpc::ServerWriter<v1::CreatePlanResponse>* writer) {
  return env_.Handle(ctx, "CreatePlan", *req, [&](const Call& call) -> absl::Status {
    REBOOK_RETURN_IF_ERROR(Require(call.principal, Permission::kManagePlans));
    REBOOK_ASSIGN_OR_RETURN(std::string outage_id, ParseOutageName(req->parent(), "parent"));
    FieldViolations v;
    PlanRequestParams p = FromProto(req->parameters(), "parameters", v);
    if (!req->plan_id().empty() && !domain::IsValidId(req->plan_id())) {
      v.Add("plan_id", "must be 1 to 128 characters of [A-Za-z0-9._~-]", "BAD_ID");
    }
    std::optional<rebooking::CapacityChanges> what_if;
    if (req->has_what_if()) what_if = FromProto(req->what_if(), "what_if", v);
    REBOOK_RETURN_IF_ERROR(v.ToStatus("invalid plan request"));
    REBOOK_RETURN_IF_ERROR(rebooking::CheckPlanParams(p.params, "parameters"));
    if (what_if) REBOOK_RETURN_IF_ERROR(rebooking::CheckCapacityChanges(*what_if, "what_if"));
    REBOOK_RETURN_IF_ERROR(CheckRequestId(req->request_id()));

    v1::CreatePlanResponse final_message;
    RpcPlanCall rpc(&env_, &call, ctx, kCreatePlanMethod, req->request_id(),
                    final_message.mutable_plan(), *req);
    REBOOK_RETURN_IF_ERROR(rebooking::CreatePlan(
        {outage_id, req->plan_id(), p.params, p.seed, p.time_limit_seconds, what_if}, Context(call),
        {options_.improve_effort,
         ReportSolving(OperationOf(options_.operations, ctx),
                       StreamProgress(options_.progress_interval, writer))},
        rpc));
    if (what_if) ToProto(*what_if, final_message.mutable_plan()->mutable_what_if());
    writer->Write(final_message);
    return absl::OkStatus();
  });
}

grpc::Status PlanServiceImpl::GetPlan(Ctx* ctx, const v1::GetPlanRequest* req, v1::Plan* resp) {
  return env_.Handle(ctx, "GetPlan", *req, [&](const Call& call) -> absl::Status {
    REBOOK_RETURN_IF_ERROR(Require(call.principal, Permission::kReadPlans));
    REBOOK_ASSIGN_OR_RETURN(PlanName n, ParsePlan(req->name(), "name"));
    return env_.store().Read(call.tx_options, [&](storage::Transaction& tx) -> absl::Status {
      domain::Outage outage;
      REBOOK_ASSIGN_OR_RETURN(domain::PlanRecord p, VisiblePlan(tx, call.principal, n, &outage));
      return PlanToProto(tx, call.principal, outage, std::move(p), resp);
    });
  });
}

grpc::Status PlanServiceImpl::ListPlans(Ctx* ctx, const v1::ListPlansRequest* req,
                                        v1::ListPlansResponse* resp) {
  return env_.Handle(ctx, "ListPlans", *req, [&](const Call& call) -> absl::Status {
    REBOOK_RETURN_IF_ERROR(Require(call.principal, Permission::kReadPlans));
    REBOOK_ASSIGN_OR_RETURN(std::string outage_id, ParseOutageName(req->parent(), "parent"));
    return env_.store().Read(call.tx_options, [&](storage::Transaction& tx) -> absl::Status {
      REBOOK_ASSIGN_OR_RETURN(domain::Outage outage, VisibleOutage(tx, call.principal, outage_id));
      REBOOK_ASSIGN_OR_RETURN(
          auto page, tx.ListPlans(outage_id, {ClampPageSize(req->page_size()), req->page_token()}));
      resp->Clear();
      for (const auto& p : page.items) {
        REBOOK_RETURN_IF_ERROR(PlanToProto(tx, call.principal, outage, p, resp->add_plans()));
      }
      resp->set_next_page_token(page.next_page_token);
      return absl::OkStatus();
    });
  });
}

grpc::Status PlanServiceImpl::ListPlanAssignments(Ctx* ctx,
                                                  const v1::ListPlanAssignmentsRequest* req,
                                                  v1::ListPlanAssignmentsResponse* resp) {
  return env_.Handle(ctx, "ListPlanAssignments", *req, [&](const Call& call) -> absl::Status {
    REBOOK_RETURN_IF_ERROR(Require(call.principal, Permission::kReadPlans));
    REBOOK_ASSIGN_OR_RETURN(PlanName n, ParsePlan(req->parent(), "parent"));
    storage::AssignmentFilter filter;
    std::string office = kAnyOffice;
    if (!req->office().empty()) {
      REBOOK_ASSIGN_OR_RETURN(office, ParseOfficeName(req->office(), "office"));
    }
    REBOOK_ASSIGN_OR_RETURN(filter.office_ids, ListScope(call.principal, office));
    filter.unassigned_only = req->unassigned_only();
    return env_.store().Read(call.tx_options, [&](storage::Transaction& tx) -> absl::Status {
      REBOOK_RETURN_IF_ERROR(VisiblePlan(tx, call.principal, n).status());
      REBOOK_ASSIGN_OR_RETURN(
          auto page, tx.ListAssignments(n.outage_id, n.plan_id, filter,
                                        {ClampPageSize(req->page_size()), req->page_token()}));
      std::unordered_map<std::string, std::string> zones;
      resp->Clear();
      for (const auto& a : page.items) {
        const std::string& tz_office = a.office_id.empty() ? a.appointment_office_id : a.office_id;
        auto z = zones.find(tz_office);
        if (z == zones.end()) z = zones.emplace(tz_office, OfficeTimeZone(tx, tz_office)).first;
        ToProto(a, z->second, resp->add_assignments());
      }
      resp->set_next_page_token(page.next_page_token);
      return absl::OkStatus();
    });
  });
}

grpc::Status PlanServiceImpl::ComparePlans(Ctx* ctx, const v1::ComparePlansRequest* req,
                                           v1::PlanComparison* resp) {
  return env_.Handle(ctx, "ComparePlans", *req, [&](const Call& call) -> absl::Status {
    REBOOK_RETURN_IF_ERROR(Require(call.principal, Permission::kReadPlans));
    REBOOK_ASSIGN_OR_RETURN(PlanName a, ParsePlan(req->plan_a(), "plan_a"));
    REBOOK_ASSIGN_OR_RETURN(PlanName b, ParsePlan(req->plan_b(), "plan_b"));
    if (a.outage_id != b.outage_id) {
      return InvalidField("plan_b", "must be a plan of the same outage as plan_a", "OTHER_OUTAGE");
    }
    const std::string& language = req->language_code();
    if (!language.empty() && language != "de" && language != "en") {
      return InvalidField("language_code", "must be \"de\" or \"en\"", "UNSUPPORTED_LANGUAGE");
    }
    return env_.store().Read(call.tx_options, [&](storage::Transaction& tx) -> absl::Status {
      domain::Outage outage;
      REBOOK_RETURN_IF_ERROR(VisiblePlan(tx, call.principal, a, &outage).status());
      REBOOK_RETURN_IF_ERROR(VisiblePlan(tx, call.principal, b).status());
      // Of an outage shared with offices not the caller's, only their citizens are compared.
      std::optional<std::vector<std::string>> mine = PartOfOutage(call.principal, outage);
      REBOOK_ASSIGN_OR_RETURN(
          rebooking::PlanDifference d,
          mine ? rebooking::ComparePlansForOffices(tx, a.outage_id, a.plan_id, b.plan_id, *mine)
               : rebooking::ComparePlans(tx, a.outage_id, a.plan_id, b.plan_id));
      resp->Clear();
      ToProto(d.a.summary, call.principal.VisibleOffices(), resp->mutable_summary_a());
      ToProto(d.b.summary, call.principal.VisibleOffices(), resp->mutable_summary_b());
      resp->set_objective_delta(d.b.summary.objective - d.a.summary.objective);
      resp->set_changed_count(d.changed);
      resp->set_assigned_only_in_a(d.assigned_only_in_a);
      resp->set_assigned_only_in_b(d.assigned_only_in_b);
      REBOOK_ASSIGN_OR_RETURN(rebooking::StaffFigures fa,
                              rebooking::PlanStaffFigures(tx, d.a, mine));
      REBOOK_ASSIGN_OR_RETURN(rebooking::StaffFigures fb,
                              rebooking::PlanStaffFigures(tx, d.b, mine));
      ToProto(fa, resp->mutable_staff_a());
      ToProto(fb, resp->mutable_staff_b());
      for (std::string& line : rebooking::CompareText(fa, fb, language.empty() ? "de" : language)) {
        resp->add_staff_text(std::move(line));
      }
      return absl::OkStatus();
    });
  });
}

grpc::Status PlanServiceImpl::CommitPlan(Ctx* ctx, const v1::CommitPlanRequest* req,
                                         v1::Plan* resp) {
  return env_.Handle(ctx, "CommitPlan", *req, [&](const Call& call) -> absl::Status {
    REBOOK_RETURN_IF_ERROR(Require(call.principal, Permission::kManagePlans));
    REBOOK_ASSIGN_OR_RETURN(PlanName n, ParsePlan(req->name(), "name"));
    const std::optional<domain::PlanState> at_start =
        rebooking::PlanStateAtStart(env_.store(), call.tx_options, n.outage_id, n.plan_id);
    const std::shared_ptr<Operation> op = OperationOf(options_.operations, ctx);
    return env_.WriteIdempotent(
        call, req->request_id(), kCommit, Fingerprint(*req), resp,
        [&](storage::Transaction& tx) -> absl::Status {
          REBOOK_RETURN_IF_ERROR(PlannableOutage(tx, call.principal, n.outage_id).status());
          REBOOK_RETURN_IF_ERROR(VisiblePlan(tx, call.principal, n).status());
          rebooking::CommitContext commit{env_.clock().Now(), &env_.ids(), &outbox_,
                                          options_.replan.alternatives, at_start};
          commit.progress = op.get();
          REBOOK_ASSIGN_OR_RETURN(rebooking::CommitResult r,
                                  rebooking::CommitPlanOnTime(tx, n.outage_id, n.plan_id, commit,
                                                              options_.replan.min_notice));
          ToProto(r.plan, call.principal.VisibleOffices(), resp);
          return absl::OkStatus();
        });
  });
}

grpc::Status PlanServiceImpl::ReplanOutage(Ctx* ctx, const v1::ReplanOutageRequest* req,
                                           v1::Plan* resp) {
  return env_.Handle(ctx, "ReplanOutage", *req, [&](const Call& call) -> absl::Status {
    REBOOK_RETURN_IF_ERROR(Require(call.principal, Permission::kManagePlans));
    rebooking::ReplanCommand command;
    REBOOK_ASSIGN_OR_RETURN(command.outage_id, ParseOutageName(req->outage(), "outage"));
    if (req->has_parameters()) {
      FieldViolations v;
      PlanRequestParams p = FromProto(req->parameters(), "parameters", v);
      REBOOK_RETURN_IF_ERROR(v.ToStatus("invalid re-plan request"));
      REBOOK_RETURN_IF_ERROR(rebooking::CheckPlanParams(p.params, "parameters"));
      command.overrides = rebooking::ReplanParams{p.params, p.seed, p.time_limit_seconds};
    }
    REBOOK_RETURN_IF_ERROR(CheckRequestId(req->request_id()));
    RpcPlanCall rpc(&env_, &call, ctx, kReplan, req->request_id(), resp, *req);
    const std::shared_ptr<Operation> op = OperationOf(options_.operations, ctx);
    rebooking::PlanContext context = Context(call);
    context.progress = op.get();
    return rebooking::ReplanOutage(
        command, context, {options_.improve_effort, ReportSolving(op, {})}, options_.replan, rpc);
  });
}

rebooking::PlanContext PlanServiceImpl::Context(const Call& call) const {
  return {&env_.store(), call.tx_options, &env_.clock(),
          &env_.ids(),   &outbox_,        options_.replan.min_notice};
}

}  // namespace rebook::api
