// Column encodings shared by the SQLite store and the benchmark-only raw insert
// (bench/storage_raw).
//
// Instants are INTEGER unix seconds (UTC). Enums are stored by their domain names
// ("booked", "walk_in") so the file stays readable with the sqlite3 shell and survives enum
// reordering. List fields of appointments are packed into one TEXT column each, which keeps a
// bulk insert to one row per appointment:
//   - a string list is its items joined by ',' with '\' escaping ',' and '\'; an empty list is
//     NULL, so the list [""] (stored as '') stays distinct from [] (NULL);
//   - an interval list is "start:end" pairs of unix seconds joined by ',';
//   - an offer slot list is a string list of five items per slot: office, clerk, start and end
//     (unix seconds) and cost (the shortest decimal that reads back as the same double).
// Decoders return INTERNAL for text that no encoder writes (a corrupt or foreign file).
#ifndef REBOOK_STORAGE_SQLITE_INTERNAL_ROW_CODEC_H_
#define REBOOK_STORAGE_SQLITE_INTERNAL_ROW_CODEC_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "services/common/clock.h"
#include "services/domain/model.h"
#include "services/domain/outreach.h"
#include "services/domain/plan.h"

namespace rebook::storage::sqlite_internal {

inline std::int64_t ToUnixSeconds(Instant t) { return t.time_since_epoch().count(); }
inline Instant FromUnixSeconds(std::int64_t s) { return Instant(std::chrono::seconds(s)); }

// nullopt for an empty list (stored as NULL).
std::optional<std::string> EncodeStringList(const std::vector<std::string>& items);
absl::StatusOr<std::vector<std::string>> DecodeStringList(std::optional<std::string_view> text);

std::optional<std::string> EncodeIntervalList(const std::vector<domain::TimeInterval>& items);
absl::StatusOr<std::vector<domain::TimeInterval>> DecodeIntervalList(
    std::optional<std::string_view> text);

std::optional<std::string> EncodeSlotList(const std::vector<domain::OfferSlot>& items);
absl::StatusOr<std::vector<domain::OfferSlot>> DecodeSlotList(std::optional<std::string_view> text);

// The shortest decimal text that reads back as `value` (finite values only).
std::string EncodeDouble(double value);
absl::StatusOr<double> DecodeDouble(std::string_view text);

// "YYYY-MM-DD"; sorts like the date.
std::string EncodeDate(domain::LocalDate date);
absl::StatusOr<domain::LocalDate> DecodeDate(std::string_view text);

// Enum columns, by domain name. INTERNAL for names no encoder writes.
absl::StatusOr<domain::ServiceCategory> DecodeServiceCategory(std::string_view text);
absl::StatusOr<domain::ShiftKind> DecodeShiftKind(std::string_view text);
absl::StatusOr<domain::AppointmentKind> DecodeAppointmentKind(std::string_view text);
absl::StatusOr<domain::AppointmentStatus> DecodeAppointmentStatus(std::string_view text);
absl::StatusOr<domain::OutageState> DecodeOutageState(std::string_view text);
absl::StatusOr<domain::PlanState> DecodePlanState(std::string_view text);
absl::StatusOr<domain::AssignmentStatus> DecodeAssignmentStatus(std::string_view text);
absl::StatusOr<domain::OfferState> DecodeOfferState(std::string_view text);
absl::StatusOr<domain::MessageKind> DecodeMessageKind(std::string_view text);
absl::StatusOr<domain::MessageState> DecodeMessageState(std::string_view text);

}  // namespace rebook::storage::sqlite_internal

#endif  // REBOOK_STORAGE_SQLITE_INTERNAL_ROW_CODEC_H_
