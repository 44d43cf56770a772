// Against a real HTTP server on 127.0.0.1 (services/notify/testing/http_sink.py), which checks
// each Standard Webhooks signature with Python's hmac, independently of the C++ signing code.
#include "services/sync/webhook_sink.h"

#include <sstream>

#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "services/notify/testing/sink_server.h"
#include "services/sync/test_events.h"
#include "testing/files.h"

namespace rebook::sync {
namespace {

constexpr char kSecret[] = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

class WebhookSinkTest : public ::testing::Test {
 protected:
  void StartReceiver(std::vector<std::string> extra = {}) {
    log_ = tmp_.File("log.jsonl");
    std::vector<std::string> args = {"--log", log_, "--secret", kSecret};
    args.insert(args.end(), extra.begin(), extra.end());
    auto server = notify::testing::SinkServer::Start("http_sink.py", args);
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
  }
  std::unique_ptr<ChangeSink> Create(std::map<std::string, std::string> extra = {}) {
    std::map<std::string, std::string> values = {
        {"url", absl::StrCat("http://127.0.0.1:", server_->port(), "/rebook/changes")},
        {"secret", kSecret},
        {"allow_loopback", "true"}};
    values.insert(extra.begin(), extra.end());
    auto sink = WebhookSinkFactory().Create(SinkConfig("booking", values, &clock_));
    EXPECT_TRUE(sink.ok()) << sink.status();
    return sink.ok() ? *std::move(sink) : nullptr;
  }
  std::vector<nlohmann::json> Log() const {
    std::vector<nlohmann::json> out;
    std::istringstream in(rebook::testing::ReadFileOrEmpty(log_));
    for (std::string line; std::getline(in, line);) out.push_back(nlohmann::json::parse(line));
    return out;
  }

  rebook::testing::ScopedTempDir tmp_{"rebook-webhook-sink"};
  FakeClock clock_{Instant(std::chrono::seconds(1772438400))};
  std::string log_;
  std::unique_ptr<notify::testing::SinkServer> server_;
};

TEST_F(WebhookSinkTest, OneSignedPostPerEventWithTheEventIdAsWebhookId) {
  StartReceiver();
  std::unique_ptr<ChangeSink> sink = Create();
  ASSERT_NE(sink, nullptr);
  const std::vector<domain::ChangeEvent> events = TestEvents(10, 4);
  ASSERT_TRUE(sink->Write(events).ok());
  const std::vector<nlohmann::json> log = Log();
  ASSERT_EQ(log.size(), 4u);
  for (std::size_t i = 0; i < log.size(); ++i) {
    EXPECT_TRUE(log[i]["signature_ok"].get<bool>()) << log[i];
    EXPECT_EQ(log[i]["path"], "/rebook/changes");
    EXPECT_EQ(log[i]["headers"]["webhook-id"], events[i].event_id);
    EXPECT_EQ(log[i]["headers"]["webhook-timestamp"], "1772438400");
    const nlohmann::json body = nlohmann::json::parse(log[i]["body"].get<std::string>());
    EXPECT_EQ(body["data"]["cursor"], events[i].cursor);
    EXPECT_EQ(body["data"]["event_id"], events[i].event_id);
    EXPECT_EQ(body["timestamp"], "2026-03-02T08:00:00Z");
  }
  EXPECT_EQ(nlohmann::json::parse(log[1]["body"].get<std::string>())["type"], "change.slot_held");
}

TEST_F(WebhookSinkTest, BatchModePostsTheBatchOnce) {
  StartReceiver();
  std::unique_ptr<ChangeSink> sink = Create({{"mode", "batch"}});
  ASSERT_NE(sink, nullptr);
  ASSERT_TRUE(sink->Write(TestEvents(7, 5)).ok());
  const std::vector<nlohmann::json> log = Log();
  ASSERT_EQ(log.size(), 1u);
  EXPECT_TRUE(log[0]["signature_ok"].get<bool>());
  EXPECT_EQ(log[0]["headers"]["webhook-id"], "changes-7-11");
  const nlohmann::json body = nlohmann::json::parse(log[0]["body"].get<std::string>());
  EXPECT_EQ(body["type"], "change.batch");
  EXPECT_EQ(body["data"]["first_cursor"], 7);
  EXPECT_EQ(body["data"]["last_cursor"], 11);
  ASSERT_EQ(body["data"]["changes"].size(), 5u);
  EXPECT_EQ(body["data"]["changes"][4]["event_id"], "ev-11");
}

TEST_F(WebhookSinkTest, AFailedPostFailsTheWriteAndStopsThere) {
  StartReceiver({"--fail-first", "2", "--fail-status", "503"});
  std::unique_ptr<ChangeSink> sink = Create();
  ASSERT_NE(sink, nullptr);
  const std::vector<domain::ChangeEvent> events = TestEvents(1, 3);
  absl::Status first = sink->Write(events);
  EXPECT_EQ(first.code(), absl::StatusCode::kUnavailable) << first;
  EXPECT_EQ(Log().size(), 1u);  // nothing after the failed event
  EXPECT_EQ(sink->Write(events).code(), absl::StatusCode::kUnavailable);
  ASSERT_TRUE(sink->Write(events).ok());  // the worker's retry: the whole batch again
  const std::vector<nlohmann::json> log = Log();
  ASSERT_EQ(log.size(), 5u);
  EXPECT_EQ(log[2]["headers"]["webhook-id"], "ev-1");  // same id: the receiver dedupes
}

TEST_F(WebhookSinkTest, ARefusalIsAFailedPrecondition) {
  StartReceiver({"--status", "400"});
  std::unique_ptr<ChangeSink> sink = Create();
  ASSERT_NE(sink, nullptr);
  EXPECT_EQ(sink->Write(TestEvents(1, 1)).code(), absl::StatusCode::kFailedPrecondition);
}

TEST(WebhookSinkConfigTest, RefusesUnsafeUrlsAndBadKeys) {
  auto create = [](std::map<std::string, std::string> values) {
    return WebhookSinkFactory().Create(SinkConfig("booking", std::move(values))).status();
  };
  // Loopback without allow_loopback, link-local metadata, plain http to the outside.
  EXPECT_FALSE(create({{"url", "http://127.0.0.1:1/x"}, {"secret", kSecret}}).ok());
  EXPECT_FALSE(create({{"url", "https://169.254.169.254/x"}, {"secret", kSecret}}).ok());
  EXPECT_FALSE(
      create({{"url", "http://127.0.0.1:1/x"}, {"secret", "nope"}, {"allow_loopback", "true"}})
          .ok());
  EXPECT_FALSE(create({{"url", "http://127.0.0.1:1/x"},
                       {"secret", kSecret},
                       {"allow_loopback", "true"},
                       {"mode", "stream"}})
                   .ok());
  EXPECT_FALSE(create({{"url", "http://127.0.0.1:1/x"},
                       {"secret", kSecret},
                       {"allow_loopback", "true"},
                       {"include_contact", "true"}})  // a channel key, not a sink key
                   .ok());
  EXPECT_TRUE(
      create({{"url", "http://127.0.0.1:1/x"}, {"secret", kSecret}, {"allow_loopback", "true"}})
          .ok());
}

}  // namespace
}  // namespace rebook::sync
