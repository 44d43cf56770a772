// The personal-data lifecycle (storage/privacy_store.h): retention settings, erasure records
// and the scrubbing of free text. Tables of schema step 6 (migrations.cc). The connections run
// with secure_delete=ON (connection.cc), so what these statements overwrite or delete is
// zeroed in the pages; SqliteStore::FlushErasures then clears the WAL.
#include <string>

#include "services/common/status_macros.h"
#include "storage/sqlite/internal/column_io.h"
#include "storage/sqlite/internal/row_codec.h"
#include "storage/sqlite/internal/sqlite_transaction.h"

namespace rebook::storage::sqlite_internal {

absl::StatusOr<std::optional<RetentionSetting>> SqliteTransaction::GetRetentionSetting(
    const std::string& office_id) {
  return Guard("get retention setting", [&]() -> absl::StatusOr<std::optional<RetentionSetting>> {
    StatementLease q =
        Prepare("SELECT retention_days, update_time FROM privacy_retention WHERE office_id = ?");
    q->bindNoCopy(1, office_id);
    if (!q->executeStep()) return std::optional<RetentionSetting>();
    return std::optional<RetentionSetting>(
        RetentionSetting{.office_id = office_id,
                         .retention_days = q->getColumn(0).getInt(),
                         .update_time = FromUnixSeconds(q->getColumn(1).getInt64())});
  });
}

absl::Status SqliteTransaction::PutRetentionSetting(const RetentionSetting& setting) {
  return WriteAtomically("put retention setting", [&]() -> absl::Status {
    StatementLease q = Prepare(
        "INSERT OR REPLACE INTO privacy_retention (office_id, retention_days, update_time) "
        "VALUES (?, ?, ?)");
    q->bindNoCopy(1, setting.office_id);
    q->bind(2, setting.retention_days);
    q->bind(3, ToUnixSeconds(setting.update_time));
    q->exec();
    return absl::OkStatus();
  });
}

absl::StatusOr<std::optional<ErasureRecord>> SqliteTransaction::GetErasure(
    const domain::AppointmentKey& appointment) {
  return Guard("get erasure", [&]() -> absl::StatusOr<std::optional<ErasureRecord>> {
    StatementLease q = Prepare(
        "SELECT erase_time, reason FROM privacy_erasures WHERE office_id = ? AND "
        "appointment_id = ?");
    q->bindNoCopy(1, appointment.office_id);
    q->bindNoCopy(2, appointment.id);
    if (!q->executeStep()) return std::optional<ErasureRecord>();
    return std::optional<ErasureRecord>(
        ErasureRecord{.appointment_id = appointment.id,
                      .office_id = appointment.office_id,
                      .erase_time = FromUnixSeconds(q->getColumn(0).getInt64()),
                      .reason = q->getColumn(1).getString()});
  });
}

absl::Status SqliteTransaction::PutErasure(const ErasureRecord& record) {
  return WriteAtomically("put erasure", [&]() -> absl::Status {
    StatementLease q = Prepare(
        "INSERT OR REPLACE INTO privacy_erasures (appointment_id, office_id, erase_time, reason) "
        "VALUES (?, ?, ?, ?)");
    q->bindNoCopy(1, record.appointment_id);
    q->bindNoCopy(2, record.office_id);
    q->bind(3, ToUnixSeconds(record.erase_time));
    q->bindNoCopy(4, record.reason);
    q->exec();
    return absl::OkStatus();
  });
}

absl::StatusOr<std::vector<std::string>> SqliteTransaction::ListUnerasedAppointments(
    const std::string& outage_id, const std::string& office_id, int limit) {
  return Guard("list unerased appointments", [&]() -> absl::StatusOr<std::vector<std::string>> {
    std::vector<std::string> ids;
    if (limit < 1) return ids;
    StatementLease q = Prepare(
        "SELECT a.id FROM appointments a WHERE a.outage_id = ? AND a.office_id = ? AND NOT "
        "EXISTS (SELECT 1 FROM privacy_erasures e WHERE e.office_id = a.office_id AND "
        "e.appointment_id = a.id) "
        "ORDER BY a.id LIMIT ?");
    q->bindNoCopy(1, outage_id);
    q->bindNoCopy(2, office_id);
    q->bind(3, limit);
    while (q->executeStep()) ids.push_back(q->getColumn(0).getString());
    return ids;
  });
}

absl::StatusOr<std::int64_t> SqliteTransaction::ScrubMessageText(
    const domain::AppointmentKey& appointment, const std::string& replacement) {
  std::int64_t changed = 0;
  REBOOK_RETURN_IF_ERROR(WriteAtomically("scrub message text", [&]() -> absl::Status {
    StatementLease events = Prepare(
        "UPDATE outbox_message_events SET reason = '' WHERE reason != '' AND message_id IN "
        "(SELECT id FROM outbox_messages WHERE office_id = ? AND appointment_id = ?)");
    events->bindNoCopy(1, appointment.office_id);
    events->bindNoCopy(2, appointment.id);
    events->exec();
    StatementLease q = Prepare(
        "UPDATE outbox_messages SET last_error = CASE WHEN last_error = '' THEN '' ELSE ? END, "
        "explanation = '', provider_message_id = '' WHERE office_id = ? AND appointment_id = ? "
        "AND (last_error NOT IN ('', ?) OR explanation != '' OR provider_message_id != '')");
    q->bindNoCopy(1, replacement);
    q->bindNoCopy(2, appointment.office_id);
    q->bindNoCopy(3, appointment.id);
    q->bindNoCopy(4, replacement);
    changed = q->exec();
    return absl::OkStatus();
  }));
  return changed;
}

absl::StatusOr<std::int64_t> SqliteTransaction::ScrubOffers(
    const domain::AppointmentKey& appointment) {
  std::int64_t changed = 0;
  // Public tokens are base64url; a '/' can never arrive in a link, and (office, appointment,
  // version) keeps the replacement unique.
  REBOOK_RETURN_IF_ERROR(WriteAtomically("scrub offers", [&]() -> absl::Status {
    StatementLease q = Prepare(
        "UPDATE offers SET explanation = '', token = 'erased/' || office_id || '/' || "
        "appointment_id || '/' || version WHERE office_id = ? AND appointment_id = ? AND "
        "(explanation != '' OR token NOT LIKE 'erased/%')");
    q->bindNoCopy(1, appointment.office_id);
    q->bindNoCopy(2, appointment.id);
    changed = q->exec();
    return absl::OkStatus();
  }));
  return changed;
}

absl::StatusOr<std::int64_t> SqliteTransaction::ForgetStoredResponses(
    std::span<const std::string> needles) {
  std::int64_t deleted = 0;
  REBOOK_RETURN_IF_ERROR(WriteAtomically("forget stored responses", [&]() -> absl::Status {
    StatementLease q = Prepare("DELETE FROM requests WHERE instr(response, ?) > 0");
    for (const std::string& needle : needles) {
      if (needle.empty()) continue;
      // A blob: responses are bytes, and instr() on a blob compares bytes.
      q->bindNoCopy(1, needle.data(), static_cast<int>(needle.size()));
      deleted += q->exec();
      q->reset();
    }
    return absl::OkStatus();
  }));
  return deleted;
}

}  // namespace rebook::storage::sqlite_internal
