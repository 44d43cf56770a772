#include "services/notify/channel.h"

#include <new>
#include <stdexcept>
#include <string>

#include "gtest/gtest.h"

namespace rebook::notify {
namespace {

// A channel that breaks the contract: Send throws what `kind` says.
class ThrowingChannel final : public Channel {
 public:
  explicit ThrowingChannel(int kind) : kind_(kind) {}
  std::string_view name() const override { return "broken"; }
  ContactField required_contact() const override { return ContactField::kNone; }
  DeliveryResult Send(const RenderedMessage& m) override {
    if (kind_ == 0) return DeliveryResult::Delivered("id-" + m.message.key.ToString());
    if (kind_ == 1) throw std::out_of_range("Erika Mustermann <canary@example.org>");
    if (kind_ == 2) throw std::bad_alloc();
    throw 42;
  }

 private:
  int kind_;
};

RenderedMessage GuardedSample() {
  RenderedMessage m;
  m.message.key = {"o", "a", 1, "broken"};
  return m;
}

TEST(SendGuardedTest, PassesResultsThrough) {
  ThrowingChannel ok(0);
  const DeliveryResult r = SendGuarded(ok, GuardedSample());
  EXPECT_TRUE(r.ok());
  EXPECT_EQ(r.provider_message_id, "id-o/a/1/broken");
}

// Whatever escapes Send becomes a temporary failure that names the channel and the exception's
// type, never the exception's text (it may quote the message's personal data).
TEST(SendGuardedTest, AnExceptionBecomesATemporaryFailureWithoutItsText) {
  for (int kind : {1, 2, 3}) {
    ThrowingChannel broken(kind);
    DeliveryResult r;
    ASSERT_NO_THROW(r = SendGuarded(broken, GuardedSample())) << kind;
    EXPECT_EQ(r.state, DeliveryState::kTemporaryFailure) << kind;
    EXPECT_NE(r.reason.find("channel broken"), std::string::npos) << r.reason;
    EXPECT_EQ(r.reason.find("Mustermann"), std::string::npos) << r.reason;
    EXPECT_EQ(r.reason.find("canary"), std::string::npos) << r.reason;
  }
  ThrowingChannel out_of_range(1);
  EXPECT_NE(SendGuarded(out_of_range, GuardedSample()).reason.find("std::out_of_range"),
            std::string::npos);
  ThrowingChannel no_memory(2);
  EXPECT_NE(SendGuarded(no_memory, GuardedSample()).reason.find("out of memory"),
            std::string::npos);
  ThrowingChannel unknown(3);
  EXPECT_NE(SendGuarded(unknown, GuardedSample()).reason.find("unknown exception"),
            std::string::npos);
}

}  // namespace
}  // namespace rebook::notify
