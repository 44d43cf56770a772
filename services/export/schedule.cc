#include "services/export/schedule.h"

#include <algorithm>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "services/domain/local_time.h"

namespace rebook::exports {
namespace {

bool EntryBefore(const ScheduleEntry& a, const ScheduleEntry& b) {
  return std::tie(a.slot->office_id, a.slot->time.start, a.slot->clerk_id, a.appointment->id) <
         std::tie(b.slot->office_id, b.slot->time.start, b.slot->clerk_id, b.appointment->id);
}

}  // namespace

absl::StatusOr<Schedule> Schedule::Build(ExportData data) {
  Schedule s;
  s.data_ = std::move(data);
  for (const domain::Office& o : s.data_.offices) {
    if (absl::Status st = domain::ValidateTimeZone(o.time_zone); !st.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("office ", o.id, ": ", std::string(st.message())));
    }
  }
  auto clerk_name = [&](const std::string& id) {
    for (const domain::Clerk& c : s.data_.clerks) {
      if (c.id == id) return c.name.empty() ? id : c.name;
    }
    return id;
  };
  for (const domain::Appointment& a : s.data_.appointments) {
    const domain::Office* original = s.FindOffice(a.office_id);
    if (original == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat("appointment ", a.id, ": office ", a.office_id, " is unknown"));
    }
    const domain::ScheduledSlot* slot = nullptr;
    SlotState state = SlotState::kRebooked;
    if (a.rebooked_slot.has_value()) {
      slot = &a.rebooked_slot->slot;
    } else if (a.held_slot.has_value()) {
      slot = &*a.held_slot;
      state = SlotState::kHeld;
    }
    if (slot == nullptr) {
      s.unscheduled_.push_back(&a);
      continue;
    }
    const domain::Office* office = s.FindOffice(slot->office_id);
    if (office == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat("appointment ", a.office_id, "/", a.id,
                                                     ": slot office ", slot->office_id,
                                                     " is unknown"));
    }
    ScheduleEntry e{
        &a, state, slot, office, original, clerk_name(slot->clerk_id), s.ServiceName(a.service_id)};
    (state == SlotState::kRebooked ? s.rebooked_ : s.held_).push_back(std::move(e));
  }
  std::sort(s.rebooked_.begin(), s.rebooked_.end(), EntryBefore);
  std::sort(s.held_.begin(), s.held_.end(), EntryBefore);
  std::sort(s.unscheduled_.begin(), s.unscheduled_.end(),
            [](const domain::Appointment* a, const domain::Appointment* b) {
              return std::tie(a->office_id, a->id) < std::tie(b->office_id, b->id);
            });
  return s;
}

const domain::Office* Schedule::FindOffice(const std::string& id) const {
  return domain::FindOffice(data_.offices, id);
}

std::string Schedule::ServiceName(const std::string& service_id) const {
  for (const domain::Service& s : data_.services) {
    if (s.id == service_id) return s.name.empty() ? service_id : s.name;
  }
  return service_id;
}

int Schedule::ServiceMinutes(const std::string& service_id) const {
  for (const domain::Service& s : data_.services) {
    if (s.id == service_id) return s.duration_min;
  }
  return 15;
}

std::string LocalText(const std::string& tz, Instant t) {
  return domain::FormatLocalDateTime(domain::InstantToLocal(tz, t));
}

std::string UtcText(Instant t) { return domain::FormatUtc(t); }

}  // namespace rebook::exports
