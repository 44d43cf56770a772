#include "services/bundle/csv_reader.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace rebook::bundle {
namespace {

using ::testing::HasSubstr;

std::unique_ptr<CsvReader> Read(std::string text) {
  auto r = CsvReader::FromString(std::move(text), "t.csv");
  EXPECT_TRUE(r.ok()) << r.status();
  return r.ok() ? std::move(*r) : nullptr;
}

TEST(CsvReaderTest, BomCrlfQuotesAndEmbeddedNewlines) {
  auto csv = Read(
      "\xEF\xBB\xBF"
      "id,name,note\r\n"
      "1,\"Müller, Anna\",\"said \"\"hi\"\"\"\r\n"
      "\r\n"
      "2,Ben,\"two\r\nlines\"\r\n"
      "3,  Cem  ,\n");
  ASSERT_NE(csv, nullptr);
  EXPECT_THAT(csv->header(), ::testing::ElementsAre("id", "name", "note"));
  ASSERT_TRUE(*csv->Next());
  EXPECT_EQ(csv->Field(1), "Müller, Anna");
  EXPECT_EQ(csv->Field(2), "said \"hi\"");
  EXPECT_EQ(csv->line(), 2);
  ASSERT_TRUE(*csv->Next());
  EXPECT_EQ(csv->Field(2), "two\r\nlines");
  EXPECT_EQ(csv->line(), 4);
  ASSERT_TRUE(*csv->Next());
  EXPECT_EQ(csv->line(), 6);  // the line after the two-line field
  EXPECT_EQ(csv->Field(1), "Cem");
  EXPECT_EQ(csv->Field(2), "");
  EXPECT_EQ(csv->Field(-1), "");
  EXPECT_FALSE(*csv->Next());
}

TEST(CsvReaderTest, ColumnsByNameAndErrorsNamePosition) {
  auto csv = Read("b,a\nx,y\n\"multi\nline\",z\n");
  ASSERT_NE(csv, nullptr);
  EXPECT_EQ(csv->Find("a"), 1);
  EXPECT_EQ(csv->Find("zzz"), -1);
  EXPECT_THAT(std::string(csv->Require("zzz").status().message()),
              HasSubstr("t.csv:1: missing column \"zzz\""));
  ASSERT_TRUE(*csv->Next());
  EXPECT_EQ(std::string(csv->Error(1, "bad").message()), "t.csv:2:2 (a): bad");
  ASSERT_TRUE(*csv->Next());
  // The second field starts on line 4, after the quoted newline.
  EXPECT_EQ(std::string(csv->Error(1, "bad").message()), "t.csv:4:2 (a): bad");
  EXPECT_EQ(std::string(csv->Error(0, "bad").message()), "t.csv:3:1 (b): bad");
  EXPECT_EQ(std::string(csv->RecordError("bad").message()), "t.csv:3: bad");
}

TEST(CsvReaderTest, LastLineWithoutNewline) {
  auto csv = Read("a,b\n1,2");
  ASSERT_NE(csv, nullptr);
  ASSERT_TRUE(*csv->Next());
  EXPECT_EQ(csv->Field(1), "2");
  EXPECT_FALSE(*csv->Next());
}

TEST(CsvReaderTest, MalformedInputIsRejectedWithItsLine) {
  auto csv = Read("a,b\n1,2\n3,\"open\n");
  ASSERT_NE(csv, nullptr);
  ASSERT_TRUE(*csv->Next());
  absl::StatusOr<bool> r = csv->Next();
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(std::string(r.status().message()), HasSubstr("t.csv:3:2"));

  auto wide = Read("a,b\n1,2,3\n");
  ASSERT_NE(wide, nullptr);
  r = wide->Next();
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(std::string(r.status().message()), HasSubstr("t.csv:2: the record has 3 fields"));

  auto quote = Read("a,b\n1,x\"y\n");
  ASSERT_NE(quote, nullptr);
  EXPECT_FALSE(quote->Next().ok());
}

TEST(CsvReaderTest, HeaderProblems) {
  EXPECT_FALSE(CsvReader::FromString("", "e.csv").ok());
  EXPECT_FALSE(CsvReader::FromString("a,a\n", "e.csv").ok());
  EXPECT_EQ(CsvReader::Open("/nonexistent/x.csv", "x.csv").status().code(),
            absl::StatusCode::kNotFound);
}

// The status of reading every record of `text`: the first error, or OK.
absl::Status ReadAll(std::string text) {
  auto csv = CsvReader::FromString(std::move(text), "t.csv");
  if (!csv.ok()) return csv.status();
  for (int i = 0; i < 100; ++i) {
    absl::StatusOr<bool> more = (*csv)->Next();
    if (!more.ok() || !*more) return more.status();
  }
  return absl::OkStatus();
}

TEST(CsvReaderTest, InvalidUtf8IsRefusedAtItsLineAndColumn) {
  // Latin-1 "Müller" (0xFC) in the second column of line 3.
  absl::Status s = ReadAll("id,name\n1,Anna\n2,M\xFCller\n3,Ben\n");
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(s.message()),
              HasSubstr("t.csv:3:2 (name): is not valid UTF-8 (byte 2 of the field is 0xfc)"));
  // Inside a quoted field spanning lines: the line of the bad byte.
  EXPECT_THAT(std::string(ReadAll("id,note\n1,\"ok\nstill ok\nbad \xC3\"\n").message()),
              HasSubstr("t.csv:4:2 (note): is not valid UTF-8"));
  // In the header.
  EXPECT_THAT(std::string(CsvReader::FromString("id,n\xE4me\n", "h.csv").status().message()),
              HasSubstr("h.csv:1:2: is not valid UTF-8"));
  // Overlong forms, surrogates, code points above U+10FFFF and cut-off sequences.
  for (const char* bad : {"\xC0\xAF", "\xE0\x80\xAF", "\xED\xA0\x80", "\xF4\x90\x80\x80",
                          "\xF5\x80\x80\x80", "\xE2\x82", "\x80", "\xFF"}) {
    SCOPED_TRACE(bad);
    EXPECT_EQ(ReadAll(std::string("x\n") + bad + "\n").code(), absl::StatusCode::kInvalidArgument);
  }
  // Well-formed UTF-8 of every length passes: ü, €, U+10FFFF, an emoji.
  EXPECT_TRUE(ReadAll("x\n\xC3\xBC \xE2\x82\xAC \xF4\x8F\xBF\xBF \xF0\x9F\x99\x82\n").ok());
}

