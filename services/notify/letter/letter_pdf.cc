#include "services/notify/letter/letter_pdf.h"

#include <cairo.h>
#include <qrencode.h>

#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "services/common/status_macros.h"
#include "services/notify/local_format.h"
#include "services/pdf/pdf_painter.h"

namespace rebook::notify {
namespace {

using pdf::kMm;
constexpr double kPageWidth = pdf::kA4Width;
constexpr double kPageHeight = pdf::kA4Height;
constexpr double kLeft = 25 * kMm;
constexpr double kRight = 20 * kMm;
constexpr double kBottom = 25 * kMm;
constexpr double kTextWidth = kPageWidth - kLeft - kRight;

struct Labels {
  const char* date;
  const char* reference;
  const char* qr_caption;
  const char* page;
};

Labels LabelsFor(const std::string& language) {
  if (language == "en") {
    return {"Date", "Reference", "Scan to reply with your smartphone:", "Page"};
  }
  return {"Datum", "Vorgangsnummer", "Mit dem Smartphone antworten:", "Seite"};
}

// The letter's drawing: the shared text painter plus fold marks and the QR code.
class LetterPainter : public pdf::PdfPainter {
 public:
  LetterPainter(cairo_t* cr, const LetterLayout& layout) : PdfPainter(cr, layout.font), cr_(cr) {}

  void Marks() {
    cairo_set_line_width(cr_, 0.5);
    for (double y_mm : {105.0, 210.0}) {
      cairo_move_to(cr_, 4 * kMm, y_mm * kMm);
      cairo_line_to(cr_, 8 * kMm, y_mm * kMm);
    }
    cairo_move_to(cr_, 4 * kMm, 148.5 * kMm);
    cairo_line_to(cr_, 10 * kMm, 148.5 * kMm);
    cairo_stroke(cr_);
  }

  // Draws a QR code for `text` with its top-left corner at (x, y), `size` points wide.
  bool Qr(const std::string& text, double x, double y, double size) {
    QRcode* qr = QRcode_encodeString(text.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    if (qr == nullptr) return false;
    const int quiet = 4;
    const double module = size / (qr->width + 2 * quiet);
    cairo_set_source_rgb(cr_, 1, 1, 1);
    cairo_rectangle(cr_, x, y, size, size);
    cairo_fill(cr_);
    cairo_set_source_rgb(cr_, 0, 0, 0);
    for (int row = 0; row < qr->width; ++row) {
      for (int col = 0; col < qr->width; ++col) {
        if (qr->data[row * qr->width + col] & 1) {
          cairo_rectangle(cr_, x + (col + quiet) * module, y + (row + quiet) * module, module,
                          module);
        }
      }
    }
    cairo_fill(cr_);
    QRcode_free(qr);
    return true;
  }

 private:
  cairo_t* cr_;
};

}  // namespace

LetterPdfWriter::LetterPdfWriter(const std::string& path, LetterLayout layout)
    : file_(std::make_unique<pdf::PdfFile>(path)), layout_(std::move(layout)), path_(path) {}

LetterPdfWriter::~LetterPdfWriter() = default;

absl::Status LetterPdfWriter::AddLetter(const RenderedMessage& r, Instant letter_date) {
  const OutgoingMessage& m = r.message;
  cairo_t* cr = file_->cr();
  REBOOK_RETURN_IF_ERROR(file_->status());
  LetterPainter p(cr, layout_);
  const Labels labels = LabelsFor(r.template_language);
  const std::string& tz = m.office.time_zone;
  int letter_pages = 1;
  cairo_set_source_rgb(cr, 0, 0, 0);

  // Letterhead: office name left, address right.
  p.Font(15, true);
  p.Text(kLeft, 20 * kMm, m.office.name);
  p.Font(8.5, false);
  double y = 15 * kMm;
  for (absl::string_view line : absl::StrSplit(m.office.address, '\n')) {
    const std::string l(line);
    p.Text(kPageWidth - kRight - p.Width(l), y, l);
    y += p.line_height();
  }
  p.Marks();

  // Address window (form B): return line, then the recipient.
  p.Font(7, false);
  std::string return_line =
      absl::StrCat(m.office.name, " · ", absl::StrReplaceAll(m.office.address, {{"\n", " · "}}));
  p.Text(20 * kMm, 45 * kMm + 3.5 * kMm, return_line);
  p.Font(10, false);
  std::string address = m.recipient.postal_address;
  if (!m.recipient.name.empty() && address.find(m.recipient.name) == std::string::npos) {
    address = absl::StrCat(m.recipient.name, "\n", address);
  }
  y = 45 * kMm + 17.7 * kMm;
  for (absl::string_view line : absl::StrSplit(address, '\n')) {
    p.Text(20 * kMm, y, std::string(line));
    y += p.line_height();
  }

  // Information block: date and reference.
  p.Font(9, false);
  p.Text(125 * kMm, 55 * kMm, absl::StrCat(labels.date, ": ", FormatShortDate(tz, letter_date)));
  if (!m.response_token.empty()) {
    p.Text(125 * kMm, 55 * kMm + p.line_height(),
           absl::StrCat(labels.reference, ": ", m.response_token));
  }

  // Subject and body, continuing on further pages as needed.
  p.Font(11, true);
  y = 98.46 * kMm;
  for (const std::string& line : p.Wrap(r.subject, kTextWidth)) {
    p.Text(kLeft, y, line);
    y += p.line_height();
  }
  y += p.line_height();
  p.Font(10, false);
  for (const std::string& line : p.Wrap(r.text, kTextWidth)) {
    if (y > kPageHeight - kBottom) {
      cairo_show_page(cr);
      ++letter_pages;
      p.Font(8, false);
      p.Text(kLeft, 15 * kMm,
             absl::StrCat(m.office.name, " · ", labels.reference, " ", m.response_token, " · ",
                          labels.page, " ", letter_pages));
      p.Font(10, false);
      y = 25 * kMm;
    }
    p.Text(kLeft, y, line);
    y += p.line_height();
  }

  // QR code with the respond link after the text.
  if (!m.links.respond.empty()) {
    const double qr_size = 32 * kMm;
    if (y + qr_size + 10 * kMm > kPageHeight - 10 * kMm) {
      cairo_show_page(cr);
      ++letter_pages;
      y = 25 * kMm;
    }
    y += p.line_height();
    p.Font(9, false);
    p.Text(kLeft, y, labels.qr_caption);
    p.Text(kLeft, y + p.line_height(), m.links.respond);
    if (!p.Qr(m.links.respond, kPageWidth - kRight - qr_size, y - 4 * kMm, qr_size)) {
      return absl::InternalError("QR encoding failed");
    }
  }
  cairo_show_page(cr);
  if (layout_.duplex && letter_pages % 2 == 1) {
    cairo_show_page(cr);  // a blank back side
    ++letter_pages;
  }
  pages_ += letter_pages;
  return file_->status();
}

absl::Status LetterPdfWriter::Finish() { return file_->Finish(); }

}  // namespace rebook::notify
