// The personal-data facet (storage/privacy_store.h): retention settings, erasure records, the
// scrubbing of free text, and FlushErasures.
#include "services/common/status_macros.h"
#include "storage/conformance/outreach_conformance.h"
#include "storage/conformance/store_conformance.h"

namespace rebook::storage::conformance {
namespace {

using absl::StatusCode;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

TEST_P(StoreConformanceTest, RetentionSettingsRoundTripAndFollowTheirOffice) {
  SeedWorld();
  const RetentionSetting o1{.office_id = "o1", .retention_days = 14, .update_time = At(1, 9)};
  REBOOK_ASSERT_OK(Write([&](Transaction& tx) -> absl::Status {
    REBOOK_RETURN_IF_ERROR(tx.PutRetentionSetting(o1));
    REBOOK_RETURN_IF_ERROR(tx.PutRetentionSetting({"o3", 7, At(1, 9)}));
    EXPECT_THAT(tx.PutRetentionSetting({"nowhere", 7, At(1, 9)}),
                StatusIs(StatusCode::kFailedPrecondition));
    return tx.DeleteOffice("o3");  // the setting goes with it
  }));
  REBOOK_EXPECT_OK(Read([&](Transaction& tx) -> absl::Status {
    REBOOK_ASSIGN_OR_RETURN(std::optional<RetentionSetting> got, tx.GetRetentionSetting("o1"));
    EXPECT_TRUE(got.has_value());
    if (got.has_value()) {
      EXPECT_EQ(got->retention_days, 14);
      EXPECT_EQ(got->update_time, At(1, 9));
    }
    EXPECT_FALSE(tx.GetRetentionSetting("o2").value().has_value());
    EXPECT_FALSE(tx.GetRetentionSetting("o3").value().has_value());
    return absl::OkStatus();
  }));
}

TEST_P(StoreConformanceTest, ListsTheUnerasedAppointmentsOfAnOutageAtAnOffice) {
  SeedWorld();
  std::vector<domain::Appointment> all;
  for (const auto& [id, office, outage] :
       std::vector<std::tuple<std::string, std::string, std::string>>{{"a2", "o1", "out-1"},
                                                                      {"a1", "o1", "out-1"},
                                                                      {"a3", "o2", "out-1"},
                                                                      {"a4", "o1", "out-2"},
                                                                      {"a5", "o1", ""}}) {
    domain::Appointment a = MakeAppointment(id, office, "s1", At(2, 9));
    a.outage_id = outage;
    all.push_back(a);
  }
  InsertOrDie(all);
  REBOOK_ASSERT_OK(Write([&](Transaction& tx) {
    return tx.PutErasure({"a1", "o1", At(3, 9), "retention"});
  }));
  REBOOK_EXPECT_OK(Read([&](Transaction& tx) {
    EXPECT_THAT(tx.ListUnerasedAppointments("out-1", "o1", 10).value(), ElementsAre("a2"));
    EXPECT_THAT(tx.ListUnerasedAppointments("out-1", "o2", 10).value(), ElementsAre("a3"));
    EXPECT_THAT(tx.ListUnerasedAppointments("out-1", "o1", 0).value(), IsEmpty());
    const std::optional<ErasureRecord> e = tx.GetErasure({"o1", "a1"}).value();
    EXPECT_TRUE(e.has_value());
    if (e.has_value()) {
      EXPECT_EQ(e->office_id, "o1");
      EXPECT_EQ(e->erase_time, At(3, 9));
      EXPECT_EQ(e->reason, "retention");
    }
    EXPECT_FALSE(tx.GetErasure({"o1", "a2"}).value().has_value());
    return absl::OkStatus();
  }));
}

TEST_P(StoreConformanceTest, ScrubsFreeTextOnceAndForgetsStoredResponsesByContent) {
  domain::Offer offer = MakeOffer("a1", 1, "o1");
  domain::OutboxMessage m = MakeMessage("m1", "a1", "email", At(2, 9));
  m.last_error = "550 <erika@example.org> unknown";
  m.explanation = "Krankheit";
  const domain::MessageEvent event{.message_id = "m1", .time = At(2, 9), .reason = m.last_error};
  domain::OutboxMessage other = MakeMessage("m2", "a2", "email", At(2, 9));
  other.last_error = "kept";
  REBOOK_ASSERT_OK(Write([&](Transaction& tx) -> absl::Status {
    REBOOK_RETURN_IF_ERROR(tx.PutOffer(offer));
    REBOOK_RETURN_IF_ERROR(tx.InsertMessages(std::vector<domain::OutboxMessage>{m, other}));
    REBOOK_RETURN_IF_ERROR(tx.AddMessageEvents({&event, 1}));
    REBOOK_RETURN_IF_ERROR(tx.SaveRequest({"r1", "m", "f", std::string("\x0a\x03xy\0erika", 10)}));
    return tx.SaveRequest({"r2", "m", "f", "other"});
  }));
  REBOOK_ASSERT_OK(Write([&](Transaction& tx) -> absl::Status {
    EXPECT_EQ(tx.ScrubOffers({"o1", "a1"}).value(), 1);
    EXPECT_EQ(tx.ScrubOffers({"o1", "a1"}).value(), 0);
    EXPECT_EQ(tx.ScrubMessageText({"o1", "a1"}, "erased").value(), 1);
    EXPECT_EQ(tx.ScrubMessageText({"o1", "a1"}, "erased").value(), 0);
    const std::vector<std::string> needles = {"", "erika"};
    EXPECT_EQ(tx.ForgetStoredResponses(needles).value(), 1);
    return absl::OkStatus();
  }));
  REBOOK_EXPECT_OK(Read([&](Transaction& tx) {
    const domain::Offer o = tx.GetOffer({"o1", "a1"}, 1).value();
    EXPECT_EQ(o.token, "erased/o1/a1/1");
    EXPECT_EQ(o.explanation, "");
    EXPECT_EQ(o.slot, offer.slot);
    const domain::OutboxMessage got = tx.GetMessage("m1").value();
    EXPECT_EQ(got.last_error, "erased");
    EXPECT_EQ(got.explanation, "");
    EXPECT_EQ(got.provider_message_id, "");
    EXPECT_EQ(got.state, m.state);
    EXPECT_EQ(tx.ListMessageEvents("m1").value().at(0).reason, "");
    EXPECT_EQ(tx.GetMessage("m2").value().last_error, "kept");
    EXPECT_THAT(tx.FindRequest("r1"), StatusIs(StatusCode::kNotFound));
    EXPECT_TRUE(tx.FindRequest("r2").ok());
    return absl::OkStatus();
  }));
  REBOOK_EXPECT_OK(store().FlushErasures({}));
}

}  // namespace
}  // namespace rebook::storage::conformance
