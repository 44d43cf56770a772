// How a change-feed event reads outside rebook: as JSON (the webhook sink) and as a CSV row
// (the csv sink). Both carry the same fields; docs/sync.md documents them.
//
// Times: `time`, `original_start` and `confirm_time` in RFC 3339 UTC ("2026-03-02T08:00:00Z");
// the start and end of a slot in the slot office's local time with its offset
// ("2026-03-02T09:00:00+01:00") plus the IANA zone in its own field, which is what a booking
// system's import wants. Enums in lower snake case (`slot_confirmed`, `confirmed`, `link`).
// Names as in the API: `offices/{office}/appointments/{id}`, `.../offers/{version}`,
// `outages/{outage}`. No personal data: events carry none.
#ifndef REBOOK_SERVICES_SYNC_CHANGE_FORMAT_H_
#define REBOOK_SERVICES_SYNC_CHANGE_FORMAT_H_

#include <string>
#include <string_view>
#include <vector>

#include "nlohmann/json.hpp"
#include "services/common/clock.h"
#include "services/domain/change_event.h"

namespace rebook::sync {

// RFC 3339 in `tz`'s local time with the offset; UTC ("...Z") when `tz` is empty.
std::string FormatLocalWithOffset(std::string_view tz, Instant t);

// {"cursor", "event_id", "time", "appointment", "office", "outage"?, "kind", "status",
//  "service", "cases", "original_start", "rebooked_slot"?: {"office", "clerk", "start", "end",
//  "time_zone", "confirmed_via", "confirm_time"}, "held_slot"?: {"office", "clerk", "start",
//  "end", "time_zone"}, "offer"?, "offer_state"?}. Optional members are left out when unset.
nlohmann::json ChangeToJson(const domain::ChangeEvent& event);

// The csv sink's columns, in order.
const std::vector<std::string>& ChangeCsvColumns();
// One row, matching ChangeCsvColumns(); unset values are empty fields.
std::vector<std::string> ChangeCsvRow(const domain::ChangeEvent& event);

}  // namespace rebook::sync

#endif  // REBOOK_SERVICES_SYNC_CHANGE_FORMAT_H_
