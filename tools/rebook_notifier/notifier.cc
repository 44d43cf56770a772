#include "tools/rebook_notifier/notifier.h"

#include <algorithm>
#include <future>
#include <thread>

#include "absl/strings/str_cat.h"
#include "grpcpp/client_context.h"
#include "services/common/log.h"
#include "tools/rebook_notifier/leased_message.h"

namespace rebook::notifier {
namespace {

namespace v1 = ::rebook::v1;

bool Retryable(const grpc::Status& s) {
  return s.error_code() == grpc::StatusCode::UNAVAILABLE ||
         s.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED;
}

v1::ReportDeliveryRequest::Outcome ToOutcome(notify::DeliveryState s) {
  switch (s) {
    case notify::DeliveryState::kSent:
      return v1::ReportDeliveryRequest::SENT;
    case notify::DeliveryState::kDelivered:
      return v1::ReportDeliveryRequest::DELIVERED;
    case notify::DeliveryState::kTemporaryFailure:
      return v1::ReportDeliveryRequest::TEMPORARY_FAILURE;
    case notify::DeliveryState::kPermanentFailure:
      return v1::ReportDeliveryRequest::PERMANENT_FAILURE;
  }
  return v1::ReportDeliveryRequest::TEMPORARY_FAILURE;
}

// Reasons are stored server-side and shown to staff; the API caps them at 4096 bytes.
std::string Capped(std::string reason) {
  if (reason.size() > 4000) reason.resize(4000);
  return reason;
}

}  // namespace

void SleepUnlessStopped(std::chrono::milliseconds d, const std::atomic<bool>& stop) {
  const auto until = std::chrono::steady_clock::now() + d;
  while (!stop.load() && std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(
        std::chrono::milliseconds(50), until - std::chrono::steady_clock::now()));
  }
}

Notifier::Notifier(std::shared_ptr<grpc::Channel> server, std::string token,
                   notify::TemplateSet templates, ChannelSet channels, NotifierOptions options)
    : stub_(v1::NotificationService::NewStub(server)),
      token_(std::move(token)),
      templates_(std::move(templates)),
      channels_(std::move(channels)),
      options_(std::move(options)) {
  for (const auto& [name, unused] : channels_) channel_names_.push_back(name);
  reports_ = std::make_unique<ReportBatcher>(
      [this](const std::vector<const v1::ReportDeliveryRequest*>& reports) {
        return ReportAll(reports);
      },
      ReportBatcher::Options{.flush_count = std::max(1, options_.parallel),
                             .linger = options_.report_linger});
}

std::unique_ptr<grpc::ClientContext> Notifier::Context() const {
  auto ctx = std::make_unique<grpc::ClientContext>();
  ctx->AddMetadata("authorization", "Bearer " + token_);
  ctx->set_deadline(std::chrono::system_clock::now() + options_.rpc_timeout);
  return ctx;
}

grpc::Status Notifier::Report(const v1::ReportDeliveryRequest& request) {
  grpc::Status status;
  for (int attempt = 0; attempt < std::max(1, options_.rpc_attempts); ++attempt) {
    v1::Message reply;
    status = stub_->ReportDelivery(Context().get(), request, &reply);
    if (!Retryable(status)) return status;
    // The report is idempotent (same lease token), so repeating it after a lost answer is safe.
    std::this_thread::sleep_for(std::chrono::milliseconds(200 << attempt));
  }
  return status;
}

std::vector<grpc::Status> Notifier::ReportAll(
    const std::vector<const v1::ReportDeliveryRequest*>& reports) {
  std::vector<grpc::Status> out;
  if (!one_report_per_call_.load()) {
    v1::ReportDeliveriesRequest request;
    for (const v1::ReportDeliveryRequest* r : reports) *request.add_reports() = *r;
    v1::ReportDeliveriesResponse reply;
    grpc::Status status;
    for (int attempt = 0; attempt < std::max(1, options_.rpc_attempts); ++attempt) {
      reply.Clear();
      status = stub_->ReportDeliveries(Context().get(), request, &reply);
      if (!Retryable(status)) break;
      // Idempotent per message (same lease token): repeating the call after a lost answer is safe.
      std::this_thread::sleep_for(std::chrono::milliseconds(200 << attempt));
    }
    if (status.error_code() != grpc::StatusCode::UNIMPLEMENTED) {
      for (std::size_t i = 0; i < reports.size(); ++i) {
        if (!status.ok() || static_cast<int>(i) >= reply.results_size()) {
          out.push_back(status.ok() ? grpc::Status(grpc::StatusCode::INTERNAL, "no result")
                                    : status);
          continue;
        }
        const auto& result = reply.results(static_cast<int>(i)).status();
        out.emplace_back(static_cast<grpc::StatusCode>(result.code()), result.message());
      }
      return out;
    }
    // An older rebookd: one call per report from now on.
    one_report_per_call_ = true;
  }
  for (const v1::ReportDeliveryRequest* r : reports) out.push_back(Report(*r));
  return out;
}

