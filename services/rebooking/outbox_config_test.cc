#include "services/rebooking/outbox_config.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace rebook::rebooking {
namespace {

using ::testing::HasSubstr;

constexpr char kFile[] = R"(# rebook outbox
[outbox]
chain = email, sms, letter   # no phone list here
jitter_seed = 42

[channel.email]
type = smtp
url = smtp://127.0.0.1:2525#frag
retry_initial = 1s
retry_max_attempts = 3

; a server-only section
[channel.sms]
rate_per_second = 5
burst = 20
office_daily_quota = 500
)";

TEST(OutboxConfig, ParsesSectionsKeysAndComments) {
  auto sections = ParseConfigSections(kFile, "f.conf");
  ASSERT_TRUE(sections.ok()) << sections.status();
  ASSERT_EQ(sections->size(), 3u);
  EXPECT_EQ((*sections)[1].name, "channel.email");
  EXPECT_EQ((*sections)[1].line, 6);
  EXPECT_EQ((*sections)[1].values.at("url"), "smtp://127.0.0.1:2525#frag");
  EXPECT_EQ((*sections)[0].values.at("chain"), "email, sms, letter");
  EXPECT_EQ(SectionChannel((*sections)[1]), "email");
  EXPECT_EQ(SectionType((*sections)[1]), "smtp");
  EXPECT_EQ(SectionType((*sections)[2]), "sms");
}

TEST(OutboxConfig, BuildsPolicyAndLimits) {
  auto config = ParseOutboxConfig(kFile, "f.conf");
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->policy.jitter_seed, 42u);
  ASSERT_EQ(config->policy.chain.steps().size(), 3u);
  EXPECT_EQ(config->policy.chain.steps()[0].name, "smtp");
  EXPECT_EQ(config->policy.RetryFor("email").initial_delay, std::chrono::seconds(1));
  EXPECT_EQ(config->policy.RetryFor("email").max_attempts, 3);
  // Unconfigured channels keep the notify defaults.
  EXPECT_EQ(config->policy.RetryFor("letter").initial_delay, std::chrono::seconds(30));
  ASSERT_TRUE(config->limits.contains("sms"));
  EXPECT_EQ(config->limits.at("sms").rate_per_second, 5);
  EXPECT_EQ(config->limits.at("sms").office_daily_quota, 500);
  EXPECT_FALSE(config->limits.contains("email"));
}

TEST(OutboxConfig, ErrorsNameTheLine) {
  auto bad = [](const char* text) { return ParseOutboxConfig(text, "x.conf").status(); };
  EXPECT_THAT(bad("key = 1\n").message(), HasSubstr("x.conf:1: key outside of a section"));
  EXPECT_THAT(bad("[outbox]\nchain\n").message(), HasSubstr("x.conf:2: expected key = value"));
  EXPECT_THAT(bad("[channel.fax]\n").message(), HasSubstr("unknown section [channel.fax]"));
  EXPECT_THAT(bad("[outbox]\n[outbox]\n").message(), HasSubstr("appears twice"));
  EXPECT_THAT(bad("[outbox]\na = 1\na = 2\n").message(), HasSubstr("x.conf:3"));
  EXPECT_THAT(bad("[outbox]\nchain = email, fax\n").message(), HasSubstr("fax"));
  EXPECT_THAT(bad("[channel.sms]\nrate = 5\n").message(), HasSubstr("unknown key \"rate\""));
  EXPECT_THAT(bad("[channel.sms]\nretry_initial = soon\n").message(), HasSubstr("x.conf:1"));
  // With a type, other keys belong to the worker's channel factory.
  EXPECT_TRUE(ParseOutboxConfig("[channel.sms]\ntype = sms\nurl = x\n", "x").ok());
}

}  // namespace
}  // namespace rebook::rebooking
