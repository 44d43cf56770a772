#include "services/notify/letter/letter_pdf.h"

#include <cairo.h>
#include <qrencode.h>

#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "services/common/status_macros.h"
#include "services/domain/short_reference.h"
#include "services/notify/local_format.h"
#include "services/pdf/pdf_painter.h"

namespace rebook::notify {
namespace {

using pdf::kMm;
constexpr double kPageWidth = pdf::kA4Width;
constexpr double kPageHeight = pdf::kA4Height;
constexpr double kLeft = 25 * kMm;
constexpr double kRight = 20 * kMm;
constexpr double kBottom = 20 * kMm;
constexpr double kTextWidth = kPageWidth - kLeft - kRight;
constexpr double kInfoLeft = 125 * kMm;  // DIN 5008 information block
constexpr double kInfoWidth = kPageWidth - kRight - kInfoLeft;
constexpr double kQrSize = 34 * kMm;  // with its quiet zone
constexpr double kBodyTop = 103.46 * kMm;

struct Labels {
  const char* date;
  const char* reference;
  const char* qr_caption;
  const char* page;
};

// The information block's words in the letter's language (the template's), German otherwise.
Labels LabelsFor(const std::string& language) {
  if (language == "en") return {"Date", "Reference", "Scan to reply with your smartphone:", "Page"};
  if (language == "tr") {
    return {"Tarih", "Dosya numarası", "Akıllı telefonunuzla yanıtlayın:", "Sayfa"};
  }
  if (language == "ar") return {"التاريخ", "رقم المعاملة", "للرد بهاتفك الذكي:", "صفحة"};
  if (language == "ru") return {"Дата", "Номер дела", "Ответить со смартфона:", "Страница"};
  if (language == "uk") return {"Дата", "Номер справи", "Відповісти зі смартфона:", "Сторінка"};
  return {"Datum", "Vorgangsnummer", "Mit dem Smartphone antworten:", "Seite"};
}

// Says in German and, where we have the sentence, in the citizen's language that no template
// exists for that language ("" when the template is the citizen's own).
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
      {"ar", "هذه الرسالة باللغة الألمانية لأنه لا توجد لدينا رسائل بلغتك بعد."},
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

// Fold marks at 105 and 210 mm and the punch mark at 148.5 mm.
void Marks(cairo_t* cr) {
  cairo_set_line_width(cr, 0.5);
  for (double y_mm : {105.0, 210.0}) {
    cairo_move_to(cr, 4 * kMm, y_mm * kMm);
    cairo_line_to(cr, 8 * kMm, y_mm * kMm);
  }
  cairo_move_to(cr, 4 * kMm, 148.5 * kMm);
  cairo_line_to(cr, 10 * kMm, 148.5 * kMm);
  cairo_stroke(cr);
}

// Draws a QR code for `text` with its top-left corner at (x, y), `size` points wide.
bool Qr(cairo_t* cr, const std::string& text, double x, double y, double size) {
  QRcode* qr = QRcode_encodeString(text.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1);
  if (qr == nullptr) return false;
  const int quiet = 4;
  const double module = size / (qr->width + 2 * quiet);
  cairo_set_source_rgb(cr, 1, 1, 1);
  cairo_rectangle(cr, x, y, size, size);
  cairo_fill(cr);
  cairo_set_source_rgb(cr, 0, 0, 0);
  for (int row = 0; row < qr->width; ++row) {
    for (int col = 0; col < qr->width; ++col) {
      if (qr->data[row * qr->width + col] & 1) {
        cairo_rectangle(cr, x + (col + quiet) * module, y + (row + quiet) * module, module, module);
      }
    }
  }
  cairo_fill(cr);
  QRcode_free(qr);
  return true;
}

}  // namespace

struct LetterPdfWriter::Surface {
  explicit Surface(const std::string& path, const std::string& font)
      : file(path), painter(file.cr(), font) {}
  pdf::PdfFile file;
  pdf::PdfPainter painter;
};

LetterPdfWriter::LetterPdfWriter(const std::string& path, LetterLayout layout)
    : surface_(std::make_unique<Surface>(path, layout.font)),
      layout_(std::move(layout)),
      path_(path) {}

LetterPdfWriter::~LetterPdfWriter() = default;

absl::Status LetterPdfWriter::AddLetter(const RenderedMessage& r, Instant letter_date) {
  const OutgoingMessage& m = r.message;
  REBOOK_RETURN_IF_ERROR(surface_->file.status());
  pdf::PdfPainter& p = surface_->painter;
  cairo_t* cr = p.cr();
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
  Marks(cr);

  // Address window (form B): return line, then the recipient.
  p.Font(7, false);
  std::string return_line =
      absl::StrCat(m.office.name, " · ", absl::StrReplaceAll(m.office.address, {{"\n", " · "}}));
  p.Text(20 * kMm, 45 * kMm + 3.5 * kMm, p.Fit(return_line, 85 * kMm));
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
  // respond link, so that the body has the rest of the page to itself. The reference is a
  // separate run, so that it reads left to right in an Arabic line too.
  p.Font(9, false);
  p.Line(kInfoLeft, kInfoWidth, 50 * kMm,
         absl::StrCat(labels.date, ": ", FormatShortDate(tz, letter_date)));
  p.Line(kInfoLeft, kInfoWidth, 50 * kMm + p.line_height(),
         absl::StrCat(labels.reference, ": ", reference));
  if (!m.links.respond.empty()) {
    p.Font(7.5, false);
    p.Line(kInfoLeft, kInfoWidth, 60 * kMm, labels.qr_caption);
    if (!Qr(cr, m.links.respond, kInfoLeft - 2 * kMm, 61 * kMm, kQrSize)) {
      return absl::InternalError("QR encoding failed");
    }
  }

  // The letter's language, when the citizen's has no template (the note is in both).
  std::string note = FallbackNote(m.language, r.template_language);

  // Subject and body: the largest type from 10 pt down to 8.5 pt that fits the first page;
  // only longer texts continue on further pages. Right-to-left lines end at the right margin.
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
  const bool rtl = p.IsRightToLeft(r.subject);
  // A line of Latin letters or digits alone (a link, a time) in an Arabic letter still
  // belongs to the right margin, like the rest of the paragraph.
  auto line = [&](double y, const std::string& text) {
    if (rtl && !p.IsRightToLeft(text)) {
      p.Text(kLeft + kTextWidth - p.Width(text), y, text);
    } else {
      p.Line(kLeft, kTextWidth, y, text);
    }
  };
  p.Font(11, true);
  y = kBodyTop;
  for (const std::string& l : subject) {
    line(y, l);
    y += p.line_height();
  }
  y += p.line_height();
  p.Font(size, false);
  for (const std::string& l : notes) {
    line(y, l);
    y += p.line_height();
  }
  if (!notes.empty()) y += p.line_height();
  for (const std::string& l : body) {
    if (y > kPageHeight - kBottom) {
      surface_->file.ShowPage();
      ++letter_pages;
      p.Font(8, false);
      p.Text(kLeft, 15 * kMm,
             absl::StrCat(m.office.name, " · ", labels.reference, " ", reference, " · ",
                          labels.page, " ", letter_pages));
      p.Font(size, false);
      y = 25 * kMm;
    }
    line(y, l);
    y += p.line_height();
  }
  surface_->file.ShowPage();
  if (layout_.duplex && letter_pages % 2 == 1) {
    surface_->file.ShowPage();  // a blank back side
    ++letter_pages;
  }
  pages_ += letter_pages;
  return surface_->file.status();
}

absl::Status LetterPdfWriter::Finish() { return surface_->file.Finish(); }

}  // namespace rebook::notify
