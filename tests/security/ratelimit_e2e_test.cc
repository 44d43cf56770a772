// Issue 18, point 5: brute force against offer tokens is slowed to the configured rate, over
// gRPC (GetPublicOffer) and the HTTP response page, while citizens with valid links still get
// through during the attack. A real rebook server (127.0.0.1, port 0) with the Halle outage
// planned and committed; rebookd's throttle shared by both endpoints, as rebookd wires it.
//
// The limits are set high (tens per second) so that 10,000 attempts take seconds; the
// attacker's achieved rate of lookups (NOT_FOUND / 404 answers) must match the configured rate
// within 25 %, and every other attempt is refused before its lookup with RESOURCE_EXHAUSTED /
// 429 and a Retry-After. 127.0.0.1 is a trusted proxy here, so that x-forwarded-for can play
// attackers and citizens at different addresses.
#include <curl/curl.h>

#include <atomic>
#include <chrono>
#include <iostream>
#include <random>
#include <thread>

#include "absl/strings/str_cat.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "gtest/gtest.h"
#include "services/common/rate_limiter.h"
#include "services/web/offer_web_server.h"
#include "tests/offers/halle_fixture.h"

namespace rebook::testing {
namespace {

using SteadyClock = std::chrono::steady_clock;

constexpr int kAttempts = 10000;
// Per client address. The attack loop must reach twice this rate for the test to mean anything
// (ExpectSlowedTo). Under ASan on a busy 2-core CI machine it reached only 262-417 attempts/s,
// so a limit of 150/s (needing 300/s) failed that precondition in a cold CI; 60/s leaves 2x room.
constexpr double kFailuresPerSecond = 60;
constexpr double kFailureBurst = 20;
constexpr double kPrefixFailuresPerSecond = 40;  // per token prefix
constexpr double kPrefixBurst = 10;

PublicLookupThrottle::Options AttackThrottle() {
  PublicLookupThrottle::Options o;
  o.requests = {0, 1};  // the generous per-address limit is off: it would hide the strict ones
  o.failures = {kFailuresPerSecond, kFailureBurst};
  o.prefix_failures = {kPrefixFailuresPerSecond, kPrefixBurst};
  o.prefix_chars = 2;
  o.trusted_proxies = {"127.0.0.1"};
  return o;
}

api::ServerOptions WithThrottle(PublicLookupThrottle* throttle) {
  api::ServerOptions o = HalleServerOptions();
  o.public_throttle = throttle;
  return o;
}

// A wrong token of the real tokens' shape: 43 base64url characters, `prefix` first.
std::string WrongToken(std::mt19937_64& rng, const std::string& prefix) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string t = prefix;
  while (t.size() < 43) t += kAlphabet[rng() % 64];
  return t;
}

// What one attack loop saw.
struct AttackResult {
  int looked_up = 0;  // NOT_FOUND / 404: the token was checked
  int refused = 0;    // RESOURCE_EXHAUSTED / 429 with a Retry-After
  int other = 0;      // anything else (must stay 0)
  int citizen_ok = 0;
  int citizen_failed = 0;
  double seconds = 0;
  double achieved_rate() const { return (looked_up - burst) / seconds; }
  double burst = 0;
};

void ExpectSlowedTo(const AttackResult& r, double rate, const std::string& what) {
  SCOPED_TRACE(what);
  std::cout << "[ratelimit] " << what << ": " << kAttempts << " attempts in " << r.seconds << " s ("
            << kAttempts / r.seconds << "/s), " << r.looked_up << " looked up ("
            << r.achieved_rate() << "/s after the burst, configured " << rate << "/s), "
            << r.refused << " refused, citizen " << r.citizen_ok << " ok / " << r.citizen_failed
            << " failed\n";
  EXPECT_EQ(r.other, 0);
  EXPECT_EQ(r.looked_up + r.refused + r.other, kAttempts);
  // The loop must have tried much faster than the limit, or it would show nothing.
  ASSERT_GT(kAttempts / r.seconds, 2 * rate) << "the attack loop was too slow to test the limit";
  EXPECT_NEAR(r.achieved_rate(), rate, 0.25 * rate)
      << r.looked_up << " lookups in " << r.seconds << " s";
  EXPECT_GT(r.refused, kAttempts / 2);
  EXPECT_GT(r.citizen_ok, 0);
  EXPECT_EQ(r.citizen_failed, 0);
}

class RateLimitTest : public HalleTest {
 protected:
  RateLimitTest() : HalleTest(WithThrottle(&throttle_)) {}

  void SetUp() override {
    HalleTest::SetUp();
    PlanAndCommit();
    for (const domain::Offer& o : Offers(domain::OfferState::kOpen)) {
      if (o.token.rfind("zz", 0) != 0) citizen_token_ = o.token;
    }
    ASSERT_FALSE(citizen_token_.empty());
  }

  // GetPublicOffer as the client at `address` (x-forwarded-for).
  grpc::Status Get(const std::string& token, const std::string& address,
                   std::string* retry_after = nullptr, google::rpc::Status* rich = nullptr) {
    grpc::ClientContext ctx;
    ctx.AddMetadata("x-forwarded-for", address);
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
    v1::GetPublicOfferRequest req;
    req.set_token(token);
    v1::PublicOffer out;
    grpc::Status s = offers_->GetPublicOffer(&ctx, req, &out);
    auto it = ctx.GetServerTrailingMetadata().find("retry-after");
    if (retry_after != nullptr && it != ctx.GetServerTrailingMetadata().end()) {
      *retry_after = std::string(it->second.data(), it->second.size());
    }
    if (rich != nullptr) rich->ParseFromString(s.error_details());
    return s;
  }

