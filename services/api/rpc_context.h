// What every RPC of API v1 shares: the objects it works with, authentication, deadlines,
// idempotent writes and the access log.
//
//   grpc::Status OutageServiceImpl::GetOutage(grpc::ServerContext* ctx, const GetOutageRequest*
//   req,
//                                             Outage* resp) {
//     return env_.Handle(ctx, "GetOutage", [&](const Call& call) -> absl::Status {
//       REBOOK_RETURN_IF_ERROR(Require(call.principal, Permission::kReadOutages));
//       return env_.store().Read(call.tx_options, [&](storage::Transaction& tx) { ... });
//     });
//   }
#ifndef REBOOK_SERVICES_API_RPC_CONTEXT_H_
#define REBOOK_SERVICES_API_RPC_CONTEXT_H_

#include <chrono>
#include <functional>
#include <string>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "google/protobuf/message.h"
#include "grpcpp/server_context.h"
#include "grpcpp/support/status.h"
#include "services/api/auth.h"
#include "services/common/clock.h"
#include "services/common/ids.h"
#include "storage/store.h"

namespace rebook::api {

// How ServiceEnv::WriteIdempotent ends a transaction whose function succeeded.
enum class WriteMode {
  kCommit,
  // Validate-only requests: the function runs and fills the response as for kCommit, then the
  // transaction is rolled back. The request id is neither checked nor recorded.
  kValidateOnly,
};

// One authenticated call in progress.
struct Call {
  Principal principal;
  // deadline: the client's, capped; commit_deadline: the client's, less a margin for the answer
  storage::TransactionOptions tx_options;
};

class ServiceEnv {
 public:
  struct Options {
    // Longest a request may wait for storage when the client sets no (or a later) deadline.
    std::chrono::seconds max_storage_wait{30};
  };

  // All pointers must outlive the env.
  ServiceEnv(storage::Store* store, Clock* clock, IdGenerator* ids, const TokenRegistry* tokens,
             Options options)
      : store_(store), clock_(clock), ids_(ids), tokens_(tokens), options_(options) {}

  storage::Store& store() const { return *store_; }
  Clock& clock() const { return *clock_; }
  IdGenerator& ids() const { return *ids_; }

  // The principal of a call's `authorization: Bearer <token>` metadata, as Handle finds it
  // (UNAUTHENTICATED without a known token). The audit interceptor names callers with it.
  absl::StatusOr<Principal> Authenticate(const grpc::ServerContextBase& ctx) const;

  // Authenticates, runs `fn`, writes one access-log line (method, principal, code, duration;
  // never request content) and converts the status. Every INVALID_ARGUMENT leaves with a
  // google.rpc.BadRequest: one that names no field gets a violation on "page_token" if it is
  // about a page token, else on the request as a whole (field "").
  grpc::Status Handle(grpc::ServerContext* ctx, const char* method,
                      absl::FunctionRef<absl::Status(const Call&)> fn) const;
  // The same, and after authentication refuses a `request` that breaks the rules of
  // request_check.h (unknown enum values, Timestamp nanos, negative page_size) before `fn`.
  grpc::Status Handle(grpc::ServerContext* ctx, const char* method,
                      const google::protobuf::Message& request,
                      absl::FunctionRef<absl::Status(const Call&)> fn) const;

  // For the few methods citizens call with a response token instead of a bearer token
  // (OfferService.GetPublicOffer and RespondToOffer): like Handle, but without authentication;
  // `fn` runs as the principal "public" (clerk role) with no office, so every office-scoped
  // check fails; `fn` must not use the principal at all. The token inside the request is the
  // only credential, checked by `fn`.
  grpc::Status HandlePublic(grpc::ServerContext* ctx, const char* method,
                            const google::protobuf::Message& request,
                            absl::FunctionRef<absl::Status(const Call&)> fn) const;

  // Runs `fn` in a write transaction, once per request id of this caller and method (see
  // IdempotencyKey): if the caller sent the id to `method` before with the same fingerprint,
  // `response` is filled from the stored answer and `fn` is not run; with a different request
  // it is ALREADY_EXISTS. Another principal's id is not seen at all: the call runs as a new one,
  // with every office check of `fn`. An empty id disables the check. `fn` must fill `response`
  // completely (it is stored on success). With WriteMode::kValidateOnly nothing is stored and
  // OK means `fn` succeeded.
  absl::Status WriteIdempotent(const Call& call, const std::string& request_id,
                               const std::string& method, const std::string& fingerprint,
                               google::protobuf::Message* response,
                               absl::FunctionRef<absl::Status(storage::Transaction&)> fn,
                               WriteMode mode = WriteMode::kCommit) const;

 private:
  grpc::Status Run(grpc::ServerContext* ctx, const char* method,
                   absl::StatusOr<Principal> principal,
                   absl::FunctionRef<absl::Status(const Call&)> fn) const;
  // Runs `fn` in a write transaction that is always rolled back; OK when `fn` succeeded.
  absl::Status WriteAndRollBack(const Call& call,
                                absl::FunctionRef<absl::Status(storage::Transaction&)> fn) const;

  storage::Store* store_;
  Clock* clock_;
  IdGenerator* ids_;
  const TokenRegistry* tokens_;
  Options options_;
};

// Digest of a request minus its `request_id` field, for WriteIdempotent. Streams add each
// message in order.
class RequestFingerprint {
 public:
  RequestFingerprint();
  void Add(const google::protobuf::Message& request);
  std::string Finish();

 private:
  alignas(64) unsigned char state_[512];  // crypto_hash_sha256_state, kept opaque in the header
};
std::string Fingerprint(const google::protobuf::Message& request);

// The key under which storage keeps a request id: the caller's name, role and offices, the
// method and the id, separated by spaces (none of them may contain one), e.g.
// "planung planner HAL-MITTE,HAL-NEUSTADT rebook.v1.PlanService/CommitPlan r-17". Request ids
// are thus one namespace per principal and method, not one shared by all callers: a foreign
// id replays nothing. A stored answer comes back only to the principal it was given to, with
// the same role and offices as then, so a replay passed the same office checks as a new call;
// after the token file changes a principal's scope, old ids run as new calls and are checked
// anew. Storage sees only this key (StoredRequest::request_id); the schema is unchanged.
std::string IdempotencyKey(const Principal& who, const std::string& method,
                           const std::string& request_id);

// Looks `request_id` of `who` up inside `tx`: false if it was never seen (or is empty); true
// after filling `response` with the stored answer of the same method and fingerprint;
// ALREADY_EXISTS if the id was used for a different request. For calls that must check for a
// replay before long work outside any transaction (solving), as WriteIdempotent does inside;
// such calls check the principal's offices first, as for a new call.
absl::StatusOr<bool> ReplayStoredResponse(storage::Transaction& tx, const Principal& who,
                                          const std::string& request_id, const std::string& method,
                                          const std::string& fingerprint,
                                          google::protobuf::Message* response);

// Checks a request_id's shape: at most 128 printable ASCII characters.
absl::Status CheckRequestId(const std::string& request_id);

// Clamps a page size: 0 means the default of 100, and at most 1000.
int ClampPageSize(int page_size);

}  // namespace rebook::api

#endif  // REBOOK_SERVICES_API_RPC_CONTEXT_H_
