#include "services/notify/builtin_channels.h"

#include "gtest/gtest.h"
#include "services/domain/model.h"

namespace rebook::notify {
namespace {

TEST(BuiltinChannelsTest, RegistersAllSixOnceAndEveryFactoryValidatesItsConfig) {
  ChannelRegistry registry;
  ASSERT_TRUE(RegisterBuiltinChannels(registry).ok());
  EXPECT_EQ(registry.Names(),
            (std::vector<std::string>{"email", "file", "letter", "phone", "sms", "webhook"}));
  EXPECT_EQ(RegisterBuiltinChannels(registry).code(), absl::StatusCode::kAlreadyExists);
  for (const std::string& name : registry.Names()) {
    // Every channel has a required key, so an empty config is a configuration error.
    auto channel = registry.Create(name, ChannelConfig(name));
    EXPECT_EQ(channel.status().code(), absl::StatusCode::kInvalidArgument) << name;
    EXPECT_EQ(registry.Find(name)->name(), name);
    // One name per channel: the factories are named as the API and the outbox name channels.
    EXPECT_TRUE(domain::IsKnownChannel(name)) << name;
  }
}

}  // namespace
}  // namespace rebook::notify
