// OfferService of API v1: citizens answer offers with their response token (no bearer token),
// staff record answers taken by phone, read offers, and schedulers expire due offers.
//
// The two public methods pass a PublicLookupThrottle (services/common/rate_limiter.h) when one
// is given: the client is the gRPC peer's address (or, from a trusted proxy, the
// `x-forwarded-for` metadata); a call over the limit is refused before its token is looked up
// with RESOURCE_EXHAUSTED, a google.rpc.RetryInfo detail and a `retry-after` trailing metadata
// entry (whole seconds); a NOT_FOUND answer (unknown token) is charged to the strict buckets.
#ifndef REBOOK_SERVICES_API_OFFER_SERVICE_H_
#define REBOOK_SERVICES_API_OFFER_SERVICE_H_

#include "absl/functional/function_ref.h"
#include "rebook/v1/offers.grpc.pb.h"
#include "services/api/operation_registry.h"
#include "services/api/rpc_context.h"
#include "services/common/rate_limiter.h"
#include "services/rebooking/offers.h"
#include "services/rebooking/outbox.h"

namespace rebook::api {

class OfferServiceImpl final : public rebook::v1::OfferService::Service {
 public:
  // Pointers must outlive the service; `throttle` may be null (no limits); `operations` (where
  // the expiry batch reports progress) may be null.
  OfferServiceImpl(const ServiceEnv* env, const rebooking::OutboxPolicy* outbox,
                   const rebooking::OfferPolicy* policy, PublicLookupThrottle* throttle = nullptr,
                   const OperationRegistry* operations = nullptr)
      : env_(*env),
        outbox_(*outbox),
        policy_(*policy),
        throttle_(throttle),
        operations_(operations) {}

  using Ctx = grpc::ServerContext;
  // Public: authenticated by the response token inside the request.
  grpc::Status GetPublicOffer(Ctx* ctx, const v1::GetPublicOfferRequest* req,
                              v1::PublicOffer* resp) override;
  grpc::Status RespondToOffer(Ctx* ctx, const v1::RespondToOfferRequest* req,
                              v1::PublicOffer* resp) override;
  // Staff and schedulers: bearer token, office-scoped.
  grpc::Status RecordResponse(Ctx* ctx, const v1::RecordResponseRequest* req,
                              v1::Offer* resp) override;
  grpc::Status GetOffer(Ctx* ctx, const v1::GetOfferRequest* req, v1::Offer* resp) override;
  grpc::Status ListOffers(Ctx* ctx, const v1::ListOffersRequest* req,
                          v1::ListOffersResponse* resp) override;
  grpc::Status ProcessExpiries(Ctx* ctx, const v1::ProcessExpiriesRequest* req,
                               v1::ProcessExpiriesResponse* resp) override;

 private:
  rebooking::OfferContext Context() const;
  // Runs `call` under the throttle for `token` (see the file comment).
  grpc::Status Throttled(Ctx* ctx, const char* method, const std::string& token,
                         absl::FunctionRef<grpc::Status()> call);

  const ServiceEnv& env_;
  const rebooking::OutboxPolicy& outbox_;
  const rebooking::OfferPolicy& policy_;
  PublicLookupThrottle* throttle_;
  const OperationRegistry* operations_;
};

}  // namespace rebook::api

#endif  // REBOOK_SERVICES_API_OFFER_SERVICE_H_