void Notifier::Deliver(const v1::LeasedMessage& leased) {
  const v1::Message& m = leased.message();
  notify::DeliveryResult result;
  absl::StatusOr<notify::OutgoingMessage> outgoing = ToOutgoingMessage(leased);
  absl::StatusOr<notify::RenderedMessage> rendered =
      outgoing.ok() ? templates_.Render(*outgoing)
                    : absl::StatusOr<notify::RenderedMessage>(outgoing.status());
  auto channel = channels_.find(m.channel());
  if (!rendered.ok()) {
    // The templates rendered a sample of every kind at startup, so this is bad message data
    // (e.g. a time zone or token the channels cannot use): no retry will fix it.
    result = notify::DeliveryResult::Permanent(
        absl::StrCat("cannot build the message: ", rendered.status().message()));
  } else if (channel == channels_.end()) {
    result = notify::DeliveryResult::Temporary(
        absl::StrCat("worker ", options_.worker, " has no channel ", m.channel()));
  } else {
    result = notify::SendGuarded(*channel->second, *rendered);
    const std::string language = notify::LanguageFallbackNote(*rendered);
    if (!language.empty()) {
      result.reason =
          result.reason.empty() ? language : absl::StrCat(language, "; ", result.reason);
    }
  }
  v1::ReportDeliveryRequest report;
  report.set_name(m.name());
  report.set_lease_token(leased.lease_token());
  report.set_outcome(ToOutcome(result.state));
  report.set_provider_message_id(result.provider_message_id.substr(0, 512));
  report.set_reason(Capped(result.reason));
  if (result.retry_after.has_value())
    report.mutable_retry_after()->set_seconds(result.retry_after->count());
  report.set_worker(options_.worker);
  // Waits for the server's answer: the next message of this sender goes out only after it.
  grpc::Status status = reports_->Report(report);
  std::lock_guard<std::mutex> lock(stats_mu_);
  if (result.ok()) ++stats_.sent;
  if (result.state == notify::DeliveryState::kTemporaryFailure) ++stats_.failed;
  if (result.state == notify::DeliveryState::kPermanentFailure) ++stats_.dead;
  if (status.error_code() == grpc::StatusCode::FAILED_PRECONDITION) ++stats_.lost_leases;
  Log(status.ok() ? LogLevel::kDebug : LogLevel::kWarning, "delivery",
      {{"message", m.name()},
       {"channel", m.channel()},
       {"outcome", std::string(notify::ToString(result.state))},
       {"report", absl::StatusCodeToString(static_cast<absl::StatusCode>(status.error_code()))}});
}

Notifier::LeaseResult Notifier::Lease(const v1::LeaseMessagesRequest& request) {
  LeaseResult result;
  result.status = stub_->LeaseMessages(Context().get(), request, &result.batch);
  return result;
}

absl::StatusOr<NotifierStats> Notifier::Drain(const std::atomic<bool>& stop) {
  v1::LeaseMessagesRequest request;
  for (const std::string& name : channel_names_) request.add_channels(name);
  request.set_max_messages(options_.batch);
  request.mutable_lease_duration()->set_seconds(options_.lease.count());
  request.set_worker(options_.worker);
  int failures = 0;
  // The next lease, asked for while the senders work through the current batch, so that they
  // do not wait for its round trip and commit. Leasing ahead repeats nothing after a crash:
  // messages leased but not sent come back when their lease expires, unsent.
  std::future<LeaseResult> ahead;
  while (!stop.load()) {
    LeaseResult lease = ahead.valid() ? ahead.get() : Lease(request);
    if (!lease.status.ok()) {
      const grpc::Status& status = lease.status;
      if (!Retryable(status) || ++failures >= std::max(1, options_.rpc_attempts)) {
        return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                            absl::StrCat("LeaseMessages: ", status.error_message()));
      }
      SleepUnlessStopped(std::chrono::milliseconds(200 << failures), stop);
      continue;
    }
    failures = 0;
    if (lease.batch.messages().empty()) break;
    {
      std::lock_guard<std::mutex> lock(stats_mu_);
      stats_.leased += lease.batch.messages_size();
    }
    // A short batch means the due messages are used up for now: no point in asking again
    // before it is sent.
    if (options_.lease_ahead && lease.batch.messages_size() == options_.batch) {
      ahead = std::async(std::launch::async, [this, &request] { return Lease(request); });
    }
    DeliverAll(lease.batch, stop);
  }
  // Stopped with a lease in flight: wait for it (its messages come back when it expires).
  if (ahead.valid()) ahead.wait();
  return stats();
}

void Notifier::DeliverAll(const v1::LeaseMessagesResponse& batch, const std::atomic<bool>& stop) {
  std::atomic<int> next{0};
  auto sender = [&] {
    // Stop between messages: the rest of the batch comes back when its lease expires.
    for (int i = next++; i < batch.messages_size() && !stop.load(); i = next++) {
      Deliver(batch.messages(i));
    }
    reports_->RemoveSender();
  };
  const int threads = std::min(std::max(1, options_.parallel), batch.messages_size());
  for (int t = 0; t < threads; ++t) reports_->AddSender();
  std::vector<std::thread> helpers;
  for (int t = 1; t < threads; ++t) helpers.emplace_back(sender);
  sender();
  for (std::thread& h : helpers) h.join();
}

NotifierStats Notifier::stats() const {
  std::lock_guard<std::mutex> lock(stats_mu_);
  NotifierStats stats = stats_;
  stats.report_calls = reports_->stats().calls;
  return stats;
}

absl::Status Notifier::Run(const std::atomic<bool>& stop) {
  std::chrono::milliseconds idle(1000);
  while (!stop.load()) {
    const std::int64_t before = stats().leased;
    absl::StatusOr<NotifierStats> drained = Drain(stop);
    if (!drained.ok()) {
      if (drained.status().code() != absl::StatusCode::kUnavailable &&
          drained.status().code() != absl::StatusCode::kDeadlineExceeded) {
        return drained.status();
      }
      Log(LogLevel::kWarning, "server_unavailable", {{"retry_ms", static_cast<int>(idle.count())}});
    }
    if (stats().leased > before) {
      idle = std::chrono::milliseconds(1000);
      continue;
    }
    SleepUnlessStopped(idle, stop);
    idle = std::min<std::chrono::milliseconds>(idle * 2, options_.max_idle);
  }
  return absl::OkStatus();
}

}  // namespace rebook::notifier