TEST(CsvReaderTest, FieldsOverTheLimitAreRefused) {
  const std::string at_limit(CsvReader::kMaxFieldBytes, 'x');
  EXPECT_TRUE(ReadAll("id,name\n1," + at_limit + "\n").ok());
  absl::Status s = ReadAll("id,name\n1,Anna\n2,\"" + at_limit + "y\"\n");
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(s.message()),
              HasSubstr("t.csv:3:2 (name): the field is 4097 bytes long; at most 4096"));
}

TEST(CsvWriterTest, EscapesOnlyWhenNeeded) {
  EXPECT_EQ(CsvEscape("plain"), "plain");
  EXPECT_EQ(CsvEscape("a,b"), "\"a,b\"");
  EXPECT_EQ(CsvEscape("say \"x\""), "\"say \"\"x\"\"\"");
  EXPECT_EQ(CsvEscape("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(CsvEscape(" pad"), "\" pad\"");
  std::string out;
  AppendCsvRow({"a", "b,c", ""}, out);
  EXPECT_EQ(out, "a,\"b,c\",\n");
  // What the writer writes, the reader reads back.
  auto csv = Read("x,y,z\n" + out);
  ASSERT_TRUE(*csv->Next());
  EXPECT_EQ(csv->Field(1), "b,c");
}

TEST(CsvWriterTest, LeadingByteOrderMarkCharacterSurvivesTheRoundTrip) {
  // Unquoted, a first header field starting with U+FEFF lost it: the reader drops a byte order
  // mark at the start of the file (found by fuzz/csv_reader_fuzzer.cc).
  const std::string bom = "\xEF\xBB\xBF";
  EXPECT_EQ(CsvEscape(bom + "a"), "\"" + bom + "a\"");
  std::string out;
  AppendCsvRow({bom + "a"}, out);
  AppendCsvRow({"1"}, out);
  auto csv = Read(out);
  EXPECT_THAT(csv->header(), ::testing::ElementsAre(bom + "a"));
}

TEST(CsvWriterTest, LoneEmptyFieldSurvivesTheRoundTrip) {
  // Written as an empty line, a header of one empty column name vanished and the first data
  // record became the header (found by fuzz/csv_reader_fuzzer.cc in CI).
  std::string out;
  AppendCsvRow({""}, out);
  EXPECT_EQ(out, "\"\"\n");
  AppendCsvRow({"1"}, out);
  AppendCsvRow({""}, out);
  auto csv = Read(out);
  EXPECT_THAT(csv->header(), ::testing::ElementsAre(""));
  ASSERT_TRUE(*csv->Next());
  EXPECT_EQ(csv->Field(0), "1");
  ASSERT_TRUE(*csv->Next());
  EXPECT_EQ(csv->Field(0), "");
  EXPECT_FALSE(*csv->Next());
}

TEST(SplitListTest, TrimsAndDropsEmpty) {
  EXPECT_THAT(SplitList(" a; b;;c "), ::testing::ElementsAre("a", "b", "c"));
  EXPECT_TRUE(SplitList("").empty());
}

}  // namespace
}  // namespace rebook::bundle
