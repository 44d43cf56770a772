// NotificationService of API v1: the transactional outbox over gRPC. Notification workers
// (`rebook-notifier`, role notifier) lease due messages with the content to send and report
// the results; staff read messages, one citizen's history and per-outage statistics, and
// retry dead messages by hand.
//
// Office scoping as everywhere: messages of offices the principal may not see are NOT_FOUND.
// Leasing hands out messages of every office, so it needs a principal with every office (`*`).
// Send limits (rate per channel, daily quota per office) are applied at lease time, here on
// the server, so that any number of workers together stay within them. Delivery reports that
// arrive together are committed together (one fsync for a batch); ReportDeliveries carries a
// worker's reports in one call and one transaction.
#ifndef REBOOK_SERVICES_API_NOTIFICATION_SERVICE_H_
#define REBOOK_SERVICES_API_NOTIFICATION_SERVICE_H_

#include <chrono>
#include <map>
#include <memory>
#include <string>

#include "rebook/v1/notifications.grpc.pb.h"
#include "services/api/rpc_context.h"
#include "services/notify/delivery_limiter.h"
#include "services/rebooking/outbox.h"
#include "services/rebooking/outbox_group_commit.h"
#include "services/rebooking/outbox_limits.h"

namespace rebook::api {

class NotificationServiceImpl final : public rebook::v1::NotificationService::Service {
 public:
  struct Options {
    // Absolute http(s) URL the citizens' response links start with, e.g.
    // "https://termine.halle.example". Without it LeaseMessages is FAILED_PRECONDITION: a
    // message without links must not go out. Default: none.
    std::string public_base_url;
    // Send limits by outbox channel name. Default: none.
    std::map<std::string, notify::ChannelLimit> limits;
    // Bounds of a lease. The API documents 5 s to 1 h with a default of 60 s; tests that kill
    // workers lower the minimum so that abandoned leases come back quickly.
    std::chrono::seconds min_lease{5};
    std::chrono::seconds max_lease{3600};
    std::chrono::seconds default_lease{60};
    // What a committed delivery report survives. kProcessCrash (the default) skips the fsync
    // per report: a power cut right after a report may undo it, and the message then goes out
    // again under the same idempotency key, exactly as after a worker crash. Messages, offers
    // and plans are always written with kFull, so no message can be lost this way.
    storage::Durability report_durability = storage::Durability::kProcessCrash;
  };

  // `env` and `policy` (channel chain, retry policies, jitter seed; the one plan commit
  // queues with) must outlive the service.
  NotificationServiceImpl(const ServiceEnv* env, const rebooking::OutboxPolicy* policy,
                          Options options);
  // Logs how the delivery reports were committed (calls, transactions, largest batch).
  ~NotificationServiceImpl() override;

  grpc::Status LeaseMessages(grpc::ServerContext* ctx, const v1::LeaseMessagesRequest* req,
                             v1::LeaseMessagesResponse* resp) override;
  grpc::Status ReportDelivery(grpc::ServerContext* ctx, const v1::ReportDeliveryRequest* req,
                              v1::Message* resp) override;
  grpc::Status ReportDeliveries(grpc::ServerContext* ctx, const v1::ReportDeliveriesRequest* req,
                                v1::ReportDeliveriesResponse* resp) override;
  grpc::Status GetMessage(grpc::ServerContext* ctx, const v1::GetMessageRequest* req,
                          v1::Message* resp) override;
  grpc::Status ListMessages(grpc::ServerContext* ctx, const v1::ListMessagesRequest* req,
                            v1::ListMessagesResponse* resp) override;
  grpc::Status GetDeliveryStats(grpc::ServerContext* ctx, const v1::GetDeliveryStatsRequest* req,
                                v1::DeliveryStats* resp) override;
  grpc::Status RetryMessage(grpc::ServerContext* ctx, const v1::RetryMessageRequest* req,
                            v1::Message* resp) override;

 private:
  // The caller's options with the report durability and without a commit deadline.
  storage::TransactionOptions ReportOptions(const Call& call) const;

  const ServiceEnv& env_;
  const rebooking::OutboxPolicy& policy_;
  const Options options_;
  std::unique_ptr<rebooking::OutboxLimits> limits_;
  // Delivery reports of concurrent workers share commits (see outbox_group_commit.h).
  std::unique_ptr<rebooking::GroupCommit> reports_;
};

}  // namespace rebook::api

#endif  // REBOOK_SERVICES_API_NOTIFICATION_SERVICE_H_
