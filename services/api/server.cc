#include "services/api/server.h"

#include "absl/strings/str_cat.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/health_check_service_interface.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server_builder.h"
#include "services/api/audit_interceptor.h"
#include "services/common/log.h"

namespace rebook::api {
namespace {

// Linking gRPC's reflection library registers its plug-in for every server of the process.
// This option removes it again from servers that did not ask for reflection.
class WithoutReflection final : public grpc::ServerBuilderOption {
 public:
  void UpdateArguments(grpc::ChannelArguments*) override {}
  void UpdatePlugins(std::vector<std::unique_ptr<grpc::ServerBuilderPlugin>>* plugins) override {
    std::erase_if(*plugins, [](const std::unique_ptr<grpc::ServerBuilderPlugin>& p) {
      return dynamic_cast<grpc::reflection::ProtoServerReflectionPlugin*>(p.get()) != nullptr;
    });
  }
};

AppointmentServiceImpl::Options WithOutbox(AppointmentServiceImpl::Options o,
                                           const rebooking::OutboxPolicy* outbox,
                                           const OperationRegistry* operations) {
  o.outbox = outbox;
  o.operations = operations;
  return o;
}

PlanServiceImpl::Options WithAlternatives(PlanServiceImpl::Options o,
                                          const rebooking::OfferPolicy& offers,
                                          const OperationRegistry* operations) {
  o.replan.alternatives = offers.alternatives;
  o.operations = operations;
  return o;
}

}  // namespace

RebookServer::RebookServer(const ServerOptions& options, storage::Store* store, Clock* clock,
                           IdGenerator* ids, const TokenRegistry* tokens)
    : options_(options),
      operation_registry_(clock),
      env_(store, clock, ids, tokens, options.env),
      outages_(&env_),
      appointments_(&env_,
                    WithOutbox(options.appointments, &options_.outbox, &operation_registry_)),
      capacity_(&env_),
      plans_(&env_, &options_.outbox,
             WithAlternatives(options.plans, options.offers, &operation_registry_)),
      notifications_(&env_, &options_.outbox, options.notifications),
      offers_(&env_, &options_.outbox, &options_.offers, options.public_throttle,
              &operation_registry_),
      privacy_(&env_, &options_.outbox, &options_.retention),
      audit_trail_(options.audit_log, clock),
      audit_(&env_, &audit_trail_),
      admin_(&env_, options.admin),
      changes_(&env_, options.changes),
      operations_(&env_, &operation_registry_) {
  if (options_.simulated_clock != nullptr) {
    simulation_ = std::make_unique<SimulationServiceImpl>(&env_, options_.simulated_clock);
  }
}

RebookServer::~RebookServer() {
  Shutdown();
  Wait();
}

absl::StatusOr<std::unique_ptr<RebookServer>> RebookServer::Start(const ServerOptions& options,
                                                                  storage::Store* store,
                                                                  Clock* clock, IdGenerator* ids,
                                                                  const TokenRegistry* tokens) {
  if (options.audit_log == nullptr) {
    return absl::FailedPreconditionError("the server needs an audit log (ServerOptions.audit_log)");
  }
  if (absl::Status listen =
          CheckListenSecurity(options.listen_address, options.tls, options.allow_insecure_listen);
      !listen.ok()) {
    return listen;
  }
  absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> credentials =
      MakeServerCredentials(options.tls);
  if (!credentials.ok()) return credentials.status();
  std::unique_ptr<RebookServer> s(new RebookServer(options, store, clock, ids, tokens));
  // HealthService replaces gRPC's default, which cannot answer NOT_SERVING while draining.
  grpc::EnableDefaultHealthCheckService(false);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  if (!options.enable_reflection) builder.SetOption(std::make_unique<WithoutReflection>());
  builder.AddListeningPort(options.listen_address, *credentials, &s->port_);
  builder.SetMaxReceiveMessageSize(options.max_receive_message_bytes);
  builder.SetMaxSendMessageSize(options.max_send_message_bytes);
  builder.SetSyncServerOption(grpc::ServerBuilder::MIN_POLLERS, options.min_pollers);
  builder.SetSyncServerOption(grpc::ServerBuilder::MAX_POLLERS, options.max_pollers);
  auto interceptors = s->drain_.InterceptorFactories();
  // Every call passes here: the audit log cannot miss a new RPC (see audit_policy.h).
  interceptors.push_back(std::make_unique<AuditInterceptorFactory>(&s->env_, &s->audit_trail_));
  // Calls with a request id become operations their caller can look up (GetOperation).
  interceptors.push_back(
      std::make_unique<OperationInterceptorFactory>(&s->env_, &s->operation_registry_));
  // After the audit interceptor, so that a status it replaces is the one counted.
  if (options.metrics != nullptr) {
    s->rpc_metrics_ = std::make_unique<RpcMetricFamilies>(options.metrics);
    interceptors.push_back(std::make_unique<MetricsInterceptorFactory>(s->rpc_metrics_.get()));
  }
  builder.experimental().SetInterceptorCreators(std::move(interceptors));
  builder.RegisterService(&s->health_);
  builder.RegisterService(&s->outages_);
  builder.RegisterService(&s->appointments_);
  builder.RegisterService(&s->capacity_);
  builder.RegisterService(&s->plans_);
  builder.RegisterService(&s->notifications_);
  builder.RegisterService(&s->offers_);
  builder.RegisterService(&s->privacy_);
  builder.RegisterService(&s->audit_);
  builder.RegisterService(&s->admin_);
  builder.RegisterService(&s->changes_);
  builder.RegisterService(&s->operations_);
  if (s->simulation_ != nullptr) builder.RegisterService(s->simulation_.get());
  s->server_ = builder.BuildAndStart();
  if (s->server_ == nullptr || s->port_ == 0) {
    return absl::UnavailableError(
        absl::StrCat("cannot listen on ", options.listen_address,
                     options.tls.enabled() ? " (address in use, or a certificate that does not "
                                             "match its key?)"
                                           : " (address in use?)"));
  }
  s->health_.SetServing(true);
  Log(LogLevel::kInfo, "server_started",
      {{"address", options.listen_address},
       {"port", s->port_},
       {"tls", options.tls.enabled()},
       {"client_certificates", !options.tls.client_ca_file.empty()},
       {"reflection", options.enable_reflection},
       {"simulated_time", options.simulated_clock != nullptr}});
  return s;
}

void RebookServer::Shutdown() {
  std::call_once(shutdown_once_, [this] {
    if (server_ == nullptr) return;
    const auto deadline = std::chrono::system_clock::now() + options_.shutdown_grace;
    health_.SetServing(false);  // first, so that balancers move away while calls drain
    health_.EndWatches();
    changes_.EndWatches();  // change-feed watches end too: clients reconnect elsewhere
    Log(LogLevel::kInfo, "server_draining",
        {{"grace_ms", static_cast<std::int64_t>(options_.shutdown_grace.count())},
         {"in_flight", drain_.in_flight()}});
    const bool idle = drain_.WaitUntilIdle(absl::FromChrono(deadline));
    Log(LogLevel::kInfo, "server_drained", {{"in_flight", idle ? 0 : drain_.in_flight()}});
    server_->Shutdown(deadline);  // refuses new calls; cancels the rest at the deadline
    Log(LogLevel::kInfo, "server_stopped");
  });
}

void RebookServer::Wait() {
  if (server_ != nullptr) server_->Wait();
}

}  // namespace rebook::api
