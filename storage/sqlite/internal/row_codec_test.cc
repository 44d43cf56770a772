#include "storage/sqlite/internal/row_codec.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace rebook::storage::sqlite_internal {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

TEST(StringListTest, EmptyListIsNullAndOneEmptyItemIsNot) {
  EXPECT_EQ(EncodeStringList({}), std::nullopt);
  EXPECT_EQ(EncodeStringList({""}), "");
  EXPECT_THAT(DecodeStringList(std::nullopt).value(), IsEmpty());
  EXPECT_THAT(DecodeStringList("").value(), ElementsAre(""));
}

TEST(StringListTest, RoundTripsSeparatorsAndEscapes) {
  const std::vector<std::vector<std::string>> cases = {
      {"o1"},
      {"o1", "o2", "o3"},
      {"a,b", "c\\d", "\\", ",", ""},
      {"", ""},
      {"Köln", "名前", std::string("nul\0byte", 8)},
  };
  for (const auto& items : cases) {
    std::optional<std::string> text = EncodeStringList(items);
    ASSERT_TRUE(text.has_value());
    EXPECT_EQ(DecodeStringList(*text).value(), items) << *text;
  }
  EXPECT_EQ(EncodeStringList({"a,b", "c"}), "a\\,b,c");
}

TEST(StringListTest, DanglingEscapeIsCorrupt) {
  EXPECT_EQ(DecodeStringList("abc\\").status().code(), absl::StatusCode::kInternal);
}

TEST(IntervalListTest, RoundTripsIncludingNegativeInstants) {
  std::vector<domain::TimeInterval> items = {
      {FromUnixSeconds(-100), FromUnixSeconds(0)},
      {FromUnixSeconds(1767225600), FromUnixSeconds(1767229200)},
  };
  std::optional<std::string> text = EncodeIntervalList(items);
  EXPECT_EQ(text, "-100:0,1767225600:1767229200");
  EXPECT_EQ(DecodeIntervalList(*text).value(), items);
  EXPECT_EQ(EncodeIntervalList({}), std::nullopt);
  EXPECT_THAT(DecodeIntervalList(std::nullopt).value(), IsEmpty());
}

TEST(IntervalListTest, MalformedTextIsCorrupt) {
  for (const char* bad : {"", "1", "1:", ":2", "1:2,", "a:b", "1:2:3"}) {
    EXPECT_EQ(DecodeIntervalList(std::string_view(bad)).status().code(),
              absl::StatusCode::kInternal)
        << bad;
  }
}

TEST(DateTest, RoundTripsAndSortsAsText) {
  domain::LocalDate d = date::year(2026) / 3 / 9;
  EXPECT_EQ(EncodeDate(d), "2026-03-09");
  EXPECT_EQ(DecodeDate("2026-03-09").value(), d);
  EXPECT_LT(EncodeDate(date::year(2026) / 3 / 9), EncodeDate(date::year(2026) / 3 / 10));
  EXPECT_EQ(DecodeDate("09.03.2026").status().code(), absl::StatusCode::kInternal);
}

TEST(EnumTest, DecodesDomainNamesAndRejectsOthers) {
  EXPECT_EQ(DecodeAppointmentStatus("self_rebooked").value(),
            domain::AppointmentStatus::kSelfRebooked);
  EXPECT_EQ(DecodeAppointmentKind("walk_in").value(), domain::AppointmentKind::kWalkIn);
  EXPECT_EQ(DecodeShiftKind("overtime").value(), domain::ShiftKind::kOvertime);
  EXPECT_EQ(DecodeServiceCategory("citizenship").value(), domain::ServiceCategory::kCitizenship);
  EXPECT_EQ(DecodeOutageState("closed").value(), domain::OutageState::kClosed);
  EXPECT_EQ(DecodeOutageState("active").value(), domain::OutageState::kActive);
  EXPECT_EQ(DecodeAppointmentStatus("BOOKED").status().code(), absl::StatusCode::kInternal);
  EXPECT_EQ(DecodeOutageState("unknown").status().code(), absl::StatusCode::kInternal);
}

}  // namespace
}  // namespace rebook::storage::sqlite_internal
