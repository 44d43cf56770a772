#include "services/notify/letter/letter_pdf.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <qrencode.h>

#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "services/domain/short_reference.h"
#include "services/notify/local_format.h"

namespace rebook::notify {
namespace {

constexpr double kMm = 72.0 / 25.4;
constexpr double kPageWidth = 210 * kMm;
constexpr double kPageHeight = 297 * kMm;
constexpr double kLeft = 25 * kMm;
constexpr double kRight = 20 * kMm;
constexpr double kBottom = 20 * kMm;
constexpr double kTextWidth = kPageWidth - kLeft - kRight;
constexpr double kInfoLeft = 125 * kMm;  // DIN 5008 information block
constexpr double kQrSize = 34 * kMm;     // with its quiet zone
constexpr double kBodyTop = 103.46 * kMm;

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

// Says in German and, where the letter can print it, in the citizen's language that no
// template exists for that language. Arabic is not among the sentences: cairo's text API does
// not shape right-to-left scripts.
std::string FallbackNote(const std::string& wanted, const std::string& used) {
  const std::string primary = wanted.substr(0, wanted.find('-'));
  if (primary.empty() || primary == used) return "";
  struct Sentence {
    const char* language;
    const char* text;
  };
  static constexpr Sentence kSentences[] = {
      {"en", "This letter is in German because we have no letters in your language yet."},
      {"ru", "Это письмо на немецком языке: у нас пока нет писем на вашем языке."},
      {"uk", "Цей лист німецькою мовою: у нас поки немає листів вашою мовою."},
      {"tr", "Bu mektup Almancadır, çünkü henüz sizin dilinizde mektubumuz yok."},
      {"pl", "Ten list jest po niemiecku, ponieważ nie mamy jeszcze listów w Państwa języku."},
  };
  std::string note = absl::StrCat("Hinweis: Für Ihre Sprache (", primary,
                                  ") haben wir noch keine Vorlage; dieses Schreiben ist auf ",
                                  used == "en" ? "Englisch." : "Deutsch.");
  if (used == "de") {
    for (const Sentence& s : kSentences) {
      if (primary == s.language) absl::StrAppend(&note, "\n", s.text);
    }
  }
  return note;
}

}  // namespace

struct LetterPdfWriter::Surface {
  cairo_surface_t* surface = nullptr;
  cairo_t* cr = nullptr;
  ~Surface() {
    if (cr != nullptr) cairo_destroy(cr);
    if (surface != nullptr) cairo_surface_destroy(surface);
  }
};

namespace {

class LetterPainter {
 public:
  LetterPainter(cairo_t* cr, const LetterLayout& layout) : cr_(cr), layout_(layout) {}

  void Font(double size, bool bold) {
    cairo_select_font_face(cr_, layout_.font.c_str(), CAIRO_FONT_SLANT_NORMAL,
                           bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr_, size);
    line_height_ = size * 1.35;
  }

  double Width(const std::string& text) {
    cairo_text_extents_t ext;
    cairo_text_extents(cr_, text.c_str(), &ext);
    return ext.x_advance;
  }

  void Text(double x, double y, const std::string& text) {
    cairo_move_to(cr_, x, y);
    cairo_show_text(cr_, text.c_str());
  }

  // Wraps `text` into lines no wider than `width`. Words longer than a line (links) are cut.
  std::vector<std::string> Wrap(const std::string& text, double width) {
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
          while (cut > 1 && (static_cast<unsigned char>(line[cut]) & 0xc0) == 0x80) --cut;
          lines.push_back(line.substr(0, cut));
          line = line.substr(cut);
        }
      }
      lines.push_back(line);
    }
    return lines;
  }

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

  double line_height() const { return line_height_; }

 private:
  cairo_t* cr_;
  const LetterLayout& layout_;
  double line_height_ = 12;
};

}  // namespace

LetterPdfWriter::LetterPdfWriter(const std::string& path, LetterLayout layout)
    : surface_(std::make_unique<Surface>()), layout_(std::move(layout)), path_(path) {
  surface_->surface = cairo_pdf_surface_create(path.c_str(), kPageWidth, kPageHeight);
  surface_->cr = cairo_create(surface_->surface);
}

LetterPdfWriter::~LetterPdfWriter() = default;

