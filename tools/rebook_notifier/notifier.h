// Notifier: the loop of a stateless notification worker. Leases due messages from rebookd over
// gRPC (the next batch while the current one is sent), renders them with the templates, sends
// each through its channel, and reports each result before its sender touches the next message.
//
//   Notifier notifier(grpc_channel, token, std::move(templates), std::move(channels), options);
//   std::atomic<bool> stop{false};             // set from a SIGTERM handler
//   absl::Status s = notifier.Run(stop);       // or Drain(stop) for --once
//
// Delivery is at least once. Each sender reports a message before it sends the next one, which
// bounds what a crash can repeat: a worker killed between a send and its report leaves one
// message per sender (`parallel`) sent but not reported, which another worker sends again (same
// idempotency key) once the lease expires. Messages leased but not yet sent are simply leased
// again after expiry. The reports of a worker's senders travel together (ReportDeliveries, see
// report_batcher.h): each sender still waits for its own report, so the bound is unchanged.
//
// Logs carry message ids, channels, outcomes and counts; never contact data or failure reasons
// (an SMTP reply may quote the address).
#ifndef REBOOK_TOOLS_REBOOK_NOTIFIER_NOTIFIER_H_
#define REBOOK_TOOLS_REBOOK_NOTIFIER_NOTIFIER_H_

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "grpcpp/channel.h"
#include "rebook/v1/notifications.grpc.pb.h"
#include "services/notify/template_set.h"
#include "tools/rebook_notifier/channel_set.h"
#include "tools/rebook_notifier/report_batcher.h"

namespace rebook::notifier {

struct NotifierOptions {
  std::string worker;  // recorded in each message's history
  int batch = 200;     // messages per lease, 1..500
  // Senders working through a leased batch at once, each one message at a time. More senders
  // hide network and commit latency and put more reports into each ReportDeliveries call; a
  // crash may repeat up to this many messages (one per sender). The defaults (8 senders,
  // leases of 200) halve the CPU per message of 1 x 50 on the region outbox (notifications.md).
  int parallel = 8;
  std::chrono::seconds lease{60};
  // Ask for the next full batch while the current one is being sent (default on). Costs
  // nothing in repeats: a leased message that was never sent is not sent twice.
  bool lease_ahead = true;
  // Longest pause between lease attempts when nothing is due (the loop doubles from 1 s).
  std::chrono::seconds max_idle{30};
  std::chrono::seconds rpc_timeout{30};
  // Longest wait for the other senders' reports before a report call goes out without them
  // (it goes at once when every sender has one ready). Default 2 ms.
  std::chrono::microseconds report_linger{2000};
  // How often an RPC that failed with UNAVAILABLE is tried again before giving up on it.
  int rpc_attempts = 5;
};

struct NotifierStats {
  std::int64_t leased = 0;
  std::int64_t sent = 0;          // SENT or DELIVERED
  std::int64_t failed = 0;        // temporary failures
  std::int64_t dead = 0;          // permanent failures
  std::int64_t lost_leases = 0;   // reports refused: someone else took the message
  std::int64_t report_calls = 0;  // report RPCs (each carries one or more reports)
};

class Notifier {
 public:
  // Serves exactly the channels in `channels`.
  Notifier(std::shared_ptr<grpc::Channel> server, std::string token, notify::TemplateSet templates,
           ChannelSet channels, NotifierOptions options);

  // Leases and sends until a lease comes back empty or `stop` is set. Errors: a lease RPC that
  // keeps failing.
  absl::StatusOr<NotifierStats> Drain(const std::atomic<bool>& stop);
  // Drains again and again, pausing (1 s, doubling up to max_idle) while nothing is due, until
  // `stop` is set. Server outages are waited out.
  absl::Status Run(const std::atomic<bool>& stop);

  NotifierStats stats() const;

 private:
  struct LeaseResult {
    grpc::Status status;
    rebook::v1::LeaseMessagesResponse batch;
  };
  LeaseResult Lease(const rebook::v1::LeaseMessagesRequest& request);
  // Sends a leased batch with `parallel` senders.
  void DeliverAll(const rebook::v1::LeaseMessagesResponse& batch, const std::atomic<bool>& stop);
  // Renders, sends and reports one message.
  void Deliver(const rebook::v1::LeasedMessage& leased);
  grpc::Status Report(const rebook::v1::ReportDeliveryRequest& request);
  // One ReportDeliveries call for `reports` (ReportDelivery each against a server without it).
  std::vector<grpc::Status> ReportAll(
      const std::vector<const rebook::v1::ReportDeliveryRequest*>& reports);
  std::unique_ptr<grpc::ClientContext> Context() const;

  std::unique_ptr<rebook::v1::NotificationService::Stub> stub_;
  std::string token_;
  notify::TemplateSet templates_;
  ChannelSet channels_;
  NotifierOptions options_;
  std::vector<std::string> channel_names_;
  mutable std::mutex stats_mu_;
  NotifierStats stats_;
  std::atomic<bool> one_report_per_call_{false};  // the server has no ReportDeliveries
  std::unique_ptr<ReportBatcher> reports_;
};

// Sleeps up to `d`, waking early when `stop` is set.
void SleepUnlessStopped(std::chrono::milliseconds d, const std::atomic<bool>& stop);

}  // namespace rebook::notifier

#endif  // REBOOK_TOOLS_REBOOK_NOTIFIER_NOTIFIER_H_
