#include "services/notify/delivery_limiter.h"

#include "gtest/gtest.h"
#include "services/domain/local_time.h"

namespace rebook::notify {
namespace {

using std::chrono::seconds;

Instant BerlinTime(const char* local) {
  return *domain::LocalToInstant("Europe/Berlin", *domain::ParseLocalDateTime(local));
}

TEST(DeliveryLimiterTest, UnlimitedChannelAlwaysAllowed) {
  FakeClock clock(BerlinTime("2026-01-28T08:00"));
  DeliveryLimiter limiter(clock);
  for (int i = 0; i < 1000; ++i) ASSERT_TRUE(limiter.TryAcquire("o", "file").allowed);
}

TEST(DeliveryLimiterTest, TokenBucketLimitsBurstAndRefills) {
  FakeClock clock(BerlinTime("2026-01-28T08:00"));
  DeliveryLimiter limiter(clock);
  limiter.SetLimit("sms", {.rate_per_second = 2, .burst = 5});
  int allowed = 0;
  for (int i = 0; i < 20; ++i) allowed += limiter.TryAcquire("o", "sms").allowed ? 1 : 0;
  EXPECT_EQ(allowed, 5);
  LimitDecision d = limiter.TryAcquire("o", "sms");
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.retry_at, clock.Now() + seconds(1));
  clock.Advance(seconds(1));
  EXPECT_TRUE(limiter.TryAcquire("o", "sms").allowed);
  EXPECT_TRUE(limiter.TryAcquire("other-office", "sms").allowed);  // shared bucket
  EXPECT_FALSE(limiter.TryAcquire("o", "sms").allowed);
  // A mass event over 100 s sends at most burst + rate * 100.
  int sent = 0;
  for (int s = 0; s < 100; ++s) {
    clock.Advance(seconds(1));
    for (int i = 0; i < 50; ++i) sent += limiter.TryAcquire("o", "sms").allowed ? 1 : 0;
  }
  EXPECT_EQ(sent, 200);
}

TEST(DeliveryLimiterTest, DailyQuotaPerOfficeResetsAtBerlinMidnight) {
  FakeClock clock(BerlinTime("2026-01-28T23:00"));
  DeliveryLimiter limiter(clock);
  limiter.SetLimit("sms", {.office_daily_quota = 3});
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(limiter.TryAcquire("halle", "sms").allowed);
  LimitDecision d = limiter.TryAcquire("halle", "sms");
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.retry_at, BerlinTime("2026-01-29T00:00"));
  EXPECT_NE(d.reason.find("halle"), std::string::npos);
  EXPECT_TRUE(limiter.TryAcquire("dessau", "sms").allowed);
  EXPECT_EQ(limiter.UsedToday("halle", "sms"), 3);
  clock.Set(BerlinTime("2026-01-29T00:00"));
  EXPECT_EQ(limiter.UsedToday("halle", "sms"), 0);
  EXPECT_TRUE(limiter.TryAcquire("halle", "sms").allowed);
}

TEST(DeliveryLimiterTest, RefusedAcquireConsumesNothing) {
  FakeClock clock(BerlinTime("2026-01-28T10:00"));
  DeliveryLimiter limiter(clock);
  limiter.SetLimit("sms", {.rate_per_second = 1, .burst = 1, .office_daily_quota = 2});
  EXPECT_TRUE(limiter.TryAcquire("o", "sms").allowed);
  EXPECT_FALSE(limiter.TryAcquire("o", "sms").allowed);  // rate
  EXPECT_EQ(limiter.UsedToday("o", "sms"), 1);
  clock.Advance(seconds(1));
  EXPECT_TRUE(limiter.TryAcquire("o", "sms").allowed);
  clock.Advance(seconds(1));
  EXPECT_FALSE(limiter.TryAcquire("o", "sms").allowed);  // quota, keeps the token
  EXPECT_TRUE(limiter.TryAcquire("p", "sms").allowed);
}

TEST(ChannelLimitTest, FromConfig) {
  auto limit = ChannelLimit::FromConfig(ChannelConfig(
      "sms", {{"rate_per_second", "0.5"}, {"burst", "10"}, {"office_daily_quota", "300"}}));
  ASSERT_TRUE(limit.ok());
  EXPECT_DOUBLE_EQ(limit->rate_per_second, 0.5);
  EXPECT_EQ(limit->office_daily_quota, 300);
  EXPECT_FALSE(ChannelLimit::FromConfig(ChannelConfig("sms", {{"burst", "0"}})).ok());
}

}  // namespace
}  // namespace rebook::notify
