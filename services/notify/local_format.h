// Dates and times as citizens read them, in the office's zone and the template's language.
//
// Hand-written tables for German and English: ICU would be a heavy dependency for two
// languages and a dozen words. Other languages get the numeric German form ("29.01.2026"),
// which every reader of a German office letter understands.
#ifndef REBOOK_SERVICES_NOTIFY_LOCAL_FORMAT_H_
#define REBOOK_SERVICES_NOTIFY_LOCAL_FORMAT_H_

#include <string>
#include <string_view>

#include "services/common/clock.h"

namespace rebook::notify {

// "Donnerstag, 29. Januar 2026" (de), "Thursday, 29 January 2026" (en), else "29.01.2026".
std::string FormatLongDate(std::string_view language, std::string_view time_zone, Instant t);
// "29.01.2026".
std::string FormatShortDate(std::string_view time_zone, Instant t);
// "09:30" (24-hour clock in every language; public offices in Germany use it).
std::string FormatClockTime(std::string_view time_zone, Instant t);

}  // namespace rebook::notify

#endif  // REBOOK_SERVICES_NOTIFY_LOCAL_FORMAT_H_
