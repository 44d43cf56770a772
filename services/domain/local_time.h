// Conversions between UTC instants and office-local wall-clock times.
//
// Every local time in rebook belongs to an IANA zone (usually Europe/Berlin). The rules follow
// the scenario bundle spec: a local time that does not exist (skipped when DST starts) is an
// error, and an ambiguous one (repeated when DST ends) means its first occurrence.
//
//   REBOOK_ASSIGN_OR_RETURN(auto local, ParseLocalDateTime("2026-03-29T02:30"));
//   absl::StatusOr<Instant> t = LocalToInstant("Europe/Berlin", local);  // error: skipped hour
//
// Thread-safe: the zone database is read once and then only read.
#ifndef REBOOK_SERVICES_DOMAIN_LOCAL_TIME_H_
#define REBOOK_SERVICES_DOMAIN_LOCAL_TIME_H_

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "date/date.h"
#include "services/common/clock.h"
#include "services/domain/model.h"

namespace rebook::domain {

using LocalDateTime = date::local_seconds;

// OK if `tz` names a zone in the system's zone database.
absl::Status ValidateTimeZone(std::string_view tz);

// Local time in `tz` -> instant. InvalidArgument for unknown zones and skipped local times.
absl::StatusOr<Instant> LocalToInstant(std::string_view tz, LocalDateTime local);
// Instant -> local time in `tz`. `tz` must be valid (see ValidateTimeZone).
LocalDateTime InstantToLocal(std::string_view tz, Instant t);
LocalDate LocalDateOf(std::string_view tz, Instant t);
// Midnight at the start of `day` in `tz` (the first instant of that local date).
Instant StartOfLocalDay(std::string_view tz, LocalDate day);

// "YYYY-MM-DDTHH:MM" (seconds optional on input, never written).
absl::StatusOr<LocalDateTime> ParseLocalDateTime(std::string_view text);
std::string FormatLocalDateTime(LocalDateTime t);
std::string FormatLocal(std::string_view tz, Instant t);
// "YYYY-MM-DD".
absl::StatusOr<LocalDate> ParseLocalDate(std::string_view text);
std::string FormatLocalDate(LocalDate d);
// RFC 3339 UTC, e.g. "2026-01-27T10:50:00Z". For logs and JSON.
std::string FormatUtc(Instant t);

}  // namespace rebook::domain

#endif  // REBOOK_SERVICES_DOMAIN_LOCAL_TIME_H_
