// Use cases on outages: declare, close, and measure the impact.
#ifndef REBOOK_SERVICES_REBOOKING_OUTAGES_H_
#define REBOOK_SERVICES_REBOOKING_OUTAGES_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/common/ids.h"
#include "services/domain/model.h"
#include "storage/store.h"

namespace rebook::rebooking {

struct DeclareOutageCommand {
  std::string outage_id;  // optional; generated when empty
  std::vector<std::string> office_ids;
  domain::TimeInterval window;
  std::string cause;
};

// Longest outage window accepted; longer ones are typing mistakes.
inline constexpr std::chrono::hours kMaxOutageWindow{24 * 92};

// Declares an outage and cancels every BOOKED appointment of its offices whose original start
// lies in its window, linking them to it; walk-ins turned away in the window and not yet linked
// to an outage are linked too. Exactly once: declaring the same outage id again with
// the same offices, window and cause returns the stored outage and cancels nothing more; with
// other content it is ALREADY_EXISTS. INVALID_ARGUMENT (field paths under "outage") for unknown
// offices, empty or over-long windows. FAILED_PRECONDITION for a window that ended by `now` or
// started before today's local midnight at one of its offices (CheckOutageWindow).
absl::StatusOr<domain::Outage> DeclareOutage(storage::Transaction& tx,
                                             const DeclareOutageCommand& command, Instant now,
                                             IdGenerator& ids);

// Closes an outage. FAILED_PRECONDITION while any appointment it cancelled is still open
// (cancelled, offered or declined), unless `force` (which needs a reason). Closing a closed
// outage again returns it unchanged.
absl::StatusOr<domain::Outage> CloseOutage(storage::Transaction& tx, const std::string& id,
                                           bool force, const std::string& reason, Instant now);

struct OutageImpactRow {
  std::string office_id;
  std::string service_id;
  domain::LocalDate original_date;
  std::int64_t appointments = 0;
  std::int64_t walk_ins = 0;
  std::int64_t cases = 0;
  std::int64_t work_minutes = 0;
};

struct OutageImpact {
  std::string outage_id;
  std::vector<OutageImpactRow> rows;  // sorted by office, service, date
  // office id -> status -> count
  std::map<std::string, std::map<domain::AppointmentStatus, std::int64_t>> office_statuses;
  std::int64_t total_appointments = 0;
  std::int64_t total_cases = 0;
  std::int64_t total_work_minutes = 0;
};

// Counts what `outage` cancelled, restricted to `visible_offices` (nullopt: all).
absl::StatusOr<OutageImpact> ComputeOutageImpact(
    storage::Transaction& tx, const domain::Outage& outage,
    const std::optional<std::vector<std::string>>& visible_offices);

}  // namespace rebook::rebooking

#endif  // REBOOK_SERVICES_REBOOKING_OUTAGES_H_
