#include "services/report/svg.h"

#include "gtest/gtest.h"

namespace rebook::report {
namespace {

TEST(SvgTest, EscapesTextAndAttributes) {
  EXPECT_EQ(HtmlEscape("a<b>&\"c'"), "a&lt;b&gt;&amp;&quot;c&#39;");
  Svg svg("x\"y", 10, 10, "<label>");
  svg.Rect(0, 0, 5, 5, "#fff", "<b>tip</b>");
  svg.Text(1, 2, "Straße & Ämter");
  const std::string out = std::move(svg).Finish();
  EXPECT_NE(out.find("id=\"x&quot;y\""), std::string::npos);
  EXPECT_NE(out.find("aria-label=\"&lt;label&gt;\""), std::string::npos);
  EXPECT_NE(out.find("<title>&lt;b&gt;tip&lt;/b&gt;</title>"), std::string::npos);
  EXPECT_NE(out.find(">Straße &amp; Ämter</text>"), std::string::npos);
  EXPECT_EQ(out.find("<b>"), std::string::npos);
}

TEST(SvgTest, NumbersAreShort) {
  EXPECT_EQ(Num(3.0), "3");
  EXPECT_EQ(Num(2.25), "2.2");  // printf rounds half to even on this value
  EXPECT_EQ(Num(-0.01), "0");
  EXPECT_EQ(Num(12.56), "12.6");
}

}  // namespace
}  // namespace rebook::report
