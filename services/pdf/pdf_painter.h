// Drawing text on A4 PDF pages with cairo: the file (PdfFile) and a text painter (PdfPainter)
// shared by the citizens' letters and the clerks' day lists.
//
//   PdfFile file("out.pdf");
//   PdfPainter p(file.cr(), "DejaVu Sans");
//   p.Font(14, /*bold=*/true);
//   p.Text(kPdfLeft, 20 * kPdfMm, "Tagesliste");
//   file.ShowPage();
//   REBOOK_RETURN_IF_ERROR(file.Finish());
//
// Sizes are in PostScript points; fonts are found through fontconfig. Text is laid out with
// Pango (HarfBuzz shaping, the Unicode bidi algorithm), so Arabic comes out joined and right
// to left, and a glyph missing in the font is taken from another installed font. Not
// thread-safe; one PdfFile per output file.
#ifndef REBOOK_SERVICES_PDF_PDF_PAINTER_H_
#define REBOOK_SERVICES_PDF_PDF_PAINTER_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"

typedef struct _cairo cairo_t;
typedef struct _cairo_surface cairo_surface_t;
typedef struct _PangoLayout PangoLayout;
typedef struct _PangoFontDescription PangoFontDescription;

namespace rebook::pdf {

inline constexpr double kMm = 72.0 / 25.4;
inline constexpr double kA4Width = 210 * kMm;
inline constexpr double kA4Height = 297 * kMm;

// An A4 PDF file being written. Errors of cairo stick and are reported by status()/Finish().
class PdfFile {
 public:
  explicit PdfFile(const std::string& path);
  ~PdfFile();
  PdfFile(const PdfFile&) = delete;
  PdfFile& operator=(const PdfFile&) = delete;

  cairo_t* cr() const { return cr_; }
  // Ends the current page; the next drawing goes on a new one.
  void ShowPage();
  int pages() const { return pages_; }
  // Internal error naming the file if cairo failed at any point so far.
  absl::Status status() const;
  // Writes and closes the file; later calls do nothing.
  absl::Status Finish();

 private:
  std::string path_;
  cairo_surface_t* surface_ = nullptr;
  cairo_t* cr_ = nullptr;
  int pages_ = 0;
};

// Text in one font family on a cairo context (black unless the caller sets another source).
class PdfPainter {
 public:
  PdfPainter(cairo_t* cr, std::string font);
  ~PdfPainter();
  PdfPainter(const PdfPainter&) = delete;
  PdfPainter& operator=(const PdfPainter&) = delete;

  // Selects the size (points) and weight for the following calls; line height = 1.35 x size.
  void Font(double size, bool bold);
  // The advance width of `text` in the current font.
  double Width(const std::string& text);
  // Draws `text` with its baseline starting at (x, y), in the direction of its first strong
  // character (an Arabic line is ordered right to left from its end at x + Width).
  void Text(double x, double y, const std::string& text);
  // Draws one line of a text block `width` wide: right-aligned when the line is written right
  // to left (its first strong character is Arabic or Hebrew), left-aligned otherwise.
  void Line(double left, double width, double y, const std::string& text);
  // Whether `text` starts, in its first strong character, in a right-to-left script.
  bool IsRightToLeft(const std::string& text);
  // Wraps `text` into lines no wider than `width`. Words longer than a line (links) are cut.
  std::vector<std::string> Wrap(const std::string& text, double width);
  // `text` cut (with "…") so that it fits `width`.
  std::string Fit(const std::string& text, double width);
  double line_height() const { return line_height_; }
  cairo_t* cr() const { return cr_; }

 private:
  cairo_t* cr_;
  std::string font_;
  PangoLayout* layout_ = nullptr;
  PangoFontDescription* description_ = nullptr;
  double line_height_ = 12;
};

}  // namespace rebook::pdf

#endif  // REBOOK_SERVICES_PDF_PDF_PAINTER_H_
