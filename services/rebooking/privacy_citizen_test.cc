// A citizen's export (Art. 15) and erasure (Art. 17) on a real store.
#include "services/rebooking/privacy_citizen.h"

#include "gtest/gtest.h"
#include "services/rebooking/testing/outbox_fixture.h"

namespace rebook::rebooking {
namespace {

using domain::AppointmentStatus;
using Kind = CitizenKey::Kind;
using testing::kT0;

class CitizenTest : public testing::OutboxTest {
 protected:
  ErasureContext Ctx() { return {.now = clock_.Now(), .ids = ids_.get(), .outbox = &policy_}; }
  absl::StatusOr<CitizenData> Export(const CitizenKey& key,
                                     std::optional<std::vector<std::string>> offices = {}) {
    CitizenData data;
    absl::Status s = store_->Read({}, [&](storage::Transaction& tx) -> absl::Status {
      REBOOK_ASSIGN_OR_RETURN(data, ExportCitizenData(tx, offices, key));
      return absl::OkStatus();
    });
    if (!s.ok()) return s;
    return data;
  }
  absl::StatusOr<CitizenErasure> Erase(const CitizenKey& key,
                                       std::optional<std::vector<std::string>> offices = {}) {
    CitizenErasure out;
    absl::Status s = Write([&](storage::Transaction& tx) -> absl::Status {
      REBOOK_ASSIGN_OR_RETURN(out, EraseCitizenData(tx, offices, key, Ctx()));
      return absl::OkStatus();
    });
    if (!s.ok()) return s;
    return out;
  }
};

TEST(PhoneDigitsTest, ReadsGermanPrefixesAsTrunkZero) {
  EXPECT_EQ(PhoneDigits("+49 345 1234567"), "03451234567");
  EXPECT_EQ(PhoneDigits("0049 (345) 1234567"), "03451234567");
  EXPECT_EQ(PhoneDigits("0345/123 45 67"), "03451234567");
  EXPECT_EQ(PhoneDigits("1234"), "");
  EXPECT_EQ(PhoneDigits("Erika"), "");
}

TEST_F(CitizenTest, ExportFindsEveryAppointmentOfTheAddressWithItsOutreach) {
  auto [a1, o1] = Seed("a1", EmailSmsLetter());
  Seed("a2", Email());
  Seed("other", {.name = "Max", .email = "max@example.org"});
  ASSERT_TRUE(Queue(a1, o1).ok());

  auto data = Export({Kind::kEmail, "  ERIKA@example.org "});
  ASSERT_TRUE(data.ok()) << data.status();
  ASSERT_EQ(data->appointments.size(), 2u);
  EXPECT_EQ(data->appointments[0].id, "a1");
  EXPECT_EQ(data->appointments[1].id, "a2");
  EXPECT_EQ(data->offers.size(), 2u);
  ASSERT_EQ(data->messages.size(), 1u);
  EXPECT_FALSE(data->events[data->messages[0].id].empty());
  EXPECT_TRUE(data->erasures.empty());

  auto by_phone = Export({Kind::kPhone, "+49 151 23456789"});  // the fixture's mobile
  ASSERT_TRUE(by_phone.ok()) << by_phone.status();
  ASSERT_EQ(by_phone->appointments.size(), 1u);
  EXPECT_EQ(by_phone->appointments[0].id, "a1");

  // Other offices' data, and unknown citizens, look the same: nothing stored.
  EXPECT_TRUE(absl::IsNotFound(Export({Kind::kEmail, "erika@example.org"}, {{"B"}}).status()));
  EXPECT_TRUE(absl::IsNotFound(Export({Kind::kAppointment, "a1", "A"}, {{"B"}}).status()));
  EXPECT_TRUE(absl::IsNotFound(Export({Kind::kEmail, "nobody@example.org"}).status()));
}

TEST_F(CitizenTest, EraseClosesAWaitingAppointmentAndStopsUnsentMessages) {
  auto [a1, o1] = Seed("a1", EmailSmsLetter());
  Seed("keep", {.name = "Max", .email = "max@example.org"});
  ASSERT_TRUE(Queue(a1, o1).ok());

  auto erased = Erase({Kind::kEmail, "erika@example.org"});
  ASSERT_TRUE(erased.ok()) << erased.status();
  ASSERT_EQ(erased->appointments.size(), 1u);
  EXPECT_EQ(erased->counts.appointments, 1);
  const domain::Appointment& a = erased->appointments[0];
  EXPECT_EQ(a.status, AppointmentStatus::kClosed);
  EXPECT_EQ(a.contact.email, "");
  EXPECT_EQ(a.contact.name, "");

  for (const domain::OutboxMessage& m : Messages()) {
    EXPECT_EQ(m.state, domain::MessageState::kDead);
    EXPECT_EQ(m.last_error, kErasedText);
  }
  auto after = Export({Kind::kAppointment, "a1", "A"});
  ASSERT_TRUE(after.ok()) << after.status();
  ASSERT_EQ(after->erasures.size(), 1u);
  EXPECT_EQ(after->erasures[0].reason, kErasedOnRequest);
  EXPECT_EQ(after->offers[0].state, domain::OfferState::kWithdrawn);
  // The address is gone, so it finds nothing any more; the other citizen is untouched.
  EXPECT_TRUE(absl::IsNotFound(Export({Kind::kEmail, "erika@example.org"}).status()));
  EXPECT_TRUE(Export({Kind::kEmail, "max@example.org"}).ok());

  // By id again: found, nothing new to erase.
  auto again = Erase({Kind::kAppointment, "a1", "A"});
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->counts.appointments, 0);
}

}  // namespace
}  // namespace rebook::rebooking
