#include "services/notify/message.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "services/notify/message_json.h"
#include "services/notify/template_set.h"

namespace rebook::notify {
namespace {

TEST(IdempotencyKeyTest, StringAndDigestAreStableAndDistinct) {
  IdempotencyKey a{"out-1", "apt-7", 2, "email"};
  EXPECT_EQ(a.ToString(), "out-1/apt-7/2/email");
  EXPECT_EQ(a.Digest().size(), 32u);
  EXPECT_EQ(a.Digest(), (IdempotencyKey{"out-1", "apt-7", 2, "email"}).Digest());
  EXPECT_NE(a.Digest(), (IdempotencyKey{"out-1", "apt-7", 3, "email"}).Digest());
  EXPECT_NE(a.Digest(), (IdempotencyKey{"out-1", "apt-7", 2, "sms"}).Digest());
}

TEST(ResponseLinksTest, BuildsAllLinksFromBaseAndToken) {
  auto links = BuildResponseLinks("https://termine.example.de/", "tok_12345678");
  ASSERT_TRUE(links.ok()) << links.status();
  EXPECT_EQ(links->respond, "https://termine.example.de/r/tok_12345678");
  EXPECT_EQ(links->accept, "https://termine.example.de/r/tok_12345678/accept");
  EXPECT_EQ(links->decline, "https://termine.example.de/r/tok_12345678/decline");
  EXPECT_EQ(links->other_time, "https://termine.example.de/r/tok_12345678/other");
}

TEST(ResponseLinksTest, RejectsBadBaseUrlsAndTokens) {
  EXPECT_FALSE(BuildResponseLinks("ftp://x.de", "tok_12345678").ok());
  EXPECT_FALSE(BuildResponseLinks("https://x.de/?a=1", "tok_12345678").ok());
  EXPECT_FALSE(BuildResponseLinks("https://", "tok_12345678").ok());
  EXPECT_FALSE(BuildResponseLinks("https://x.de", "short").ok());
  EXPECT_FALSE(BuildResponseLinks("https://x.de", "tok/../../etc").ok());
}

TEST(ValidateMessageTest, SampleIsValidAndBrokenFieldsAreNamed) {
  OutgoingMessage m = TemplateSet::SampleMessage(MessageKind::kOffer, "de");
  EXPECT_TRUE(ValidateMessage(m).ok());
  OutgoingMessage bad = m;
  bad.appointment.end = bad.appointment.start;
  EXPECT_NE(ValidateMessage(bad).message().find("end must be after start"), std::string::npos);
  bad = m;
  bad.office.time_zone = "Mars/Olympus";
  EXPECT_FALSE(ValidateMessage(bad).ok());
  bad = m;
  bad.links = {};
  EXPECT_NE(ValidateMessage(bad).message().find("links"), std::string::npos);
  bad = m;
  bad.key.appointment_id = "a/b";
  EXPECT_FALSE(ValidateMessage(bad).ok());
}

TEST(DeliveryResultTest, OkOnlyForSentAndDelivered) {
  EXPECT_TRUE(DeliveryResult::Sent("id").ok());
  EXPECT_TRUE(DeliveryResult::Delivered("id").ok());
  EXPECT_FALSE(DeliveryResult::Temporary("x").ok());
  EXPECT_FALSE(DeliveryResult::Permanent("x").ok());
  EXPECT_EQ(ToString(DeliveryState::kPermanentFailure), "permanent_failure");
}

TEST(ContactFieldTest, ChecksPresence) {
  domain::Contact c{.name = "A", .phone = " ", .email = "a@b.de"};
  EXPECT_TRUE(HasContactField(c, ContactField::kEmail));
  EXPECT_FALSE(HasContactField(c, ContactField::kPhone));
  EXPECT_FALSE(HasContactField(c, ContactField::kPostalAddress));
  EXPECT_TRUE(HasContactField(c, ContactField::kNone));
  c.email = "not-an-address";
  EXPECT_FALSE(HasContactField(c, ContactField::kEmail));
}

// MobileNumbers answers as HasContactField does, for the generator's numbers ("+49 151 ...",
// "+49 2761 ...") and the edge cases of parsing, asked twice each (the second answer comes
// from the memo), also through ContactFields.
TEST(ContactFieldTest, MobileNumbersAnswerAsHasContactField) {
  const std::vector<std::string> corpus = {"+49 151 27709938",
                                           "+49 2761 94310",
                                           "+49 162 39462549",
                                           "+49 171 83517816",
                                           "+49 177 6747159",
                                           "+49 291 569762",
                                           "+49 160 38048691",
                                           "+49 345 1234567",
                                           "0151 27709938",
                                           "0345 1234567",
                                           "0049 171 83517816",
                                           "+49 (0)171 83517816",
                                           "+1 202 555 0143",
                                           "+43 664 1234567",
                                           "+44 7700 900123",
                                           "0800 1234567",
                                           "0345 123 abends",
                                           "",
                                           " ",
                                           "12",
                                           "+49 151",
                                           "+49 151 2770993812345",
                                           "not a number",
                                           "+49-171-83517816"};
  MobileNumbers numbers;
  for (int round = 0; round < 2; ++round) {
    for (const std::string& phone : corpus) {
      const domain::Contact c{.name = "A", .phone = phone};
      const bool expected = HasContactField(c, ContactField::kMobilePhone);
      EXPECT_EQ(numbers.CanReceiveSms(phone), expected) << "\"" << phone << "\"";
      EXPECT_EQ(ContactFields(c, &numbers).Has(ContactField::kMobilePhone), expected)
          << "\"" << phone << "\"";
    }
  }
  EXPECT_EQ(numbers.parsed(), corpus.size());
  // Both kinds occur, so the comparison above can fail either way.
  EXPECT_TRUE(numbers.CanReceiveSms("+49 151 27709938"));
  EXPECT_FALSE(numbers.CanReceiveSms("+49 2761 94310"));
}

TEST(MessageJsonTest, RoundTrips) {
  RenderedMessage r;
  r.message = TemplateSet::SampleMessage(MessageKind::kOffer, "uk-UA");
  r.message.explanation = "Das Bürgerbüro ist an diesem Tag geschlossen.";
  r.template_language = "de";
  r.subject = "Betreff";
  r.text = "Text\nmit Zeilen";
  r.html = "<p>x</p>";
  r.sms = "sms";
  r.phone_script = "script";
  nlohmann::json j = MessageToJson(r);
  EXPECT_EQ(j["appointment"]["start"], "2026-01-29T08:30:00Z");
  EXPECT_EQ(j["appointment"]["start_local"], "2026-01-29T09:30");
  absl::StatusOr<RenderedMessage> back = MessageFromJson(j);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->message.key, r.message.key);
  EXPECT_EQ(back->message.appointment, r.message.appointment);
  EXPECT_EQ(back->message.recipient, r.message.recipient);
  EXPECT_EQ(back->message.links, r.message.links);
  EXPECT_EQ(back->message.offer_expiry, r.message.offer_expiry);
  EXPECT_EQ(back->message.explanation, r.message.explanation);
  EXPECT_EQ(back->text, r.text);
  nlohmann::json without = MessageToJson(r, {.include_contact = false});
  EXPECT_FALSE(without.contains("recipient"));
  EXPECT_FALSE(MessageFromJson(nlohmann::json::object()).ok());
}

}  // namespace
}  // namespace rebook::notify
