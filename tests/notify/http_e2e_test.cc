// SMS and webhook delivery through a real rebook-notifier to a loopback HTTP sink that checks
// the Standard Webhooks signature on its own and logs every request.
#include <fstream>
#include <map>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "services/notify/testing/sink_server.h"
#include "testing/files.h"
#include "tests/notify/notify_env.h"

namespace rebook::notify_e2e {
namespace {

using ::testing::HasSubstr;
using ::testing::SizeIs;
using Json = nlohmann::json;
namespace nt = ::rebook::notify::testing;

constexpr char kSecret[] = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

std::vector<Json> ReadLog(const std::string& path) {
  std::vector<Json> out;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) out.push_back(Json::parse(line));
  }
  return out;
}

TEST(HttpE2eTest, SmsAndWebhookReachTheSinkSignedAndOncePerMessage) {
  rebooking::OutboxPolicy policy;
  auto chain = notify::ChannelChain::Parse("sms,webhook");
  ASSERT_TRUE(chain.ok());
  policy.chain = *chain;
  NotifyEnv env({.policy = policy});
  const std::string log = (env.dir() / "sink.jsonl").string();
  auto sink = nt::SinkServer::Start("http_sink.py", {"--log", log, "--secret", kSecret});
  ASSERT_TRUE(sink.ok()) << sink.status();
  const std::string base = absl::StrCat("http://127.0.0.1:", (*sink)->port());
  const std::string config =
      env.WriteFile("channels.conf", absl::StrCat("[channel.sms]\n"
                                                  "url = ",
                                                  base,
                                                  "/v1/sms\n"
                                                  "allow_loopback = true\n"
                                                  "sender = Halle\n"
                                                  "[channel.webhook]\n"
                                                  "url = ",
                                                  base,
                                                  "/hooks/rebook\n"
                                                  "secret = ",
                                                  kSecret,
                                                  "\n"
                                                  "allow_loopback = true\n"));
  for (int i = 0; i < 3; ++i) {
    env.SeedOffer(
        absl::StrCat("s", i),
        {.name = "Erika Mustermann", .phone = absl::StrCat("0151 2345670", i), .language = "de"});
    env.SeedOffer(absl::StrCat("w", i), {.name = "Max Mustermann", .email = "max@example.org"});
  }
  auto worker = ChildProcess::Start(env.NotifierArgs(config, {"--once", "--batch", "4"}),
                                    LogFile(env.Log("worker")));
  ASSERT_TRUE(worker.ok());
  ASSERT_EQ((*worker)->Wait(std::chrono::seconds(60)), 0)
      << rebook::testing::ReadFileOrEmpty(env.Log("worker"));

  std::vector<v1::Message> ms = env.AllMessages();
  ASSERT_THAT(ms, SizeIs(6));
  for (const v1::Message& m : ms) {
    EXPECT_EQ(m.state(), v1::Message::SENT) << m.name() << " " << m.last_error();
    const char first = m.appointment()[m.appointment().rfind('/') + 1];
    // Citizens with a phone get an SMS; the others the webhook, next in the chain.
    EXPECT_EQ(m.channel(), first == 's' ? "sms" : "webhook") << m.appointment();
  }
  std::map<std::string, int> sms_refs;
  std::map<std::string, int> webhook_ids;
  for (const Json& entry : ReadLog(log)) {
    const Json body = Json::parse(entry["body"].get<std::string>());
    if (entry["path"] == "/v1/sms") {
      ++sms_refs[body["reference"].get<std::string>()];
      EXPECT_THAT(body["to"].get<std::string>(), HasSubstr("+49151234567"));
      EXPECT_THAT(body["text"].get<std::string>(),
                  HasSubstr("https://termine.example.org/r/tok_s"));
      EXPECT_EQ(body["sender"], "Halle");
    } else {
      EXPECT_EQ(entry["path"], "/hooks/rebook");
      EXPECT_TRUE(entry["signature_ok"].get<bool>()) << entry.dump();
      const std::string id = entry["headers"]["webhook-id"].get<std::string>();
      ++webhook_ids[id];
      EXPECT_EQ(body["type"], "appointment.offer");
      EXPECT_EQ(body["data"]["key"]["id"], id);
      EXPECT_THAT(body["data"]["links"]["accept"].get<std::string>(),
                  HasSubstr("/r/tok_" + body["data"]["key"]["appointment_id"].get<std::string>()));
      EXPECT_EQ(body["data"]["office"]["id"], "B");
      // Contact data stays out of webhooks unless include_contact is set.
      EXPECT_FALSE(body["data"].contains("recipient"));
    }
  }
  EXPECT_THAT(sms_refs, SizeIs(3));
  EXPECT_THAT(webhook_ids, SizeIs(3));
  for (const auto& [id, n] : webhook_ids) EXPECT_EQ(n, 1) << id;
  for (const auto& [ref, n] : sms_refs) EXPECT_EQ(n, 1) << ref;
  EXPECT_EQ(webhook_ids.count("out-1/w0/1/webhook"), 1u);
  for (const v1::Message& m : ms) {
    // The gateway's id from its answer; the webhook's is its webhook-id.
    if (m.channel() == "sms") {
      EXPECT_EQ(m.provider_message_id(), "gw-1");
    } else {
      EXPECT_EQ(webhook_ids.count(m.provider_message_id()), 1u);
    }
  }
}

}  // namespace
}  // namespace rebook::notify_e2e
