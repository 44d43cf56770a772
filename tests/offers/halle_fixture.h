// The Halle outage of 27 Jan 2026 on a real server: generated with the scenario generator,
// imported through ImportBundle, declared, solved and committed over gRPC. Plus the invariants
// every step of the offer life cycle must keep, checked straight in the store with the same
// plan checker rebook-check uses.
#ifndef REBOOK_TESTS_OFFERS_HALLE_FIXTURE_H_
#define REBOOK_TESTS_OFFERS_HALLE_FIXTURE_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "rebook/v1/appointments.grpc.pb.h"
#include "rebook/v1/capacity.grpc.pb.h"
#include "rebook/v1/offers.grpc.pb.h"
#include "rebook/v1/outages.grpc.pb.h"
#include "rebook/v1/plans.grpc.pb.h"
#include "services/domain/outreach.h"
#include "tests/support/test_server.h"

namespace rebook::testing {

namespace v1 = ::rebook::v1;

inline constexpr char kOutage[] = "halle-2026-01-27";

api::ServerOptions HalleServerOptions();

class HalleTest : public ::testing::Test {
 protected:
  // `options` start from HalleServerOptions() (tests add a throttle, for instance).
  explicit HalleTest(api::ServerOptions options = HalleServerOptions());
  void SetUp() override;

  // Solves the first plan (READY, not committed); returns its name.
  std::string SolvePlan();
  // Solves and commits the first plan; returns its name.
  std::string PlanAndCommit();
  // Every offer of the outage, from the store.
  std::vector<domain::Offer> Offers();
  std::vector<domain::Offer> Offers(domain::OfferState state);
  domain::Appointment Appointment(const std::string& id);
  std::vector<domain::OutboxMessage> Messages(const std::string& appointment_id);
  // RespondToOffer by token, without a bearer token.
  grpc::Status Respond(const std::string& token, v1::OfferResponse response,
                       v1::PublicOffer* out = nullptr, int alternative = -1,
                       std::vector<std::pair<Instant, Instant>> unavailable = {});
  grpc::Status Replan(v1::Plan* out = nullptr);
  grpc::Status ProcessExpiries(v1::ProcessExpiriesResponse* out = nullptr);

  // Asserts the invariants (see the file comment); `step` names the step in failures.
  void CheckInvariants(const std::string& step);
  // Records the confirmed slots as they are now: later steps must not move them unless
  // `allowed_to_move` names them (a capacity change broke their slot).
  void RememberConfirmed();

  TestServer server_;
  std::unique_ptr<v1::OfferService::Stub> offers_;
  std::unique_ptr<v1::PlanService::Stub> plans_;
  std::unique_ptr<v1::AppointmentService::Stub> appointments_;
  std::unique_ptr<v1::CapacityService::Stub> capacity_;
  std::unique_ptr<v1::OutageService::Stub> outages_;
  domain::PlanParams first_params_;
  std::map<std::string, domain::OfferSlot> confirmed_;  // appointment -> slot
  std::set<std::string> allowed_to_move_;
};

}  // namespace rebook::testing

#endif  // REBOOK_TESTS_OFFERS_HALLE_FIXTURE_H_
