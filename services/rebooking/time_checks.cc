#include "services/rebooking/time_checks.h"

#include <algorithm>
#include <cstdint>
#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "services/common/status_macros.h"
#include "services/domain/local_time.h"

namespace rebook::rebooking {
namespace {

std::string ServerTime(Instant now) { return absl::StrCat("server time ", domain::FormatUtc(now)); }

std::string Notice(std::chrono::seconds notice) {
  const auto minutes = std::chrono::duration_cast<std::chrono::minutes>(notice).count();
  if (minutes % 60 == 0) return absl::StrCat(minutes / 60, " h");
  return absl::StrCat(minutes, " min");
}

}  // namespace

std::string FormatWithOffset(const std::string& tz, Instant t) {
  const auto offset = std::chrono::duration_cast<std::chrono::minutes>(
      domain::InstantToLocal(tz, t).time_since_epoch() - t.time_since_epoch());
  const std::int64_t m = offset.count();
  return absl::StrCat(
      domain::FormatLocal(tz, t),
      absl::StrFormat("%c%02d:%02d", m < 0 ? '-' : '+', std::llabs(m) / 60, std::llabs(m) % 60));
}

absl::Status CheckOutageWindow(const domain::TimeInterval& window,
                               const std::vector<std::string>& time_zones, Instant now) {
  const std::string first_tz = time_zones.empty() ? "UTC" : time_zones.front();
  if (window.end + kOutageDeclareGrace < now) {
    return absl::FailedPreconditionError(absl::StrCat(
        "outage.window.end_time ", FormatWithOffset(first_tz, window.end), " lies in the past (",
        ServerTime(now), "); an outage may be declared while it lasts or up to ",
        kOutageDeclareGrace.count() / 24, " days after it ended"));
  }
  return absl::OkStatus();
}

Instant EarliestSlotStart(Instant now, std::chrono::seconds min_notice) {
  constexpr std::chrono::seconds kGrid = std::chrono::minutes(15);
  const Instant t = now + std::max(min_notice, std::chrono::seconds(0));
  const auto since_epoch = t.time_since_epoch();
  const auto rest = since_epoch % kGrid;
  return rest == std::chrono::seconds(0) ? t : t + (kGrid - rest);
}

absl::StatusOr<Instant> EarliestHorizonStart(const domain::PlanParams& params,
                                             const std::string& tz, Instant now,
                                             std::chrono::seconds min_notice,
                                             const std::string& prefix) {
  const Instant earliest = EarliestSlotStart(now, min_notice);
  if (params.horizon_start < now) {
    return absl::FailedPreconditionError(
        absl::StrCat(prefix, ".horizon.start_time ", FormatWithOffset(tz, params.horizon_start),
                     " lies in the past (", ServerTime(now), "); with the minimum notice of ",
                     Notice(min_notice), " a plan may start at ", FormatWithOffset(tz, earliest)));
  }
  const Instant start = std::max(params.horizon_start, earliest);
  if (start >= params.horizon_end) {
    return absl::FailedPreconditionError(
        absl::StrCat(prefix, ".horizon.end_time ", FormatWithOffset(tz, params.horizon_end),
                     " leaves no time for slots: with the minimum notice of ", Notice(min_notice),
                     " the first slot may start at ", FormatWithOffset(tz, earliest), " (",
                     ServerTime(now), ")"));
  }
  return start;
}

absl::Status CheckSlotsAhead(storage::Transaction& tx, const std::string& plan_id,
                             std::span<const domain::Assignment> assignments, Instant now,
                             std::chrono::seconds min_notice) {
  // Slots before the earliest start are too close; the grid's rounding does not count here.
  const Instant earliest = now + min_notice;
  std::int64_t too_early = 0;
  const domain::Assignment* first = nullptr;
  for (const domain::Assignment& a : assignments) {
    if (a.status != domain::AssignmentStatus::kAssigned || a.time.start >= earliest) continue;
    ++too_early;
    if (first == nullptr || a.time.start < first->time.start) first = &a;
  }
  if (too_early == 0) return absl::OkStatus();
  absl::StatusOr<domain::Office> office = tx.GetOffice(first->office_id);
  const std::string tz = office.ok() ? office->time_zone : "UTC";
  return absl::FailedPreconditionError(
      absl::StrCat("plan \"", plan_id, "\" offers ", too_early, too_early == 1 ? " slot" : " slots",
                   " that start in the past or within the minimum notice of ", Notice(min_notice),
                   " (the first at ", FormatWithOffset(tz, first->time.start),
                   " for appointment \"", first->appointment_id, "\"; ", ServerTime(now),
                   "); create a new plan (or re-plan the outage) instead of committing this one"));
}

absl::StatusOr<CommitResult> CommitPlanOnTime(storage::Transaction& tx,
                                              const std::string& outage_id,
                                              const std::string& plan_id, const CommitContext& ctx,
                                              std::chrono::seconds min_notice) {
  CommitContext on_time = ctx;
  on_time.min_notice = min_notice;
  return CommitPlan(tx, outage_id, plan_id, on_time);
}

}  // namespace rebook::rebooking
