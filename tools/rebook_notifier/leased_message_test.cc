#include "tools/rebook_notifier/leased_message.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/common/field_violations.h"
#include "services/notify/template_set.h"

namespace rebook::notifier {
namespace {

namespace v1 = ::rebook::v1;
using ::testing::HasSubstr;

v1::LeasedMessage Sample() {
  v1::LeasedMessage l;
  v1::Message* m = l.mutable_message();
  m->set_name("offices/A/messages/m-1");
  m->set_outage("outages/out-1");
  m->set_appointment("offices/A/appointments/a-7");
  m->set_offer("offices/A/appointments/a-7/offers/2");
  m->set_kind(v1::OFFER);
  m->set_channel("email");
  m->set_language("en");
  l.set_lease_token("lease-1");
  v1::MessageContent* c = l.mutable_content();
  c->mutable_recipient()->set_name("Erika Mustermann");
  c->mutable_recipient()->set_email("erika@example.org");
  c->set_office("offices/B");
  c->set_office_display_name("Bürgerbüro B");
  c->set_office_address("Marktplatz 1\n06108 Halle");
  c->set_time_zone("Europe/Berlin");
  c->set_service_display_name("Kfz-Zulassung");
  c->mutable_slot()->mutable_start_time()->set_seconds(1769677200);
  c->mutable_slot()->mutable_end_time()->set_seconds(1769678100);
  c->mutable_original_start_time()->set_seconds(1769511000);
  c->mutable_offer_expire_time()->set_seconds(1769670000);
  c->set_response_token("tok_0123456789abcdef");
  c->set_respond_url("https://t.example/r/tok_0123456789abcdef");
  c->set_accept_url("https://t.example/r/tok_0123456789abcdef/accept");
  c->set_decline_url("https://t.example/r/tok_0123456789abcdef/decline");
  c->set_other_time_url("https://t.example/r/tok_0123456789abcdef/other");
  c->set_explanation("Your appointment has to move: the clerk is ill.");
  return l;
}

TEST(LeasedMessage, BecomesAnOutgoingMessageThatRenders) {
  auto out = ToOutgoingMessage(Sample());
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->key.ToString(), "out-1/a-7/2/email");
  EXPECT_EQ(out->kind, notify::MessageKind::kOffer);
  EXPECT_EQ(out->language, "en");
  EXPECT_EQ(out->recipient.email, "erika@example.org");
  EXPECT_EQ(out->office.id, "B");
  EXPECT_EQ(out->case_office_id, "A");  // the office in the message's name keeps the case
  EXPECT_EQ(out->office.name, "Bürgerbüro B");
  EXPECT_EQ(out->appointment.service_name, "Kfz-Zulassung");
  EXPECT_EQ(out->appointment.start.time_since_epoch().count(), 1769677200);
  ASSERT_TRUE(out->appointment.original_start.has_value());
  ASSERT_TRUE(out->offer_expiry.has_value());
  EXPECT_EQ(out->links.respond, "https://t.example/r/tok_0123456789abcdef");
  EXPECT_EQ(out->response_token, "tok_0123456789abcdef");
  auto templates = notify::TemplateSet::LoadFromDirectory(std::string(REBOOK_TEST_SOURCE_DIR) +
                                                          "/services/notify/templates");
  ASSERT_TRUE(templates.ok()) << templates.status();
  auto rendered = templates->Render(*out);
  ASSERT_TRUE(rendered.ok()) << rendered.status();
  EXPECT_EQ(rendered->template_language, "en");
  EXPECT_THAT(rendered->text, HasSubstr("https://t.example/r/tok_0123456789abcdef/accept"));
  EXPECT_EQ(out->explanation, "Your appointment has to move: the clerk is ill.");
  EXPECT_THAT(rendered->text, HasSubstr("the clerk is ill."));
}

TEST(LeasedMessage, OtherKindsGetTheirOwnKeys) {
  EXPECT_EQ(NotifyKeyChannel("email", v1::OFFER), "email");
  EXPECT_EQ(NotifyKeyChannel("letter", v1::CONFIRMATION), "letter.confirmation");
  v1::LeasedMessage l = Sample();
  l.mutable_message()->set_kind(v1::CANCELLATION);
  auto out = ToOutgoingMessage(l);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->kind, notify::MessageKind::kCancellation);
  EXPECT_EQ(out->key.ToString(), "out-1/a-7/2/email.cancellation");
}

TEST(LeasedMessage, BadNamesAreInvalidArgument) {
  v1::LeasedMessage l = Sample();
  // The field that could not be read is named, as by the server (services/api/names.h).
  auto field_of = [](const absl::Status& s) {
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
    std::vector<FieldViolation> v = FieldViolations::FromStatus(s);
    return v.size() == 1 ? v[0].field : std::string("?");
  };
  l.mutable_message()->set_outage("out-1");
  EXPECT_EQ(field_of(ToOutgoingMessage(l).status()), "message.outage");
  l = Sample();
  l.mutable_message()->set_appointment("offices/A/appointment/a-7");
  EXPECT_EQ(field_of(ToOutgoingMessage(l).status()), "message.appointment");
  l = Sample();
  l.mutable_message()->set_offer("offices/A/appointments/a-7/offers/x");
  EXPECT_EQ(field_of(ToOutgoingMessage(l).status()), "message.offer");
  l = Sample();
  l.mutable_content()->set_office("office/B");
  EXPECT_EQ(field_of(ToOutgoingMessage(l).status()), "content.office");
  l = Sample();
  l.mutable_message()->set_kind(v1::MESSAGE_KIND_UNSPECIFIED);
  EXPECT_EQ(ToOutgoingMessage(l).status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace rebook::notifier
