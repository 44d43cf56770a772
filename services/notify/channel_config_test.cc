#include "services/notify/channel_config.h"

#include "gtest/gtest.h"

namespace rebook::notify {
namespace {

TEST(ChannelConfigTest, TypedGettersValidate) {
  ChannelConfig c("sms", {{"n", "5"}, {"b", "yes"}, {"d", "4h"}, {"x", "1.5"}, {"bad", "abc"}});
  EXPECT_EQ(*c.GetInt("n", 0, 0, 10), 5);
  EXPECT_FALSE(c.GetInt("n", 0, 6, 10).ok());
  EXPECT_FALSE(c.GetInt("bad", 0, 0, 10).ok());
  EXPECT_EQ(*c.GetInt("missing", 7, 0, 10), 7);
  EXPECT_TRUE(*c.GetBool("b", false));
  EXPECT_FALSE(c.GetBool("bad", false).ok());
  EXPECT_EQ(*c.GetDuration("d", std::chrono::seconds(1)), std::chrono::hours(4));
  EXPECT_FALSE(c.GetDuration("bad", std::chrono::seconds(1)).ok());
  EXPECT_DOUBLE_EQ(*c.GetDouble("x", 0, 0, 2), 1.5);
  EXPECT_EQ(c.GetString("missing", "dflt"), "dflt");
  absl::StatusOr<std::string> required = c.GetString("url");
  EXPECT_EQ(required.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(required.status().message().find("channel sms: key url"), std::string::npos);
}

TEST(ChannelConfigTest, DurationsAreBoundedSoThatTimesCannotOverflow) {
  ChannelConfig c("sms", {{"max", "3650d"},
                          {"over", "3651d"},
                          {"overflow", "999999999999999999d"},
                          {"seconds", "9223372036854775807"}});
  EXPECT_EQ(*c.GetDuration("max", std::chrono::seconds(1)), std::chrono::hours(24 * 3650));
  for (const char* key : {"over", "overflow", "seconds"}) {
    absl::StatusOr<std::chrono::seconds> d = c.GetDuration(key, std::chrono::seconds(1));
    EXPECT_EQ(d.status().code(), absl::StatusCode::kInvalidArgument) << key;
  }
}

TEST(ChannelConfigTest, UnknownKeysAreListedButCommonKeysPass) {
  ChannelConfig c("email", {{"url", "x"},
                            {"type", "email"},
                            {"retry_initial", "5m"},
                            {"rate_per_second", "2"},
                            {"form", "typo"},
                            {"zzz", "1"}});
  absl::Status s = c.CheckKnownKeys({"url", "from"});
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("form, zzz"), std::string::npos) << s;
  c = ChannelConfig("email", {{"url", "x"}, {"type", "email"}, {"burst", "3"}});
  EXPECT_TRUE(c.CheckKnownKeys({"url"}).ok());
}

TEST(ChannelConfigTest, DefaultsToSystemClock) {
  ChannelConfig c("file");
  EXPECT_GT(c.clock().Now().time_since_epoch().count(), 1'700'000'000);
  FakeClock fake(Instant(std::chrono::seconds(42)));
  ChannelConfig with_fake("file", {}, &fake);
  EXPECT_EQ(with_fake.clock().Now().time_since_epoch().count(), 42);
}

}  // namespace
}  // namespace rebook::notify
