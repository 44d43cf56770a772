#include "tools/rebookctl/table.h"

#include <sstream>

#include "gtest/gtest.h"

namespace rebook::ctl {
namespace {

TEST(TableTest, AlignsColumnsCountingUtf8CodePoints) {
  Table t({"office", "name"});
  t.AddRow({"HAL", "Bürgerservice"});
  t.AddRow({"HAL-NEUSTADT", "Zulassung"});
  std::ostringstream out;
  t.Print(out);
  EXPECT_EQ(out.str(),
            "office        name\n"
            "---------------------------\n"
            "HAL           Bürgerservice\n"
            "HAL-NEUSTADT  Zulassung\n");
  EXPECT_EQ(DisplayWidth("Bürger"), 6u);
}

}  // namespace
}  // namespace rebook::ctl
