// Eight citizens answering at the same moment, some of them with the same token twice: every
// offer gets exactly one effect.
#include <latch>
#include <thread>

#include "tests/offers/halle_fixture.h"

namespace rebook::testing {
namespace {

using domain::OfferState;

int Confirmations(const std::vector<domain::OutboxMessage>& ms) {
  int n = 0;
  for (const auto& m : ms) n += m.kind == domain::MessageKind::kConfirmation ? 1 : 0;
  return n;
}

class ConcurrencyTest : public HalleTest {};

TEST_F(ConcurrencyTest, EightClientsAtOnceGiveOneEffectPerOffer) {
  PlanAndCommit();
  std::vector<domain::Offer> open = Offers(OfferState::kOpen);
  ASSERT_GT(open.size(), 40u);
  for (int round = 0; round < 3; ++round) {
    SCOPED_TRACE(round);
    const domain::Offer* o = &open[round * 10];
    // Clients 0-3: four offers, one each. 4 and 5: the same offer, both accept. 6 and 7: the
    // same offer, one accepts and one declines.
    struct Call {
      const domain::Offer* offer;
      v1::OfferResponse response;
    };
    std::vector<Call> calls = {{&o[0], v1::ACCEPT},     {&o[1], v1::DECLINE}, {&o[2], v1::ACCEPT},
                               {&o[3], v1::OTHER_TIME}, {&o[4], v1::ACCEPT},  {&o[4], v1::ACCEPT},
                               {&o[5], v1::ACCEPT},     {&o[5], v1::DECLINE}};
    std::vector<grpc::Status> results(calls.size());
    std::latch start(static_cast<std::ptrdiff_t>(calls.size()));
    std::vector<std::thread> clients;
    for (std::size_t i = 0; i < calls.size(); ++i) {
      clients.emplace_back([&, i] {
        start.arrive_and_wait();
        results[i] = Respond(calls[i].offer->token, calls[i].response);
      });
    }
    for (auto& t : clients) t.join();

    for (int i = 0; i < 6; ++i) EXPECT_TRUE(results[i].ok()) << i << results[i].error_message();
    // The same answer twice: both succeed, one effect.
    EXPECT_EQ(Appointment(o[4].appointment_id).status, domain::AppointmentStatus::kConfirmed);
    EXPECT_EQ(Confirmations(Messages(o[4].appointment_id)), 1);
    // Different answers at once: exactly one wins, the other is refused and changed nothing.
    EXPECT_NE(results[6].ok(), results[7].ok());
    const grpc::Status& loser = results[6].ok() ? results[7] : results[6];
    EXPECT_EQ(loser.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
    const bool accepted = results[6].ok();
    EXPECT_EQ(Appointment(o[5].appointment_id).status, accepted
                                                           ? domain::AppointmentStatus::kConfirmed
                                                           : domain::AppointmentStatus::kDeclined);
    EXPECT_EQ(Confirmations(Messages(o[5].appointment_id)), accepted ? 1 : 0);
    EXPECT_EQ(Confirmations(Messages(o[0].appointment_id)), 1);
    EXPECT_EQ(Confirmations(Messages(o[1].appointment_id)), 0);
    CheckInvariants("round");
  }
}

}  // namespace
}  // namespace rebook::testing
