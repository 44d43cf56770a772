#include "services/api/server_tls.h"

#include <fstream>

#include "gtest/gtest.h"
#include "testing/files.h"

namespace rebook::api {
namespace {

TEST(IsLoopbackListenAddressTest, TheWholeLoopbackRangeIsLoopback) {
  for (const char* address :
       {"127.0.0.1:8443", "127.0.0.2:0", "127.255.255.254:1", "localhost:8443", "LOCALHOST:1",
        "[::1]:8443", "::1", "[::ffff:127.0.0.3]:8443", "unix:/run/rebook/rebookd.sock",
        "unix-abstract:rebookd", "127.0.0.1"}) {
    EXPECT_TRUE(IsLoopbackListenAddress(address)) << address;
  }
}

TEST(IsLoopbackListenAddressTest, WildcardsOtherAddressesAndNamesAreNot) {
  for (const char* address :
       {"0.0.0.0:8443", "[::]:8443", ":8443", "192.168.1.10:8443", "10.0.0.1:8443",
        "128.0.0.1:8443", "[::2]:8443", "[::ffff:10.0.0.1]:8443", "rebook.example.org:8443",
        "localhost.example.org:8443", "127.0.0.1.example.org:8443", "", "[::1"}) {
    EXPECT_FALSE(IsLoopbackListenAddress(address)) << address;
  }
}

TEST(CheckListenSecurityTest, PlaintextOnlyOnLoopbackUnlessAllowed) {
  EXPECT_TRUE(CheckListenSecurity("127.0.0.1:0", {}, false).ok());
  absl::Status refused = CheckListenSecurity("0.0.0.0:8443", {}, false);
  EXPECT_EQ(refused.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(refused.message().find("0.0.0.0:8443"), absl::string_view::npos) << refused;
  EXPECT_NE(refused.message().find("--allow_insecure_listen"), absl::string_view::npos);
  EXPECT_TRUE(CheckListenSecurity("0.0.0.0:8443", {}, true).ok());
  EXPECT_TRUE(CheckListenSecurity("0.0.0.0:8443", {.cert_file = "c", .key_file = "k"}, false).ok());
}

TEST(CheckListenSecurityTest, IncompleteTlsOptionsAreInvalid) {
  EXPECT_EQ(CheckListenSecurity("127.0.0.1:0", {.cert_file = "c"}, false).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(CheckListenSecurity("127.0.0.1:0", {.key_file = "k"}, false).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(CheckListenSecurity("127.0.0.1:0", {.client_ca_file = "ca"}, false).code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(MakeServerCredentialsTest, NamesTheFileThatIsMissingOrNotPem) {
  rebook::testing::ScopedTempDir dir("server-tls");
  const std::string text = dir.File("not-pem.txt");
  std::ofstream(text) << "hello\n";
  const std::string cert = dir.File("cert.pem");
  std::ofstream(cert) << "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";

  auto missing = MakeServerCredentials({.cert_file = dir.File("nope"), .key_file = text});
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound);
  EXPECT_NE(missing.status().message().find("nope"), absl::string_view::npos);

  auto not_pem = MakeServerCredentials({.cert_file = text, .key_file = text});
  EXPECT_EQ(not_pem.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(not_pem.status().message().find("--tls_cert"), absl::string_view::npos);

  auto cert_as_key = MakeServerCredentials({.cert_file = cert, .key_file = cert});
  EXPECT_EQ(cert_as_key.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(cert_as_key.status().message().find("--tls_key"), absl::string_view::npos);

  EXPECT_TRUE(MakeServerCredentials({}).ok());
}

}  // namespace
}  // namespace rebook::api
