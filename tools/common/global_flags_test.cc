#include "tools/common/global_flags.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "gtest/gtest.h"

namespace rebook::cli {
namespace {

// Parses `args` (without the program name) into fresh options.
GlobalOptions Parse(std::vector<std::string> args, const GlobalFlagSpec& spec = {}) {
  CLI::App app{"test"};
  GlobalOptions options;
  AddGlobalFlags(app, options, spec);
  std::reverse(args.begin(), args.end());  // CLI11 takes a vector in reverse order
  app.parse(args);
  return options;
}

class GlobalFlagsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    unsetenv("REBOOK_SERVER");
    unsetenv("REBOOK_TOKEN");
    unsetenv("REBOOK_CA_FILE");
  }
  void TearDown() override { SetUp(); }
};

TEST_F(GlobalFlagsTest, DefaultsFlagsAndTheServerFromTheEnvironment) {
  GlobalOptions o = Parse({});
  EXPECT_EQ(o.server, "127.0.0.1:8443");
  EXPECT_EQ(o.timeout_s, 60);
  EXPECT_FALSE(o.json);
  o = Parse({"--server", "rebook.example:9443", "--token", "t", "--timeout", "5"});
  EXPECT_EQ(o.server, "rebook.example:9443");
  EXPECT_EQ(o.token, "t");
  EXPECT_EQ(o.timeout_s, 5);
  setenv("REBOOK_SERVER", "from-env:1", 1);
  EXPECT_EQ(Parse({}).server, "from-env:1");
  EXPECT_EQ(Parse({"--server=flag:2"}).server, "flag:2");  // the flag wins
}

TEST_F(GlobalFlagsTest, OptionalFlagsOnlyWhereAsked) {
  EXPECT_TRUE(Parse({"--json"}, {.json = true}).json);
  EXPECT_THROW(Parse({"--json"}), CLI::ParseError);
  EXPECT_EQ(
      Parse({"--rpc-timeout-seconds=7"}, {.timeout_aliases = "--rpc-timeout-seconds"}).timeout_s,
      7);
  EXPECT_THROW(Parse({"--rpc-timeout-seconds=7"}), CLI::ParseError);
  EXPECT_THROW(Parse({"--timeout=0"}), CLI::ParseError);
}

TEST_F(GlobalFlagsTest, FlagsWorkBeforeAndAfterNestedSubcommands) {
  for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
           {"--json", "--server=s:1", "--token-file", "f", "--timeout=3", "group", "leaf", "--x"},
           {"group", "--json", "--server=s:1", "leaf", "--token-file", "f", "--timeout=3", "--x"},
           {"group", "leaf", "--x", "--json", "--server=s:1", "--token-file", "f",
            "--timeout=3"}}) {
    CLI::App app{"test"};
    GlobalOptions options;
    AddGlobalFlags(app, options, {.json = true});
    CLI::App* group = app.add_subcommand("group")->require_subcommand(1);
    bool x = false;
    group->add_subcommand("leaf")->add_flag("--x", x);
    std::vector<std::string> reversed(args.rbegin(), args.rend());
    app.parse(reversed);
    EXPECT_TRUE(options.json);
    EXPECT_EQ(options.server, "s:1");
    EXPECT_EQ(options.token_file, "f");
    EXPECT_EQ(options.timeout_s, 3);
    EXPECT_TRUE(x);
  }
}

TEST_F(GlobalFlagsTest, TlsByFlagOrImpliedByItsFiles) {
  EXPECT_FALSE(Parse({}).UsesTls());
  EXPECT_TRUE(Parse({"--tls"}).UsesTls());
  GlobalOptions o = Parse({"--ca-file=ca.pem", "--client-cert", "c.pem", "--client-key=k.pem"});
  EXPECT_TRUE(o.UsesTls());
  EXPECT_FALSE(o.tls);
  EXPECT_EQ(o.ca_file, "ca.pem");
  EXPECT_EQ(o.client_cert, "c.pem");
  EXPECT_EQ(o.client_key, "k.pem");
  setenv("REBOOK_CA_FILE", "env-ca.pem", 1);
  EXPECT_EQ(Parse({}).ca_file, "env-ca.pem");
  EXPECT_TRUE(Parse({}).UsesTls());
}

TEST_F(GlobalFlagsTest, TokenFromFlagThenFileThenEnvironment) {
  const std::filesystem::path file =
      std::filesystem::path(::testing::TempDir()) / "global_flags_test.token";
  std::ofstream(file) << "  from-file \nsecond line\n";
  setenv("REBOOK_TOKEN", "from-env", 1);
  EXPECT_EQ(ResolveToken({.token = "from-flag", .token_file = file.string()}).value(), "from-flag");
  EXPECT_EQ(ResolveToken({.token_file = file.string()}).value(), "from-file");
  EXPECT_EQ(ResolveToken({}).value(), "from-env");
  EXPECT_EQ(ResolveToken({.token_file = "/nonexistent/token"}).status().code(),
            absl::StatusCode::kNotFound);
  unsetenv("REBOOK_TOKEN");
  EXPECT_EQ(ResolveToken({}).status().code(), absl::StatusCode::kUnauthenticated);
  std::filesystem::remove(file);
}

}  // namespace
}  // namespace rebook::cli
