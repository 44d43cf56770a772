#include "services/sync/sink_config_file.h"

#include <filesystem>
#include <fstream>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/sync/builtin_sinks.h"
#include "services/sync/csv_sink.h"
#include "services/sync/test_events.h"
#include "testing/files.h"

namespace rebook::sync {
namespace {

using ::testing::HasSubstr;

class SinkConfigFileTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(RegisterBuiltinSinks(registry_).ok()); }
  absl::StatusOr<std::unique_ptr<FanOutSink>> Build(const std::string& text) {
    return BuildSinks(text, "sync.conf", registry_, clock_);
  }

  SinkRegistry registry_;
  FakeClock clock_{Instant(std::chrono::seconds(1772438400))};
  rebook::testing::ScopedTempDir tmp_{"rebook-sink-config"};
};

TEST_F(SinkConfigFileTest, EverySinkGetsEveryBatchInFileOrder) {
  auto sinks =
      Build(absl::StrCat("# two archives\n[sink.archive]\ntype = csv\ndir = ", tmp_.File("a"),
                         "\n\n[sink.csv]\ndir = ", tmp_.File("b"),
                         "   # type defaults to the name\nprefix = rebook\n"));
  ASSERT_TRUE(sinks.ok()) << sinks.status();
  EXPECT_EQ((*sinks)->names(), (std::vector<std::string>{"archive", "csv"}));
  ASSERT_TRUE((*sinks)->Write(TestEvents(3, 2)).ok());
  EXPECT_TRUE(std::filesystem::exists(std::filesystem::path(tmp_.File("a")) /
                                      CsvBatchFileName("changes", 3, 4)));
  EXPECT_TRUE(std::filesystem::exists(std::filesystem::path(tmp_.File("b")) /
                                      CsvBatchFileName("rebook", 3, 4)));
}

TEST_F(SinkConfigFileTest, ErrorsNameTheFileLineAndSink) {
  EXPECT_THAT(std::string(Build("").status().message()), HasSubstr("no [sink.<name>] section"));
  EXPECT_THAT(std::string(Build("[channel.email]\n").status().message()),
              HasSubstr("sync.conf:1: unknown section [channel.email]"));
  EXPECT_THAT(std::string(Build("[sink.a b]\n").status().message()), HasSubstr("unknown section"));
  EXPECT_THAT(
      std::string(Build("\n[sink.x]\ntype = ftp\n").status().message()),
      HasSubstr("sync.conf:2: sink x (ftp): unknown sink type \"ftp\"; known: csv, webhook"));
  EXPECT_THAT(std::string(Build("[sink.csv]\ndir = /tmp\ndir = /var\n").status().message()),
              HasSubstr("sync.conf:3: key \"dir\" appears twice"));
  EXPECT_THAT(std::string(Build("[sink.csv]\nfolder = /tmp\n").status().message()),
              HasSubstr("sync.conf:1: sink csv (csv):"));
}

TEST_F(SinkConfigFileTest, LoadsAFileByPath) {
  EXPECT_EQ(LoadSinks(tmp_.File("missing.conf"), registry_, clock_).status().code(),
            absl::StatusCode::kNotFound);
  { std::ofstream(tmp_.File("sync.conf")) << "[sink.csv]\ndir = " << tmp_.File("out") << "\n"; }
  auto sinks = LoadSinks(tmp_.File("sync.conf"), registry_, clock_);
  ASSERT_TRUE(sinks.ok()) << sinks.status();
  EXPECT_EQ((*sinks)->names(), std::vector<std::string>{"csv"});
}

TEST(SinkRegistryTest, NamesAreUnique) {
  SinkRegistry registry;
  ASSERT_TRUE(RegisterBuiltinSinks(registry).ok());
  EXPECT_EQ(registry.Names(), (std::vector<std::string>{"csv", "webhook"}));
  EXPECT_EQ(registry.Register(std::make_unique<CsvSinkFactory>()).code(),
            absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(registry.Register(nullptr).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(registry.Find("zms"), nullptr);
  EXPECT_EQ(registry.Create("zms", SinkConfig("zms")).status().code(), absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace rebook::sync