absl::Status LetterPdfWriter::AddLetter(const RenderedMessage& r, Instant letter_date) {
  const OutgoingMessage& m = r.message;
  cairo_t* cr = surface_->cr;
  if (cairo_status(cr) != CAIRO_STATUS_SUCCESS) {
    return absl::InternalError(absl::StrCat(path_, ": ", cairo_status_to_string(cairo_status(cr))));
  }
  LetterPainter p(cr, layout_);
  const Labels labels = LabelsFor(r.template_language);
  const std::string& tz = m.office.time_zone;
  const std::string reference = domain::ShortReference(m.key.outage_id, m.key.appointment_id);
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

  // Information block beside the window: date, the short reference, and the QR code with the
  // respond link, so that the body has the rest of the page to itself.
  p.Font(9, false);
  p.Text(kInfoLeft, 50 * kMm, absl::StrCat(labels.date, ": ", FormatShortDate(tz, letter_date)));
  p.Text(kInfoLeft, 50 * kMm + p.line_height(), absl::StrCat(labels.reference, ": ", reference));
  if (!m.links.respond.empty()) {
    p.Font(7.5, false);
    p.Text(kInfoLeft, 60 * kMm, labels.qr_caption);
    if (!p.Qr(m.links.respond, kInfoLeft - 2 * kMm, 61 * kMm, kQrSize)) {
      return absl::InternalError("QR encoding failed");
    }
  }

  // The letter's language, when the citizen's has no template (the note is in both).
  std::string note = FallbackNote(m.language, r.template_language);

  // Subject and body: the largest type from 10 pt down to 8.5 pt that fits the first page;
  // only longer texts continue on further pages.
  double size = 10;
  std::vector<std::string> subject, body, notes;
  for (;; size -= 0.5) {
    p.Font(11, true);
    subject = p.Wrap(r.subject, kTextWidth);
    p.Font(size, false);
    body = p.Wrap(r.text, kTextWidth);
    notes = note.empty() ? std::vector<std::string>{} : p.Wrap(note, kTextWidth);
    const double needed = (subject.size() + 1) * 11 * 1.35 +
                          (body.size() + notes.size() + (notes.empty() ? 0 : 1)) * p.line_height();
    if (kBodyTop + needed <= kPageHeight - kBottom || size <= 8.5) break;
  }
  p.Font(11, true);
  y = kBodyTop;
  for (const std::string& line : subject) {
    p.Text(kLeft, y, line);
    y += p.line_height();
  }
  y += p.line_height();
  p.Font(size, false);
  for (const std::string& line : notes) {
    p.Text(kLeft, y, line);
    y += p.line_height();
  }
  if (!notes.empty()) y += p.line_height();
  for (const std::string& line : body) {
    if (y > kPageHeight - kBottom) {
      cairo_show_page(cr);
      ++letter_pages;
      p.Font(8, false);
      p.Text(kLeft, 15 * kMm,
             absl::StrCat(m.office.name, " · ", labels.reference, " ", reference, " · ",
                          labels.page, " ", letter_pages));
      p.Font(size, false);
      y = 25 * kMm;
    }
    p.Text(kLeft, y, line);
    y += p.line_height();
  }
  cairo_show_page(cr);
  if (layout_.duplex && letter_pages % 2 == 1) {
    cairo_show_page(cr);  // a blank back side
    ++letter_pages;
  }
  pages_ += letter_pages;
  if (cairo_status(cr) != CAIRO_STATUS_SUCCESS) {
    return absl::InternalError(absl::StrCat(path_, ": ", cairo_status_to_string(cairo_status(cr))));
  }
  return absl::OkStatus();
}

absl::Status LetterPdfWriter::Finish() {
  if (surface_->surface == nullptr) return absl::OkStatus();
  cairo_surface_finish(surface_->surface);
  const cairo_status_t status = cairo_surface_status(surface_->surface);
  cairo_destroy(surface_->cr);
  cairo_surface_destroy(surface_->surface);
  surface_->cr = nullptr;
  surface_->surface = nullptr;
  if (status != CAIRO_STATUS_SUCCESS) {
    return absl::InternalError(absl::StrCat(path_, ": ", cairo_status_to_string(status)));
  }
  return absl::OkStatus();
}

}  // namespace rebook::notify
