// Issue 18, point 6: the real rebookd binary reloads its token file on SIGHUP without dropping
// calls. While a thread calls without pause, the file is rewritten and SIGHUP sent several times
// (a rotation step each time, and once a broken file): no call ends with anything but OK or,
// for rotated tokens, UNAUTHENTICATED; a new token works after the reload, a removed one is
// refused, an expired one is refused as expired. Also: rebookd's rate-limit flags reach both
// the gRPC and the HTTP endpoint, which share one budget, and x-forwarded-for is ignored
// unless the peer is a trusted proxy.
#include <curl/curl.h>
#include <signal.h>

#include <atomic>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "gtest/gtest.h"
#include "rebook/v1/capacity.grpc.pb.h"
#include "rebook/v1/offers.grpc.pb.h"
#include "services/api/token_digest.h"
#include "testing/child_process.h"
#include "testing/rebookd/test_database.h"

namespace rebook::testing {
namespace {

namespace fs = std::filesystem;
namespace v1 = ::rebook::v1;
using std::chrono::milliseconds;
using std::chrono::seconds;

std::string Line(const std::string& name, const std::string& role, const std::string& token,
                 const std::string& extra = "") {
  return absl::StrCat(name, " ", role, " * sha256:", api::TokenDigest(token), extra, "\n");
}

std::string Expires(absl::Duration from_now) {
  return " expires=" +
         absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", absl::Now() + from_now, absl::UTCTimeZone());
}

// A rebookd child process over a fresh database (SQLite, or PostgreSQL with
// REBOOK_TEST_BACKEND=postgres: testing/rebookd/test_database.h) and its scratch folder.
class RebookdProcess {
 public:
  RebookdProcess(const std::string& name, const std::string& tokens,
                 std::vector<std::string> extra_flags = {})
      : db_(name), dir_(db_.dir()) {
    if (!db_.status().ok()) return;
    db_.Close();
    WriteTokens(tokens);
    std::vector<std::string> argv = {BinaryPath("rebookd"), "--listen=127.0.0.1:0",
                                     "--db=" + db_.db(), "--tokens=" + tokens_path(),
                                     "--port_file=" + (dir_ / "port").string()};
    argv.insert(argv.end(), extra_flags.begin(), extra_flags.end());
    auto child = ChildProcess::Start(argv, LogFile(log_path()));
    if (!child.ok()) return;
    process_ = std::move(*child);
    auto port = WaitForPortFile((dir_ / "port").string(), *process_, seconds(30));
    if (port.ok()) port_ = *port;
  }
  ~RebookdProcess() {
    if (process_ != nullptr) process_->Stop(seconds(10));
  }

  bool started() const { return port_ != 0; }
  std::string address() const { return absl::StrCat("127.0.0.1:", port_); }
  std::string tokens_path() const { return (dir_ / "tokens").string(); }
  std::string log_path() const { return (dir_ / "rebookd.log").string(); }
  const fs::path& dir() const { return dir_; }
  void Signal(int signal) { process_->Signal(signal); }
  std::string Log() const {
    std::stringstream s;
    if (!db_.status().ok()) s << db_.status() << "\n";
    s << std::ifstream(log_path()).rdbuf();
    return s.str();
  }
  // As an administrator rotates: write a new file, then rename it over the old one.
  void WriteTokens(const std::string& text) {
    const std::string tmp = tokens_path() + ".new";
    std::ofstream(tmp) << text;
    fs::rename(tmp, tokens_path());
  }

