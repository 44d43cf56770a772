#include "services/report/svg.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace rebook::report {

std::string HtmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string Num(double v) {
  std::string s = absl::StrFormat("%.1f", v);
  if (s.size() > 2 && s.compare(s.size() - 2, 2, ".0") == 0) s.resize(s.size() - 2);
  return s == "-0" ? "0" : s;
}

Svg::Svg(std::string_view id, double width, double height, std::string_view label) {
  absl::StrAppend(&out_, "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"", HtmlEscape(id),
                  "\" class=\"chart\" role=\"img\" aria-label=\"", HtmlEscape(label),
                  "\" viewBox=\"0 0 ", Num(width), " ", Num(height),
                  "\" preserveAspectRatio=\"xMinYMin meet\">\n");
}

void Svg::Rect(double x, double y, double w, double h, std::string_view fill,
               std::string_view title, std::string_view extra) {
  absl::StrAppend(&out_, "<rect x=\"", Num(x), "\" y=\"", Num(y), "\" width=\"", Num(w),
                  "\" height=\"", Num(h), "\" fill=\"", HtmlEscape(fill), "\"");
  if (!extra.empty()) absl::StrAppend(&out_, " ", absl::string_view(extra.data(), extra.size()));
  if (title.empty()) {
    out_ += "/>\n";
  } else {
    absl::StrAppend(&out_, "><title>", HtmlEscape(title), "</title></rect>\n");
  }
}

void Svg::Line(double x1, double y1, double x2, double y2, std::string_view stroke, double width,
               std::string_view extra) {
  absl::StrAppend(&out_, "<line x1=\"", Num(x1), "\" y1=\"", Num(y1), "\" x2=\"", Num(x2),
                  "\" y2=\"", Num(y2), "\" stroke=\"", HtmlEscape(stroke), "\" stroke-width=\"",
                  Num(width), "\"");
  if (!extra.empty()) absl::StrAppend(&out_, " ", absl::string_view(extra.data(), extra.size()));
  out_ += "/>\n";
}

void Svg::Path(std::string_view d, std::string_view fill, std::string_view stroke, double width) {
  absl::StrAppend(&out_, "<path d=\"", HtmlEscape(d), "\" fill=\"", HtmlEscape(fill),
                  "\" stroke=\"", HtmlEscape(stroke), "\" stroke-width=\"", Num(width), "\"/>\n");
}

void Svg::Text(double x, double y, std::string_view text, TextStyle style) {
  absl::StrAppend(&out_, "<text x=\"", Num(x), "\" y=\"", Num(y), "\" text-anchor=\"", style.anchor,
                  "\" font-size=\"", Num(style.size), "\" fill=\"", style.fill, "\"",
                  style.bold ? " font-weight=\"bold\"" : "", ">", HtmlEscape(text), "</text>\n");
}

std::string Svg::Finish() && {
  out_ += "</svg>\n";
  return std::move(out_);
}

}  // namespace rebook::report
