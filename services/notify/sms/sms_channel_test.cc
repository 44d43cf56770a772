#include "services/notify/sms/sms_channel.h"

#include <map>
#include <sstream>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "services/notify/sms/sms_text.h"
#include "services/notify/template_set.h"
#include "services/notify/testing/sink_server.h"
#include "testing/files.h"

namespace rebook::notify {
namespace {

using ::testing::EndsWith;
using ::testing::HasSubstr;

std::vector<nlohmann::json> ReadLog(const std::string& path) {
  std::vector<nlohmann::json> out;
  std::istringstream in(rebook::testing::ReadFileOrEmpty(path));
  for (std::string line; std::getline(in, line);) out.push_back(nlohmann::json::parse(line));
  return out;
}

RenderedMessage Rendered(const std::string& appointment_id, std::string sms) {
  RenderedMessage r;
  r.message = TemplateSet::SampleMessage(MessageKind::kOffer, "de");
  r.message.key.appointment_id = appointment_id;
  r.message.key.channel = "sms";
  r.message.recipient.phone = "0151 / 234 567-89";
  r.template_language = "de";
  r.sms = std::move(sms);
  return r;
}

class SmsChannelTest : public ::testing::Test {
 protected:
  void StartSink(std::vector<std::string> extra = {}) {
    log_ = rebook::testing::MakeTempDir("rebook-sms") + "/log.jsonl";
    std::vector<std::string> args = {"--log", log_, "--response",
                                     R"({"messages":[{"id":"gw-77"}]})"};
    args.insert(args.end(), extra.begin(), extra.end());
    auto sink = testing::SinkServer::Start("http_sink.py", args);
    ASSERT_TRUE(sink.ok()) << sink.status();
    sink_ = *std::move(sink);
  }
  absl::StatusOr<std::unique_ptr<Channel>> Create(std::map<std::string, std::string> extra = {}) {
    std::map<std::string, std::string> values = {
        {"url", absl::StrCat("http://127.0.0.1:", sink_ ? sink_->port() : 9, "/v1/sms")},
        {"allow_loopback", "true"},
        {"auth_header", "Authorization: Bearer test-token"},
        {"sender", "Halle"},
        {"message_id_pointer", "/messages/0/id"}};
    for (auto& [k, v] : extra) values[k] = v;
    return SmsChannelFactory().Create(ChannelConfig("sms", values));
  }
  std::string log_;
  std::unique_ptr<testing::SinkServer> sink_;
};

TEST_F(SmsChannelTest, PostsJsonWithReferenceAndAuthAndKeepsReferenceOnRetry) {
  StartSink();
  auto channel = Create();
  ASSERT_TRUE(channel.ok()) << channel.status();
  const std::string sms = "Bürgerservice: „Neuer Termin“ am 29.01. https://t.example.de/r/abc";
  DeliveryResult a = (*channel)->Send(Rendered("apt-1", sms));
  EXPECT_EQ(a.state, DeliveryState::kSent) << a.reason;
  EXPECT_EQ(a.provider_message_id, "gw-77");
  (*channel)->Send(Rendered("apt-2", sms));
  (*channel)->Send(Rendered("apt-1", sms));  // a retry of the first

  std::vector<nlohmann::json> log = ReadLog(log_);
  ASSERT_EQ(log.size(), 3u);
  std::map<std::string, int> references;
  for (const nlohmann::json& entry : log) {
    EXPECT_EQ(entry["headers"]["authorization"], "Bearer test-token");
    EXPECT_EQ(entry["headers"]["content-type"], "application/json");
    nlohmann::json body = nlohmann::json::parse(entry["body"].get<std::string>());
    EXPECT_EQ(body["to"], "+4915123456789");
    EXPECT_EQ(body["sender"], "Halle");
    EXPECT_EQ(body["text"], "Bürgerservice: \"Neuer Termin\" am 29.01. https://t.example.de/r/abc");
    ++references[body["reference"].get<std::string>()];
  }
  EXPECT_EQ(references.size(), 2u);
  IdempotencyKey first = Rendered("apt-1", sms).message.key;
  EXPECT_EQ(references[first.Digest()], 2);
}

TEST_F(SmsChannelTest, LongTextsAreShortenedToTheSegmentLimit) {
  StartSink();
  auto channel = Create({{"max_segments", "1"}});
  ASSERT_TRUE(channel.ok());
  std::string sms = "Bürgerservice Halle-Mitte: ";
  for (int i = 0; i < 12; ++i) sms += "Ihr Termin fiel wegen einer Störung aus. ";
  sms += "https://termine.example.de/r/tok_5f3a9c1e2b7d4a60";
  EXPECT_TRUE((*channel)->Send(Rendered("apt-1", sms)).ok());
  std::vector<nlohmann::json> log = ReadLog(log_);
  ASSERT_EQ(log.size(), 1u);
  const std::string sent =
      nlohmann::json::parse(log[0]["body"].get<std::string>())["text"].get<std::string>();
  EXPECT_EQ(MeasureSms(sent).segments, 1);
  EXPECT_THAT(sent, EndsWith("https://termine.example.de/r/tok_5f3a9c1e2b7d4a60"));
}

TEST_F(SmsChannelTest, FormEncodedBodies) {
  StartSink();
  auto channel = Create({{"content_type", "application/x-www-form-urlencoded"},
                         {"body_template", "to={{to}}&msg={{text}}&ref={{reference}}"}});
  ASSERT_TRUE(channel.ok()) << channel.status();
  EXPECT_TRUE((*channel)->Send(Rendered("apt-1", "Termin & mehr: 09:30")).ok());
  std::vector<nlohmann::json> log = ReadLog(log_);
  ASSERT_EQ(log.size(), 1u);
  EXPECT_THAT(
      log[0]["body"].get<std::string>(),
      ::testing::StartsWith("to=%2B4915123456789&msg=Termin%20%26%20mehr%3A%2009%3A30&ref="));
}

TEST_F(SmsChannelTest, ThrottlingIsTemporaryRejectionPermanent) {
  StartSink({"--fail-first", "1", "--fail-status", "429", "--retry-after", "60", "--status", "400",
             "--response", "{\"error\":\"number blocked\"}"});
  auto channel = Create();
  ASSERT_TRUE(channel.ok());
  DeliveryResult throttled = (*channel)->Send(Rendered("apt-1", "x"));
  EXPECT_EQ(throttled.state, DeliveryState::kTemporaryFailure);
  EXPECT_EQ(throttled.retry_after, std::chrono::seconds(60));
  DeliveryResult rejected = (*channel)->Send(Rendered("apt-1", "x"));
  EXPECT_EQ(rejected.state, DeliveryState::kPermanentFailure);
  EXPECT_THAT(rejected.reason, HasSubstr("number blocked"));
}

TEST_F(SmsChannelTest, UnusablePhoneNumberFailsWithoutARequest) {
  StartSink();
  auto channel = Create();
  ASSERT_TRUE(channel.ok());
  RenderedMessage r = Rendered("apt-1", "x");
  r.message.recipient.phone = "call me maybe";
  EXPECT_EQ((*channel)->Send(r).state, DeliveryState::kPermanentFailure);
  EXPECT_TRUE(ReadLog(log_).empty());
}

TEST_F(SmsChannelTest, ConfigurationErrors) {
  EXPECT_THAT(std::string(Create({{"body_template", "{\"to\":\"{{phone}}\"}"}}).status().message()),
              HasSubstr("unknown variable phone"));
  EXPECT_THAT(std::string(Create({{"body_template", "{{#to}"}}).status().message()),
              HasSubstr("body_template"));
  EXPECT_THAT(std::string(Create({{"url", "https://169.254.169.254/sms"}}).status().message()),
              HasSubstr("metadata"));
  EXPECT_THAT(std::string(Create({{"allow_loopback", "false"}}).status().message()),
              HasSubstr("loopback"));
  EXPECT_THAT(std::string(Create({{"max_segments", "0"}}).status().message()),
              HasSubstr("max_segments"));
  EXPECT_THAT(std::string(Create({{"auth_header", "secret"}}).status().message()),
              HasSubstr("auth_header"));
  EXPECT_THAT(std::string(Create({{"content_type", "text/plain"}}).status().message()),
              HasSubstr("content_type"));
}

TEST_F(SmsChannelTest, ALandlineGetsNoSmsAndFailsForGoodWithoutARequest) {
  StartSink();
  auto channel = Create();
  ASSERT_TRUE(channel.ok());
  RenderedMessage r = Rendered("apt-1", "x");
  r.message.recipient.phone = "0345 1234567";  // Halle, a landline
  DeliveryResult result = (*channel)->Send(r);
  EXPECT_EQ(result.state, DeliveryState::kPermanentFailure);
  EXPECT_THAT(result.reason, HasSubstr("+493451234567 is a landline number"));
  EXPECT_TRUE(ReadLog(log_).empty());
  EXPECT_EQ((*channel)->required_contact(), ContactField::kMobilePhone);
}

TEST(NormalizePhoneNumberTest, E164ForMobilesOnly) {
  EXPECT_EQ(*NormalizePhoneNumber("+49 (0)151 2345-6789", "49"), "+4915123456789");
  EXPECT_EQ(*NormalizePhoneNumber("0049 151 23456789", "49"), "+4915123456789");
  EXPECT_EQ(*NormalizePhoneNumber("0151/23456789", "49"), "+4915123456789");
  EXPECT_EQ(*NormalizePhoneNumber("+380 67 123 4567", "49"), "+380671234567");
  EXPECT_EQ(NormalizePhoneNumber("0345 1234567", "49").status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(NormalizePhoneNumber("+380 44 123 4567", "49").status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_FALSE(NormalizePhoneNumber("12", "49").ok());
  EXPECT_FALSE(NormalizePhoneNumber("0345 CALL", "49").ok());
  EXPECT_FALSE(NormalizePhoneNumber("+49 345 1234567 89012345", "49").ok());
}

}  // namespace
}  // namespace rebook::notify
