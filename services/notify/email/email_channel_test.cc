// The SMTP channel against a real SMTP server (aiosmtpd on loopback), with every received
// mail parsed by Python's `email` and `icalendar` packages (testing/check_mail.py).
#include "services/notify/email/email_channel.h"

#include <unistd.h>

#include <map>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "services/notify/template_set.h"
#include "services/notify/testing/sink_server.h"
#include "testing/child_process.h"
#include "testing/files.h"

namespace rebook::notify {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

const Instant kNow = Instant(std::chrono::seconds(1769600000));  // 2026-01-28 11:33:20 UTC

class EmailChannelTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto set =
        TemplateSet::LoadFromDirectory(rebook::testing::SourceDir() + "/services/notify/templates");
    ASSERT_TRUE(set.ok()) << set.status();
    templates_ = new TemplateSet(*std::move(set));
  }
  static void TearDownTestSuite() { delete templates_; }

  void StartServer(std::vector<std::string> extra = {}) {
    out_dir_ = rebook::testing::MakeTempDir("rebook-smtp");
    std::vector<std::string> args = {"--out-dir", out_dir_};
    args.insert(args.end(), extra.begin(), extra.end());
    auto server = testing::SinkServer::Start("smtp_sink.py", args);
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
  }

  absl::StatusOr<std::unique_ptr<Channel>> Create(std::map<std::string, std::string> extra = {}) {
    std::map<std::string, std::string> values = {
        {"url", absl::StrCat("smtp://127.0.0.1:", server_ ? server_->port() : 9)},
        {"from", "Bürgerservice Halle <termine@halle.example>"},
        {"starttls", "false"},
        {"timeout", "10s"}};
    for (auto& [k, v] : extra) values[k] = v;
    return EmailChannelFactory().Create(ChannelConfig("email", values, &clock_));
  }

  RenderedMessage Render(MessageKind kind, const std::string& language) {
    OutgoingMessage m = TemplateSet::SampleMessage(kind, language);
    auto r = templates_->Render(m);
    EXPECT_TRUE(r.ok()) << r.status();
    return *r;
  }

  nlohmann::json Check(const std::string& file) {
    auto out = rebook::testing::RunCommand(
        {"/usr/bin/python3",
         rebook::testing::SourceDir() + "/services/notify/testing/check_mail.py",
         out_dir_ + "/" + file});
    EXPECT_TRUE(out.ok()) << out.status();
    return out.ok() ? nlohmann::json::parse(*out) : nlohmann::json();
  }

  static TemplateSet* templates_;
  FakeClock clock_{kNow};
  std::string out_dir_;
  std::unique_ptr<testing::SinkServer> server_;
};

TemplateSet* EmailChannelTest::templates_ = nullptr;

TEST_F(EmailChannelTest, GermanOfferHasTheRightMimeStructureAndCalendar) {
  StartServer();
  auto channel = Create();
  ASSERT_TRUE(channel.ok()) << channel.status();
  const RenderedMessage r = Render(MessageKind::kOffer, "de");
  DeliveryResult result = (*channel)->Send(r);
  ASSERT_EQ(result.state, DeliveryState::kSent) << result.reason;
  EXPECT_EQ(result.provider_message_id, SmtpMessageId(r.message.key, "halle.example"));
  EXPECT_THAT(result.reason, HasSubstr("250"));

  ASSERT_THAT(testing::ListFiles(out_dir_), ElementsAre("0001-250.eml"));
  nlohmann::json mail = Check("0001-250.eml");
  EXPECT_EQ(mail["content_type"], "multipart/mixed");
  EXPECT_THAT(mail["structure"].get<std::vector<std::string>>(),
              ElementsAre("multipart/mixed", "multipart/alternative", "text/plain", "text/html",
                          "text/calendar"));
  EXPECT_EQ(mail["message_id"], result.provider_message_id);
  EXPECT_EQ(mail["subject"], r.subject);
  EXPECT_EQ(mail["from"], "Bürgerservice Halle <termine@halle.example>");
  EXPECT_EQ(mail["to"], "Erika Mustermann <erika@example.org>");
  EXPECT_EQ(mail["content_language"], "de");
  const std::string accept = "https://termine.example.de/r/tok_5f3a9c1e2b7d4a60/accept";
  EXPECT_THAT(mail["text"].get<std::string>(), HasSubstr(accept));
  EXPECT_THAT(mail["text"].get<std::string>(), HasSubstr("Guten Tag Erika Mustermann"));
  EXPECT_THAT(mail["html"].get<std::string>(), HasSubstr("href=\"" + accept + "\""));

  const nlohmann::json& cal = mail["calendar"];
  EXPECT_EQ(cal["method"], "PUBLISH");
  EXPECT_EQ(cal["content_type"], "text/calendar");
  EXPECT_EQ(cal["method_param"], "PUBLISH");
  EXPECT_EQ(cal["charset"], "utf-8");
  EXPECT_EQ(cal["filename"], "termin.ics");
  EXPECT_EQ(cal["events"], 1);
  EXPECT_EQ(cal["uid"], "rebook-halle-2026-01-27-apt-000123@halle.example");
  EXPECT_EQ(cal["sequence"], 1);
  EXPECT_EQ(cal["dtstart_tzid"], "Europe/Berlin");
  EXPECT_EQ(cal["dtstart_local"], "2026-01-29T09:30");
  EXPECT_EQ(cal["dtstart_utc"], "2026-01-29T08:30:00Z");
  EXPECT_EQ(cal["dtend_utc"], "2026-01-29T08:45:00Z");
  EXPECT_EQ(cal["dtstamp"], "20260128T113320Z");
  EXPECT_THAT(cal["vtimezones"].get<std::vector<std::string>>(), ElementsAre("Europe/Berlin"));
  EXPECT_EQ(cal["location"], "Bürgerservice Halle-Mitte, Marktplatz 1, 06108 Halle (Saale)");
  EXPECT_THAT(cal["summary"].get<std::string>(), HasSubstr("Fahrzeugzulassung"));
  EXPECT_THAT(cal["description"].get<std::string>(), HasSubstr(accept));
  EXPECT_EQ(cal["status"], "TENTATIVE");
}