 private:
  TestDatabase db_;
  fs::path dir_;
  std::unique_ptr<ChildProcess> process_;
  int port_ = 0;
};

grpc::Status ListOffices(v1::CapacityService::Stub& stub, const std::string& token) {
  grpc::ClientContext ctx;
  ctx.AddMetadata("authorization", "Bearer " + token);
  ctx.set_deadline(std::chrono::system_clock::now() + seconds(20));
  v1::ListOfficesRequest req;
  v1::ListOfficesResponse resp;
  return stub.ListOffices(&ctx, req, &resp);
}

// Polls until `token` gets `code` (a reload is asynchronous): at most 5 s.
bool Eventually(v1::CapacityService::Stub& stub, const std::string& token, grpc::StatusCode code) {
  for (int i = 0; i < 100; ++i) {
    if (ListOffices(stub, token).error_code() == code) return true;
    std::this_thread::sleep_for(milliseconds(50));
  }
  return false;
}

TEST(TokenReloadTest, SighupRotatesTokensWithoutDroppingCalls) {
  const std::string admin = Line("betrieb", "admin", "tok-admin");
  RebookdProcess rebookd("token_reload",
                         admin + Line("old", "clerk", "tok-0") +
                             Line("gone", "clerk", "tok-gone", Expires(absl::Hours(-1))));
  ASSERT_TRUE(rebookd.started()) << rebookd.Log();
  auto stub = v1::CapacityService::NewStub(
      grpc::CreateChannel(rebookd.address(), grpc::InsecureChannelCredentials()));

  // An expired token is refused as expired, without naming its principal.
  grpc::Status expired = ListOffices(*stub, "tok-gone");
  EXPECT_EQ(expired.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_NE(expired.error_message().find("expired"), std::string::npos);
  EXPECT_EQ(expired.error_message().find("gone"), std::string::npos);

  // Calls without pause during every reload: the admin's token, in every file, must always
  // work; the rotated tokens may only be OK or UNAUTHENTICATED.
  std::atomic<bool> done{false};
  std::map<grpc::StatusCode, int> admin_codes;
  std::map<grpc::StatusCode, int> rotated_codes;
  std::thread caller([&] {
    const auto until = std::chrono::steady_clock::now() + seconds(60);
    for (int i = 0; i < 100000 && !done && std::chrono::steady_clock::now() < until; ++i) {
      admin_codes[ListOffices(*stub, "tok-admin").error_code()]++;
      rotated_codes[ListOffices(*stub, absl::StrCat("tok-", i % 6)).error_code()]++;
    }
  });

  for (int round = 1; round <= 5; ++round) {
    SCOPED_TRACE(absl::StrCat("round ", round));
    // Rotation: add the new token next to the old one, reload, (clients switch), remove the old
    // one, reload.
    const std::string old_token = absl::StrCat("tok-", round - 1);
    const std::string new_token = absl::StrCat("tok-", round);
    rebookd.WriteTokens(admin + Line("old", "clerk", old_token) + Line("new", "clerk", new_token));
    rebookd.Signal(SIGHUP);
    EXPECT_TRUE(Eventually(*stub, new_token, grpc::StatusCode::OK));
    EXPECT_TRUE(ListOffices(*stub, old_token).ok());
    rebookd.WriteTokens(admin + Line("new", "clerk", new_token));
    rebookd.Signal(SIGHUP);
    EXPECT_TRUE(Eventually(*stub, old_token, grpc::StatusCode::UNAUTHENTICATED));
    EXPECT_TRUE(ListOffices(*stub, new_token).ok());
  }

  // A broken file is refused with a log line; the tokens of the last good file stay.
  rebookd.WriteTokens(admin + "broken line\n");
  rebookd.Signal(SIGHUP);
  for (int i = 0; i < 100 && rebookd.Log().find("tokens_reload_failed") == std::string::npos; ++i) {
    std::this_thread::sleep_for(milliseconds(50));
  }
  EXPECT_NE(rebookd.Log().find("tokens_reload_failed"), std::string::npos);
  EXPECT_TRUE(ListOffices(*stub, "tok-5").ok());

  // A token that expires in two or three seconds works, then is refused as expired.
  rebookd.WriteTokens(admin + Line("soon", "clerk", "tok-soon", Expires(absl::Seconds(3))));
  rebookd.Signal(SIGHUP);
  EXPECT_TRUE(Eventually(*stub, "tok-soon", grpc::StatusCode::OK));
  std::this_thread::sleep_for(seconds(4));
  grpc::Status late = ListOffices(*stub, "tok-soon");
  EXPECT_EQ(late.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_NE(late.error_message().find("expired"), std::string::npos);

  done = true;
  caller.join();
  int admin_calls = 0;
  for (const auto& [code, n] : admin_codes) {
    admin_calls += n;
    EXPECT_EQ(code, grpc::StatusCode::OK) << n << " admin calls ended with code " << code;
  }
  EXPECT_GT(admin_calls, 50);
  for (const auto& [code, n] : rotated_codes) {
    EXPECT_TRUE(code == grpc::StatusCode::OK || code == grpc::StatusCode::UNAUTHENTICATED)
        << n << " calls with rotated tokens ended with code " << code;
  }
  EXPECT_GT(rotated_codes[grpc::StatusCode::OK], 0);
}

std::size_t Discard(char*, std::size_t size, std::size_t n, void*) { return size * n; }

long HttpGet(const std::string& url, std::string* headers) {
  CURL* c = curl_easy_init();
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, &Discard);
  curl_easy_setopt(
      c, CURLOPT_HEADERFUNCTION, +[](char* d, std::size_t size, std::size_t n, void* out) {
        static_cast<std::string*>(out)->append(d, size * n);
        return size * n;
      });
  curl_easy_setopt(c, CURLOPT_HEADERDATA, headers);
  curl_easy_setopt(c, CURLOPT_TIMEOUT, 20L);
  long code = 0;
  if (curl_easy_perform(c) == CURLE_OK) curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
  curl_easy_cleanup(c);
  return code;
}

TEST(RebookdRateLimitFlagsTest, WrongTokensShareOneBudgetAcrossGrpcAndHttp) {
  RebookdProcess rebookd(
      "ratelimit_flags", Line("betrieb", "admin", "tok-admin"),
      {"--http_listen=127.0.0.1:0",
       "--http_port_file=" + (fs::path(::testing::TempDir()) / "ratelimit_flags_http").string(),
       "--public_failure_burst=3", "--public_failures_per_min=1"});
  ASSERT_TRUE(rebookd.started()) << rebookd.Log();
  int http_port = 0;
  std::ifstream(fs::path(::testing::TempDir()) / "ratelimit_flags_http") >> http_port;
  ASSERT_GT(http_port, 0);
  auto stub = v1::OfferService::NewStub(
      grpc::CreateChannel(rebookd.address(), grpc::InsecureChannelCredentials()));
  auto get = [&](const std::string& token, std::string* retry_after,
                 const std::string& forwarded_for = "") {
    grpc::ClientContext ctx;
    if (!forwarded_for.empty()) ctx.AddMetadata("x-forwarded-for", forwarded_for);
    ctx.set_deadline(std::chrono::system_clock::now() + seconds(20));
    v1::GetPublicOfferRequest req;
    req.set_token(token);
    v1::PublicOffer out;
    grpc::Status s = stub->GetPublicOffer(&ctx, req, &out);
    auto it = ctx.GetServerTrailingMetadata().find("retry-after");
    if (it != ctx.GetServerTrailingMetadata().end()) {
      *retry_after = std::string(it->second.data(), it->second.size());
    }
    return s.error_code();
  };
  std::string retry_after;
  // Burst of 3 wrong tokens over gRPC, then refusals for about a minute (1 per minute).
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(get(absl::StrCat("wrong-token-", i, "-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"), &retry_after),
              grpc::StatusCode::NOT_FOUND);
  }
  EXPECT_EQ(get("another-wrong-token-xxxxxxxxxxxxxxxxxxxxxxxx", &retry_after),
            grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_GE(std::stoi(retry_after.empty() ? "0" : retry_after), 50);
  // Without --trusted_proxies a client cannot pick its own address.
  EXPECT_EQ(get("spoofed-wrong-token-xxxxxxxxxxxxxxxxxxxxxxxx", &retry_after, "198.51.100.1"),
            grpc::StatusCode::RESOURCE_EXHAUSTED);
  // The HTTP page shares the budget: refused at once, with Retry-After.
  std::string headers;
  EXPECT_EQ(HttpGet(absl::StrCat("http://127.0.0.1:", http_port,
                                 "/r/yet-another-wrong-token-xxxxxxxxxxxxxxxxxx"),
                    &headers),
            429);
  EXPECT_NE(headers.find("Retry-After: "), std::string::npos) << headers;
}

}  // namespace
}  // namespace rebook::testing
