#include "services/notify/http/url_safety.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace rebook::notify {
namespace {

using ::testing::HasSubstr;

std::string Refusal(const std::string& url, UrlPolicy policy = {}) {
  absl::StatusOr<SafeUrl> r = ResolveSafeUrl(url, policy);
  return r.ok() ? "" : std::string(r.status().message());
}

TEST(UrlSafetyTest, ClassifiesAddresses) {
  const UrlPolicy strict;
  EXPECT_EQ(RefusalReason("169.254.169.254", strict), "cloud metadata address");
  EXPECT_EQ(RefusalReason("169.254.10.1", strict), "link-local address");
  EXPECT_EQ(RefusalReason("fe80::1", strict), "link-local address");
  EXPECT_EQ(RefusalReason("fd00:ec2::254", strict), "cloud metadata address");
  EXPECT_EQ(RefusalReason("::ffff:169.254.169.254", strict), "cloud metadata address");
  EXPECT_EQ(RefusalReason("127.0.0.1", strict), "loopback address");
  EXPECT_EQ(RefusalReason("::1", strict), "loopback address");
  EXPECT_EQ(RefusalReason("10.1.2.3", strict), "private address");
  EXPECT_EQ(RefusalReason("172.20.0.1", strict), "private address");
  EXPECT_EQ(RefusalReason("192.168.1.1", strict), "private address");
  EXPECT_EQ(RefusalReason("100.64.0.1", strict), "private address");
  EXPECT_EQ(RefusalReason("fd12::1", strict), "private (unique local) address");
  EXPECT_EQ(RefusalReason("0.0.0.0", strict), "reserved or non-unicast address");
  EXPECT_EQ(RefusalReason("224.0.0.1", strict), "reserved or non-unicast address");
  EXPECT_EQ(RefusalReason("::", strict), "unspecified address");
  EXPECT_EQ(RefusalReason("2001:db8::1", strict), "documentation address");
  EXPECT_EQ(RefusalReason("93.184.216.34", strict), "");
  EXPECT_EQ(RefusalReason("2a00:1450:4001::1", strict), "");
  EXPECT_EQ(RefusalReason("example.org", strict), "not an IP address");

  const UrlPolicy loose{.allow_loopback = true, .allow_private = true};
  EXPECT_EQ(RefusalReason("127.0.0.1", loose), "");
  EXPECT_EQ(RefusalReason("10.1.2.3", loose), "");
  EXPECT_EQ(RefusalReason("fd12::1", loose), "");
  // Never allowed, whatever the policy says.
  EXPECT_EQ(RefusalReason("169.254.169.254", loose), "cloud metadata address");
  EXPECT_EQ(RefusalReason("fd00:ec2::254", loose), "cloud metadata address");
  EXPECT_EQ(RefusalReason("fe80::1", loose), "link-local address");
}

TEST(UrlSafetyTest, RefusesDangerousUrlsAtConfigurationTime) {
  EXPECT_THAT(Refusal("http://169.254.169.254/latest/meta-data/"), HasSubstr("metadata"));
  EXPECT_THAT(Refusal("https://[fd00:ec2::254]/"), HasSubstr("metadata"));
  EXPECT_THAT(Refusal("https://metadata.google.internal/computeMetadata/v1/"),
              HasSubstr("metadata"));
  EXPECT_THAT(Refusal("https://[fe80::1]/"), HasSubstr("link-local"));
  EXPECT_THAT(Refusal("https://10.0.0.5/sms"), HasSubstr("private"));
  EXPECT_THAT(Refusal("http://127.0.0.1:8080/"), HasSubstr("loopback"));
  EXPECT_THAT(Refusal("http://localhost:8080/"), HasSubstr("loopback"));
  EXPECT_THAT(Refusal("ftp://93.184.216.34/"), HasSubstr("only http(s)"));
  EXPECT_THAT(Refusal("https://user:pw@93.184.216.34/"), HasSubstr("credentials"));
  EXPECT_THAT(Refusal("not a url"), HasSubstr("not a valid URL"));
  // Private networks may be allowed, but not over plain http.
  EXPECT_EQ(Refusal("https://10.0.0.5/sms", {.allow_private = true}), "");
  EXPECT_THAT(Refusal("http://10.0.0.5/sms", {.allow_private = true}), HasSubstr("plain http"));
}

TEST(UrlSafetyTest, LoopbackOnlyWhenAllowedAndPinned) {
  absl::StatusOr<SafeUrl> url =
      ResolveSafeUrl("http://localhost:8080/hook", {.allow_loopback = true});
  ASSERT_TRUE(url.ok()) << url.status();
  EXPECT_EQ(url->host, "localhost");
  EXPECT_EQ(url->port, 8080);
  ASSERT_FALSE(url->addresses.empty());
  EXPECT_THAT(url->curl_resolve, HasSubstr("localhost:8080:"));
  EXPECT_THAT(url->curl_resolve, HasSubstr("127.0.0.1"));

  absl::StatusOr<SafeUrl> literal = ResolveSafeUrl("https://93.184.216.34/x", {});
  ASSERT_TRUE(literal.ok()) << literal.status();
  EXPECT_EQ(literal->port, 443);
  EXPECT_EQ(literal->curl_resolve, "");  // nothing to pin for an IP literal
}

}  // namespace
}  // namespace rebook::notify
