#include "services/common/rate_limiter.h"

#include <chrono>
#include <string>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace rebook {
namespace {

using std::chrono::milliseconds;
using std::chrono::nanoseconds;
using std::chrono::seconds;

// A monotonic clock that moves only when told to.
struct StepClock {
  std::chrono::steady_clock::time_point t{seconds(1000)};
  MonotonicNow Fn() {
    return [this] { return t; };
  }
};

TEST(RateLimiterTest, BurstThenRate) {
  StepClock clock;
  RateLimiter limiter({.limit = {2, 5}, .now = clock.Fn()});
  for (int i = 0; i < 5; ++i) EXPECT_EQ(limiter.TryTake("a"), nanoseconds(0)) << i;
  // Empty: one token comes back after 1/rate = 500 ms.
  EXPECT_EQ(limiter.TryTake("a"), milliseconds(500));
  clock.t += milliseconds(499);
  EXPECT_GT(limiter.TryTake("a"), nanoseconds(0));
  clock.t += milliseconds(1);
  EXPECT_EQ(limiter.TryTake("a"), nanoseconds(0));
  EXPECT_GT(limiter.TryTake("a"), nanoseconds(0));
  // Other keys are untouched.
  EXPECT_EQ(limiter.TryTake("b"), nanoseconds(0));
  // Refills never go above the burst.
  clock.t += seconds(3600);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(limiter.TryTake("a"), nanoseconds(0)) << i;
  EXPECT_GT(limiter.TryTake("a"), nanoseconds(0));
}

TEST(RateLimiterTest, SustainedRateMatchesConfiguration) {
  StepClock clock;
  RateLimiter limiter({.limit = {50, 10}, .now = clock.Fn()});
  int admitted = 0;
  // 10 s of attempts every millisecond: burst + rate * time get through.
  for (int ms = 0; ms < 10000; ++ms) {
    if (limiter.TryTake("x") == nanoseconds(0)) ++admitted;
    clock.t += milliseconds(1);
  }
  EXPECT_NEAR(admitted, 10 + 50 * 10, 2);
}

TEST(RateLimiterTest, CheckTakesNothingAndChargeOverdrawsUpToOneBurst) {
  StepClock clock;
  RateLimiter limiter({.limit = {1, 2}, .now = clock.Fn()});
  for (int i = 0; i < 10; ++i) EXPECT_EQ(limiter.Check("a"), nanoseconds(0));
  for (int i = 0; i < 10; ++i) limiter.Charge("a");
  // Debt of one burst (2 tokens) below zero: a whole token is 3 s away.
  EXPECT_EQ(limiter.Check("a"), seconds(3));
  clock.t += seconds(3);
  EXPECT_EQ(limiter.Check("a"), nanoseconds(0));
}

TEST(RateLimiterTest, DisabledLimitAdmitsEverything) {
  RateLimiter limiter({.limit = {0, 1}});
  for (int i = 0; i < 1000; ++i) ASSERT_EQ(limiter.TryTake("a"), nanoseconds(0));
  EXPECT_EQ(limiter.size(), 0u);
}

TEST(RateLimiterTest, FullBucketsAreForgottenAndKeysAreCapped) {
  StepClock clock;
  RateLimiter limiter({.limit = {1, 1}, .max_keys = 100, .now = clock.Fn()});
  for (int i = 0; i < 100; ++i) limiter.TryTake(absl::StrCat("k", i));
  EXPECT_EQ(limiter.size(), 100u);
  // All still empty: a new key drops the least recently touched eighth.
  limiter.TryTake("new");
  EXPECT_LE(limiter.size(), 100u);
  EXPECT_GE(limiter.size(), 85u);
  // Once refilled they say nothing a new bucket would not: the next sweep drops them.
  clock.t += seconds(2);
  for (int i = 0; i < 10000; ++i) limiter.TryTake("hot");
  EXPECT_EQ(limiter.size(), 1u);
  // A spray of distinct keys never grows the table past the cap.
  for (int i = 0; i < 5000; ++i) {
    limiter.TryTake(absl::StrCat("spray", i));
    ASSERT_LE(limiter.size(), 100u);
  }
}

PublicLookupThrottle::Options ThrottleOptions(StepClock& clock) {
  PublicLookupThrottle::Options o;
  o.requests = {10, 20};
  o.failures = {1, 3};
  o.prefix_failures = {1, 5};
  o.prefix_chars = 2;
  o.now = clock.Fn();
  return o;
}

TEST(PublicLookupThrottleTest, OnlyFailedLookupsUseTheStrictBuckets) {
  StepClock clock;
  PublicLookupThrottle t(ThrottleOptions(clock));
  // Valid tokens: only the generous request bucket (burst 20).
  for (int i = 0; i < 20; ++i) {
    ASSERT_EQ(t.Admit("1.2.3.4", "good-token"), nanoseconds(0)) << i;
    t.Record("1.2.3.4", "good-token", true);
  }
  EXPECT_GT(t.Admit("1.2.3.4", "good-token"), nanoseconds(0));
  clock.t += seconds(10);
  // Three wrong tokens empty the address's failure bucket (burst 3); the fourth waits 1 s.
  for (int i = 0; i < 3; ++i) {
    ASSERT_EQ(t.Admit("1.2.3.4", absl::StrCat("w", i, "rong")), nanoseconds(0));
    t.Record("1.2.3.4", absl::StrCat("w", i, "rong"), false);
  }
  EXPECT_EQ(t.Admit("1.2.3.4", "zzzz"), seconds(1));
  // A neighbour on another address is not affected.
  EXPECT_EQ(t.Admit("5.6.7.8", "good-token"), nanoseconds(0));
}

TEST(PublicLookupThrottleTest, AttackSpreadOverAddressesMeetsThePrefixBucket) {
  StepClock clock;
  PublicLookupThrottle t(ThrottleOptions(clock));
  int admitted = 0;
  for (int i = 0; i < 100; ++i) {
    const std::string client = absl::StrCat("10.0.0.", i);
    const std::string token = absl::StrCat("AB", i, "guess");
    if (t.Admit(client, token) == nanoseconds(0)) {
      ++admitted;
      t.Record(client, token, false);
    }
  }
  EXPECT_EQ(admitted, 5);  // the prefix "AB" allowed its burst, then nothing
  // A real citizen whose token starts differently gets through from any of those addresses.
  EXPECT_EQ(t.Admit("10.0.0.7", "CDvalid"), nanoseconds(0));
}

TEST(PublicLookupThrottleTest, ForwardedForIsUsedOnlyFromTrustedProxies) {
  PublicLookupThrottle::Options o;
  o.trusted_proxies = {"127.0.0.1", "10.1.1.1"};
  PublicLookupThrottle t(o);
  EXPECT_EQ(t.ClientKey("192.0.2.1", "198.51.100.7"), "192.0.2.1");
  EXPECT_EQ(t.ClientKey("127.0.0.1", "198.51.100.7"), "198.51.100.7");
  // The right-most address that is not a trusted proxy; the client wrote what is left of it.
  EXPECT_EQ(t.ClientKey("127.0.0.1", "1.1.1.1, 198.51.100.7, 10.1.1.1"), "198.51.100.7");
  EXPECT_EQ(t.ClientKey("127.0.0.1", "garbage"), "127.0.0.1");
  EXPECT_EQ(t.ClientKey("127.0.0.1", ""), "127.0.0.1");
  // IPv6 clients share a bucket per /64; IPv4-mapped addresses count as IPv4.
  EXPECT_EQ(t.ClientKey("2001:db8:1:2:aaaa::1", ""), "2001:db8:1:2::/64");
  EXPECT_EQ(t.ClientKey("::ffff:192.0.2.9", ""), "192.0.2.9");
  PublicLookupThrottle untrusting({});
  EXPECT_EQ(untrusting.ClientKey("127.0.0.1", "198.51.100.7"), "127.0.0.1");
}

TEST(RateLimiterHelpersTest, PeerAddressRetryAfterAndAddressLists) {
  EXPECT_EQ(PeerAddress("ipv4:127.0.0.1:5555"), "127.0.0.1");
  EXPECT_EQ(PeerAddress("ipv6:[::1]:5555"), "::1");
  EXPECT_EQ(PeerAddress("unix:/tmp/s"), "unix:/tmp/s");
  EXPECT_EQ(RetryAfterSeconds(milliseconds(1)), 1);
  EXPECT_EQ(RetryAfterSeconds(milliseconds(2001)), 3);
  auto list = ParseAddressList(" 127.0.0.1, ::1 ");
  ASSERT_TRUE(list.ok()) << list.status();
  EXPECT_EQ(*list, (std::vector<std::string>{"127.0.0.1", "::1"}));
  EXPECT_TRUE(ParseAddressList("").ok());
  EXPECT_FALSE(ParseAddressList("10.0.0.0/8").ok());
  EXPECT_FALSE(ParseAddressList("proxy.example").ok());
}

}  // namespace
}  // namespace rebook
