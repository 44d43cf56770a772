// Use cases on appointments: bulk import, single create, updates and lifecycle changes.
//
// Each function runs inside the caller's write transaction and either changes everything it
// is asked to or returns an error, in which case the caller rolls the transaction back.
//
//   store.Write(opts, [&](storage::Transaction& tx) -> absl::Status {
//     REBOOK_ASSIGN_OR_RETURN(ImportResult r, ImportAppointments(tx, batch, clock.Now(), {}));
//     ...
//   });
#ifndef REBOOK_SERVICES_REBOOKING_APPOINTMENTS_H_
#define REBOOK_SERVICES_REBOOKING_APPOINTMENTS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/domain/model.h"
#include "services/rebooking/commit.h"
#include "storage/store.h"

namespace rebook::rebooking {

struct ImportOptions {
  // Check everything, write nothing.
  bool validate_only = false;
  // Field paths of violations are "<field_prefix>[i]...". The API uses "appointments".
  std::string field_prefix = "appointments";
};

struct ImportResult {
  std::int64_t received = 0;
  std::int64_t created = 0;
  std::int64_t unchanged = 0;
  std::int64_t cancelled = 0;  // created ones that fell into an active outage's window
};

// Imports the booking system's appointments. All-or-nothing:
// - INVALID_ARGUMENT with a violation per bad field (ids, references, ranges, contact data);
// - ALREADY_EXISTS naming the first id that is already stored with different booking data, or
//   appears twice in `appointments` with different data;
// - otherwise new ones are stored (status BOOKED, or CANCELLED with the outage when they start
//   inside an active outage's window at their office; walk-ins are always CANCELLED, i.e.
//   waiting for a slot), identical ones are left as they are.
// Lifecycle fields of the input are ignored.
absl::StatusOr<ImportResult> ImportAppointments(
    storage::Transaction& tx, const std::vector<domain::Appointment>& appointments, Instant now,
    const ImportOptions& options);

// One appointment (e.g. a walk-in turned away at the counter). Returns the stored appointment;
// creating the same id again with the same data returns the stored one unchanged.
absl::StatusOr<domain::Appointment> CreateAppointment(storage::Transaction& tx,
                                                      domain::Appointment appointment, Instant now);

// Replaces the booking data of an existing appointment with `updated`'s (lifecycle fields are
// kept). NOT_FOUND if it does not exist; FAILED_PRECONDITION once it is confirmed or closed.
absl::StatusOr<domain::Appointment> UpdateAppointment(storage::Transaction& tx,
                                                      const domain::Appointment& updated,
                                                      Instant now);

// The citizen rebooked through the booking system: the appointment drops out of planning, and
// its holding offer (open, or accepted) is WITHDRAWN, with a CANCELLATION message when the
// citizen may know the offer (see offers.h WithdrawHeldOffer). `ctx.now` is the change time.
// Idempotent. FAILED_PRECONDITION for closed appointments.
absl::StatusOr<domain::Appointment> MarkSelfRebooked(storage::Transaction& tx,
                                                     const domain::AppointmentKey& key,
                                                     std::optional<Instant> new_start,
                                                     const CommitContext& ctx);

// Staff close an appointment with a reason. Its holding offer is withdrawn as in
// MarkSelfRebooked. Idempotent for the same reason.
absl::StatusOr<domain::Appointment> CloseAppointment(storage::Transaction& tx,
                                                     const domain::AppointmentKey& key,
                                                     const std::string& reason,
                                                     const CommitContext& ctx);

// Statuses in which a citizen still waits for a confirmed new appointment.
bool IsOpenStatus(domain::AppointmentStatus s);

// The active outage among `outages` that covers `office_id` at `start`, if any.
const domain::Outage* FindCoveringOutage(const std::vector<domain::Outage>& outages,
                                         const std::string& office_id, Instant start);

}  // namespace rebook::rebooking

#endif  // REBOOK_SERVICES_REBOOKING_APPOINTMENTS_H_
