// The clerks' day lists ("Tagesliste"): one A4 page per clerk and day with the rebooked
// (confirmed) appointments in time order: time, citizen, service, cases, language and notes
// (walk-in, priority, the original office and time, a phone confirmation). Printed large enough
// to read at the counter: 13 pt, shrunk to at least 9 pt to keep a day on one page; a day that
// still does not fit continues on a second page marked as such.
//
//   REBOOK_ASSIGN_OR_RETURN(int pages, WriteDayListsPdf(schedule, "out/tageslisten.pdf", {}));
//
// Pages are ordered by office, day, clerk name. Fonts: DejaVu Sans via fontconfig.
#ifndef REBOOK_SERVICES_EXPORT_DAY_LIST_PDF_H_
#define REBOOK_SERVICES_EXPORT_DAY_LIST_PDF_H_

#include <string>

#include "absl/status/statusor.h"
#include "services/common/clock.h"
#include "services/export/schedule.h"

namespace rebook::exports {

struct DayListOptions {
  Instant printed_at{};  // shown in each page's footer ("Stand")
  std::string font = "DejaVu Sans";
};

// Writes the day lists of `schedule` to `path`; returns the number of pages. An empty schedule
// gives one page saying so. Internal error if the file cannot be written.
absl::StatusOr<int> WriteDayListsPdf(const Schedule& schedule, const std::string& path,
                                     const DayListOptions& options);

}  // namespace rebook::exports

#endif  // REBOOK_SERVICES_EXPORT_DAY_LIST_PDF_H_
