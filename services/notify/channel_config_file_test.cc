#include "services/notify/channel_config_file.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace rebook::notify {
namespace {

using ::testing::HasSubstr;

constexpr char kFile[] = R"(# rebook outbox
[outbox]
chain = email, sms, letter   # no phone calls here
jitter_seed = 42

[channel.email]
type = email
url = smtp://127.0.0.1:2525#frag
retry_initial = 1s
retry_max_attempts = 3

; a server-only section
[channel.sms]
rate_per_second = 5
burst = 20
office_daily_quota = 500
)";

TEST(ChannelConfigFile, ParsesSectionsKeysAndComments) {
  auto sections = ParseConfigSections(kFile, "f.conf");
  ASSERT_TRUE(sections.ok()) << sections.status();
  ASSERT_EQ(sections->size(), 3u);
  EXPECT_EQ((*sections)[1].name, "channel.email");
  EXPECT_EQ((*sections)[1].line, 6);
  EXPECT_EQ((*sections)[1].values.at("url"), "smtp://127.0.0.1:2525#frag");
  EXPECT_EQ((*sections)[0].values.at("chain"), "email, sms, letter");
  EXPECT_EQ(SectionChannel((*sections)[0]), "");
  EXPECT_EQ(SectionChannel((*sections)[1]), "email");
  EXPECT_EQ(SectionType((*sections)[1]), "email");
  EXPECT_EQ(SectionType((*sections)[2]), "sms");
}

TEST(ChannelConfigFile, BuildsRetryPoliciesLimitsAndOutboxValues) {
  auto config = ParseDeliveryConfig(kFile, "f.conf");
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->jitter_seed, 42u);
  EXPECT_EQ(config->unreachable_channel, std::nullopt);
  ASSERT_TRUE(config->chain.has_value());
  ASSERT_EQ(config->chain->steps().size(), 3u);
  EXPECT_EQ(config->chain->steps()[0].name, "email");
  ASSERT_TRUE(config->retry.contains("email"));
  EXPECT_EQ(config->retry.at("email").initial_delay, std::chrono::seconds(1));
  EXPECT_EQ(config->retry.at("email").max_attempts, 3);
  // A section without retry keys has its channel's defaults.
  EXPECT_EQ(config->retry.at("sms").initial_delay, RetryPolicy::ForChannel("sms").initial_delay);
  EXPECT_FALSE(config->retry.contains("letter"));
  ASSERT_TRUE(config->limits.contains("sms"));
  EXPECT_EQ(config->limits.at("sms").rate_per_second, 5);
  EXPECT_EQ(config->limits.at("sms").office_daily_quota, 500);
  EXPECT_FALSE(config->limits.contains("email"));
  // Nothing set: the outbox keeps its defaults.
  auto empty = ParseDeliveryConfig("# nothing\n", "e.conf");
  ASSERT_TRUE(empty.ok()) << empty.status();
  EXPECT_FALSE(empty->chain.has_value());
  EXPECT_FALSE(empty->jitter_seed.has_value());
  EXPECT_TRUE(empty->retry.empty());
}

// Files written for rebook before the channels had one name each keep working: smtp is email,
// phone_list is phone, wherever a channel is named.
constexpr char kOldNames[] = R"([outbox]
chain = smtp, sms, phone_list
unreachable_channel = phone_list

[channel.smtp]
type = smtp
url = smtp://127.0.0.1:2525
retry_initial = 2m

[channel.phone_list]
type = phone_list
dir = /tmp/calls
)";

TEST(ChannelConfigFile, OldChannelNamesAreAliasesOfTheCurrentOnes) {
  auto sections = ParseConfigSections(kOldNames, "old.conf");
  ASSERT_TRUE(sections.ok()) << sections.status();
  EXPECT_EQ((*sections)[1].name, "channel.email");
  EXPECT_EQ(SectionChannel((*sections)[1]), "email");
  EXPECT_EQ(SectionType((*sections)[1]), "email");
  EXPECT_EQ(SectionChannel((*sections)[2]), "phone");
  EXPECT_EQ(SectionType((*sections)[2]), "phone");
  auto config = ParseDeliveryConfig(kOldNames, "old.conf");
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->unreachable_channel, "phone");
  ASSERT_TRUE(config->chain.has_value());
  EXPECT_EQ(config->chain->steps()[0].name, "email");
  EXPECT_EQ(config->chain->steps()[2].name, "phone");
  EXPECT_EQ(config->retry.at("email").initial_delay, std::chrono::minutes(2));
  EXPECT_TRUE(config->retry.contains("phone"));
  // A type that is no channel name is a custom factory's and stays as written.
  auto custom = ParseConfigSections("[channel.file]\ntype = my_archive\n", "c.conf");
  ASSERT_TRUE(custom.ok()) << custom.status();
  EXPECT_EQ(SectionType((*custom)[0]), "my_archive");
  // One section per channel, under either of its names.
  EXPECT_THAT(ParseConfigSections("[channel.email]\n[channel.smtp]\n", "d.conf").status().message(),
              HasSubstr("d.conf:2: section [channel.email] appears twice"));
}

TEST(ChannelConfigFile, ErrorsNameTheLine) {
  auto bad = [](const char* text) { return ParseDeliveryConfig(text, "x.conf").status(); };
  EXPECT_THAT(bad("key = 1\n").message(), HasSubstr("x.conf:1: key outside of a section"));
  EXPECT_THAT(bad("[outbox]\nchain\n").message(), HasSubstr("x.conf:2: expected key = value"));
  EXPECT_THAT(bad("[channel.fax]\n").message(), HasSubstr("unknown section [channel.fax]"));
  EXPECT_THAT(bad("[outbox]\n[outbox]\n").message(), HasSubstr("appears twice"));
  EXPECT_THAT(bad("[outbox]\na = 1\na = 2\n").message(), HasSubstr("x.conf:3"));
  EXPECT_THAT(bad("[outbox]\nchain = email, fax\n").message(), HasSubstr("fax"));
  EXPECT_THAT(bad("[outbox]\nunreachable_channel = fax\n").message(),
              HasSubstr("unknown channel \"fax\""));
  EXPECT_THAT(bad("[outbox]\njitter_seed = -1\n").message(), HasSubstr("jitter_seed"));
  EXPECT_THAT(bad("[channel.sms]\nrate = 5\n").message(), HasSubstr("unknown key \"rate\""));
  EXPECT_THAT(bad("[channel.sms]\nretry_initial = soon\n").message(), HasSubstr("x.conf:1"));
  // With a type, other keys belong to the worker's channel factory.
  EXPECT_TRUE(ParseDeliveryConfig("[channel.sms]\ntype = sms\nurl = x\n", "x").ok());
}

}  // namespace
}  // namespace rebook::notify