TEST_F(EmailChannelTest, EnglishConfirmationAndCancellation) {
  StartServer();
  auto channel = Create({{"ical_method", "request"}});
  ASSERT_TRUE(channel.ok()) << channel.status();
  ASSERT_TRUE((*channel)->Send(Render(MessageKind::kConfirmation, "en-GB")).ok());
  ASSERT_TRUE((*channel)->Send(Render(MessageKind::kCancellation, "de")).ok());
  ASSERT_EQ(testing::ListFiles(out_dir_).size(), 2u);
  nlohmann::json confirmation = Check("0001-250.eml");
  EXPECT_EQ(confirmation["content_language"], "en");
  EXPECT_THAT(confirmation["subject"].get<std::string>(), HasSubstr("Appointment confirmed"));
  EXPECT_EQ(confirmation["calendar"]["method"], "REQUEST");
  EXPECT_EQ(confirmation["calendar"]["status"], "CONFIRMED");
  nlohmann::json cancellation = Check("0002-250.eml");
  EXPECT_EQ(cancellation["calendar"]["method"], "CANCEL");
  EXPECT_EQ(cancellation["calendar"]["status"], "CANCELLED");
  EXPECT_EQ(cancellation["calendar"]["uid"], confirmation["calendar"]["uid"]);
}

TEST_F(EmailChannelTest, Temporary451ThenSuccessKeepsTheMessageId) {
  StartServer({"--fail-first", "1", "--fail-code", "451"});
  auto channel = Create();
  ASSERT_TRUE(channel.ok());
  const RenderedMessage r = Render(MessageKind::kOffer, "de");
  DeliveryResult first = (*channel)->Send(r);
  EXPECT_EQ(first.state, DeliveryState::kTemporaryFailure);
  EXPECT_THAT(first.reason, HasSubstr("451 4.3.0 Mailbox temporarily unavailable"));
  clock_.Advance(std::chrono::minutes(5));
  DeliveryResult second = (*channel)->Send(r);
  EXPECT_EQ(second.state, DeliveryState::kSent) << second.reason;
  ASSERT_THAT(testing::ListFiles(out_dir_), ElementsAre("0001-451.eml", "0002-250.eml"));
  EXPECT_EQ(Check("0001-451.eml")["message_id"], Check("0002-250.eml")["message_id"]);
}

TEST_F(EmailChannelTest, Permanent550CarriesTheServersText) {
  StartServer({"--always-code", "550"});
  auto channel = Create();
  ASSERT_TRUE(channel.ok());
  DeliveryResult r = (*channel)->Send(Render(MessageKind::kOffer, "de"));
  EXPECT_EQ(r.state, DeliveryState::kPermanentFailure);
  EXPECT_EQ(r.reason,
            "550 5.1.1 Recipient address rejected: user unknown in local recipient table");
}

