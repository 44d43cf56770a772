// Offers (storage/outreach_store.h, OfferTables): round trips, tokens, filters and pages.
#include "services/common/status_macros.h"
#include "storage/conformance/outreach_conformance.h"
#include "storage/conformance/store_conformance.h"

namespace rebook::storage::conformance {
namespace {

using absl::StatusCode;
using ::testing::IsEmpty;
using KeyList = std::vector<std::string>;

TEST_P(StoreConformanceTest, OfferRoundTripTokenLookupAndReplace) {
  domain::Offer offer = MakeOffer("a1", 1, "o1");
  REBOOK_ASSERT_OK(Write([&](Transaction& tx) { return tx.PutOffer(offer); }));
  REBOOK_EXPECT_OK(Read([&](Transaction& tx) -> absl::Status {
    REBOOK_ASSIGN_OR_RETURN(domain::Offer got, tx.GetOffer({"o1", "a1"}, 1));
    ExpectSameOffer(got, offer);
    REBOOK_ASSIGN_OR_RETURN(got, tx.FindOfferByToken(offer.token));
    ExpectSameOffer(got, offer);
    EXPECT_THAT(tx.GetOffer({"o1", "a1"}, 2), StatusIs(StatusCode::kNotFound));
    EXPECT_THAT(tx.GetOffer({"o2", "a2"}, 1), StatusIs(StatusCode::kNotFound));
    EXPECT_THAT(tx.FindOfferByToken("no-such-token"), StatusIs(StatusCode::kNotFound));
    return absl::OkStatus();
  }));

  // Replaced by key: optional fields and alternatives go away, the token changes.
  const std::string old_token = offer.token;
  offer.state = domain::OfferState::kOpen;
  offer.alternatives.clear();
  offer.reminder_time.reset();
  offer.respond_time.reset();
  offer.response_channel = "";
  offer.accepted_alternative = -1;
  offer.token = "fresh-token";
  offer.slot.cost = 0.0;
  REBOOK_ASSERT_OK(Write([&](Transaction& tx) { return tx.PutOffer(offer); }));
  domain::Offer v2 = MakeOffer("a1", 2, "o1");
  v2.alternatives = {v2.alternatives[0]};
  v2.alternatives[0].office_id = "";  // an empty field in the packed list
  REBOOK_ASSERT_OK(Write([&](Transaction& tx) { return tx.PutOffer(v2); }));
  REBOOK_EXPECT_OK(Read([&](Transaction& tx) -> absl::Status {
    REBOOK_ASSIGN_OR_RETURN(domain::Offer got, tx.GetOffer({"o1", "a1"}, 1));
    ExpectSameOffer(got, offer);
    REBOOK_ASSIGN_OR_RETURN(got, tx.FindOfferByToken("fresh-token"));
    ExpectSameOffer(got, offer);
    EXPECT_THAT(tx.FindOfferByToken(old_token), StatusIs(StatusCode::kNotFound));
    REBOOK_ASSIGN_OR_RETURN(got, tx.GetOffer({"o1", "a1"}, 2));
    ExpectSameOffer(got, v2);
    return absl::OkStatus();
  }));
}

TEST_P(StoreConformanceTest, AnOffersTokenBelongsToNoOtherOffer) {
  const domain::Offer first = MakeOffer("a1", 1, "o1");
  REBOOK_ASSERT_OK(Write([&](Transaction& tx) { return tx.PutOffer(first); }));
  domain::Offer thief = MakeOffer("a2", 1, "o2");
  thief.token = first.token;
  domain::Offer replaced = MakeOffer("a3", 1, "o1");
  REBOOK_ASSERT_OK(Write([&](Transaction& tx) -> absl::Status {
    // Inserting, or replacing with, a taken token fails and writes nothing; the transaction
    // goes on and commits.
    EXPECT_THAT(tx.PutOffer(thief), StatusIs(StatusCode::kAlreadyExists));
    REBOOK_RETURN_IF_ERROR(tx.PutOffer(replaced));
    domain::Offer changed = replaced;
    changed.token = first.token;
    changed.explanation = "changed";
    EXPECT_THAT(tx.PutOffer(changed), StatusIs(StatusCode::kAlreadyExists));
    // Replacing an offer with its own token is fine.
    domain::Offer same = first;
    same.state = domain::OfferState::kExpired;
    return tx.PutOffer(same);
  }));
  REBOOK_EXPECT_OK(Read([&](Transaction& tx) -> absl::Status {
    EXPECT_THAT(tx.GetOffer({"o2", "a2"}, 1), StatusIs(StatusCode::kNotFound));
    REBOOK_ASSIGN_OR_RETURN(domain::Offer got, tx.GetOffer({"o1", "a3"}, 1));
    ExpectSameOffer(got, replaced);
    REBOOK_ASSIGN_OR_RETURN(got, tx.FindOfferByToken(first.token));
    EXPECT_EQ(got.appointment_id, "a1");
    EXPECT_EQ(got.state, domain::OfferState::kExpired);
    return absl::OkStatus();
  }));
}

TEST_P(StoreConformanceTest, PutOffersWritesAllOrNone) {
  const domain::Offer first = MakeOffer("a1", 1, "o1");
  REBOOK_ASSERT_OK(Write([&](Transaction& tx) { return tx.PutOffer(first); }));
  std::vector<domain::Offer> batch = {MakeOffer("a2", 1, "o1"), MakeOffer("a3", 1, "o1")};
  batch.push_back(MakeOffer("a4", 1, "o1"));
  batch.back().token = first.token;  // taken: the whole batch fails
  REBOOK_ASSERT_OK(Write([&](Transaction& tx) -> absl::Status {
    EXPECT_THAT(tx.PutOffers(batch), StatusIs(StatusCode::kAlreadyExists));
    return absl::OkStatus();
  }));
  REBOOK_EXPECT_OK(Read([&](Transaction& tx) {
    EXPECT_THAT(tx.GetOffer({"o1", "a2"}, 1), StatusIs(StatusCode::kNotFound));
    return absl::OkStatus();
  }));
  batch.pop_back();
  domain::Offer replaced = first;
  replaced.state = domain::OfferState::kExpired;
  batch.push_back(replaced);
  REBOOK_ASSERT_OK(Write([&](Transaction& tx) { return tx.PutOffers(batch); }));
  REBOOK_EXPECT_OK(Read([&](Transaction& tx) -> absl::Status {
    for (const domain::Offer& o : batch) {
      REBOOK_ASSIGN_OR_RETURN(domain::Offer got, tx.GetOffer({o.office_id, o.appointment_id}, 1));
      ExpectSameOffer(got, o);
    }
    return absl::OkStatus();
  }));
}

TEST_P(StoreConformanceTest, OfferFilterFields) {
  auto offer = [](const std::string& appointment, int version, const std::string& office,
                  const std::string& outage, domain::OfferState state, Instant expire) {
    domain::Offer o = MakeOffer(appointment, version, office);
    o.outage_id = outage;
    o.state = state;
    o.expire_time = expire;
    return o;
  };
  using S = domain::OfferState;
  REBOOK_ASSERT_OK(Write([&](Transaction& tx) -> absl::Status {
    REBOOK_RETURN_IF_ERROR(tx.PutOffer(offer("a1", 1, "o1", "out-1", S::kDeclined, At(5, 9))));
    REBOOK_RETURN_IF_ERROR(tx.PutOffer(offer("a1", 2, "o1", "out-1", S::kOpen, At(6, 9))));
    REBOOK_RETURN_IF_ERROR(tx.PutOffer(offer("a2", 1, "o2", "out-1", S::kOpen, At(5, 12))));
    REBOOK_RETURN_IF_ERROR(tx.PutOffer(offer("a3", 1, "o2", "out-2", S::kAccepted, At(4, 9))));
    return tx.PutOffer(offer("a4", 1, "o3", "out-2", S::kOpen, At(7, 9)));
  }));
  auto listed = [&](const OfferFilter& filter) {
    KeyList keys;
    KeyList scanned;
    EXPECT_TRUE(Read([&](Transaction& tx) -> absl::Status {
                  REBOOK_ASSIGN_OR_RETURN(Page<domain::Offer> page, tx.ListOffers(filter, {}));
                  keys = OfferKeys(page.items);
                  std::vector<domain::Offer> all;
                  REBOOK_RETURN_IF_ERROR(
                      tx.ScanOffers(filter, [&](const domain::Offer& o) { all.push_back(o); }));
                  scanned = OfferKeys(all);
                  return absl::OkStatus();
                }).ok());
    EXPECT_EQ(scanned, keys);
    return keys;
  };
  using IdList = std::vector<std::string>;
  EXPECT_EQ(listed({}), (KeyList{"a1/1", "a1/2", "a2/1", "a3/1", "a4/1"}));
  EXPECT_EQ(listed({.office_ids = IdList{"o2"}}), (KeyList{"a2/1", "a3/1"}));
  EXPECT_EQ(listed({.office_ids = IdList{"o3", "o1"}}), (KeyList{"a1/1", "a1/2", "a4/1"}));
  EXPECT_EQ(listed({.office_ids = IdList{}}), KeyList{});
  EXPECT_EQ(listed({.appointment = domain::AppointmentKey{"o1", "a1"}}), (KeyList{"a1/1", "a1/2"}));
  EXPECT_EQ(listed({.appointment = domain::AppointmentKey{"o1", "a9"}}), KeyList{});
  EXPECT_EQ(listed({.outage_id = "out-2"}), (KeyList{"a3/1", "a4/1"}));
  EXPECT_EQ(listed({.states = {S::kOpen}}), (KeyList{"a1/2", "a2/1", "a4/1"}));
  EXPECT_EQ(listed({.states = {S::kAccepted, S::kDeclined}}), (KeyList{"a1/1", "a3/1"}));
  EXPECT_EQ(listed({.states = {S::kWithdrawn}}), KeyList{});
  // expire_time < expire_before: an offer expiring exactly then is not included.
  EXPECT_EQ(listed({.expire_before = At(5, 12)}), (KeyList{"a1/1", "a3/1"}));
  EXPECT_EQ(listed({.expire_before = At(5, 12, 1)}), (KeyList{"a1/1", "a2/1", "a3/1"}));
  EXPECT_EQ(listed({.outage_id = "out-1", .states = {S::kOpen}, .expire_before = At(6, 0)}),
            KeyList{"a2/1"});
  EXPECT_EQ(
      listed({.office_ids = IdList{"o1", "o2"}, .appointment = domain::AppointmentKey{"o2", "a3"}}),
      KeyList{"a3/1"});
}

TEST_P(StoreConformanceTest, OfferPagesVisitEveryRowOnce) {
  KeyList all;
  KeyList open;
  REBOOK_ASSERT_OK(Write([&](Transaction& tx) -> absl::Status {
    for (int a = 0; a < 7; ++a) {
      for (int v = 1; v <= 3; ++v) {
        domain::Offer o = MakeOffer("ap-" + std::to_string(a), v, "o1");
        o.state = (a + v) % 2 ? domain::OfferState::kOpen : domain::OfferState::kExpired;
        REBOOK_RETURN_IF_ERROR(tx.PutOffer(o));
        all.push_back(o.appointment_id + "/" + std::to_string(v));
        if (o.state == domain::OfferState::kOpen) open.push_back(all.back());
      }
    }
    return absl::OkStatus();
  }));
  for (int size : {1, 2, 5, 21}) {
    SCOPED_TRACE(size);
    EXPECT_EQ(OfferKeys(WalkPages<domain::Offer>(
                  store(), size,
                  [](Transaction& tx, const PageRequest& p) { return tx.ListOffers({}, p); })),
              all);
    EXPECT_EQ(OfferKeys(WalkPages<domain::Offer>(store(), size,
                                                 [](Transaction& tx, const PageRequest& p) {
                                                   return tx.ListOffers(
                                                       {.states = {domain::OfferState::kOpen}}, p);
                                                 })),
              open);
  }
  REBOOK_EXPECT_OK(Read([&](Transaction& tx) {
    const std::string token = tx.ListOffers({}, {.page_size = 2}).value().next_page_token;
    EXPECT_THAT(tx.ListOffers({.outage_id = "x"}, {.page_size = 2, .page_token = token}),
                StatusIs(StatusCode::kInvalidArgument));
    EXPECT_THAT(tx.ListOffers({}, {.page_token = "garbage"}),
                StatusIs(StatusCode::kInvalidArgument));
    EXPECT_THAT(tx.ListOffers({.office_ids = std::vector<std::string>{}}, {}).value().items,
                IsEmpty());
    return absl::OkStatus();
  }));
}

}  // namespace
}  // namespace rebook::storage::conformance
