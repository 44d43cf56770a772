#include "services/pdf/pdf_painter.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace rebook::pdf {
namespace {

// The length of the longest prefix of `text` shorter than `cut` that ends on a UTF-8 boundary.
size_t Utf8Boundary(const std::string& text, size_t cut) {
  while (cut > 1 && (static_cast<unsigned char>(text[cut]) & 0xc0) == 0x80) --cut;
  return cut;
}

}  // namespace

PdfFile::PdfFile(const std::string& path) : path_(path) {
  surface_ = cairo_pdf_surface_create(path.c_str(), kA4Width, kA4Height);
  cr_ = cairo_create(surface_);
}

PdfFile::~PdfFile() {
  if (cr_ != nullptr) cairo_destroy(cr_);
  if (surface_ != nullptr) cairo_surface_destroy(surface_);
}

void PdfFile::ShowPage() {
  cairo_show_page(cr_);
  ++pages_;
}

absl::Status PdfFile::status() const {
  if (cr_ == nullptr || cairo_status(cr_) == CAIRO_STATUS_SUCCESS) return absl::OkStatus();
  return absl::InternalError(absl::StrCat(path_, ": ", cairo_status_to_string(cairo_status(cr_))));
}

absl::Status PdfFile::Finish() {
  if (surface_ == nullptr) return absl::OkStatus();
  absl::Status drawing = status();
  cairo_surface_finish(surface_);
  const cairo_status_t finished = cairo_surface_status(surface_);
  cairo_destroy(cr_);
  cairo_surface_destroy(surface_);
  cr_ = nullptr;
  surface_ = nullptr;
  if (!drawing.ok()) return drawing;
  if (finished != CAIRO_STATUS_SUCCESS) {
    return absl::InternalError(absl::StrCat(path_, ": ", cairo_status_to_string(finished)));
  }
  return absl::OkStatus();
}

PdfPainter::PdfPainter(cairo_t* cr, std::string font) : cr_(cr), font_(std::move(font)) {
  layout_ = pango_cairo_create_layout(cr_);
  // Cairo's PDF units are points: at 72 dpi a Pango point is one unit.
  pango_cairo_context_set_resolution(pango_layout_get_context(layout_), 72);
  pango_layout_context_changed(layout_);
  description_ = pango_font_description_from_string(font_.c_str());
  Font(10, false);
}

PdfPainter::~PdfPainter() {
  pango_font_description_free(description_);
  g_object_unref(layout_);
}

void PdfPainter::Font(double size, bool bold) {
  pango_font_description_set_family(description_, font_.c_str());
  pango_font_description_set_weight(description_, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  pango_font_description_set_absolute_size(description_, size * PANGO_SCALE);
  pango_layout_set_font_description(layout_, description_);
  line_height_ = size * 1.35;
}

double PdfPainter::Width(const std::string& text) {
  pango_layout_set_text(layout_, text.data(), static_cast<int>(text.size()));
  PangoRectangle logical;
  pango_layout_get_extents(layout_, nullptr, &logical);
  return static_cast<double>(logical.width) / PANGO_SCALE;
}

void PdfPainter::Text(double x, double y, const std::string& text) {
  pango_layout_set_text(layout_, text.data(), static_cast<int>(text.size()));
  const double baseline = static_cast<double>(pango_layout_get_baseline(layout_)) / PANGO_SCALE;
  cairo_move_to(cr_, x, y - baseline);
  pango_cairo_update_layout(cr_, layout_);
  pango_cairo_show_layout(cr_, layout_);
}

void PdfPainter::Line(double left, double width, double y, const std::string& text) {
  Text(IsRightToLeft(text) ? left + width - Width(text) : left, y, text);
}

bool PdfPainter::IsRightToLeft(const std::string& text) {
  // The layout finds the base direction from the first strong character (auto_dir).
  pango_layout_set_text(layout_, text.data(), static_cast<int>(text.size()));
  PangoLayoutLine* line = pango_layout_get_line_readonly(layout_, 0);
  return line != nullptr && line->resolved_dir == PANGO_DIRECTION_RTL;
}

std::vector<std::string> PdfPainter::Wrap(const std::string& text, double width) {
  std::vector<std::string> lines;
  for (absl::string_view paragraph : absl::StrSplit(text, '\n')) {
    std::string line;
    for (absl::string_view word : absl::StrSplit(paragraph, ' ', absl::SkipEmpty())) {
      std::string candidate = line.empty() ? std::string(word) : absl::StrCat(line, " ", word);
      if (Width(candidate) <= width || line.empty()) {
        line = std::move(candidate);
      } else {
        lines.push_back(line);
        line = std::string(word);
      }
      while (Width(line) > width && line.size() > 1) {
        size_t cut = line.size() - 1;
        while (cut > 1 && Width(line.substr(0, cut)) > width) --cut;
        cut = Utf8Boundary(line, cut);
        lines.push_back(line.substr(0, cut));
        line = line.substr(cut);
      }
    }
    lines.push_back(line);
  }
  return lines;
}

std::string PdfPainter::Fit(const std::string& text, double width) {
  if (Width(text) <= width) return text;
  static const std::string kEllipsis = "…";
  size_t cut = text.size();
  while (cut > 1) {
    cut = Utf8Boundary(text, cut - 1);
    std::string candidate = text.substr(0, cut) + kEllipsis;
    if (Width(candidate) <= width) return candidate;
  }
  return kEllipsis;
}

}  // namespace rebook::pdf
