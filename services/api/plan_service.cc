#include "services/api/plan_service.h"

#include <cmath>
#include <limits>
#include <unordered_map>

#include "absl/strings/str_cat.h"
#include "services/api/access.h"
#include "services/api/convert.h"
#include "services/api/convert_plans.h"
#include "services/api/names.h"
#include "services/common/status_macros.h"
#include "services/rebooking/commit.h"
#include "services/rebooking/offer_alternatives.h"
#include "services/rebooking/planning.h"
#include "services/solver/solver.h"
#include "services/solver/time_budget.h"

namespace rebook::api {
namespace {

constexpr char kCreate[] = "rebook.v1.PlanService/CreatePlan";
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

// Reads an outage the principal may see and plan for (all its offices must be theirs).
absl::StatusOr<domain::Outage> PlannableOutage(storage::Transaction& tx, const Principal& who,
                                               const std::string& outage_id) {
  absl::StatusOr<domain::Outage> o = tx.GetOutage(outage_id);
  const std::string name = OutageName(outage_id);
  if (!o.ok()) return MapNotFound(o.status(), "outage", name);
  if (!CanSeeOutage(who, *o)) return NotFound("outage", name);
  return o;
}

absl::StatusOr<PlanName> ParsePlan(const std::string& name, const std::string& field) {
  return ParsePlanName(name, field);
}

absl::StatusOr<domain::PlanRecord> VisiblePlan(storage::Transaction& tx, const Principal& who,
                                               const PlanName& n) {
  REBOOK_RETURN_IF_ERROR(PlannableOutage(tx, who, n.outage_id).status());
  absl::StatusOr<domain::PlanRecord> p = tx.GetPlan(n.outage_id, n.plan_id);
  if (!p.ok()) return MapNotFound(p.status(), "plan", PlanResourceName(n.outage_id, n.plan_id));
  return p;
}

// Solving takes part of the client's deadline; leave some for storing the result.
double EffectiveLimit(double requested, const grpc::ServerContext& ctx) {
  double remaining =
      std::chrono::duration<double>(ctx.deadline() - std::chrono::system_clock::now()).count();
  return std::max(0.05, std::min(requested, remaining * 0.8));
}

}  // namespace

grpc::Status PlanServiceImpl::CreatePlan(Ctx* ctx, const v1::CreatePlanRequest* req,
                                         grpc::ServerWriter<v1::CreatePlanResponse>* writer) {
  return env_.Handle(ctx, "CreatePlan", [&](const Call& call) -> absl::Status {
    REBOOK_RETURN_IF_ERROR(Require(call.principal, Permission::kManagePlans));
    REBOOK_ASSIGN_OR_RETURN(std::string outage_id, ParseOutageName(req->parent(), "parent"));
    FieldViolations v;
    PlanRequestParams p = FromProto(req->parameters(), "parameters", v);
    if (!req->plan_id().empty() && !domain::IsValidId(req->plan_id())) {
      v.Add("plan_id", "must be 1 to 128 characters of [A-Za-z0-9._~-]", "BAD_ID");
    }
    REBOOK_RETURN_IF_ERROR(v.ToStatus("invalid plan request"));
    REBOOK_RETURN_IF_ERROR(rebooking::CheckPlanParams(p.params, "parameters"));
    REBOOK_RETURN_IF_ERROR(CheckRequestId(req->request_id()));
    const std::string fingerprint = Fingerprint(*req);

    // A retry of a finished request gets the stored plan without solving again.
    v1::CreatePlanResponse final_message;
    bool replayed = false;
    rebooking::PlanningInput input;
    REBOOK_RETURN_IF_ERROR(
        env_.store().Read(call.tx_options, [&](storage::Transaction& tx) -> absl::Status {
          REBOOK_ASSIGN_OR_RETURN(domain::Outage outage,
                                  PlannableOutage(tx, call.principal, outage_id));
          REBOOK_RETURN_IF_ERROR(RequireAllOffices(call.principal, outage.office_ids));
          REBOOK_ASSIGN_OR_RETURN(
              replayed, ReplayStoredResponse(tx, call.principal, req->request_id(), kCreate,
                                             fingerprint, final_message.mutable_plan()));
          if (replayed) return absl::OkStatus();
          if (outage.state != domain::OutageState::kActive) {
            return absl::FailedPreconditionError("the outage is closed");
          }
          REBOOK_ASSIGN_OR_RETURN(input, rebooking::LoadPlanningInput(tx, outage, p.params,
                                                                      rebooking::PlanScope::kOpen));
          return absl::OkStatus();
        }));
    if (replayed) {
      writer->Write(final_message);
      return absl::OkStatus();
    }

    CallBudget budget(EffectiveLimit(p.time_limit_seconds, *ctx), ctx);
    solver::SolveOptions options;
    options.seed = p.seed;
    options.budget = &budget;
    options.improve_effort = options_.improve_effort;
    auto last = std::chrono::steady_clock::now() - options_.progress_interval;
    options.progress = [&](const solver::SolveProgress& progress) {
      auto now = std::chrono::steady_clock::now();
      if (now - last < options_.progress_interval && progress.fraction < 1.0) return;
      last = now;
      v1::CreatePlanResponse msg;
      v1::SolveProgress* out = msg.mutable_progress();
      out->set_fraction(progress.fraction);
      out->set_phase(progress.phase);
      out->set_objective(progress.objective);
      if (progress.lower_bound) out->set_lower_bound(*progress.lower_bound);
      double elapsed = budget.ElapsedSeconds();
      if (std::isfinite(elapsed))
        out->mutable_elapsed()->set_seconds(static_cast<std::int64_t>(elapsed));
      writer->Write(msg);
    };
    absl::StatusOr<domain::Plan> plan = solver::Solve(input.scenario, options);
    if (ctx->IsCancelled()) return absl::CancelledError("the client cancelled the solve");
    REBOOK_RETURN_IF_ERROR(plan.status());

    domain::PlanRecord record;
    record.outage_id = outage_id;
    record.id = req->plan_id().empty() ? env_.ids().NewId("plan") : req->plan_id();
    record.state = domain::PlanState::kReady;
    record.params = p.params;
    record.seed = p.seed;
    record.time_limit_seconds = p.time_limit_seconds;
    record.summary = plan->summary;
    record.create_time = env_.clock().Now();
    v1::Plan* out = final_message.mutable_plan();
    REBOOK_RETURN_IF_ERROR(env_.WriteIdempotent(
        call, req->request_id(), kCreate, fingerprint, out,
        [&](storage::Transaction& tx) -> absl::Status {
          if (tx.GetPlan(outage_id, record.id).ok()) {
            return absl::AlreadyExistsError(absl::StrCat("plan \"", record.id, "\" exists"));
          }
          REBOOK_RETURN_IF_ERROR(rebooking::StorePlan(tx, record, *plan));
          ToProto(record, call.principal.VisibleOffices(), out);
          return absl::OkStatus();
        }));
    writer->Write(final_message);
    return absl::OkStatus();
  });
}

grpc::Status PlanServiceImpl::GetPlan(Ctx* ctx, const v1::GetPlanRequest* req, v1::Plan* resp) {
  return env_.Handle(ctx, "GetPlan", *req, [&](const Call& call) -> absl::Status {
    REBOOK_RETURN_IF_ERROR(Require(call.principal, Permission::kReadPlans));
    REBOOK_ASSIGN_OR_RETURN(PlanName n, ParsePlan(req->name(), "name"));
    return env_.store().Read(call.tx_options, [&](storage::Transaction& tx) -> absl::Status {
      REBOOK_ASSIGN_OR_RETURN(domain::PlanRecord p, VisiblePlan(tx, call.principal, n));
      ToProto(p, call.principal.VisibleOffices(), resp);
      return absl::OkStatus();
    });
  });
}

grpc::Status PlanServiceImpl::ListPlans(Ctx* ctx, const v1::ListPlansRequest* req,
                                        v1::ListPlansResponse* resp) {
  return env_.Handle(ctx, "ListPlans", *req, [&](const Call& call) -> absl::Status {
    REBOOK_RETURN_IF_ERROR(Require(call.principal, Permission::kReadPlans));
    REBOOK_ASSIGN_OR_RETURN(std::string outage_id, ParseOutageName(req->parent(), "parent"));
    return env_.store().Read(call.tx_options, [&](storage::Transaction& tx) -> absl::Status {
      REBOOK_RETURN_IF_ERROR(PlannableOutage(tx, call.principal, outage_id).status());
      REBOOK_ASSIGN_OR_RETURN(
          auto page, tx.ListPlans(outage_id, {ClampPageSize(req->page_size()), req->page_token()}));
      resp->Clear();
      for (const auto& p : page.items)
        ToProto(p, call.principal.VisibleOffices(), resp->add_plans());
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
      std::vector<std::string> ids;
      for (const auto& a : page.items) ids.push_back(a.appointment_id);
      REBOOK_ASSIGN_OR_RETURN(auto appointments, tx.FindAppointments(ids));
      std::unordered_map<std::string, std::string> original_office;
      for (const auto& a : appointments) original_office[a.id] = a.office_id;
      std::unordered_map<std::string, std::string> zones;
      resp->Clear();
      for (const auto& a : page.items) {
        const std::string& tz_office =
            a.office_id.empty() ? original_office[a.appointment_id] : a.office_id;
        auto z = zones.find(tz_office);
        if (z == zones.end()) z = zones.emplace(tz_office, OfficeTimeZone(tx, tz_office)).first;
        ToProto(a, original_office[a.appointment_id], z->second, resp->add_assignments());
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
    return env_.store().Read(call.tx_options, [&](storage::Transaction& tx) -> absl::Status {
      REBOOK_RETURN_IF_ERROR(VisiblePlan(tx, call.principal, a).status());
      REBOOK_RETURN_IF_ERROR(VisiblePlan(tx, call.principal, b).status());
      REBOOK_ASSIGN_OR_RETURN(rebooking::PlanDifference d,
                              rebooking::ComparePlans(tx, a.outage_id, a.plan_id, b.plan_id));
      resp->Clear();
      ToProto(d.a.summary, call.principal.VisibleOffices(), resp->mutable_summary_a());
      ToProto(d.b.summary, call.principal.VisibleOffices(), resp->mutable_summary_b());
      resp->set_objective_delta(d.b.summary.objective - d.a.summary.objective);
      resp->set_changed_count(d.changed);
      resp->set_assigned_only_in_a(d.assigned_only_in_a);
      resp->set_assigned_only_in_b(d.assigned_only_in_b);
      return absl::OkStatus();
    });
  });
}

grpc::Status PlanServiceImpl::CommitPlan(Ctx* ctx, const v1::CommitPlanRequest* req,
                                         v1::Plan* resp) {
  return env_.Handle(ctx, "CommitPlan", *req, [&](const Call& call) -> absl::Status {
    REBOOK_RETURN_IF_ERROR(Require(call.principal, Permission::kManagePlans));
    REBOOK_ASSIGN_OR_RETURN(PlanName n, ParsePlan(req->name(), "name"));
    return env_.WriteIdempotent(
        call, req->request_id(), kCommit, Fingerprint(*req), resp,
        [&](storage::Transaction& tx) -> absl::Status {
          REBOOK_ASSIGN_OR_RETURN(domain::Outage outage,
                                  PlannableOutage(tx, call.principal, n.outage_id));
          REBOOK_RETURN_IF_ERROR(RequireAllOffices(call.principal, outage.office_ids));
          REBOOK_RETURN_IF_ERROR(VisiblePlan(tx, call.principal, n).status());
          rebooking::CommitContext commit{env_.clock().Now(), &env_.ids(), &outbox_};
          REBOOK_ASSIGN_OR_RETURN(rebooking::CommitResult r,
                                  rebooking::CommitPlan(tx, n.outage_id, n.plan_id, commit));
          REBOOK_RETURN_IF_ERROR(rebooking::AttachAlternatives(tx, n.outage_id, n.plan_id,
                                                               options_.replan.alternatives)
                                     .status());
          ToProto(r.plan, call.principal.VisibleOffices(), resp);
          return absl::OkStatus();
        });
  });
}

grpc::Status PlanServiceImpl::ReplanOutage(Ctx* ctx, const v1::ReplanOutageRequest* req,
                                           v1::Plan* resp) {
  return env_.Handle(ctx, "ReplanOutage", [&](const Call& call) -> absl::Status {
    REBOOK_RETURN_IF_ERROR(Require(call.principal, Permission::kManagePlans));
    REBOOK_ASSIGN_OR_RETURN(std::string outage_id, ParseOutageName(req->outage(), "outage"));
    std::optional<rebooking::ReplanParams> overrides;
    if (req->has_parameters()) {
      FieldViolations v;
      PlanRequestParams p = FromProto(req->parameters(), "parameters", v);
      REBOOK_RETURN_IF_ERROR(v.ToStatus("invalid re-plan request"));
      REBOOK_RETURN_IF_ERROR(rebooking::CheckPlanParams(p.params, "parameters"));
      overrides = rebooking::ReplanParams{p.params, p.seed, p.time_limit_seconds};
    }
    REBOOK_RETURN_IF_ERROR(CheckRequestId(req->request_id()));
    const std::string fingerprint = Fingerprint(*req);

    absl::Status status;
    for (int attempt = 1; attempt <= std::max(1, options_.replan_attempts); ++attempt) {
      // Read (or replay), solve outside any transaction, then commit if nothing changed.
      bool replayed = false;
      rebooking::ReplanInput input;
      REBOOK_RETURN_IF_ERROR(
          env_.store().Read(call.tx_options, [&](storage::Transaction& tx) -> absl::Status {
            REBOOK_ASSIGN_OR_RETURN(domain::Outage outage,
                                    PlannableOutage(tx, call.principal, outage_id));
            REBOOK_RETURN_IF_ERROR(RequireAllOffices(call.principal, outage.office_ids));
            REBOOK_ASSIGN_OR_RETURN(
                replayed, ReplayStoredResponse(tx, call.principal, req->request_id(), kReplan,
                                               fingerprint, resp));
            if (replayed) return absl::OkStatus();
            REBOOK_ASSIGN_OR_RETURN(
                input, rebooking::PrepareReplan(tx, outage_id, overrides, env_.clock().Now(),
                                                options_.replan));
            return absl::OkStatus();
          }));
      if (replayed) return absl::OkStatus();

      CallBudget budget(EffectiveLimit(input.params.time_limit_seconds, *ctx), ctx);
      solver::SolveOptions options;
      options.seed = input.params.seed;
      options.budget = &budget;
      options.improve_effort = options_.improve_effort;
      absl::StatusOr<domain::Plan> plan = rebooking::SolveReplan(input, options);
      if (ctx->IsCancelled()) return absl::CancelledError("the client cancelled the re-plan");
      REBOOK_RETURN_IF_ERROR(plan.status());

      const std::string plan_id = env_.ids().NewId("replan");
      status = env_.WriteIdempotent(
          call, req->request_id(), kReplan, fingerprint, resp,
          [&](storage::Transaction& tx) -> absl::Status {
            rebooking::CommitContext commit{env_.clock().Now(), &env_.ids(), &outbox_};
            REBOOK_ASSIGN_OR_RETURN(
                rebooking::ReplanResult r,
                rebooking::CommitReplan(tx, input, *plan, plan_id, commit, options_.replan));
            ToProto(r.plan, call.principal.VisibleOffices(), resp);
            return absl::OkStatus();
          });
      if (status.code() != absl::StatusCode::kAborted) return status;
    }
    return status;
  });
}

}  // namespace rebook::api
