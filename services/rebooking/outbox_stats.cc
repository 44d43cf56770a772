// ComputeDeliveryStats: messages of one outage by office, channel and state.
#include <map>
#include <set>
#include <utility>

#include "services/common/status_macros.h"
#include "services/rebooking/outbox.h"

namespace rebook::rebooking {

absl::StatusOr<DeliveryStats> ComputeDeliveryStats(
    storage::Transaction& tx, const std::string& outage_id,
    const std::optional<std::vector<std::string>>& office_ids) {
  storage::MessageFilter filter;
  filter.outage_id = outage_id;
  filter.office_ids = office_ids;
  std::map<std::pair<std::string, std::string>, std::map<domain::MessageState, std::int64_t>>
      counts;
  std::set<domain::AppointmentKey> appointments;
  std::set<domain::AppointmentKey> reached;
  REBOOK_RETURN_IF_ERROR(tx.ScanMessages(filter, [&](const domain::OutboxMessage& m) {
    ++counts[{m.office_id, m.channel}][m.state];
    appointments.insert(m.appointment_key());
    if (m.state == domain::MessageState::kSent || m.state == domain::MessageState::kDelivered) {
      reached.insert(m.appointment_key());
    }
  }));
  DeliveryStats stats;
  stats.outage_id = outage_id;
  for (auto& [key, states] : counts) {
    stats.rows.push_back(
        {.office_id = key.first, .channel = key.second, .state_counts = std::move(states)});
  }
  stats.reached_citizens = static_cast<std::int64_t>(reached.size());
  stats.unreached_citizens = static_cast<std::int64_t>(appointments.size() - reached.size());
  return stats;
}

}  // namespace rebook::rebooking
