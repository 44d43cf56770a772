#include "services/notify/http/http_client.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "services/notify/testing/sink_server.h"
#include "testing/files.h"

namespace rebook::notify {
namespace {

using ::testing::HasSubstr;

TEST(ClassifyHttpResponseTest, MapsStatusCodes) {
  EXPECT_EQ(ClassifyHttpResponse({200, "{}", {}}).state, DeliveryState::kSent);
  EXPECT_EQ(ClassifyHttpResponse({202, "", {}}).state, DeliveryState::kSent);
  DeliveryResult busy = ClassifyHttpResponse({429, "slow down", {{"retry-after", "30"}}});
  EXPECT_EQ(busy.state, DeliveryState::kTemporaryFailure);
  EXPECT_EQ(busy.retry_after, std::chrono::seconds(30));
  EXPECT_THAT(busy.reason, HasSubstr("HTTP 429: slow down"));
  EXPECT_EQ(ClassifyHttpResponse({503, "", {}}).state, DeliveryState::kTemporaryFailure);
  EXPECT_EQ(ClassifyHttpResponse({408, "", {}}).state, DeliveryState::kTemporaryFailure);
  EXPECT_EQ(ClassifyHttpResponse({400, "bad number", {}}).state, DeliveryState::kPermanentFailure);
  EXPECT_EQ(ClassifyHttpResponse({401, "", {}}).state, DeliveryState::kPermanentFailure);
  EXPECT_EQ(ClassifyHttpResponse({302, "", {}}).state, DeliveryState::kPermanentFailure);
  EXPECT_EQ(TransportFailure(absl::UnavailableError("refused")).state,
            DeliveryState::kTemporaryFailure);
}

TEST(HttpPosterTest, PostsToThePinnedAddressEvenIfTheNameDoesNotResolve) {
  const std::string dir = rebook::testing::MakeTempDir("rebook-http");
  auto sink = testing::SinkServer::Start("http_sink.py", {"--log", dir + "/log.jsonl"});
  ASSERT_TRUE(sink.ok()) << sink.status();
  const int port = (*sink)->port();
  // "sink.rebook.invalid" never resolves in DNS (RFC 2606); only the pin can reach the sink.
  SafeUrl url{.url = absl::StrCat("http://sink.rebook.invalid:", port, "/send"),
              .scheme = "http",
              .host = "sink.rebook.invalid",
              .port = port,
              .addresses = {"127.0.0.1"},
              .curl_resolve = absl::StrCat("sink.rebook.invalid:", port, ":127.0.0.1")};
  HttpPoster poster(url, std::chrono::seconds(5));
  absl::StatusOr<HttpResponse> r = poster.Post(R"({"a":1})", {"Content-Type: application/json"});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->status, 200);
  EXPECT_THAT(r->body, HasSubstr("gw-1"));
  EXPECT_EQ(r->headers.at("content-type"), "application/json");
  nlohmann::json logged =
      nlohmann::json::parse(rebook::testing::ReadFileOrEmpty(dir + "/log.jsonl"));
  EXPECT_EQ(logged["path"], "/send");
  EXPECT_EQ(logged["body"], R"({"a":1})");

  // Without the pin the same URL cannot be reached.
  url.curl_resolve.clear();
  EXPECT_EQ(HttpPoster(url, std::chrono::seconds(5)).Post("{}", {}).status().code(),
            absl::StatusCode::kUnavailable);
}

// Reads the sink's log: one JSON object per line.
std::vector<nlohmann::json> ReadLog(const std::string& path) {
  std::vector<nlohmann::json> entries;
  for (absl::string_view line :
       absl::StrSplit(rebook::testing::ReadFileOrEmpty(path), '\n', absl::SkipEmpty())) {
    entries.push_back(nlohmann::json::parse(line));
  }
  return entries;
}

TEST(HttpPosterTest, ReusesItsConnectionWhenTheServerKeepsItAlive) {
  const std::string dir = rebook::testing::MakeTempDir("rebook-http");
  auto sink =
      testing::SinkServer::Start("http_sink.py", {"--log", dir + "/log.jsonl", "--keep-alive"});
  ASSERT_TRUE(sink.ok()) << sink.status();
  absl::StatusOr<SafeUrl> url = ResolveSafeUrl(
      absl::StrCat("http://127.0.0.1:", (*sink)->port(), "/hook"), {.allow_loopback = true});
  ASSERT_TRUE(url.ok()) << url.status();
  const HttpPoster poster(*url, std::chrono::seconds(5));
  const HttpPoster copy = poster;  // copies share the kept-alive connections
  for (int i = 0; i < 4; ++i) {
    absl::StatusOr<HttpResponse> r = (i % 2 == 0 ? poster : copy).Post(absl::StrCat(i), {});
    ASSERT_TRUE(r.ok()) << r.status();
    EXPECT_EQ(r->status, 200);
  }
  std::vector<nlohmann::json> log = ReadLog(dir + "/log.jsonl");
  ASSERT_EQ(log.size(), 4u);
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(log[i]["body"], absl::StrCat(i));
    EXPECT_EQ(log[i]["client_port"], log[0]["client_port"]) << "request " << i;
  }
}

TEST(HttpPosterTest, OpensANewConnectionWhenTheServerClosesIt) {
  const std::string dir = rebook::testing::MakeTempDir("rebook-http");
  // HTTP/1.0: the sink closes every connection after its answer.
  auto sink = testing::SinkServer::Start("http_sink.py", {"--log", dir + "/log.jsonl"});
  ASSERT_TRUE(sink.ok()) << sink.status();
  absl::StatusOr<SafeUrl> url = ResolveSafeUrl(
      absl::StrCat("http://127.0.0.1:", (*sink)->port(), "/hook"), {.allow_loopback = true});
  ASSERT_TRUE(url.ok()) << url.status();
  const HttpPoster poster(*url, std::chrono::seconds(5));
  for (int i = 0; i < 3; ++i) {
    absl::StatusOr<HttpResponse> r = poster.Post(absl::StrCat(i), {});
    ASSERT_TRUE(r.ok()) << r.status();
    EXPECT_EQ(r->status, 200);
  }
  std::vector<nlohmann::json> log = ReadLog(dir + "/log.jsonl");
  ASSERT_EQ(log.size(), 3u);
  EXPECT_NE(log[1]["client_port"], log[0]["client_port"]);
  EXPECT_NE(log[2]["client_port"], log[1]["client_port"]);
}

TEST(HttpPosterTest, ConnectionRefusedIsUnavailable) {
  // Port 9 (discard) on loopback is closed in the test environment.
  absl::StatusOr<SafeUrl> url = ResolveSafeUrl("http://127.0.0.1:9/", {.allow_loopback = true});
  ASSERT_TRUE(url.ok());
  EXPECT_EQ(HttpPoster(*url, std::chrono::seconds(2)).Post("{}", {}).status().code(),
            absl::StatusCode::kUnavailable);
}

}  // namespace
}  // namespace rebook::notify
