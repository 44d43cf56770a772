// A small outage for the export tests: offices HAL (Europe/Berlin) and LEJ, clerks c1 and c2,
// four appointments: a1 confirmed (link) with c1 at HAL, a2 confirmed (phone) with c2 at HAL
// from LEJ, a3 held for an open offer with c1, a4 closed without a slot.
#ifndef REBOOK_SERVICES_EXPORT_EXPORT_TESTING_H_
#define REBOOK_SERVICES_EXPORT_EXPORT_TESTING_H_

#include "services/export/schedule.h"

namespace rebook::exports::testing {

// 2026-01-27 (a Tuesday) at `hh`:`mm` in Europe/Berlin (UTC+1).
Instant Berlin(int hh, int mm, int day = 27);
ExportData SampleData();
Schedule SampleSchedule();

}  // namespace rebook::exports::testing

#endif  // REBOOK_SERVICES_EXPORT_EXPORT_TESTING_H_
