#include "services/api/notification_service.h"

#include <algorithm>
#include <vector>

#include "absl/strings/str_cat.h"
#include "services/api/access.h"
#include "services/api/convert.h"
#include "services/api/convert_notifications.h"
#include "services/api/convert_rebooking.h"
#include "services/api/names.h"
#include "services/api/privacy_purpose.h"
#include "services/common/field_violations.h"
#include "services/common/log.h"
#include "services/common/status_macros.h"

namespace rebook::api {
namespace {

constexpr char kRetry[] = "rebook.v1.NotificationService/RetryMessage";
constexpr int kMaxLease = 500;
constexpr std::size_t kMaxText = 4096;

bool Printable(const std::string& s, std::size_t max) {
  return s.size() <= max &&
         std::all_of(s.begin(), s.end(), [](char c) { return c >= 32 && c < 127; });
}

absl::StatusOr<OfficeChildName> ParseMessageName(const std::string& name,
                                                 const std::string& field) {
  return ParseOfficeChildName(name, "messages", field);
}

// The message `name` if the principal may see it; NOT_FOUND otherwise (also when the name's
// office is not the message's).
absl::StatusOr<domain::OutboxMessage> VisibleMessage(storage::Transaction& tx, const Principal& who,
                                                     const OfficeChildName& id,
                                                     const std::string& name) {
  REBOOK_RETURN_IF_ERROR(RequireOffice(who, id.office_id, "message", name));
  absl::StatusOr<domain::OutboxMessage> m = tx.GetMessage(id.child_id);
  if (!m.ok()) return MapNotFound(m.status(), "message", name);
  if (m->office_id != id.office_id) return NotFound("message", name);
  return m;
}

// The channel's name, with old names read as the current ones (domain::CanonicalChannel).
std::string CheckChannel(const std::string& channel, const std::string& field, FieldViolations& v) {
  std::optional<std::string_view> name = domain::CanonicalChannel(channel);
  if (!name.has_value()) {
    v.Add(field, "must be one of email, sms, webhook, letter, phone, file", "UNKNOWN_CHANNEL");
    return channel;
  }
  return std::string(*name);
}

// The report `req` as the use case takes it (its worker defaults to the principal's name), or
// nullopt with violations on `prefix` + field.
std::optional<rebooking::DeliveryReport> CheckReport(const v1::ReportDeliveryRequest& req,
                                                     const std::string& prefix,
                                                     const Principal& who, FieldViolations& v) {
  bool ok = true;
  auto add = [&](const std::string& field, const std::string& what, const std::string& reason) {
    v.Add(prefix + field, what, reason);
    ok = false;
  };
  absl::StatusOr<OfficeChildName> id = ParseMessageName(req.name(), prefix + "name");
  if (!id.ok()) add("name", "must be offices/{office}/messages/{message}", "BAD_NAME");
  if (req.lease_token().empty()) add("lease_token", "is required", "REQUIRED");
  std::optional<notify::DeliveryState> outcome = FromProto(req.outcome());
  if (!outcome.has_value()) add("outcome", "is required", "REQUIRED");
  if (req.reason().size() > kMaxText) {
    add("reason", absl::StrCat("must be at most ", kMaxText, " bytes"), "TOO_LONG");
  }
  if (!Printable(req.provider_message_id(), 512)) {
    add("provider_message_id", "must be at most 512 printable ASCII characters", "");
  }
  if (req.retry_after().seconds() < 0 || req.retry_after().seconds() > 7 * 86400) {
    add("retry_after", "must be 0 to 7 days", "OUT_OF_RANGE");
  }
  if (!Printable(req.worker(), 128)) {
    add("worker", "must be at most 128 printable ASCII characters", "BAD_WORKER");
  }
  if (!ok) return std::nullopt;
  return rebooking::DeliveryReport{
      .message_id = id->child_id,
      .office_id = id->office_id,
      .lease_token = req.lease_token(),
      .outcome = *outcome,
      .provider_message_id = req.provider_message_id(),
      .reason = req.reason(),
      .retry_after = req.has_retry_after()
                         ? std::optional(std::chrono::seconds(req.retry_after().seconds()))
                         : std::nullopt,
      .worker = req.worker().empty() ? who.name : req.worker()};
}

}  // namespace

NotificationServiceImpl::NotificationServiceImpl(const ServiceEnv* env,
                                                 const rebooking::OutboxPolicy* policy,
                                                 Options options)
    : env_(*env),
      policy_(*policy),
      options_(std::move(options)),
      limits_(std::make_unique<rebooking::OutboxLimits>(env->clock(), options_.limits)),
      reports_(std::make_unique<rebooking::GroupCommit>(&env->store())) {}

NotificationServiceImpl::~NotificationServiceImpl() {
  const rebooking::GroupCommit::Stats stats = reports_->stats();
  Log(LogLevel::kInfo, "delivery_report_commits",
      {{"reports", stats.calls},
       {"transactions", stats.transactions},
       {"largest_batch", stats.largest_batch}});
}

grpc::Status NotificationServiceImpl::LeaseMessages(grpc::ServerContext* ctx,
                                                    const v1::LeaseMessagesRequest* req,
                                                    v1::LeaseMessagesResponse* resp) {
  return env_.Handle(ctx, "LeaseMessages", *req, [&](const Call& call) -> absl::Status {
    REBOOK_RETURN_IF_ERROR(Require(call.principal, Permission::kLeaseMessages));
    if (!call.principal.all_offices) {
      return absl::PermissionDeniedError(
          "leasing hands out messages of every office; it needs a principal with offices '*'");
    }
    FieldViolations v;
    rebooking::LeaseOptions options;
    if (req->channels().empty()) v.Add("channels", "at least one channel is required", "REQUIRED");
    for (int i = 0; i < req->channels_size(); ++i) {
      options.channels.push_back(
          CheckChannel(req->channels(i), absl::StrCat("channels[", i, "]"), v));
    }
    if (req->max_messages() < 1 || req->max_messages() > kMaxLease) {
      v.Add("max_messages", absl::StrCat("must be 1 to ", kMaxLease), "OUT_OF_RANGE");
    }
    options.max_messages = req->max_messages();
    options.lease_duration = options_.default_lease;
    if (req->has_lease_duration()) {
      options.lease_duration = std::chrono::seconds(req->lease_duration().seconds());
      if (options.lease_duration < options_.min_lease ||
          options.lease_duration > options_.max_lease || req->lease_duration().nanos() != 0) {
        v.Add("lease_duration",
              absl::StrCat("must be whole seconds from ", options_.min_lease.count(), " s to ",
                           options_.max_lease.count(), " s"),
              "OUT_OF_RANGE");
      }
    }
    options.worker = req->worker().empty() ? call.principal.name : req->worker();
    if (!Printable(options.worker, 128)) {
      v.Add("worker", "must be at most 128 printable ASCII characters", "BAD_WORKER");
    }
    REBOOK_RETURN_IF_ERROR(v.ToStatus("invalid lease request"));
    if (options_.public_base_url.empty()) {
      return absl::FailedPreconditionError(
          "the server has no public base URL (rebookd --public_base_url), so response links "
          "cannot be built; no message is handed out without them");
    }
    std::vector<rebooking::OutboxLease> leased;
    // A lease commits like a report (Options::report_durability covers leases as well): a
    // power cut that undoes it puts its messages back where they were, and a message already
    // sent under it goes out again under the same idempotency key, as after a worker crash.
    // The log keeps its order, so a report is never kept while the lease it settles is lost.
    storage::TransactionOptions tx_options = call.tx_options;
    tx_options.durability = options_.report_durability;
    // A lease writes only the outbox (it reads appointments and offers): on PostgreSQL it
    // queues with reports, not behind plan commits (storage::WriteScope).
    tx_options.scope = storage::WriteScope::kOutbox;
    REBOOK_RETURN_IF_ERROR(
        env_.store().Write(tx_options, [&](storage::Transaction& tx) -> absl::Status {
          REBOOK_ASSIGN_OR_RETURN(leased,
                                  rebooking::LeaseMessages(tx, policy_, options, limits_.get(),
                                                           env_.clock().Now(), env_.ids()));
          return absl::OkStatus();
        }));
    resp->Clear();
    for (const rebooking::OutboxLease& lease : leased) {
      absl::StatusOr<notify::ResponseLinks> links =
          notify::BuildResponseLinks(options_.public_base_url, lease.content.response_token);
      // Without links the worker's message check fails and the report names the cause.
      ToProto(lease, links.ok() ? *links : notify::ResponseLinks{}, resp->add_messages());
    }
    return absl::OkStatus();
  });
}

grpc::Status NotificationServiceImpl::ReportDelivery(grpc::ServerContext* ctx,
                                                     const v1::ReportDeliveryRequest* req,
                                                     v1::Message* resp) {
  return env_.Handle(ctx, "ReportDelivery", *req, [&](const Call& call) -> absl::Status {
    REBOOK_RETURN_IF_ERROR(Require(call.principal, Permission::kLeaseMessages));
    FieldViolations v;
    std::optional<rebooking::DeliveryReport> report = CheckReport(*req, "", call.principal, v);
    REBOOK_RETURN_IF_ERROR(v.ToStatus("invalid delivery report"));
    REBOOK_RETURN_IF_ERROR(
        RequireOffice(call.principal, report->office_id, "message", req->name()));
    return reports_->Run(ReportOptions(call), [&](storage::Transaction& tx) -> absl::Status {
      absl::StatusOr<domain::OutboxMessage> m =
          rebooking::ReportDelivery(tx, policy_, *report, env_.clock().Now(), env_.ids());
      if (absl::IsNotFound(m.status())) return NotFound("message", req->name());
      REBOOK_RETURN_IF_ERROR(m.status());
      ToProto(*m, std::nullopt, resp);
      return absl::OkStatus();
    });
  });
}

grpc::Status NotificationServiceImpl::ReportDeliveries(grpc::ServerContext* ctx,
                                                       const v1::ReportDeliveriesRequest* req,
                                                       v1::ReportDeliveriesResponse* resp) {
  return env_.Handle(ctx, "ReportDeliveries", *req, [&](const Call& call) -> absl::Status {
    REBOOK_RETURN_IF_ERROR(Require(call.principal, Permission::kLeaseMessages));
    FieldViolations v;
    if (req->reports().empty()) v.Add("reports", "at least one report is required", "REQUIRED");
    if (req->reports_size() > kMaxLease) {
      v.Add("reports", absl::StrCat("must be at most ", kMaxLease, " reports"), "OUT_OF_RANGE");
    }
    std::vector<rebooking::DeliveryReport> reports;
    reports.reserve(req->reports_size());
    for (int i = 0; i < req->reports_size(); ++i) {
      std::optional<rebooking::DeliveryReport> report =
          CheckReport(req->reports(i), absl::StrCat("reports[", i, "]."), call.principal, v);
      if (report.has_value()) reports.push_back(*std::move(report));
    }
    REBOOK_RETURN_IF_ERROR(v.ToStatus("invalid delivery reports"));
    // A worker reports only what it leased, and leasing needs every office: a report on a
    // message the principal may not see fails the whole call, and nothing is written.
    for (int i = 0; i < req->reports_size(); ++i) {
      REBOOK_RETURN_IF_ERROR(
          RequireOffice(call.principal, reports[i].office_id, "message", req->reports(i).name()));
    }
    std::vector<absl::StatusOr<domain::OutboxMessage>> results;
    REBOOK_RETURN_IF_ERROR(
        reports_->Run(ReportOptions(call), [&](storage::Transaction& tx) -> absl::Status {
          REBOOK_ASSIGN_OR_RETURN(
              results,
              rebooking::ReportDeliveries(tx, policy_, reports, env_.clock().Now(), env_.ids()));
          return absl::OkStatus();
        }));
    resp->Clear();
    for (std::size_t i = 0; i < results.size(); ++i) {
      v1::ReportDeliveriesResponse::Result* out = resp->add_results();
      absl::Status status = results[i].status();
      if (absl::IsNotFound(status)) status = NotFound("message", req->reports(i).name());
      out->mutable_status()->set_code(static_cast<int>(status.code()));
      out->mutable_status()->set_message(std::string(status.message()));
      if (results[i].ok()) out->set_state(ToProto(results[i]->state));
    }
    return absl::OkStatus();
  });
}

storage::TransactionOptions NotificationServiceImpl::ReportOptions(const Call& call) const {
  storage::TransactionOptions tx_options = call.tx_options;
  tx_options.durability = options_.report_durability;
  // Reports commit in groups: one caller's deadline must not roll back the others' reports.
  tx_options.commit_deadline.reset();
  // A report writes messages, their events and at most an offer's hold (a fallback), never the
  // change feed (storage::WriteScope).
  tx_options.scope = storage::WriteScope::kOutbox;
  return tx_options;
}

grpc::Status NotificationServiceImpl::GetMessage(grpc::ServerContext* ctx,
                                                 const v1::GetMessageRequest* req,
                                                 v1::Message* resp) {
  return env_.Handle(ctx, "GetMessage", *req, [&](const Call& call) -> absl::Status {
    REBOOK_RETURN_IF_ERROR(Require(call.principal, Permission::kReadMessages));
    REBOOK_ASSIGN_OR_RETURN(OfficeChildName id, ParseMessageName(req->name(), "name"));
    return env_.store().Read(call.tx_options, [&](storage::Transaction& tx) -> absl::Status {
      REBOOK_ASSIGN_OR_RETURN(domain::OutboxMessage m,
                              VisibleMessage(tx, call.principal, id, req->name()));
      REBOOK_ASSIGN_OR_RETURN(std::vector<domain::MessageEvent> history,
                              tx.ListMessageEvents(m.id));
      ToProto(m, history, resp);
      LimitMessageToRole(call.principal, resp);
      return absl::OkStatus();
    });
  });
}

grpc::Status NotificationServiceImpl::ListMessages(grpc::ServerContext* ctx,
                                                   const v1::ListMessagesRequest* req,
                                                   v1::ListMessagesResponse* resp) {
  return env_.Handle(ctx, "ListMessages", *req, [&](const Call& call) -> absl::Status {
    REBOOK_RETURN_IF_ERROR(Require(call.principal, Permission::kReadMessages));
    FieldViolations v;
    storage::MessageFilter filter;
    absl::StatusOr<std::string> office = ParseOfficeName(req->parent(), "parent", true);
    if (!office.ok()) v.Add("parent", "must be offices/{office} or offices/-", "BAD_NAME");
    if (!req->outage().empty()) {
      absl::StatusOr<std::string> outage = ParseOutageName(req->outage(), "outage");
      if (outage.ok()) filter.outage_id = *outage;
      if (!outage.ok()) v.Add("outage", "must be outages/{outage}", "BAD_NAME");
    }
    for (int i = 0; i < req->states_size(); ++i) {
      std::optional<domain::MessageState> s = FromProto(req->states(i));
      if (s.has_value()) filter.states.push_back(*s);
      if (!s.has_value()) v.Add(absl::StrCat("states[", i, "]"), "must be a message state");
    }
    if (!req->channel().empty()) {
      filter.channel = CheckChannel(req->channel(), "channel", v);
    }
    std::optional<AppointmentName> appointment;
    if (!req->appointment().empty()) {
      absl::StatusOr<AppointmentName> a = ParseAppointmentName(req->appointment(), "appointment");
      if (!a.ok()) {
        v.Add("appointment", "must be offices/{office}/appointments/{appointment}", "BAD_NAME");
      } else if (office.ok() && *office != kAnyOffice && *office != a->office_id) {
        v.Add("appointment", "must belong to the office in parent", "PARENT_MISMATCH");
      } else {
        appointment = *a;
        filter.appointment = domain::AppointmentKey{a->office_id, a->appointment_id};
      }
    }
    REBOOK_RETURN_IF_ERROR(v.ToStatus("invalid message listing"));
    REBOOK_ASSIGN_OR_RETURN(
        filter.office_ids,
        ListScope(call.principal, appointment.has_value() ? appointment->office_id : *office));
    return env_.store().Read(call.tx_options, [&](storage::Transaction& tx) -> absl::Status {
      REBOOK_ASSIGN_OR_RETURN(
          auto page, tx.ListMessages(filter, {ClampPageSize(req->page_size()), req->page_token()}));
      resp->Clear();
      for (const domain::OutboxMessage& m : page.items) {
        // One citizen's history: every message with its state changes.
        std::optional<std::vector<domain::MessageEvent>> history;
        if (appointment.has_value()) {
          REBOOK_ASSIGN_OR_RETURN(history, tx.ListMessageEvents(m.id));
        }
        v1::Message* out = resp->add_messages();
        ToProto(m, history, out);
        LimitMessageToRole(call.principal, out);
      }
      resp->set_next_page_token(page.next_page_token);
      return absl::OkStatus();
    });
  });
}

grpc::Status NotificationServiceImpl::GetDeliveryStats(grpc::ServerContext* ctx,
                                                       const v1::GetDeliveryStatsRequest* req,
                                                       v1::DeliveryStats* resp) {
  return env_.Handle(ctx, "GetDeliveryStats", *req, [&](const Call& call) -> absl::Status {
    REBOOK_RETURN_IF_ERROR(Require(call.principal, Permission::kReadMessages));
    REBOOK_ASSIGN_OR_RETURN(std::string outage_id, ParseOutageName(req->outage(), "outage"));
    return env_.store().Read(call.tx_options, [&](storage::Transaction& tx) -> absl::Status {
      absl::StatusOr<domain::Outage> outage = tx.GetOutage(outage_id);
      if (!outage.ok()) return MapNotFound(outage.status(), "outage", req->outage());
      if (!CanSeeOutage(call.principal, *outage)) return NotFound("outage", req->outage());
      REBOOK_ASSIGN_OR_RETURN(
          rebooking::DeliveryStats stats,
          rebooking::ComputeDeliveryStats(tx, outage_id, call.principal.VisibleOffices()));
      ToProto(stats, resp);
      return absl::OkStatus();
    });
  });
}

grpc::Status NotificationServiceImpl::RetryMessage(grpc::ServerContext* ctx,
                                                   const v1::RetryMessageRequest* req,
                                                   v1::Message* resp) {
  return env_.Handle(ctx, "RetryMessage", *req, [&](const Call& call) -> absl::Status {
    REBOOK_RETURN_IF_ERROR(Require(call.principal, Permission::kRetryMessages));
    REBOOK_ASSIGN_OR_RETURN(OfficeChildName id, ParseMessageName(req->name(), "name"));
    return env_.WriteIdempotent(
        call, req->request_id(), kRetry, Fingerprint(*req), resp,
        [&](storage::Transaction& tx) -> absl::Status {
          REBOOK_RETURN_IF_ERROR(VisibleMessage(tx, call.principal, id, req->name()).status());
          REBOOK_ASSIGN_OR_RETURN(
              domain::OutboxMessage m,
              rebooking::RetryMessage(tx, id.child_id, call.principal.name, env_.clock().Now()));
          REBOOK_ASSIGN_OR_RETURN(std::vector<domain::MessageEvent> history,
                                  tx.ListMessageEvents(m.id));
          ToProto(m, history, resp);
          return absl::OkStatus();
        });
  });
}

}  // namespace rebook::api
