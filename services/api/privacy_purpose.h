// Purpose limitation (GDPR Art. 5(1)(b,c)): the immigration-specific fields of appointments,
// and what notification workers read about messages.
//
// Appointments of service types of category IMMIGRATION or CITIZENSHIP carry data about a
// person's residence status: `deadline_time` (when a residence title runs out) and
// `status_reason` (staff's notes on the case, e.g. why it was closed). These are shown only to
// the staff of the office that holds the case: principals whose token names the appointment's
// office (clerk, office_admin, planner), and admins. Principals of all offices (`*`) other than
// admins, e.g. a city-wide planner, see the appointment without them. The solver still uses the
// deadline: only what is shown is limited. Read paths (GetAppointment, ListAppointments) apply
// it; the export of PrivacyService (Art. 15) shows everything to the office's admins.
#ifndef REBOOK_SERVICES_API_PRIVACY_PURPOSE_H_
#define REBOOK_SERVICES_API_PRIVACY_PURPOSE_H_

#include <map>
#include <string>

#include "rebook/v1/appointments.pb.h"
#include "rebook/v1/notifications.pb.h"
#include "services/api/auth.h"
#include "services/domain/model.h"
#include "storage/store.h"

namespace rebook::api {

// True for the categories whose appointments carry immigration-specific data.
bool IsPurposeRestricted(domain::ServiceCategory category);

// Clears the restricted fields of `out` (an appointment of `office_id` and `service_id`) unless
// `who` may see them. Looks service types up in `tx` once per service (cached in the object).
class PurposeFilter {
 public:
  PurposeFilter(storage::Transaction& tx, const Principal& who) : tx_(tx), who_(who) {}
  void Apply(const domain::Appointment& a, v1::Appointment* out);

 private:
  bool Restricted(const std::string& service_id);

  storage::Transaction& tx_;
  const Principal& who_;
  std::map<std::string, bool> restricted_;  // by service id
};

// Notification workers read messages (GetMessage, ListMessages) only for their state: failure
// texts (last errors, the reasons in histories) often repeat a citizen's address, as SMTP
// replies do, and are cleared for the notifier role. What a worker needs to send a message
// comes with its lease (see rebooking::MinimalContact).
void LimitMessageToRole(const Principal& who, v1::Message* out);

}  // namespace rebook::api

#endif  // REBOOK_SERVICES_API_PRIVACY_PURPOSE_H_