  // A citizen at `address` opens their valid link every 20 ms until `done`; counts into `r`.
  std::thread Citizen(const std::string& address, std::atomic<bool>& done, AttackResult& r) {
    return std::thread([this, address, &done, &r] {
      for (int i = 0; i < 1500 && !done; ++i) {
        (Get(citizen_token_, address).ok() ? r.citizen_ok : r.citizen_failed)++;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      }
    });
  }

  // 10,000 wrong tokens over gRPC; `address_of(i)` and `prefix` shape the attack.
  AttackResult GrpcAttack(const std::function<std::string(int)>& address_of,
                          const std::string& prefix) {
    AttackResult r;
    std::mt19937_64 rng(18);
    std::atomic<bool> done{false};
    std::thread citizen = Citizen("198.51.100.10", done, r);
    const auto start = SteadyClock::now();
    for (int i = 0; i < kAttempts; ++i) {
      std::string retry_after;
      google::rpc::Status rich;
      std::string token = WrongToken(rng, prefix);
      if (prefix.empty() && token.rfind("zz", 0) == 0) token[0] = 'y';
      grpc::Status s = Get(token, address_of(i), &retry_after, &rich);
      if (s.error_code() == grpc::StatusCode::NOT_FOUND) {
        ++r.looked_up;
      } else if (s.error_code() == grpc::StatusCode::RESOURCE_EXHAUSTED) {
        google::rpc::RetryInfo info;
        const bool has_info = rich.details_size() == 1 && rich.details(0).UnpackTo(&info) &&
                              info.retry_delay().seconds() >= 1;
        (has_info && std::stoi(retry_after.empty() ? "0" : retry_after) >= 1 ? r.refused
                                                                             : r.other)++;
      } else {
        ++r.other;
      }
    }
    r.seconds = std::chrono::duration<double>(SteadyClock::now() - start).count();
    done = true;
    citizen.join();
    return r;
  }

  PublicLookupThrottle throttle_{AttackThrottle()};
  std::string citizen_token_;
};

TEST_F(RateLimitTest, GrpcBruteForceFromOneAddressIsSlowedCitizensGetThrough) {
  AttackResult r = GrpcAttack([](int) { return std::string("203.0.113.66"); }, "");
  r.burst = kFailureBurst;
  ExpectSlowedTo(r, kFailuresPerSecond, "one address");
}

TEST_F(RateLimitTest, GrpcBruteForceSpreadOverAddressesMeetsThePrefixLimit) {
  // Every attempt from another address, all aimed at tokens starting "zz".
  AttackResult r = GrpcAttack(
      [](int i) { return absl::StrCat("10.", i / 65536, ".", (i / 256) % 256, ".", i % 256); },
      "zz");
  r.burst = kPrefixBurst;
  ExpectSlowedTo(r, kPrefixFailuresPerSecond, "spread over addresses");
}

struct HttpReply {
  long code = 0;
  std::string headers;
};

std::size_t Collect(char* data, std::size_t size, std::size_t n, void* out) {
  if (out != nullptr) static_cast<std::string*>(out)->append(data, size * n);
  return size * n;
}

// GET `url` on a kept-alive handle as the client `address`.
HttpReply HttpGet(CURL* c, const std::string& url, const std::string& address) {
  HttpReply r;
  curl_slist* headers = curl_slist_append(nullptr, ("X-Forwarded-For: " + address).c_str());
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, &Collect);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, nullptr);
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, &Collect);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, &r.headers);
  curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
  if (curl_easy_perform(c) == CURLE_OK) curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r.code);
  curl_slist_free_all(headers);
  return r;
}

TEST_F(RateLimitTest, HttpBruteForceIsSlowedWith429AndRetryAfterCitizensGetThrough) {
  web::OfferWebServer::Options options;
  options.throttle = &throttle_;
  RandomIdGenerator ids{7};
  rebooking::OutboxPolicy outbox;
  rebooking::OfferPolicy policy;
  auto web = web::OfferWebServer::Start(options, &server_.store(), &server_.clock(), &ids, &outbox,
                                        &policy);
  ASSERT_TRUE(web.ok()) << web.status();
  const std::string base = absl::StrCat("http://127.0.0.1:", (*web)->port(), "/r/");

  AttackResult r;
  r.burst = kFailureBurst;
  std::atomic<bool> done{false};
  std::thread citizen([&] {
    CURL* c = curl_easy_init();
    for (int i = 0; i < 1500 && !done; ++i) {
      (HttpGet(c, base + citizen_token_, "198.51.100.20").code == 200 ? r.citizen_ok
                                                                      : r.citizen_failed)++;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    curl_easy_cleanup(c);
  });
  CURL* c = curl_easy_init();
  std::mt19937_64 rng(5);
  const auto start = SteadyClock::now();
  for (int i = 0; i < kAttempts; ++i) {
    std::string token = WrongToken(rng, "");
    if (token.rfind("zz", 0) == 0) token[0] = 'y';
    HttpReply reply = HttpGet(c, base + token, "203.0.113.77");
    if (reply.code == 404) {
      ++r.looked_up;
    } else if (reply.code == 429 && reply.headers.find("Retry-After: ") != std::string::npos) {
      ++r.refused;
    } else {
      ++r.other;
    }
  }
  r.seconds = std::chrono::duration<double>(SteadyClock::now() - start).count();
  curl_easy_cleanup(c);
  done = true;
  citizen.join();
  ExpectSlowedTo(r, kFailuresPerSecond, "HTTP, one address");
}

}  // namespace
}  // namespace rebook::testing
