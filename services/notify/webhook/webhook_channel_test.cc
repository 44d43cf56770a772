#include "services/notify/webhook/webhook_channel.h"

#include <map>
#include <sstream>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "services/notify/template_set.h"
#include "services/notify/testing/sink_server.h"
#include "testing/files.h"

namespace rebook::notify {
namespace {

using ::testing::HasSubstr;

constexpr char kSecret[] = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

std::vector<nlohmann::json> ReadLog(const std::string& path) {
  std::vector<nlohmann::json> out;
  std::istringstream in(rebook::testing::ReadFileOrEmpty(path));
  for (std::string line; std::getline(in, line);) out.push_back(nlohmann::json::parse(line));
  return out;
}

RenderedMessage Rendered(const std::string& appointment_id) {
  RenderedMessage r;
  r.message = TemplateSet::SampleMessage(MessageKind::kOffer, "de");
  r.message.key.appointment_id = appointment_id;
  r.message.key.channel = "webhook";
  r.template_language = "de";
  r.subject = "Neuer Termin";
  r.text = "Text";
  return r;
}

class WebhookChannelTest : public ::testing::Test {
 protected:
  void StartSink(std::vector<std::string> extra = {}) {
    dir_ = rebook::testing::MakeTempDir("rebook-webhook");
    log_ = dir_ + "/log.jsonl";
    std::vector<std::string> args = {"--log", log_, "--secret", kSecret};
    args.insert(args.end(), extra.begin(), extra.end());
    auto sink = testing::SinkServer::Start("http_sink.py", args);
    ASSERT_TRUE(sink.ok()) << sink.status();
    sink_ = *std::move(sink);
  }
  std::unique_ptr<Channel> Create(std::map<std::string, std::string> extra = {}) {
    std::map<std::string, std::string> values = {
        {"url", absl::StrCat("http://localhost:", sink_->port(), "/hooks/rebook")},
        {"secret", kSecret},
        {"allow_loopback", "true"}};
    values.insert(extra.begin(), extra.end());
    auto channel = WebhookChannelFactory().Create(ChannelConfig("webhook", values, &clock_));
    EXPECT_TRUE(channel.ok()) << channel.status();
    return channel.ok() ? *std::move(channel) : nullptr;
  }

  FakeClock clock_{Instant(std::chrono::seconds(1769600000))};
  std::string dir_, log_;
  std::unique_ptr<testing::SinkServer> sink_;
};

TEST_F(WebhookChannelTest, SignedPostsVerifyAndRetriesKeepTheId) {
  StartSink();
  auto channel = Create();
  ASSERT_NE(channel, nullptr);
  EXPECT_EQ(channel->name(), "webhook");
  for (const char* id : {"apt-1", "apt-2", "apt-3"}) {
    DeliveryResult r = channel->Send(Rendered(id));
    EXPECT_EQ(r.state, DeliveryState::kSent) << r.reason;
  }
  clock_.Advance(std::chrono::seconds(60));
  DeliveryResult retry = channel->Send(Rendered("apt-2"));  // the same message again
  EXPECT_EQ(retry.provider_message_id, "halle-2026-01-27/apt-2/1/webhook");

  std::vector<nlohmann::json> log = ReadLog(log_);
  ASSERT_EQ(log.size(), 4u);
  std::map<std::string, int> ids;
  for (const nlohmann::json& entry : log) {
    EXPECT_TRUE(entry["signature_ok"].get<bool>()) << entry.dump();
    EXPECT_EQ(entry["path"], "/hooks/rebook");
    ++ids[entry["headers"]["webhook-id"].get<std::string>()];
    nlohmann::json body = nlohmann::json::parse(entry["body"].get<std::string>());
    EXPECT_EQ(body["type"], "appointment.offer");
    EXPECT_EQ(body["data"]["links"]["accept"],
              "https://termine.example.de/r/tok_5f3a9c1e2b7d4a60/accept");
    EXPECT_FALSE(body["data"].contains("recipient"));  // include_contact defaults to false
  }
  EXPECT_EQ(ids.size(), 3u);
  EXPECT_EQ(ids["halle-2026-01-27/apt-2/1/webhook"], 2);
  EXPECT_EQ(log[0]["headers"]["webhook-timestamp"], "1769600000");
  EXPECT_EQ(log[3]["headers"]["webhook-timestamp"], "1769600060");
}

TEST_F(WebhookChannelTest, ServerErrorsAreTemporaryClientErrorsPermanent) {
  StartSink({"--fail-first", "1", "--fail-status", "503", "--retry-after", "120", "--status", "422",
             "--response", "{\"error\":\"unknown office\"}"});
  auto channel = Create({{"include_contact", "true"}});
  ASSERT_NE(channel, nullptr);
  DeliveryResult first = channel->Send(Rendered("apt-1"));
  EXPECT_EQ(first.state, DeliveryState::kTemporaryFailure);
  EXPECT_EQ(first.retry_after, std::chrono::seconds(120));
  DeliveryResult second = channel->Send(Rendered("apt-1"));
  EXPECT_EQ(second.state, DeliveryState::kPermanentFailure);
  EXPECT_THAT(second.reason, HasSubstr("HTTP 422"));
  EXPECT_THAT(second.reason, HasSubstr("unknown office"));
  std::vector<nlohmann::json> log = ReadLog(log_);
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(nlohmann::json::parse(log[1]["body"].get<std::string>())["data"]["recipient"]["email"],
            "erika@example.org");
}

TEST_F(WebhookChannelTest, UnreachableReceiverIsTemporary) {
  auto channel =
      WebhookChannelFactory().Create(ChannelConfig("webhook", {{"url", "http://127.0.0.1:9/"},
                                                               {"secret", kSecret},
                                                               {"allow_loopback", "true"},
                                                               {"timeout", "2s"}}));
  ASSERT_TRUE(channel.ok());
  EXPECT_EQ((*channel)->Send(Rendered("apt-1")).state, DeliveryState::kTemporaryFailure);
}

TEST(WebhookChannelConfigTest, RefusesBadConfiguration) {
  WebhookChannelFactory f;
  auto create = [&](std::map<std::string, std::string> v) {
    return f.Create(ChannelConfig("webhook", std::move(v))).status();
  };
  EXPECT_THAT(std::string(create({{"url", "http://localhost:1/"}, {"secret", kSecret}}).message()),
              HasSubstr("loopback"));
  EXPECT_THAT(std::string(create({{"url", "http://169.254.169.254/"},
                                  {"secret", kSecret},
                                  {"allow_loopback", "true"}})
                              .message()),
              HasSubstr("metadata"));
  EXPECT_THAT(
      std::string(
          create({{"url", "http://localhost:1/"}, {"secret", "plain"}, {"allow_loopback", "true"}})
              .message()),
      HasSubstr("whsec_"));
  EXPECT_THAT(std::string(create({{"url", "http://localhost:1/"},
                                  {"secret", kSecret},
                                  {"allow_loopback", "true"},
                                  {"sekret", "x"}})
                              .message()),
              HasSubstr("unknown key(s) sekret"));
}

}  // namespace
}  // namespace rebook::notify
