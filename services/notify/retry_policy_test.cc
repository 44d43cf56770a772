#include "services/notify/retry_policy.h"

#include "gtest/gtest.h"

namespace rebook::notify {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

const Instant kT0 = Instant(seconds(1'769'500'000));

TEST(RetryPolicyTest, BaseDelayGrowsExponentiallyUpToTheCap) {
  RetryPolicy p = RetryPolicy::ForChannel("email");
  EXPECT_EQ(BaseDelay(p, 1), minutes(5));
  EXPECT_EQ(BaseDelay(p, 2), minutes(10));
  EXPECT_EQ(BaseDelay(p, 3), minutes(20));
  EXPECT_EQ(BaseDelay(p, 10), hours(4));
  EXPECT_EQ(BaseDelay(p, 1000), hours(4));
}

TEST(RetryPolicyTest, JitterStaysInBandAndIsReproducible) {
  RetryPolicy p = RetryPolicy::ForChannel("sms");
  std::mt19937_64 a(7), b(7);
  DeliveryResult temp = DeliveryResult::Temporary("503");
  for (int attempt = 1; attempt <= 8; ++attempt) {
    AttemptHistory h{attempt, kT0, kT0 + minutes(attempt)};
    RetryDecision da = NextAttempt(p, h, temp, a);
    RetryDecision db = NextAttempt(p, h, temp, b);
    ASSERT_FALSE(da.give_up);
    EXPECT_EQ(da.next_attempt, db.next_attempt);
    const double delay = static_cast<double>((da.next_attempt - h.last_attempt).count());
    const double base = static_cast<double>(BaseDelay(p, attempt).count());
    EXPECT_GE(delay, std::floor(base * 0.8));
    EXPECT_LE(delay, std::ceil(base * 1.2));
  }
}

TEST(RetryPolicyTest, EmailGivesUpAfterFourDaysSmsAfterHours) {
  std::mt19937_64 rng(1);
  DeliveryResult temp = DeliveryResult::Temporary("451 try later");
  // Simulate: retry until give-up, count total span.
  for (auto [channel, min_span, max_span] :
       {std::tuple{"email", hours(90), hours(24 * 4)}, std::tuple{"sms", hours(5), hours(6)},
        std::tuple{"webhook", hours(5), hours(6)}}) {
    RetryPolicy p = RetryPolicy::ForChannel(channel);
    Instant last = kT0;
    int attempts = 1;
    RetryDecision d;
    for (; attempts < 1000; ++attempts) {
      d = NextAttempt(p, {attempts, kT0, last}, temp, rng);
      if (d.give_up) break;
      last = d.next_attempt;
    }
    ASSERT_TRUE(d.give_up) << channel;
    EXPECT_GE(last - kT0, min_span) << channel;
    EXPECT_LE(last - kT0, max_span) << channel;
    EXPECT_NE(d.reason.find("451 try later"), std::string::npos);
  }
}

TEST(RetryPolicyTest, PermanentFailureGivesUpAtOnce) {
  std::mt19937_64 rng(1);
  RetryDecision d = NextAttempt(RetryPolicy::ForChannel("email"), {1, kT0, kT0},
                                DeliveryResult::Permanent("550 user unknown"), rng);
  EXPECT_TRUE(d.give_up);
  EXPECT_NE(d.reason.find("550 user unknown"), std::string::npos);
}

TEST(RetryPolicyTest, RetryAfterHintAndMaxAttempts) {
  std::mt19937_64 rng(1);
  RetryPolicy p = RetryPolicy::ForChannel("sms");
  DeliveryResult r = DeliveryResult::Temporary("429");
  r.retry_after = seconds(900);
  RetryDecision d = NextAttempt(p, {1, kT0, kT0}, r, rng);
  EXPECT_EQ(d.next_attempt, kT0 + seconds(900));
  p.max_attempts = 3;
  EXPECT_TRUE(NextAttempt(p, {3, kT0, kT0}, DeliveryResult::Temporary("x"), rng).give_up);
}

TEST(RetryPolicyTest, FromConfigOverridesAndValidates) {
  auto p = RetryPolicy::FromConfig(
      "webhook",
      ChannelConfig("webhook", {{"retry_initial", "2s"}, {"retry_give_up_after", "1h"}}));
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->initial_delay, seconds(2));
  EXPECT_EQ(p->give_up_after, hours(1));
  EXPECT_EQ(p->max_delay, minutes(10));
  EXPECT_FALSE(RetryPolicy::FromConfig("sms", ChannelConfig("sms", {{"retry_jitter", "2"}})).ok());
  EXPECT_FALSE(RetryPolicy::FromConfig("sms", ChannelConfig("sms", {{"retry_initial", "1h"},
                                                                    {"retry_max_delay", "1m"}}))
                   .ok());
}

}  // namespace
}  // namespace rebook::notify
