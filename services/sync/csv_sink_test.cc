#include "services/sync/csv_sink.h"

#include <filesystem>

#include "gtest/gtest.h"
#include "services/bundle/csv_reader.h"
#include "services/notify/testing/sink_server.h"
#include "services/sync/change_format.h"
#include "services/sync/test_events.h"
#include "testing/files.h"

namespace rebook::sync {
namespace {

using notify::testing::ListFiles;

std::unique_ptr<ChangeSink> MakeSink(const std::string& dir) {
  auto sink = CsvSinkFactory().Create(SinkConfig("archive", {{"dir", dir}}));
  EXPECT_TRUE(sink.ok()) << sink.status();
  return sink.ok() ? *std::move(sink) : nullptr;
}

TEST(CsvSinkTest, OneFilePerBatchNamedByItsCursorRange) {
  rebook::testing::ScopedTempDir tmp("rebook-csv-sink");
  const std::string dir = tmp.File("out/nested");  // created by the factory
  std::unique_ptr<ChangeSink> sink = MakeSink(dir);
  ASSERT_NE(sink, nullptr);
  EXPECT_EQ(sink->name(), "archive");
  const std::vector<domain::ChangeEvent> events = TestEvents(1, 12);
  ASSERT_TRUE(sink->Write(absl::MakeConstSpan(events).subspan(0, 5)).ok());
  ASSERT_TRUE(sink->Write(absl::MakeConstSpan(events).subspan(5, 7)).ok());
  ASSERT_TRUE(sink->Write({}).ok());  // nothing to write: no file
  EXPECT_EQ(ListFiles(dir), (std::vector<std::string>{CsvBatchFileName("changes", 1, 5),
                                                      CsvBatchFileName("changes", 6, 12)}));
  EXPECT_EQ(CsvBatchFileName("changes", 6, 12),
            "changes-00000000000000000006-00000000000000000012.csv");
  // No temp file is left behind.
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    EXPECT_EQ(entry.path().extension(), ".csv") << entry.path();
  }

  // Read back with the project's CSV reader: header, quoting and UTF-8 survive.
  auto reader = bundle::CsvReader::Open(std::filesystem::path(dir) / ListFiles(dir)[1], "batch");
  ASSERT_TRUE(reader.ok()) << reader.status();
  EXPECT_EQ((*reader)->header(), ChangeCsvColumns());
  int rows = 0;
  while (true) {
    absl::StatusOr<bool> more = (*reader)->Next();
    ASSERT_TRUE(more.ok()) << more.status();
    if (!*more) break;
    const domain::ChangeEvent& e = events[5 + rows];
    EXPECT_EQ((*reader)->Field(0), absl::StrCat(e.cursor));
    EXPECT_EQ((*reader)->Field(1), e.event_id);
    EXPECT_EQ((*reader)->Field(8), e.service_id);
    ++rows;
  }
  EXPECT_EQ(rows, 7);
}

TEST(CsvSinkTest, ARepeatedBatchReplacesItsFileAtomically) {
  rebook::testing::ScopedTempDir tmp("rebook-csv-sink");
  const std::string dir = tmp.File("out");
  std::unique_ptr<ChangeSink> sink = MakeSink(dir);
  ASSERT_NE(sink, nullptr);
  const std::vector<domain::ChangeEvent> events = TestEvents(100, 4);
  const std::string path = (std::filesystem::path(dir) / CsvBatchFileName("changes", 100, 103));
  // A crash left a half-written temp file and the worker writes the batch again.
  {
    std::ofstream half(path + ".tmp");
    half << "cursor,event_id\n100,ev-";
  }
  ASSERT_TRUE(sink->Write(events).ok());
  const std::string first = rebook::testing::ReadFileOrEmpty(path);
  ASSERT_TRUE(sink->Write(events).ok());
  EXPECT_EQ(rebook::testing::ReadFileOrEmpty(path), first);
  EXPECT_FALSE(std::filesystem::exists(path + ".tmp"));
  EXPECT_EQ(ListFiles(dir).size(), 1u);
  EXPECT_EQ(first.substr(0, 24), "cursor,event_id,time,app");
  EXPECT_NE(first.substr(0, 3), "\xEF\xBB\xBF");  // no byte order mark
}

TEST(CsvSinkTest, RefusesBadConfig) {
  EXPECT_FALSE(CsvSinkFactory().Create(SinkConfig("a", {})).ok());  // dir is required
  rebook::testing::ScopedTempDir tmp("rebook-csv-sink");
  EXPECT_FALSE(
      CsvSinkFactory().Create(SinkConfig("a", {{"dir", tmp.File("x")}, {"prefix", "../x"}})).ok());
  EXPECT_FALSE(
      CsvSinkFactory().Create(SinkConfig("a", {{"dir", tmp.File("x")}, {"colour", "red"}})).ok());
  // A file where the folder should be.
  { std::ofstream(tmp.File("file")) << "x"; }
  EXPECT_FALSE(CsvSinkFactory().Create(SinkConfig("a", {{"dir", tmp.File("file")}})).ok());
}

TEST(CsvSinkTest, AFolderThatWentAwayFailsTheWrite) {
  rebook::testing::ScopedTempDir tmp("rebook-csv-sink");
  std::unique_ptr<ChangeSink> sink = MakeSink(tmp.File("gone"));
  ASSERT_NE(sink, nullptr);
  std::filesystem::remove(tmp.File("gone"));
  { std::ofstream(tmp.File("gone")) << "a file now"; }  // fails for root too
  absl::Status s = sink->Write(TestEvents(1, 2));
  EXPECT_EQ(s.code(), absl::StatusCode::kUnavailable) << s;
}

}  // namespace
}  // namespace rebook::sync
