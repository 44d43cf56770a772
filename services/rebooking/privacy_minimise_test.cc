// Notification workers get only the contact data of their message's channel.
#include "services/rebooking/privacy_minimise.h"

#include "gtest/gtest.h"
#include "services/rebooking/testing/outbox_fixture.h"

namespace rebook::rebooking {
namespace {

const domain::Contact kFull{.name = "Erika Mustermann",
                            .phone = "0345 1234567",
                            .email = "erika@example.org",
                            .postal_address = "Ringstr. 1\n06108 Halle",
                            .language = "en",
                            .channel = "sms"};

TEST(MinimalContactTest, KeepsOnlyWhatTheChannelSendsTo) {
  const domain::Contact email = MinimalContact(kFull, "email");
  EXPECT_EQ(email,
            (domain::Contact{
                .name = kFull.name, .email = kFull.email, .language = "en", .channel = "sms"}));
  for (const char* channel : {"sms", "phone"}) {
    const domain::Contact c = MinimalContact(kFull, channel);
    EXPECT_EQ(c.phone, kFull.phone);
    EXPECT_EQ(c.email, "");
    EXPECT_EQ(c.postal_address, "");
  }
  const domain::Contact letter = MinimalContact(kFull, "letter");
  EXPECT_EQ(letter.postal_address, kFull.postal_address);
  EXPECT_EQ(letter.phone, "");
  EXPECT_EQ(letter.email, "");
  for (const char* channel : {"webhook", "file", "unknown"}) {
    const domain::Contact c = MinimalContact(kFull, channel);
    EXPECT_EQ(c, (domain::Contact{.name = kFull.name, .language = "en", .channel = "sms"}));
  }
}

using LeaseMinimisationTest = testing::OutboxTest;

TEST_F(LeaseMinimisationTest, ALeasedEmailCarriesNoPhoneOrAddress) {
  auto [a, o] = Seed("a1", EmailSmsLetter("email"));
  ASSERT_TRUE(Queue(a, o).ok());
  auto leased = Lease({"email"});
  ASSERT_TRUE(leased.ok()) << leased.status();
  ASSERT_EQ(leased->size(), 1u);
  const domain::Contact& r = (*leased)[0].content.recipient;
  EXPECT_EQ(r.email, "erika@example.org");
  EXPECT_EQ(r.name, "Erika Mustermann");
  EXPECT_EQ(r.phone, "");
  EXPECT_EQ(r.postal_address, "");
}

}  // namespace
}  // namespace rebook::rebooking
