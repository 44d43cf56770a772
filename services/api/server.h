// RebookServer: the gRPC server of API v1 with health checking, optional reflection, message
// limits and graceful shutdown.
//
//   auto server = RebookServer::Start(options, &store, &SystemClock::Instance(), &ids, &tokens);
//   std::cout << "listening on port " << (*server)->port();
//   ...
//   (*server)->Shutdown();  // health NOT_SERVING, drains in-flight calls, then stops
//
// Shutdown, in this order: health turns NOT_SERVING (a Check answers NOT_SERVING, every health
// Watch is sent NOT_SERVING); open health Watch and WatchChanges streams end at once; the calls in
// flight get up to the grace period while the server still answers (new calls included); once none
// is left, or at the end of the grace period, the server stops taking calls and cancels what
// remains (an import cut off there stores nothing, see import_stream.h).
#ifndef REBOOK_SERVICES_API_SERVER_H_
#define REBOOK_SERVICES_API_SERVER_H_

#include <chrono>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "grpcpp/server.h"
#include "services/api/admin_service.h"
#include "services/api/appointment_service.h"
#include "services/api/audit_service.h"
#include "services/api/auth.h"
#include "services/api/call_drain.h"
#include "services/api/capacity_service.h"
#include "services/api/change_service.h"
#include "services/api/health_service.h"
#include "services/api/metrics_interceptor.h"
#include "services/api/notification_service.h"
#include "services/api/offer_service.h"
#include "services/api/operation_registry.h"
#include "services/api/operation_service.h"
#include "services/api/outage_service.h"
#include "services/api/plan_service.h"
#include "services/api/privacy_service.h"
#include "services/api/rpc_context.h"
#include "services/api/server_tls.h"
#include "services/api/simulation_service.h"
#include "services/audit/audit_trail.h"
#include "services/rebooking/outbox.h"
#include "storage/audit_log.h"

namespace rebook::api {

struct ServerOptions {
  // host:port; port 0 picks a free port (see port()).
  std::string listen_address = "127.0.0.1:0";
  // TLS of the listener (server_tls.h). Default: plaintext, which Start refuses on a
  // non-loopback address unless allow_insecure_listen is set.
  ServerTlsOptions tls;
  bool allow_insecure_listen = false;
  // Serve grpc.reflection.v1alpha so that grpcurl-style tools can list and call methods.
  bool enable_reflection = false;
  // Largest message accepted or sent. Default 16 MiB; imports stream in smaller batches.
  int max_receive_message_bytes = 16 << 20;
  int max_send_message_bytes = 16 << 20;
  // How long Shutdown() lets in-flight calls finish before cancelling them. Shutdown returns as
  // soon as none is left.
  std::chrono::milliseconds shutdown_grace{std::chrono::seconds(20)};
  // Threads kept waiting for calls. gRPC's sync server defaults to at most 2: with more callers
  // at once (several notifiers, staff tools) it starts a thread per extra call and ends it
  // afterwards, and that thread churn cost rebookd about a tenth of its CPU in the drain bench.
  // Idle pollers cost a stack each and nothing else.
  int min_pollers = 2;
  int max_pollers = 16;
  ServiceEnv::Options env;
  AppointmentServiceImpl::Options appointments;
  PlanServiceImpl::Options plans;
  // How messages to citizens are routed and retried (used when plans are committed).
  rebooking::OutboxPolicy outbox;
  // Response links, send limits and lease bounds of NotificationService.
  NotificationServiceImpl::Options notifications;
  // Alternatives, reminders and expiry of offers (OfferService; its `alternatives` also goes
  // to plans.replan.alternatives when the server is built).
  rebooking::OfferPolicy offers;
  // Rate limits of the public offer methods (GetPublicOffer, RespondToOffer), usually shared
  // with the HTTP response page. Not owned; null: no limits.
  PublicLookupThrottle* public_throttle = nullptr;
  // Retention of personal data (PrivacyService.PurgeExpiredData; rebookd's periodic purge
  // uses the same policy).
  rebooking::RetentionPolicy retention;
  // Demo and test facility: when set, it must be the clock passed to Start, and the server
  // also serves SimulationService so that admins can advance it. Not owned.
  FakeClock* simulated_clock = nullptr;
  // The audit log (docs/audit.md): every read or change of personal data and every
  // privileged call is appended to it. Required; not owned. For SQLite, open it on the store's
  // file with storage::SqliteAuditLog::Open.
  storage::AuditLog* audit_log = nullptr;
  // AdminService.Backup: the store's maintenance side and where the temporary copy goes.
  AdminServiceImpl::Options admin;
  // How WatchChanges follows the change feed (poll interval, heartbeat).
  ChangeServiceImpl::Options changes;
  // Where RPC counts, latencies and plan solve times are recorded (metrics_interceptor.h).
  // Not owned; null: not recorded.
  metrics::Registry* metrics = nullptr;
};

class RebookServer {
 public:
  // Starts serving. All pointers must outlive the server.
  static absl::StatusOr<std::unique_ptr<RebookServer>> Start(const ServerOptions& options,
                                                             storage::Store* store, Clock* clock,
                                                             IdGenerator* ids,
                                                             const TokenRegistry* tokens);
  ~RebookServer();

  // The bound port.
  int port() const { return port_; }
  // Marks the server NOT_SERVING, ends health watches, waits up to the grace period for
  // in-flight calls, then stops. Idempotent and thread-safe.
  void Shutdown();
  // Blocks until the server has stopped.
  void Wait();

 private:
  RebookServer(const ServerOptions& options, storage::Store* store, Clock* clock, IdGenerator* ids,
               const TokenRegistry* tokens);

  ServerOptions options_;
  OperationRegistry operation_registry_;  // before the services that report to it
  ServiceEnv env_;
  OutageServiceImpl outages_;
  AppointmentServiceImpl appointments_;
  CapacityServiceImpl capacity_;
  PlanServiceImpl plans_;
  NotificationServiceImpl notifications_;
  OfferServiceImpl offers_;
  PrivacyServiceImpl privacy_;
  std::unique_ptr<SimulationServiceImpl> simulation_;
  audit::AuditTrail audit_trail_;
  AuditServiceImpl audit_;
  AdminServiceImpl admin_;
  ChangeServiceImpl changes_;
  OperationServiceImpl operations_;
  std::unique_ptr<RpcMetricFamilies> rpc_metrics_;
  HealthService health_;
  CallDrain drain_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
  std::once_flag shutdown_once_;
};

}  // namespace rebook::api

#endif  // REBOOK_SERVICES_API_SERVER_H_
