// The storage facet of the personal-data lifecycle (GDPR Art. 5(1)(e), 17): per-office retention
// settings, the record of which appointments' personal data is erased, and the scrubbing of the
// free text that may repeat personal data (outbox, offers, stored idempotent responses).
// `storage::Transaction` offers it; see storage/store.h for the transaction contract, which
// holds here too. What is erased and when is decided in services/rebooking/privacy_*.
#ifndef REBOOK_STORAGE_PRIVACY_STORE_H_
#define REBOOK_STORAGE_PRIVACY_STORE_H_

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "services/common/clock.h"
#include "services/domain/model.h"

namespace rebook::storage {

// An office's retention: personal data of its appointments is erased this many days after the
// outage that cancelled them was closed.
struct RetentionSetting {
  std::string office_id;
  int retention_days = 0;
  Instant update_time{};
};

// That an appointment's personal data was erased, when, and why ("retention", "request").
struct ErasureRecord {
  std::string appointment_id;
  std::string office_id;
  Instant erase_time{};
  std::string reason;
};

class PrivacyTables {
 public:
  virtual ~PrivacyTables() = default;

  // nullopt if the office has no setting of its own (the caller's default applies).
  virtual absl::StatusOr<std::optional<RetentionSetting>> GetRetentionSetting(
      const std::string& office_id) = 0;
  // Inserts or replaces by office id. FAILED_PRECONDITION if the office does not exist.
  virtual absl::Status PutRetentionSetting(const RetentionSetting& setting) = 0;

  // nullopt if the appointment's personal data was never erased.
  virtual absl::StatusOr<std::optional<ErasureRecord>> GetErasure(
      const domain::AppointmentKey& appointment) = 0;
  // Inserts or replaces by appointment key (office and id).
  virtual absl::Status PutErasure(const ErasureRecord& record) = 0;

  // Up to `limit` ids of appointments of `office_id` tied to `outage_id` that have no erasure
  // record, in id order.
  virtual absl::StatusOr<std::vector<std::string>> ListUnerasedAppointments(
      const std::string& outage_id, const std::string& office_id, int limit) = 0;

  // Blanks the free text of an appointment's outbox: each message's last error (set to
  // `replacement` where it was not empty), explanation and provider id, and the reason of
  // each of their events. Returns the messages changed.
  virtual absl::StatusOr<std::int64_t> ScrubMessageText(const domain::AppointmentKey& appointment,
                                                        const std::string& replacement) = 0;
  // Blanks the explanation of an appointment's offers and replaces their response tokens by
  // values no link can carry, so old links lead nowhere. Returns the offers changed.
  virtual absl::StatusOr<std::int64_t> ScrubOffers(const domain::AppointmentKey& appointment) = 0;
  // Deletes the stored responses of idempotent requests that contain any of `needles` (byte
  // strings; empty ones are ignored). Returns the requests deleted.
  virtual absl::StatusOr<std::int64_t> ForgetStoredResponses(
      std::span<const std::string> needles) = 0;
};

}  // namespace rebook::storage

#endif  // REBOOK_STORAGE_PRIVACY_STORE_H_
