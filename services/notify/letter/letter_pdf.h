// Drawing a citizen's letter on A4 with cairo: office letterhead, a DIN 5008 form B address
// window, date and reference, subject, the plain-text body, and a QR code with the response
// link. Used by the letter channel for single letters and daily print batches.
//
//   LetterPdfWriter pdf("/spool/2026-01-28/batch.pdf");
//   REBOOK_RETURN_IF_ERROR(pdf.AddLetter(rendered, letter_date));
//   REBOOK_RETURN_IF_ERROR(pdf.Finish());
//
// Positions follow DIN 5008 form B: address field 20 mm from the left and 45 mm from the top,
// 85 x 45 mm, with a return-address line in its first 5 mm; subject at about 98 mm; fold marks
// at 105 and 210 mm and a punch mark at 148.5 mm. Fonts: DejaVu Sans via fontconfig, text laid
// out by Pango (pdf::PdfPainter): letters in Arabic run right to left from the right margin.
// Not thread-safe; one writer per file.
#ifndef REBOOK_SERVICES_NOTIFY_LETTER_LETTER_PDF_H_
#define REBOOK_SERVICES_NOTIFY_LETTER_LETTER_PDF_H_

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "services/common/clock.h"
#include "services/notify/message.h"

namespace rebook::notify {

struct LetterLayout {
  std::string font = "DejaVu Sans";
  bool duplex = false;  // pad every letter to an even page count (for duplex batch printing)
};

class LetterPdfWriter {
 public:
  explicit LetterPdfWriter(const std::string& path, LetterLayout layout = {});
  ~LetterPdfWriter();
  LetterPdfWriter(const LetterPdfWriter&) = delete;
  LetterPdfWriter& operator=(const LetterPdfWriter&) = delete;

  // Draws one letter starting on a new page. `letter_date` is printed as the letter's date.
  absl::Status AddLetter(const RenderedMessage& message, Instant letter_date);
  // Writes and closes the file. Internal error if cairo failed at any point.
  absl::Status Finish();
  int pages() const { return pages_; }

 private:
  struct Surface;
  std::unique_ptr<Surface> surface_;
  LetterLayout layout_;
  std::string path_;
  int pages_ = 0;
};

}  // namespace rebook::notify

#endif  // REBOOK_SERVICES_NOTIFY_LETTER_LETTER_PDF_H_
