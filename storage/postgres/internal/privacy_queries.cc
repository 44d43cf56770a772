// The personal-data lifecycle (storage/privacy_store.h): retention settings, erasure records
// and the scrubbing of free text.
#include <string>

#include "absl/strings/str_cat.h"
#include "storage/postgres/internal/pg_transaction.h"

namespace rebook::storage::postgres_internal {

absl::StatusOr<std::optional<RetentionSetting>> PgTransaction::GetRetentionSetting(
    const std::string& office_id) {
  return Guard("get retention setting",
               [&](pqxx::dbtransaction& tx) -> absl::StatusOr<std::optional<RetentionSetting>> {
                 const pqxx::result r =
                     tx.exec_params(absl::StrCat("SELECT retention_days, ", Ts("update_time"),
                                                 " FROM privacy_retention WHERE office_id = $1"),
                                    office_id);
                 if (r.empty()) return std::optional<RetentionSetting>();
                 return std::optional<RetentionSetting>(
                     RetentionSetting{.office_id = office_id,
                                      .retention_days = static_cast<int>(Int(r[0][0])),
                                      .update_time = Time(r[0][1])});
               });
}

absl::Status PgTransaction::PutRetentionSetting(const RetentionSetting& setting) {
  return WriteAtomically("put retention setting", [&](pqxx::dbtransaction& tx) -> absl::Status {
    tx.exec_params(
        "INSERT INTO privacy_retention (office_id, retention_days, update_time) VALUES ($1, $2, "
        "to_timestamp($3::bigint)) ON CONFLICT (office_id) DO UPDATE SET retention_days = "
        "excluded.retention_days, update_time = excluded.update_time",
        setting.office_id, setting.retention_days, UnixSeconds(setting.update_time));
    return absl::OkStatus();
  });
}

absl::StatusOr<std::optional<ErasureRecord>> PgTransaction::GetErasure(
    const domain::AppointmentKey& appointment) {
  return Guard(
      "get erasure", [&](pqxx::dbtransaction& tx) -> absl::StatusOr<std::optional<ErasureRecord>> {
        const pqxx::result r =
            tx.exec_params(absl::StrCat("SELECT ", Ts("erase_time"),
                                        ", reason FROM privacy_erasures WHERE office_id = $1 AND "
                                        "appointment_id = $2"),
                           appointment.office_id, appointment.id);
        if (r.empty()) return std::optional<ErasureRecord>();
        return std::optional<ErasureRecord>(ErasureRecord{.appointment_id = appointment.id,
                                                          .office_id = appointment.office_id,
                                                          .erase_time = Time(r[0][0]),
                                                          .reason = Str(r[0][1])});
      });
}

absl::Status PgTransaction::PutErasure(const ErasureRecord& record) {
  return WriteAtomically("put erasure", [&](pqxx::dbtransaction& tx) -> absl::Status {
    tx.exec_params(
        "INSERT INTO privacy_erasures (office_id, appointment_id, erase_time, reason) VALUES "
        "($1, $2, to_timestamp($3::bigint), $4) ON CONFLICT (office_id, appointment_id) DO UPDATE "
        "SET "
        "erase_time = excluded.erase_time, reason = excluded.reason",
        record.office_id, record.appointment_id, UnixSeconds(record.erase_time), record.reason);
    return absl::OkStatus();
  });
}

absl::StatusOr<std::vector<std::string>> PgTransaction::ListUnerasedAppointments(
    const std::string& outage_id, const std::string& office_id, int limit) {
  return Guard("list unerased appointments",
               [&](pqxx::dbtransaction& tx) -> absl::StatusOr<std::vector<std::string>> {
                 std::vector<std::string> ids;
                 if (limit < 1) return ids;
                 const pqxx::result r = tx.exec_params(
                     "SELECT a.id FROM appointments a WHERE a.outage_id = $1 AND a.office_id = "
                     "$2 AND NOT EXISTS (SELECT 1 FROM privacy_erasures e WHERE e.office_id = "
                     "a.office_id AND e.appointment_id = a.id) ORDER BY a.id LIMIT $3",
                     outage_id, office_id, limit);
                 for (const pqxx::row& row : r) ids.push_back(Str(row[0]));
                 return ids;
               });
}

absl::StatusOr<std::int64_t> PgTransaction::ScrubMessageText(
    const domain::AppointmentKey& appointment, const std::string& replacement) {
  std::int64_t changed = 0;
  REBOOK_RETURN_IF_ERROR(
      WriteAtomically("scrub message text", [&](pqxx::dbtransaction& tx) -> absl::Status {
        tx.exec_params(
            "UPDATE outbox_message_events SET reason = '' WHERE reason <> '' AND message_id IN "
            "(SELECT id FROM outbox_messages WHERE office_id = $1 AND appointment_id = $2)",
            appointment.office_id, appointment.id);
        changed = static_cast<std::int64_t>(
            tx.exec_params(
                  "UPDATE outbox_messages SET last_error = CASE WHEN last_error = '' THEN '' "
                  "ELSE $1 END, explanation = '', provider_message_id = '' WHERE office_id = $2 "
                  "AND appointment_id = $3 AND (last_error NOT IN ('', $1) OR explanation <> '' "
                  "OR provider_message_id <> '')",
                  replacement, appointment.office_id, appointment.id)
                .affected_rows());
        return absl::OkStatus();
      }));
  return changed;
}

absl::StatusOr<std::int64_t> PgTransaction::ScrubOffers(const domain::AppointmentKey& appointment) {
  std::int64_t changed = 0;
  // Public tokens are base64url; a '/' can never arrive in a link, and (office, appointment,
  // version) keeps the replacement unique.
  REBOOK_RETURN_IF_ERROR(
      WriteAtomically("scrub offers", [&](pqxx::dbtransaction& tx) -> absl::Status {
        changed = static_cast<std::int64_t>(
            tx.exec_params(
                  "UPDATE offers SET explanation = '', token = 'erased/' || office_id || '/' || "
                  "appointment_id || '/' || version WHERE office_id = $1 AND appointment_id = $2 "
                  "AND "
                  "(explanation <> '' OR token NOT LIKE 'erased/%')",
                  appointment.office_id, appointment.id)
                .affected_rows());
        return absl::OkStatus();
      }));
  return changed;
}

absl::StatusOr<std::int64_t> PgTransaction::ForgetStoredResponses(
    std::span<const std::string> needles) {
  std::int64_t deleted = 0;
  REBOOK_RETURN_IF_ERROR(
      WriteAtomically("forget stored responses", [&](pqxx::dbtransaction& tx) -> absl::Status {
        deleted = 0;
        for (const std::string& needle : needles) {
          if (needle.empty()) continue;
          Params p;
          const std::string sql = absl::StrCat("DELETE FROM requests WHERE position(",
                                               p.AddBytes(needle), " IN response) > 0");
          deleted += static_cast<std::int64_t>(p.Exec(tx, sql).affected_rows());
        }
        return absl::OkStatus();
      }));
  return deleted;
}

}  // namespace rebook::storage::postgres_internal
