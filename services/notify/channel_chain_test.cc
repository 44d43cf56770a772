#include "services/notify/channel_chain.h"

#include "gtest/gtest.h"

namespace rebook::notify {
namespace {

using Order = std::vector<std::string>;

domain::Contact Everything() {
  return {.name = "E", .phone = "+49 151 23456789", .email = "e@x.de", .postal_address = "Str. 1"};
}

TEST(ChannelChainTest, DefaultOrderIsEmailSmsLetterPhone) {
  ChannelChain chain = ChannelChain::Default();
  EXPECT_EQ(chain.OrderFor(Everything()), (Order{"email", "sms", "letter", "phone"}));
  EXPECT_EQ(chain.First(Everything()), "email");
}

TEST(ChannelChainTest, PreferredChannelGoesFirstViaAlias) {
  domain::Contact c = Everything();
  c.channel = "Phone";
  EXPECT_EQ(ChannelChain::Default().OrderFor(c), (Order{"phone", "email", "sms", "letter"}));
  c.channel = "post";
  EXPECT_EQ(ChannelChain::Default().First(c), "letter");
  c.channel = "pigeon";  // unknown: ignored
  EXPECT_EQ(ChannelChain::Default().First(c), "email");
}

TEST(ChannelChainTest, ALandlineIsSkippedForSmsButCalled) {
  domain::Contact c = Everything();
  c.phone = "0345 1234567";
  c.channel = "sms";  // preferred, but a landline cannot take an SMS
  EXPECT_EQ(ChannelChain::Default().OrderFor(c), (Order{"email", "letter", "phone"}));
  EXPECT_EQ(ChannelChain::Default().First(domain::Contact{.phone = "0345 1234567"}), "phone");
  EXPECT_FALSE(HasContactField(c, ContactField::kMobilePhone));
  EXPECT_TRUE(HasContactField(c, ContactField::kPhone));
  c.phone = "not a number";
  EXPECT_FALSE(HasContactField(c, ContactField::kMobilePhone));
}

TEST(ChannelChainTest, SkipsChannelsWithoutContactData) {
  domain::Contact c{.name = "P", .phone = "0151 23456789"};
  ChannelChain chain = ChannelChain::Default();
  EXPECT_EQ(chain.First(c), "sms");
  EXPECT_EQ(chain.Next(c, {"sms"}), "phone");
  EXPECT_EQ(chain.Next(c, {"sms", "phone"}), std::nullopt);
  EXPECT_EQ(chain.First(domain::Contact{}), std::nullopt);
}

// First stops at the first usable channel (ContactFields parses the phone number at most
// once); it must still agree with the whole order and with HasContactField.
TEST(ChannelChainTest, FirstAgreesWithTheWholeOrder) {
  ChannelChain chain = ChannelChain::Default();
  for (const char* phone : {"", "0345 1234567", "0151 23456789", "not a number"}) {
    for (const char* preferred : {"", "sms", "email", "phone", "post"}) {
      for (const char* email : {"", "e@x.de"}) {
        domain::Contact c{.phone = phone, .email = email, .channel = preferred};
        const std::vector<std::string> order = chain.OrderFor(c);
        const std::optional<std::string> first = chain.First(ContactFields(c));
        EXPECT_EQ(first, order.empty() ? std::nullopt : std::optional(order.front()))
            << phone << " / " << preferred << " / " << email;
        const ContactFields fields(c);
        for (ContactField f : {ContactField::kPhone, ContactField::kMobilePhone,
                               ContactField::kMobilePhone, ContactField::kEmail}) {
          EXPECT_EQ(fields.Has(f), HasContactField(c, f)) << phone << " " << ToString(f);
        }
      }
    }
  }
}

TEST(ChannelChainTest, NextAfterPermanentFailureWalksTheChain) {
  domain::Contact c = Everything();
  c.channel = "sms";
  ChannelChain chain = ChannelChain::Default();
  EXPECT_EQ(chain.Next(c, {"sms"}), "email");
  EXPECT_EQ(chain.Next(c, {"sms", "email"}), "letter");
  EXPECT_EQ(chain.Next(c, {"sms", "email", "letter"}), "phone");
}

TEST(ChannelChainTest, ParsesAndValidatesConfiguredChains) {
  auto chain = ChannelChain::Parse("email, letter ,phone");
  ASSERT_TRUE(chain.ok()) << chain.status();
  EXPECT_EQ(chain->OrderFor(Everything()), (Order{"email", "letter", "phone"}));
  // The old names are aliases of the current ones.
  auto old = ChannelChain::Parse("smtp, sms, phone_list");
  ASSERT_TRUE(old.ok()) << old.status();
  EXPECT_EQ(old->OrderFor(Everything()), (Order{"email", "sms", "phone"}));
  EXPECT_FALSE(ChannelChain::Parse("email,smtp").ok());  // duplicate after aliasing
  EXPECT_FALSE(ChannelChain::Parse("email,fax").ok());
  EXPECT_FALSE(ChannelChain::Parse("email,mail").ok());  // duplicate after aliasing
  EXPECT_FALSE(ChannelChain::Parse("").ok());
  auto custom =
      ChannelChain::Create({{"webhook", ContactField::kNone}, {"email", ContactField::kEmail}});
  ASSERT_TRUE(custom.ok());
  EXPECT_EQ(custom->First(domain::Contact{}), "webhook");
}

}  // namespace
}  // namespace rebook::notify
