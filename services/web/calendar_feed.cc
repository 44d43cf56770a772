#include "services/web/calendar_feed.h"

#include <set>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "services/common/status_macros.h"
#include "services/common/tokens.h"
#include "services/export/ics_calendar.h"

namespace rebook::web {
namespace {

constexpr char kPrefix[] = "/calendar/";
constexpr char kSuffix[] = ".ics";

// Every row of a paged list.
template <typename T, typename List>
absl::StatusOr<std::vector<T>> All(List list) {
  std::vector<T> out;
  storage::PageRequest page{.page_size = 1000};
  while (true) {
    REBOOK_ASSIGN_OR_RETURN(storage::Page<T> p, list(page));
    for (T& item : p.items) out.push_back(std::move(item));
    if (p.next_page_token.empty()) return out;
    page.page_token = p.next_page_token;
  }
}

bool InSlotAt(const domain::Appointment& a, const std::string& office_id) {
  if (a.rebooked_slot.has_value()) return a.rebooked_slot->slot.office_id == office_id;
  if (a.held_slot.has_value()) return a.held_slot->office_id == office_id;
  return a.office_id == office_id;  // unscheduled: listed as cancelled at its own office
}

}  // namespace

std::string CalendarFeedPath(const std::string& secret, const std::string& office_id) {
  return absl::StrCat(kPrefix, office_id, "/", CalendarFeedToken(secret, office_id), kSuffix);
}

absl::StatusOr<std::string> LoadCalendarFeed(storage::Transaction& tx,
                                             const CalendarFeedOptions& options,
                                             const std::string& path, Instant now) {
  const absl::Status not_found = absl::NotFoundError("no such calendar");
  if (options.secret.empty() || !absl::StartsWith(path, kPrefix) ||
      !absl::EndsWith(path, kSuffix)) {
    return not_found;
  }
  const std::string rest =
      path.substr(sizeof(kPrefix) - 1, path.size() - (sizeof(kPrefix) - 1) - (sizeof(kSuffix) - 1));
  const std::vector<std::string> parts = absl::StrSplit(rest, '/');
  if (parts.size() != 2 || !domain::IsValidId(parts[0]) ||
      !TokensEqual(parts[1], CalendarFeedToken(options.secret, parts[0]))) {
    return not_found;
  }
  const std::string& office_id = parts[0];
  if (!tx.GetOffice(office_id).ok()) return not_found;

  exports::ExportData data;
  data.outage_id = "feed";
  REBOOK_ASSIGN_OR_RETURN(data.offices, All<domain::Office>([&](const storage::PageRequest& p) {
                            return tx.ListOffices(p);
                          }));
  REBOOK_ASSIGN_OR_RETURN(data.services, All<domain::Service>([&](const storage::PageRequest& p) {
                            return tx.ListServices(p);
                          }));
  REBOOK_ASSIGN_OR_RETURN(data.clerks, All<domain::Clerk>([&](const storage::PageRequest& p) {
                            return tx.ListClerks(storage::ClerkFilter{}, p);
                          }));
  // Slots at this office may belong to appointments of other offices: read every outage
  // touching the office, whole.
  storage::OutageFilter filter;
  filter.office_ids = std::vector<std::string>{office_id};
  REBOOK_ASSIGN_OR_RETURN(std::vector<domain::Outage> outages,
                          All<domain::Outage>([&](const storage::PageRequest& p) {
                            return tx.ListOutages(filter, p);
                          }));
  for (const domain::Outage& outage : outages) {
    if (outage.state == domain::OutageState::kClosed && outage.close_time.has_value() &&
        *outage.close_time + std::chrono::hours(24 * options.closed_outage_days) < now) {
      continue;
    }
    storage::AppointmentFilter appointments;
    appointments.outage_id = outage.id;
    REBOOK_RETURN_IF_ERROR(tx.ScanAppointments(appointments, [&](const domain::Appointment& a) {
      if (InSlotAt(a, office_id)) data.appointments.push_back(a);
    }));
  }
  REBOOK_ASSIGN_OR_RETURN(exports::Schedule schedule, exports::Schedule::Build(std::move(data)));
  return exports::OfficeCalendar(schedule, office_id,
                                 {.dtstamp = now, .uid_domain = options.uid_domain});
}

}  // namespace rebook::web
