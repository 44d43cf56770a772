#include "services/api/rpc_context.h"

#include <sodium.h>

#include <algorithm>
#include <cstring>
#include <memory>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "services/api/request_check.h"
#include "services/api/status_conversion.h"
#include "services/common/field_violations.h"
#include "services/common/log.h"
#include "services/common/status_macros.h"

namespace rebook::api {
namespace {

static_assert(sizeof(crypto_hash_sha256_state) <= 512, "RequestFingerprint state too small");

std::string BearerToken(const grpc::ServerContextBase& ctx) {
  const auto& md = ctx.client_metadata();
  auto it = md.find("authorization");
  if (it == md.end()) return "";
  std::string value(it->second.data(), it->second.size());
  constexpr char kPrefix[] = "Bearer ";
  if (value.rfind(kPrefix, 0) != 0) return "";
  return value.substr(sizeof(kPrefix) - 1);
}

storage::TransactionOptions TxOptions(const grpc::ServerContext& ctx,
                                      std::chrono::seconds max_wait) {
  auto now_system = std::chrono::system_clock::now();
  auto now_steady = std::chrono::steady_clock::now();
  auto until = ctx.deadline() - now_system;
  if (until > max_wait) until = max_wait;
  storage::TransactionOptions options;
  options.deadline =
      now_steady + std::chrono::duration_cast<std::chrono::steady_clock::duration>(until);
  // Writes commit only while the client still waits, with a margin for the answer to reach it
  // (a tenth of its time, 20 ms to 2 s): DEADLINE_EXCEEDED then always means "nothing happened".
  if (ctx.deadline() < std::chrono::system_clock::time_point::max()) {
    const auto left = std::max(ctx.deadline() - now_system, std::chrono::system_clock::duration(0));
    const auto margin = std::clamp<std::chrono::system_clock::duration>(
        left / 10, std::chrono::milliseconds(20), std::chrono::seconds(2));
    options.commit_deadline =
        now_steady + std::chrono::duration_cast<std::chrono::steady_clock::duration>(left - margin);
  }
  return options;
}

// Clears a top-level `request_id` string field, if the message has one.
void ClearRequestId(google::protobuf::Message& m) {
  const auto* field = m.GetDescriptor()->FindFieldByName("request_id");
  if (field != nullptr) m.GetReflection()->ClearField(&m, field);
}

// Whether `m` has a non-empty top-level `request_id` string field (ClearRequestId would change it).
bool HasRequestId(const google::protobuf::Message& m) {
  const auto* field = m.GetDescriptor()->FindFieldByName("request_id");
  if (field == nullptr || field->type() != google::protobuf::FieldDescriptor::TYPE_STRING ||
      field->is_repeated()) {
    return field != nullptr;  // not a plain string: clear it as before
  }
  if (field->has_presence()) return m.GetReflection()->HasField(m, field);
  std::string scratch;
  return !m.GetReflection()->GetStringReference(m, field, &scratch).empty();
}

absl::Status CheckRequest(const google::protobuf::Message& request) {
  FieldViolations v;
  CheckRequestFields(request, v);
  return v.ToStatus("invalid request");
}

// An INVALID_ARGUMENT from code that named no field (storage's page tokens, rules of the use
// cases) gets one violation, so that clients always find a BadRequest.
absl::Status WithBadRequest(absl::Status status) {
  if (status.code() != absl::StatusCode::kInvalidArgument ||
      !FieldViolations::FromStatus(status).empty()) {
    return status;
  }
  std::string message(status.message());
  const bool page_token =
      absl::StrContains(message, "page token") || absl::StrContains(message, "page_token");
  return InvalidField(page_token ? "page_token" : "", message,
                      page_token ? "BAD_PAGE_TOKEN" : "INVALID_REQUEST");
}

}  // namespace

absl::StatusOr<Principal> ServiceEnv::Authenticate(const grpc::ServerContextBase& ctx) const {
  return tokens_->Authenticate(BearerToken(ctx));
}

grpc::Status ServiceEnv::Handle(grpc::ServerContext* ctx, const char* method,
                                absl::FunctionRef<absl::Status(const Call&)> fn) const {
  return Run(ctx, method, Authenticate(*ctx), fn);
}

grpc::Status ServiceEnv::Handle(grpc::ServerContext* ctx, const char* method,
                                const google::protobuf::Message& request,
                                absl::FunctionRef<absl::Status(const Call&)> fn) const {
  return Handle(ctx, method, [&](const Call& call) -> absl::Status {
    REBOOK_RETURN_IF_ERROR(CheckRequest(request));
    return fn(call);
  });
}

grpc::Status ServiceEnv::HandlePublic(grpc::ServerContext* ctx, const char* method,
                                      const google::protobuf::Message& request,
                                      absl::FunctionRef<absl::Status(const Call&)> fn) const {
  Principal anonymous;
  anonymous.name = "public";
  anonymous.role = Role::kClerk;
  return Run(ctx, method, anonymous, [&](const Call& call) -> absl::Status {
    REBOOK_RETURN_IF_ERROR(CheckRequest(request));
    return fn(call);
  });
}

grpc::Status ServiceEnv::Run(grpc::ServerContext* ctx, const char* method,
                             absl::StatusOr<Principal> principal,
                             absl::FunctionRef<absl::Status(const Call&)> fn) const {
  auto start = std::chrono::steady_clock::now();
  std::string principal_name = "-";
  absl::Status status;
  if (!principal.ok()) {
    status = principal.status();
  } else {
    principal_name = principal->name;
    Call call{std::move(*principal), TxOptions(*ctx, options_.max_storage_wait)};
    status = WithBadRequest(fn(call));
    if (!status.ok() && ctx->IsCancelled()) {
      status = absl::CancelledError("the client cancelled the call or its deadline passed");
    }
  }
  double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  Log(status.ok() ? LogLevel::kInfo : LogLevel::kWarning, "rpc",
      {{"method", method},
       {"principal", principal_name},
       {"code", absl::StatusCodeToString(status.code())},
       {"ms", ms}});
  return ToGrpcStatus(status);
}

absl::Status ServiceEnv::WriteIdempotent(const Call& call, const std::string& request_id,
                                         const std::string& method, const std::string& fingerprint,
                                         google::protobuf::Message* response,
                                         absl::FunctionRef<absl::Status(storage::Transaction&)> fn,
                                         WriteMode mode) const {
  if (mode == WriteMode::kValidateOnly) return WriteAndRollBack(call, fn);
  REBOOK_RETURN_IF_ERROR(CheckRequestId(request_id));
  return store_->Write(call.tx_options, [&](storage::Transaction& tx) -> absl::Status {
    REBOOK_ASSIGN_OR_RETURN(bool replayed, ReplayStoredResponse(tx, call.principal, request_id,
                                                                method, fingerprint, response));
    if (replayed) {
      // A repeat (typically a client's retry after a broken connection): the stored answer.
      Log(LogLevel::kInfo, "request_replayed", {{"method", method}, {"request_id", request_id}});
      return absl::OkStatus();
    }
    REBOOK_RETURN_IF_ERROR(fn(tx));
    if (request_id.empty()) return absl::OkStatus();
    return tx.SaveRequest({IdempotencyKey(call.principal, method, request_id), method, fingerprint,
                           response->SerializeAsString()});
  });
}

absl::Status ServiceEnv::WriteAndRollBack(
    const Call& call, absl::FunctionRef<absl::Status(storage::Transaction&)> fn) const {
  // A Store commits exactly when its function returns OK, so the function fails on purpose once
  // `fn` has succeeded; `succeeded` (not the status) tells that failure from a real one.
  bool succeeded = false;
  absl::Status s = store_->Write(call.tx_options, [&](storage::Transaction& tx) -> absl::Status {
    succeeded = false;  // the store may re-run the function
    REBOOK_RETURN_IF_ERROR(fn(tx));
    succeeded = true;
    return absl::AbortedError("validate-only: roll back");
  });
  return succeeded ? absl::OkStatus() : s;
}

std::string IdempotencyKey(const Principal& who, const std::string& method,
                           const std::string& request_id) {
  std::string offices = who.all_offices ? "*" : absl::StrJoin(who.offices, ",");
  return absl::StrJoin({who.name, std::string(RoleName(who.role)), offices, method, request_id},
                       " ");
}

absl::StatusOr<bool> ReplayStoredResponse(storage::Transaction& tx, const Principal& who,
                                          const std::string& request_id, const std::string& method,
                                          const std::string& fingerprint,
                                          google::protobuf::Message* response) {
  if (request_id.empty()) return false;
  absl::StatusOr<storage::StoredRequest> seen =
      tx.FindRequest(IdempotencyKey(who, method, request_id));
  if (!seen.ok()) {
    if (seen.status().code() == absl::StatusCode::kNotFound) return false;
    return seen.status();
  }
  if (seen->method != method || seen->fingerprint != fingerprint) {
    return absl::AlreadyExistsError(
        absl::StrCat("request_id \"", request_id,
                     "\" was already used for a different request; use a new request_id"));
  }
  if (!response->ParseFromString(seen->response)) {
    return absl::InternalError("stored response of request_id cannot be parsed");
  }
  return true;
}

RequestFingerprint::RequestFingerprint() {
  if (sodium_init() < 0) std::abort();
  crypto_hash_sha256_init(reinterpret_cast<crypto_hash_sha256_state*>(state_));
}

void RequestFingerprint::Add(const google::protobuf::Message& request) {
  // Only a message that carries a request id is copied to clear it: an import stream's
  // messages after the first carry none, and copying each (a thousand records) cost about as
  // much as hashing it. The bytes hashed are the same either way.
  const google::protobuf::Message* hashed = &request;
  std::unique_ptr<google::protobuf::Message> copy;
  if (HasRequestId(request)) {
    copy.reset(request.New());
    copy->CopyFrom(request);
    ClearRequestId(*copy);
    hashed = copy.get();
  }
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream out(&bytes);
    google::protobuf::io::CodedOutputStream coded(&out);
    coded.SetSerializationDeterministic(true);
    hashed->SerializeToCodedStream(&coded);
  }
  std::string header = absl::StrCat(hashed->GetDescriptor()->full_name(), ":", bytes.size(), ":");
  auto* state = reinterpret_cast<crypto_hash_sha256_state*>(state_);
  crypto_hash_sha256_update(state, reinterpret_cast<const unsigned char*>(header.data()),
                            header.size());
  crypto_hash_sha256_update(state, reinterpret_cast<const unsigned char*>(bytes.data()),
                            bytes.size());
}

std::string RequestFingerprint::Finish() {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256_final(reinterpret_cast<crypto_hash_sha256_state*>(state_), digest);
  char hex[2 * crypto_hash_sha256_BYTES + 1];
  sodium_bin2hex(hex, sizeof(hex), digest, sizeof(digest));
  return hex;
}

std::string Fingerprint(const google::protobuf::Message& request) {
  RequestFingerprint f;
  f.Add(request);
  return f.Finish();
}

absl::Status CheckRequestId(const std::string& request_id) {
  bool ok = request_id.size() <= 128 && std::all_of(request_id.begin(), request_id.end(),
                                                    [](char c) { return c > 32 && c < 127; });
  if (ok) return absl::OkStatus();
  return InvalidField("request_id", "must be at most 128 printable ASCII characters",
                      "BAD_REQUEST_ID");
}

int ClampPageSize(int page_size) {
  if (page_size <= 0) return 100;
  return std::min(page_size, 1000);
}

}  // namespace rebook::api