TEST_F(EmailChannelTest, BadAddressIsPermanentUnreachableServerTemporary) {
  StartServer();
  auto channel = Create();
  ASSERT_TRUE(channel.ok());
  RenderedMessage r = Render(MessageKind::kOffer, "de");
  r.message.recipient.email = "erika@example.org>\r\nBcc: everyone@example.org";
  EXPECT_EQ((*channel)->Send(r).state, DeliveryState::kPermanentFailure);
  EXPECT_TRUE(testing::ListFiles(out_dir_).empty());
  server_.reset();  // the server is gone
  EXPECT_EQ((*channel)->Send(Render(MessageKind::kOffer, "de")).state,
            DeliveryState::kTemporaryFailure);
}

TEST_F(EmailChannelTest, StartTlsWithAVerifiedCertificate) {
  if (access("/usr/bin/openssl", X_OK) != 0) GTEST_SKIP() << "openssl not installed";
  const std::string tls_dir = rebook::testing::MakeTempDir("rebook-tls");
  auto made = rebook::testing::RunCommand(
      {"/usr/bin/openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj",
       "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout",
       tls_dir + "/key.pem", "-out", tls_dir + "/cert.pem"});
  ASSERT_TRUE(made.ok()) << made.status();
  StartServer({"--tls-cert", tls_dir + "/cert.pem", "--tls-key", tls_dir + "/key.pem"});
  auto channel = Create({{"starttls", "true"}, {"ca_file", tls_dir + "/cert.pem"}});
  ASSERT_TRUE(channel.ok());
  DeliveryResult r = (*channel)->Send(Render(MessageKind::kReminder, "de"));
  EXPECT_EQ(r.state, DeliveryState::kSent) << r.reason;
  EXPECT_EQ(testing::ListFiles(out_dir_).size(), 1u);
  // Without the CA the certificate does not verify: temporary, nothing is delivered.
  auto untrusted = Create({{"starttls", "true"}, {"ca_file", "/dev/null"}});
  ASSERT_TRUE(untrusted.ok());
  EXPECT_EQ((*untrusted)->Send(Render(MessageKind::kReminder, "de")).state,
            DeliveryState::kTemporaryFailure);
  EXPECT_EQ(testing::ListFiles(out_dir_).size(), 1u);
}

TEST_F(EmailChannelTest, RequiredStartTlsAgainstAPlainServerIsTemporary) {
  StartServer();
  auto channel = Create({{"starttls", "true"}});
  ASSERT_TRUE(channel.ok());
  DeliveryResult r = (*channel)->Send(Render(MessageKind::kOffer, "de"));
  EXPECT_EQ(r.state, DeliveryState::kTemporaryFailure);
  EXPECT_TRUE(testing::ListFiles(out_dir_).empty());
}

TEST(EmailChannelConfigTest, RejectsBadConfiguration) {
  EmailChannelFactory f;
  auto err = [&](std::map<std::string, std::string> v) {
    return std::string(f.Create(ChannelConfig("email", std::move(v))).status().message());
  };
  EXPECT_THAT(err({{"from", "a@b.de"}}), HasSubstr("url"));
  EXPECT_THAT(err({{"url", "http://x"}, {"from", "a@b.de"}}), HasSubstr("smtp://"));
  EXPECT_THAT(err({{"url", "smtp://x"}, {"from", "Name <broken"}}), HasSubstr("from"));
  EXPECT_THAT(err({{"url", "smtp://x"}, {"from", "a@b.de"}, {"ical_method", "reply"}}),
              HasSubstr("ical_method"));
  EXPECT_THAT(err({{"url", "smtp://x"}, {"from", "a@b.de"}, {"startls", "true"}}),
              HasSubstr("unknown key(s) startls"));
}

TEST(SmtpHeadersTest, EncodingDateAndMessageId) {
  EXPECT_EQ(EncodeHeaderText("Termin"), "Termin");
  EXPECT_EQ(EncodeHeaderText("Grüße"), "=?UTF-8?B?R3LDvMOfZQ==?=");
  EXPECT_EQ(Rfc5322Date(kNow), "Wed, 28 Jan 2026 11:33:20 +0000");
  IdempotencyKey key{"o", "a", 1, "email"};
  EXPECT_EQ(SmtpMessageId(key, "x.de"), "<" + key.Digest() + ".rebook@x.de>");
}

}  // namespace
}  // namespace rebook::notify
