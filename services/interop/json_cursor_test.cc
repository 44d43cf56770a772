#include "services/interop/json_cursor.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace rebook::interop {
namespace {

using ::testing::HasSubstr;

TEST(JsonCursorTest, NumbersMayComeAsStrings) {
  auto doc = nlohmann::json::parse(R"({"a": 141, "b": "141", "c": " 7 ", "d": 2.0, "e": "x"})");
  JsonCursor root(&doc, "f.json", "$");
  EXPECT_EQ(*root.Get("a").Int(), 141);
  EXPECT_EQ(*root.Get("b").Int(), 141);
  EXPECT_EQ(*root.Get("c").Int(), 7);
  EXPECT_EQ(*root.Get("d").Int(), 2);
  absl::Status bad = root.Get("e").Int().status();
  EXPECT_EQ(bad.message(), "f.json: $.e: \"x\" is not a whole number");
  EXPECT_THAT(root.Get("missing").Int().status().message(), HasSubstr("$.missing: is missing"));
  EXPECT_FALSE(root.Get("missing").OptionalInt()->has_value());
}

TEST(JsonCursorTest, FlagsAsBooleansNumbersAndBitStrings) {
  auto doc = nlohmann::json::parse(
      R"({"a": true, "b": 0, "c": "8", "d": "0", "e": "true", "f": "", "g": "yes"})");
  JsonCursor root(&doc, "f.json", "$");
  EXPECT_TRUE(*root.Get("a").Flag());
  EXPECT_FALSE(*root.Get("b").Flag());
  EXPECT_TRUE(*root.Get("c").Flag());  // ZMS weekday bit: wednesday = 8
  EXPECT_FALSE(*root.Get("d").Flag());
  EXPECT_TRUE(*root.Get("e").Flag());
  EXPECT_FALSE(*root.Get("f").Flag());
  EXPECT_FALSE(*root.Get("none").Flag());
  EXPECT_FALSE(root.Get("g").Flag().ok());
}

TEST(JsonCursorTest, PathsNameArrayIndexes) {
  auto doc = nlohmann::json::parse(R"({"data": [{}, {"appointments": [{"date": "soon"}]}]})");
  JsonCursor date = JsonCursor(&doc, "processes.json", "$")
                        .Get("data")
                        .At(1)
                        .Get("appointments")
                        .At(0)
                        .Get("date");
  EXPECT_EQ(date.Int().status().message(),
            "processes.json: $.data[1].appointments[0].date: \"soon\" is not a whole number");
}

TEST(JsonCursorTest, EnvelopeOrBareArray) {
  auto bare = nlohmann::json::parse(R"([1, 2])");
  auto envelope = nlohmann::json::parse(R"({"meta": {"error": false}, "data": [1, 2, 3]})");
  auto failed = nlohmann::json::parse(R"({"meta": {"error": "1", "message": "no"}, "data": []})");
  auto other = nlohmann::json::parse(R"({"data": {}})");
  EXPECT_EQ(ZmsRecords(bare, "s.json")->Size(), 2u);
  EXPECT_EQ(ZmsRecords(bare, "s.json")->path(), "$");
  EXPECT_EQ(ZmsRecords(envelope, "s.json")->Size(), 3u);
  EXPECT_EQ(ZmsRecords(envelope, "s.json")->path(), "$.data");
  EXPECT_THAT(ZmsRecords(failed, "s.json").status().message(),
              HasSubstr("s.json: $.meta: the export reports an error: no"));
  EXPECT_THAT(ZmsRecords(other, "s.json").status().message(),
              HasSubstr("neither an array nor an envelope"));
}

TEST(JsonCursorTest, ParseErrorNamesTheFile) {
  absl::StatusOr<nlohmann::json> doc = ParseJson("[1, 2", "scopes.json");
  ASSERT_FALSE(doc.ok());
  EXPECT_THAT(doc.status().message(), HasSubstr("scopes.json: not valid JSON"));
}

}  // namespace
}  // namespace rebook::interop
