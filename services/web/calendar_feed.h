// The offices' calendar feeds on the HTTP port: GET /calendar/<office>/<token>.ics answers the
// office's iCalendar (services/export/ics_calendar.h) of its outages, read-only, for calendar
// clients to subscribe to. <token> is CalendarFeedToken(secret, office) (services/common/
// tokens.h), compared in constant time; a wrong token, an unknown office, or no secret
// configured all get the same 404.
//
// Outages in the feed: the active ones touching the office, and closed ones whose close time is
// less than Options::closed_outage_days ago (their rebooked appointments still lie ahead).
#ifndef REBOOK_SERVICES_WEB_CALENDAR_FEED_H_
#define REBOOK_SERVICES_WEB_CALENDAR_FEED_H_

#include <string>

#include "absl/status/statusor.h"
#include "services/common/clock.h"
#include "storage/store.h"

namespace rebook::web {

struct CalendarFeedOptions {
  std::string secret;                         // empty: no feeds (every request is NOT_FOUND)
  std::string uid_domain = "rebook.invalid";  // the events' UID domain
  int closed_outage_days = 60;
};

// The feed path of `office_id`: "/calendar/<office>/<token>.ics".
std::string CalendarFeedPath(const std::string& secret, const std::string& office_id);

// The calendar answering `path` if it is a feed path with the right token. NOT_FOUND for
// anything else (no secret, bad path, wrong token, unknown office).
absl::StatusOr<std::string> LoadCalendarFeed(storage::Transaction& tx,
                                             const CalendarFeedOptions& options,
                                             const std::string& path, Instant now);

}  // namespace rebook::web

#endif  // REBOOK_SERVICES_WEB_CALENDAR_FEED_H_
