#include "services/notify/internal/template_data.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace rebook::notify::internal {
namespace {

using kainjow::mustache::data;

// StrictContext resolves every name to the same data as kainjow's own context, inside nested
// sections too; it only records what it cannot resolve.
TEST(StrictContextTest, ResolvesNamesLikeKainjowsContext) {
  data inner;
  inner.set("b", "inner-b");
  data deeper;
  deeper.set("c", "deep-c");
  inner.set("deeper", deeper);
  data root;
  root.set("a", inner);
  root.set("b", "root-b");
  root.set("", "empty-name");
  data section;
  section.set("b", "section-b");
  section.set("x", "section-x");

  StrictContext strict(&root);
  kainjow::mustache::context<std::string> reference(&root);
  const std::vector<std::string> names = {".",         "b",  "a",    "a.b",          "a.deeper.c",
                                          "a.deeper",  "a.", "a..b", ".b",           "a.missing",
                                          "missing.b", "x",  "",     "a.deeper.c.d", "b.c"};
  const auto same = [&](const std::string& where) {
    for (const std::string& name : names) {
      EXPECT_EQ(strict.get(name), reference.get(name)) << where << ": " << name;
    }
    EXPECT_EQ(strict.get_partial("b"), reference.get_partial("b")) << where;
  };
  same("root");
  strict.push(&section);
  reference.push(&section);
  same("in a section");
  strict.pop();
  reference.pop();
  same("after the section");
  EXPECT_EQ(strict.get("a.deeper.c")->string_value(), "deep-c");
}

TEST(StrictContextTest, RecordsEachUnresolvedNameOnce) {
  data root;
  root.set("a", "1");
  StrictContext ctx(&root);
  EXPECT_NE(ctx.get("a"), nullptr);
  EXPECT_EQ(ctx.get("nope"), nullptr);
  EXPECT_EQ(ctx.get("a.b"), nullptr);
  EXPECT_EQ(ctx.get("nope"), nullptr);
  EXPECT_EQ(ctx.missing(), (std::vector<std::string>{"nope", "a.b"}));
}

}  // namespace
}  // namespace rebook::notify::internal
