// PlanService of API v1: solve plans for an outage (streaming progress), read, compare and
// commit them.
#ifndef REBOOK_SERVICES_API_PLAN_SERVICE_H_
#define REBOOK_SERVICES_API_PLAN_SERVICE_H_

#include "rebook/v1/plans.grpc.pb.h"
#include "services/api/operation_registry.h"
#include "services/api/rpc_context.h"
#include "services/rebooking/outbox.h"
#include "services/rebooking/plan_use_case.h"
#include "services/rebooking/replan.h"

namespace rebook::api {

class PlanServiceImpl final : public rebook::v1::PlanService::Service {
 public:
  struct Options {
    // Improvement effort of the solver (neighbourhoods per appointment).
    double improve_effort = 3.0;
    // Least time between two progress messages of CreatePlan.
    std::chrono::milliseconds progress_interval{250};
    // Re-plans (ReplanOutage): notice for new slots (the server's minimum notice, which
    // CreatePlan and CommitPlan also keep), alternatives per new offer (also for the offers
    // CommitPlan creates), and attempts when the outage changes while it is re-planned.
    rebooking::ReplanOptions replan;
    // Where create, commit and re-plan report progress (GetOperation). Not owned; nullptr:
    // nowhere. The server sets its own.
    const OperationRegistry* operations = nullptr;
  };

  PlanServiceImpl(const ServiceEnv* env, const rebooking::OutboxPolicy* outbox, Options options)
      : env_(*env), outbox_(*outbox), options_(options) {}

  using Ctx = grpc::ServerContext;
  grpc::Status CreatePlan(Ctx* ctx, const v1::CreatePlanRequest* req,
                          grpc::ServerWriter<v1::CreatePlanResponse>* writer) override;
  grpc::Status GetPlan(Ctx* ctx, const v1::GetPlanRequest* req, v1::Plan* resp) override;
  grpc::Status ListPlans(Ctx* ctx, const v1::ListPlansRequest* req,
                         v1::ListPlansResponse* resp) override;
  grpc::Status ListPlanAssignments(Ctx* ctx, const v1::ListPlanAssignmentsRequest* req,
                                   v1::ListPlanAssignmentsResponse* resp) override;
  grpc::Status ComparePlans(Ctx* ctx, const v1::ComparePlansRequest* req,
                            v1::PlanComparison* resp) override;
  grpc::Status CommitPlan(Ctx* ctx, const v1::CommitPlanRequest* req, v1::Plan* resp) override;
  grpc::Status ReplanOutage(Ctx* ctx, const v1::ReplanOutageRequest* req, v1::Plan* resp) override;

 private:
  // The objects the planning use cases (rebooking/plan_use_case.h) work with during `call`.
  rebooking::PlanContext Context(const Call& call) const;

  const ServiceEnv& env_;
  const rebooking::OutboxPolicy& outbox_;
  Options options_;
};

}  // namespace rebook::api

#endif  // REBOOK_SERVICES_API_PLAN_SERVICE_H_
