// The ZMS records as zms_import reads them, between the JSON and the domain (internal to
// services/interop; see zms_import.h for the mapping).
#ifndef REBOOK_SERVICES_INTEROP_ZMS_RECORDS_H_
#define REBOOK_SERVICES_INTEROP_ZMS_RECORDS_H_

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/domain/model.h"
#include "services/interop/json_cursor.h"

namespace rebook::interop::internal {

struct ZmsAvailability {
  std::string path;  // JSON path in availabilities.json, e.g. "$.data[3]"
  std::string office_id;
  domain::LocalDate first_day;
  domain::LocalDate last_day;
  std::array<bool, 7> weekdays{};  // [0] = Sunday, as date::weekday::c_encoding()
  int after_weeks = 0;             // 0: every matching day; N: every N-th week from first_day
  int week_of_month = 0;           // 0: any; 1-4: that week; 5: the last one
  int start_min = 0;               // minutes after local midnight
  int end_min = 0;
  int workstations = 0;
  std::optional<int> slot_minutes;

  bool AppliesOn(domain::LocalDate day) const;
};

// Reads one availability record. `zones` maps office ids to IANA zones; unknown scopes fail.
absl::StatusOr<std::optional<ZmsAvailability>> ReadAvailability(
    const JsonCursor& rec, const std::map<std::string, std::string>& zones);

// "8:00", "08:00" or "08:00:00" -> minutes after midnight (24:00 allowed as an end).
absl::StatusOr<int> ParseClockTime(const JsonCursor& c);

}  // namespace rebook::interop::internal

#endif  // REBOOK_SERVICES_INTEROP_ZMS_RECORDS_H_
