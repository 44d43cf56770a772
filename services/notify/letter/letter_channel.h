// The `letter` channel: a printable A4 PDF per citizen, collected into a daily print batch.
//
// Spool layout (one folder per local day of sending, in the office's time zone):
//
//   <spool_dir>/2026-01-28/<key digest>.pdf    the single letter
//   <spool_dir>/2026-01-28/<key digest>.json   its record (message JSON + letter date)
//   <spool_dir>/2026-01-28/batch.pdf           all of that day's letters, written by
//                                              BuildLetterBatch (e.g. by the print job at
//                                              the end of the day), sorted by office, then
//                                              recipient name
//
// Files are written to a temporary name and renamed, so a retry with the same key replaces
// the letter instead of printing it twice, and a reader never sees half a file.
//
// Config keys:
//   spool_dir  required; created if missing
//   duplex     default false; pads each letter to an even page count in the batch
//   font       default "DejaVu Sans"
//
// Result: sent (the letter is queued for printing), provider id = the PDF's path; a citizen
// without a postal address: permanent; a disk error: temporary. Thread-safe.
#ifndef REBOOK_SERVICES_NOTIFY_LETTER_LETTER_CHANNEL_H_
#define REBOOK_SERVICES_NOTIFY_LETTER_LETTER_CHANNEL_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "services/domain/model.h"
#include "services/notify/channel.h"
#include "services/notify/letter/letter_pdf.h"

namespace rebook::notify {

class LetterChannelFactory final : public ChannelFactory {
 public:
  std::string_view name() const override { return "letter"; }
  absl::StatusOr<std::unique_ptr<Channel>> Create(const ChannelConfig& config) const override;
};

struct LetterBatch {
  std::string path;  // the batch PDF
  int letters = 0;
  int pages = 0;
};

// Renders every letter spooled for `day` into <spool_dir>/<day>/batch.pdf (replacing an older
// batch). NotFound if there is no folder for that day.
absl::StatusOr<LetterBatch> BuildLetterBatch(const std::string& spool_dir, domain::LocalDate day,
                                             const LetterLayout& layout = {});

}  // namespace rebook::notify

#endif  // REBOOK_SERVICES_NOTIFY_LETTER_LETTER_CHANNEL_H_
