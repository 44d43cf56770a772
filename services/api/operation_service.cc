#include "services/api/operation_service.h"

#include <algorithm>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/descriptor.h"
#include "grpcpp/support/byte_buffer.h"
#include "services/api/audit_policy.h"
#include "services/api/convert.h"
#include "services/api/import_stream.h"
#include "services/common/field_violations.h"
#include "services/common/status_macros.h"

namespace rebook::api {
namespace {

namespace gx = grpc::experimental;
using google::protobuf::Message;
using Hook = gx::InterceptionHookPoints;

class OperationInterceptor final : public gx::Interceptor {
 public:
  OperationInterceptor(gx::ServerRpcInfo* info, std::string method,
                       std::unique_ptr<Message> raw_request, const ServiceEnv* env,
                       OperationRegistry* registry)
      : info_(info),
        method_(std::move(method)),
        raw_request_(std::move(raw_request)),
        env_(env),
        registry_(registry) {}

  void Intercept(gx::InterceptorBatchMethods* methods) override {
    if (first_ && methods->QueryInterceptionHookPoint(Hook::POST_RECV_MESSAGE)) {
      if (void* m = methods->GetRecvMessage(); m != nullptr) {
        first_ = false;
        OnFirstRequest(m);
      }
    }
    if (op_ != nullptr && methods->QueryInterceptionHookPoint(Hook::PRE_SEND_STATUS)) {
      const grpc::Status status = methods->GetSendStatus();
      op_->Finish(
          absl::Status(static_cast<absl::StatusCode>(status.error_code()), status.error_message()));
      registry_->Detach(info_->server_context());
      op_ = nullptr;
    }
    methods->Proceed();
  }

 private:
  void OnFirstRequest(void* m) {
    const Message* request = static_cast<const Message*>(m);
    if (raw_request_ != nullptr) {
      if (!ParseRawRequest(*static_cast<grpc::ByteBuffer*>(m), *raw_request_)) return;
      request = raw_request_.get();
    }
    std::string request_id = RequestIdOf(*request);
    if (request_id.empty() || !CheckRequestId(request_id).ok()) return;
    absl::StatusOr<Principal> who = env_->Authenticate(*info_->server_context());
    if (!who.ok()) return;
    op_ = registry_->Start(OperationOwner(*who), request_id, method_);
    registry_->Attach(info_->server_context(), op_);
  }

  gx::ServerRpcInfo* info_;
  const std::string method_;
  std::unique_ptr<Message> raw_request_;  // parse target for raw requests, else null
  const ServiceEnv* env_;
  OperationRegistry* registry_;
  bool first_ = true;
  std::shared_ptr<Operation> op_;
};

// Whether requests of `method` carry a request id: only those calls can be looked up.
// GetOperation's own request_id names the operation asked about, not a new one.
bool HasRequestId(const std::string& method) {
  if (method == "rebook.v1.OperationService/GetOperation") return false;
  std::string dotted = method;
  std::replace(dotted.begin(), dotted.end(), '/', '.');
  const auto* found = google::protobuf::DescriptorPool::generated_pool()->FindMethodByName(dotted);
  return found != nullptr && found->input_type()->FindFieldByName("request_id") != nullptr;
}

}  // namespace

std::string OperationOwner(const Principal& who) {
  return absl::StrCat(who.name, " ", RoleName(who.role), " ",
                      who.all_offices ? "*" : absl::StrJoin(who.offices, ","));
}

std::shared_ptr<Operation> OperationOf(const OperationRegistry* registry,
                                       const grpc::ServerContextBase* ctx) {
  return registry == nullptr ? nullptr : registry->ForCall(ctx);
}

grpc::Status OperationServiceImpl::GetOperation(grpc::ServerContext* ctx,
                                                const v1::GetOperationRequest* req,
                                                v1::Operation* resp) {
  return env_.Handle(ctx, "GetOperation", *req, [&](const Call& call) -> absl::Status {
    if (req->request_id().empty()) {
      return InvalidField("request_id", "the request id the write was sent with", "REQUIRED");
    }
    REBOOK_RETURN_IF_ERROR(CheckRequestId(req->request_id()));
    std::optional<OperationSnapshot> s =
        registry_.Get(OperationOwner(call.principal), req->request_id());
    if (!s.has_value()) {
      return absl::NotFoundError(absl::StrCat(
          "no write with request id ", req->request_id(),
          " of this caller on this rebookd lately (finished ones are kept 15 minutes; with "
          "several replicas, ask the one that was called)"));
    }
    resp->set_request_id(s->request_id);
    resp->set_method(s->method);
    resp->set_stage(s->stage);
    resp->set_done(s->done);
    resp->set_total(s->total);
    *resp->mutable_start_time() = ToTimestamp(s->start_time);
    *resp->mutable_update_time() = ToTimestamp(s->update_time);
    resp->set_finished(s->finished);
    if (s->finished) {
      resp->mutable_status()->set_code(static_cast<int>(s->status.code()));
      resp->mutable_status()->set_message(std::string(s->status.message()));
    }
    return absl::OkStatus();
  });
}

gx::Interceptor* OperationInterceptorFactory::CreateServerInterceptor(gx::ServerRpcInfo* info) {
  if (info->method() == nullptr) return nullptr;
  std::string method = info->method();
  if (!method.empty() && method[0] == '/') method.erase(0, 1);
  if (!HasRequestId(method)) return nullptr;
  std::unique_ptr<Message> raw = HasRawRequests(method) ? NewRequestMessage(method) : nullptr;
  return new OperationInterceptor(info, std::move(method), std::move(raw), env_, registry_);
}

}  // namespace rebook::api
