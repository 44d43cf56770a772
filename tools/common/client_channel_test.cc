#include "tools/common/client_channel.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "gtest/gtest.h"

namespace rebook::cli {
namespace {

class ClientChannelTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // One folder per test process: ctest runs the cases of this file in parallel, and one
    // case's TearDown must not delete another's files.
    dir_ = std::filesystem::path(::testing::TempDir()) /
           ("client_channel_test." + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
    std::ofstream(Path("cert.pem")) << "-----BEGIN CERTIFICATE-----\nAA==\n"
                                       "-----END CERTIFICATE-----\n";
    std::ofstream(Path("key.pem")) << "-----BEGIN PRIVATE KEY-----\nAA==\n"
                                      "-----END PRIVATE KEY-----\n";
    std::ofstream(Path("text")) << "not a certificate\n";
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string Path(const std::string& name) const { return (dir_ / name).string(); }

  std::filesystem::path dir_;
};

TEST_F(ClientChannelTest, PlaintextUnlessTlsIsAsked) {
  EXPECT_TRUE(ChannelCredentialsFor({}).ok());
  EXPECT_TRUE(OpenChannel({.server = "127.0.0.1:1"}).ok());
  EXPECT_TRUE(ChannelCredentialsFor({.tls = true}).ok());  // the system's roots
  EXPECT_TRUE(ChannelCredentialsFor({.ca_file = Path("cert.pem")}).ok());
  EXPECT_TRUE(ChannelCredentialsFor({.ca_file = Path("cert.pem"),
                                     .client_cert = Path("cert.pem"),
                                     .client_key = Path("key.pem")})
                  .ok());
}

TEST_F(ClientChannelTest, BadFilesAreNamedBeforeAnyConnection) {
  auto missing = ChannelCredentialsFor({.ca_file = Path("nope.pem")});
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound);
  EXPECT_NE(missing.status().message().find("--ca-file"), absl::string_view::npos);
  EXPECT_NE(missing.status().message().find("nope.pem"), absl::string_view::npos);

  auto not_pem = OpenChannel({.ca_file = Path("text")});
  EXPECT_EQ(not_pem.status().code(), absl::StatusCode::kInvalidArgument);

  auto key_as_cert = ChannelCredentialsFor(
      {.tls = true, .client_cert = Path("key.pem"), .client_key = Path("key.pem")});
  EXPECT_EQ(key_as_cert.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(key_as_cert.status().message().find("--client-cert"), absl::string_view::npos);

  auto no_key = ChannelCredentialsFor({.client_cert = Path("cert.pem")});
  EXPECT_EQ(no_key.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(no_key.status().message().find("--client-key"), absl::string_view::npos);
}

TEST_F(ClientChannelTest, TheHintNamesTheTlsFlagsThatWouldFixIt) {
  EXPECT_NE(UnavailableHint({}).find("--tls"), std::string::npos);
  EXPECT_NE(UnavailableHint({.tls = true}).find("--ca-file"), std::string::npos);
  EXPECT_NE(UnavailableHint({.tls = true}).find("--client-cert"), std::string::npos);
}

}  // namespace
}  // namespace rebook::cli
