#include "services/notify/webhook/webhook_signature.h"

#include "gtest/gtest.h"

namespace rebook::notify {
namespace {

// The test vector published with the Standard Webhooks reference libraries.
TEST(WebhookSignatureTest, MatchesTheStandardWebhooksTestVector) {
  absl::StatusOr<std::string> key = ParseWebhookSecret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
  ASSERT_TRUE(key.ok()) << key.status();
  EXPECT_EQ(
      SignWebhook(*key, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, R"({"test": 2432232314})"),
      "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
}

TEST(WebhookSignatureTest, AnyChangeChangesTheSignature) {
  const std::string key = *ParseWebhookSecret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
  const std::string base = SignWebhook(key, "id", 1, "body");
  EXPECT_NE(base, SignWebhook(key, "id2", 1, "body"));
  EXPECT_NE(base, SignWebhook(key, "id", 2, "body"));
  EXPECT_NE(base, SignWebhook(key, "id", 1, "body "));
}

TEST(WebhookSignatureTest, RejectsBadSecrets) {
  EXPECT_FALSE(ParseWebhookSecret("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").ok());  // no prefix
  EXPECT_FALSE(ParseWebhookSecret("whsec_not*base64").ok());
  EXPECT_FALSE(ParseWebhookSecret("whsec_c2hvcnQ=").ok());  // 5 bytes
}

}  // namespace
}  // namespace rebook::notify
