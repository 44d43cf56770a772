#include "services/api/audit_interceptor.h"

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "google/protobuf/message.h"
#include "grpcpp/support/byte_buffer.h"
#include "services/api/audit_policy.h"
#include "services/api/import_stream.h"
#include "services/common/log.h"

namespace rebook::api {
namespace {

namespace gx = grpc::experimental;
using google::protobuf::Message;
using Hook = gx::InterceptionHookPoints;

std::vector<std::string> OfficesOf(const Principal& p) {
  if (p.all_offices) return {"*"};
  return std::vector<std::string>(p.offices.begin(), p.offices.end());
}

class AuditInterceptor final : public gx::Interceptor {
 public:
  AuditInterceptor(gx::ServerRpcInfo* info, audit::Category category, const ServiceEnv* env,
                   const audit::AuditTrail* trail)
      : info_(info), category_(category), env_(env), trail_(trail) {
    method_ = info->method();
    if (!method_.empty() && method_[0] == '/') method_.erase(0, 1);
    public_ = IsPublicTokenMethod(method_);
    if (HasRawRequests(method_)) raw_request_ = NewRequestMessage(method_);
  }

  void Intercept(gx::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(Hook::POST_RECV_MESSAGE)) {
      if (void* m = methods->GetRecvMessage(); m != nullptr) {
        if (raw_request_ != nullptr) {
          OnRawRequest(*static_cast<grpc::ByteBuffer*>(m));
        } else {
          OnRequest(*static_cast<Message*>(m));
        }
      }
    }
    const Message* sent = nullptr;
    if (methods->QueryInterceptionHookPoint(Hook::PRE_SEND_MESSAGE)) {
      sent = static_cast<const Message*>(methods->GetSendMessage());
      if (sent != nullptr) {
        CollectResourceNames(*sent, resources_);
        records_out_ += RecordCount(*sent);
      } else {
        ++records_out_;  // already serialized (not the case for the sync API): count only
      }
    }
    if (methods->QueryInterceptionHookPoint(Hook::PRE_SEND_STATUS)) {
      absl::Status recorded = Record(methods->GetSendStatus());
      if (!recorded.ok()) {
        Log(LogLevel::kError, "audit_append_failed",
            {{"method", method_}, {"error", std::string(recorded.message())}});
        methods->ModifySendStatus(grpc::Status(
            grpc::StatusCode::UNAVAILABLE,
            "the call could not be recorded in the audit log; retry with the same request_id"));
        if (sent != nullptr) {
          blank_.reset(sent->New());
          methods->ModifySendMessage(blank_.get());
        }
      }
    }
    methods->Proceed();
  }

 private:
  void OnRequest(const Message& m) {
    if (first_request_) {
      request_id_ = RequestIdOf(m);
      if (public_) {
        std::string token = TokenResource(m);
        if (!token.empty()) resources_.push_back(std::move(token));
      }
      first_request_ = false;
    }
    CollectResourceNames(m, resources_);
    records_in_ += ListedRecords(m);
  }

  // A raw (serialized) request: parsed into a message of the method's request type while it
  // may still name resources; once kMaxAuditResources are known, an import stream's further
  // messages are only counted, off the wire (the same count, without parsing each again).
  void OnRawRequest(const grpc::ByteBuffer& buffer) {
    if (first_request_ || resources_.size() < kMaxAuditResources) {
      if (ParseRawRequest(buffer, *raw_request_)) OnRequest(*raw_request_);
      return;
    }
    std::string bytes;
    if (!RawRequestBytes(buffer, bytes)) return;
    if (std::optional<std::int64_t> n =
            ListedRecordsOfSerialized(*raw_request_->GetDescriptor(), bytes)) {
      records_in_ += *n;
    }
  }

  absl::Status Record(const grpc::Status& status) {
    audit::AuditEvent e;
    if (public_) {
      e.principal = "public";
      e.role = "citizen";
    } else {
      absl::StatusOr<Principal> who = env_->Authenticate(*info_->server_context());
      if (!who.ok()) return absl::OkStatus();  // unauthenticated: nothing was read or changed
      e.principal = who->name;
      e.role = RoleName(who->role);
      e.offices = OfficesOf(*who);
    }
    e.method = method_;
    e.category = category_;
    e.resources = std::move(resources_);
    e.record_count = status.ok() ? std::max(records_in_, records_out_) : 0;
    e.outcome = absl::StatusCodeToString(static_cast<absl::StatusCode>(status.error_code()));
    e.request_id = request_id_;
    storage::TransactionOptions options;
    options.deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    return trail_->Record(e, options);
  }

  gx::ServerRpcInfo* info_;
  audit::Category category_;
  const ServiceEnv* env_;
  const audit::AuditTrail* trail_;
  std::string method_;
  bool public_ = false;
  bool first_request_ = true;
  std::string request_id_;
  std::vector<std::string> resources_;
  std::int64_t records_in_ = 0;
  std::int64_t records_out_ = 0;
  std::unique_ptr<Message> raw_request_;  // parse target for raw requests, else null
  std::unique_ptr<Message> blank_;        // the replacement response; lives until it is sent
};

}  // namespace

gx::Interceptor* AuditInterceptorFactory::CreateServerInterceptor(gx::ServerRpcInfo* info) {
  if (info->method() == nullptr) return nullptr;
  const audit::Category category = AuditCategoryOf(info->method());
  if (category == audit::Category::kNone) return nullptr;
  return new AuditInterceptor(info, category, env_, trail_);
}

}  // namespace rebook::api
