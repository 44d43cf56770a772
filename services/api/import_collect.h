// Gathering streamed import messages into domain batches, shared by ImportCapacity,
// ImportAppointments and ImportBundle so that the three follow the same rules and name bad
// fields the same way ("offices[2].state", "shifts[3].clerk", "appointments[7].deadline_time";
// indices count over the whole stream).
#ifndef REBOOK_SERVICES_API_IMPORT_COLLECT_H_
#define REBOOK_SERVICES_API_IMPORT_COLLECT_H_

#include <vector>

#include "rebook/v1/appointments.pb.h"
#include "rebook/v1/capacity.pb.h"
#include "services/api/auth.h"
#include "services/common/field_violations.h"
#include "services/domain/model.h"
#include "services/rebooking/appointments.h"
#include "services/rebooking/capacity.h"
#include "storage/store.h"

namespace rebook::api {

// Converts the records of `msg` and appends them to `batch`. Records of offices `who` may not
// manage are violations, worded like unknown offices so that nothing about them leaks.
void CollectCapacity(const rebook::v1::ImportCapacityRequest& msg, const Principal& who,
                     rebooking::CapacityBatch& batch, FieldViolations& v);
// Adds a violation for every closure of `batch` that repeats the office and date of an earlier
// one, naming both records: "closures[4].date: duplicate closure \"A 2026-02-02\"; the first is
// closures[1]". Run once the whole stream is collected (indices count over the stream).
void CheckRepeatedClosures(const rebooking::CapacityBatch& batch, FieldViolations& v);
// Checks the records of `batch` that are stored already, as the single RPCs would: an existing
// clerk only by a manager of its stored home office (UpdateClerk), an existing office only with
// the right to manage office capacity (UpdateOffice), a new office only with the right to manage
// offices (CreateOffice). INVALID_ARGUMENT with a violation per refused record, worded like
// CollectCapacity's; other errors come from storage.
absl::Status CheckImportOwners(storage::Transaction& tx, const Principal& who,
                               const rebooking::CapacityBatch& batch);

void CollectAppointments(const rebook::v1::ImportAppointmentsRequest& msg, const Principal& who,
                         std::vector<domain::Appointment>& batch, FieldViolations& v);

void ToProto(const rebooking::UpsertCounts& in, rebook::v1::ImportCapacityResponse* out);
void ToProto(const rebooking::ImportResult& in, rebook::v1::ImportAppointmentsResponse* out);

}  // namespace rebook::api

#endif  // REBOOK_SERVICES_API_IMPORT_COLLECT_H_
