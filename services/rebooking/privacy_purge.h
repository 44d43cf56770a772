// Retention (GDPR Art. 5(1)(e)): the personal data of an outage's appointments is erased a
// number of days after the outage is closed, per office.
//
//   RetentionPolicy policy;  // 30 days unless an office says otherwise, 200 per transaction
//   REBOOK_ASSIGN_OR_RETURN(PurgeResult r,
//                           RunPurge(store, std::nullopt, policy, {.now = clock.Now(), ...}));
//
// An appointment is due when the outage that cancelled it is CLOSED and its office's
// retention has passed since the close time; it is erased as privacy_erasure.h says.
// Appointments tied to no outage (normal bookings of the booking system) are not touched:
// their retention is the booking system's, which removes them with DeleteAppointment.
#ifndef REBOOK_SERVICES_REBOOKING_PRIVACY_PURGE_H_
#define REBOOK_SERVICES_REBOOKING_PRIVACY_PURGE_H_

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/rebooking/privacy_erasure.h"
#include "storage/store.h"

namespace rebook::rebooking {

struct RetentionPolicy {
  // Days after an outage's close for offices without a setting of their own. Default 30: long
  // enough for late questions and complaints about the rebooking, short enough that contact
  // data collected for one outage does not outlive its purpose.
  int default_days = 30;
  // Appointments erased per write transaction, so that a large backlog never holds the write
  // lock for long. Default 200.
  int batch_size = 200;
  // Transactions one RunPurge may take; the rest waits for the next run. Default 1000.
  int max_batches = 1000;
};

// The range an office may set: 1 day to 10 years.
inline constexpr int kMinRetentionDays = 1;
inline constexpr int kMaxRetentionDays = 3650;

struct RetentionView {
  std::string office_id;
  int retention_days = 0;
  bool is_default = true;  // the office has no setting; `retention_days` is the policy's
  Instant update_time{};   // of the setting, if any
};

// The office's retention. NOT_FOUND if the office does not exist.
absl::StatusOr<RetentionView> GetRetention(storage::Transaction& tx, const std::string& office_id,
                                           const RetentionPolicy& policy);
// Sets it. INVALID_ARGUMENT outside [kMinRetentionDays, kMaxRetentionDays]; NOT_FOUND if the
// office does not exist.
absl::StatusOr<RetentionView> SetRetention(storage::Transaction& tx, const std::string& office_id,
                                           int days, Instant now, const RetentionPolicy& policy);

struct PurgeResult {
  ErasureCounts erased;
  std::int64_t outages_due = 0;  // closed outages with at least one office past retention
  bool complete = true;          // false: the batch limit stopped it; more is due
};

// One batch, inside the caller's write transaction: erases up to `policy.batch_size` due
// appointments of `office_ids` (nullopt: all offices). Idempotent.
absl::StatusOr<PurgeResult> PurgeExpiredBatch(
    storage::Transaction& tx, const std::optional<std::vector<std::string>>& office_ids,
    const RetentionPolicy& policy, const ErasureContext& ctx);

// Runs batches, each in its own write transaction, until nothing is due or
// `policy.max_batches` ran, then (if anything was erased) store.FlushErasures. Safe to run
// concurrently with itself and with requests.
absl::StatusOr<PurgeResult> RunPurge(storage::Store& store,
                                     const std::optional<std::vector<std::string>>& office_ids,
                                     const RetentionPolicy& policy, const ErasureContext& ctx,
                                     const storage::TransactionOptions& options = {});

}  // namespace rebook::rebooking

#endif  // REBOOK_SERVICES_REBOOKING_PRIVACY_PURGE_H_
