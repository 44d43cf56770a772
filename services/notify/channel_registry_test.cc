#include "services/notify/channel_registry.h"

#include "gtest/gtest.h"

namespace rebook::notify {
namespace {

class EchoChannel final : public Channel {
 public:
  std::string_view name() const override { return "echo"; }
  ContactField required_contact() const override { return ContactField::kNone; }
  DeliveryResult Send(const RenderedMessage& m) override {
    return DeliveryResult::Delivered(m.message.key.ToString());
  }
};

class EchoFactory final : public ChannelFactory {
 public:
  std::string_view name() const override { return "echo"; }
  absl::StatusOr<std::unique_ptr<Channel>> Create(const ChannelConfig& config) const override {
    if (absl::Status s = config.CheckKnownKeys({}); !s.ok()) return s;
    return std::make_unique<EchoChannel>();
  }
};

TEST(ChannelRegistryTest, RegistersCreatesAndRejectsDuplicates) {
  ChannelRegistry registry;
  ASSERT_TRUE(registry.Register(std::make_unique<EchoFactory>()).ok());
  EXPECT_EQ(registry.Register(std::make_unique<EchoFactory>()).code(),
            absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(registry.Register(nullptr).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(registry.Names(), std::vector<std::string>{"echo"});
  ASSERT_NE(registry.Find("echo"), nullptr);
  EXPECT_EQ(registry.Find("nope"), nullptr);

  auto channel = registry.Create("echo", ChannelConfig("echo"));
  ASSERT_TRUE(channel.ok());
  RenderedMessage m;
  m.message.key = {"o", "a", 1, "echo"};
  EXPECT_EQ((*channel)->Send(m).provider_message_id, "o/a/1/echo");
  EXPECT_EQ(registry.Create("nope", ChannelConfig("x")).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(registry.Create("echo", ChannelConfig("echo", {{"bogus", "1"}})).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace rebook::notify
