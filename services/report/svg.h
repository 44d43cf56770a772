// Svg: writes one inline SVG element (no external references, no scripts) for the report's
// charts. Coordinates are user units of the viewBox; the element scales to its container's
// width, so one chart serves the screen, a phone and an A4 page.
//
//   Svg svg("heatmap", 600, 200, "Auslastung je Amt und Tag");
//   svg.Rect(10, 10, 50, 20, "#c33", "HAL-MITTE 31.01.: 92 %");
//   svg.Text(10, 40, "Sa 31.01.", {.anchor = "middle"});
//   std::string markup = std::move(svg).Finish();
#ifndef REBOOK_SERVICES_REPORT_SVG_H_
#define REBOOK_SERVICES_REPORT_SVG_H_

#include <string>
#include <string_view>

namespace rebook::report {

// Escapes &, <, >, " and ' for HTML/SVG text and attribute values.
std::string HtmlEscape(std::string_view text);

struct TextStyle {
  const char* anchor = "start";  // start, middle, end
  double size = 11;
  const char* fill = "#222";
  bool bold = false;
};

class Svg {
 public:
  // `id` becomes the element id (tests and the page find charts by it); `label` its aria-label.
  Svg(std::string_view id, double width, double height, std::string_view label);
  // A rectangle; a non-empty `title` becomes its tooltip. `extra` is raw attribute text.
  void Rect(double x, double y, double w, double h, std::string_view fill,
            std::string_view title = "", std::string_view extra = "");
  void Line(double x1, double y1, double x2, double y2, std::string_view stroke, double width = 1,
            std::string_view extra = "");
  // A path from SVG path data ("M0 0 L10 10").
  void Path(std::string_view d, std::string_view fill, std::string_view stroke, double width = 1);
  void Text(double x, double y, std::string_view text, TextStyle style = {});
  std::string Finish() &&;

 private:
  std::string out_;
};

// "%.1f" without a trailing ".0", for coordinates.
std::string Num(double v);

}  // namespace rebook::report

#endif  // REBOOK_SERVICES_REPORT_SVG_H_
