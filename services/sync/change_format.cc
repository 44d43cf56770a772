#include "services/sync/change_format.h"

#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "services/domain/local_time.h"

namespace rebook::sync {
namespace {

std::string Str(std::string_view s) { return std::string(s); }

std::string AppointmentName(const domain::AppointmentKey& key) {
  return absl::StrCat("offices/", key.office_id, "/appointments/", key.id);
}

std::string OfferName(const domain::ChangeEvent& e) {
  if (e.offer_version == 0) return "";
  return absl::StrCat(AppointmentName(e.appointment), "/offers/", e.offer_version);
}

// office, clerk, start, end, time_zone of a slot; five empty fields without one.
void AppendSlotFields(const domain::ScheduledSlot* slot, std::string_view tz,
                      std::vector<std::string>& row) {
  if (slot == nullptr) {
    row.insert(row.end(), 5, "");
    return;
  }
  row.push_back(slot->office_id);
  row.push_back(slot->clerk_id);
  row.push_back(FormatLocalWithOffset(tz, slot->time.start));
  row.push_back(FormatLocalWithOffset(tz, slot->time.end));
  row.push_back(Str(tz));
}

nlohmann::json SlotJson(const domain::ScheduledSlot& slot, std::string_view tz) {
  return {{"office", slot.office_id},
          {"clerk", slot.clerk_id},
          {"start", FormatLocalWithOffset(tz, slot.time.start)},
          {"end", FormatLocalWithOffset(tz, slot.time.end)},
          {"time_zone", Str(tz)}};
}

}  // namespace

std::string FormatLocalWithOffset(std::string_view tz, Instant t) {
  if (tz.empty()) return domain::FormatUtc(t);
  const domain::LocalDateTime local = domain::InstantToLocal(tz, t);
  const std::int64_t offset = local.time_since_epoch().count() - t.time_since_epoch().count();
  const std::int64_t minutes = std::llabs(offset) / 60;
  const auto day = date::floor<date::days>(local);
  const date::year_month_day ymd(day);
  const date::hh_mm_ss<std::chrono::seconds> hms(local - day);
  return absl::StrFormat("%04d-%02u-%02uT%02d:%02d:%02d%c%02d:%02d", static_cast<int>(ymd.year()),
                         static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                         hms.hours().count(), hms.minutes().count(), hms.seconds().count(),
                         offset < 0 ? '-' : '+', minutes / 60, minutes % 60);
}

nlohmann::json ChangeToJson(const domain::ChangeEvent& e) {
  nlohmann::json j = {{"cursor", e.cursor},
                      {"event_id", e.event_id},
                      {"time", domain::FormatUtc(e.change_time)},
                      {"appointment", AppointmentName(e.appointment)},
                      {"office", e.appointment.office_id},
                      {"kind", Str(domain::ToString(e.kind))},
                      {"status", Str(domain::ToString(e.status))},
                      {"service", e.service_id},
                      {"cases", e.cases},
                      {"original_start", domain::FormatUtc(e.original_start)}};
  if (!e.outage_id.empty()) j["outage"] = absl::StrCat("outages/", e.outage_id);
  if (e.rebooked_slot.has_value()) {
    nlohmann::json slot = SlotJson(e.rebooked_slot->slot, e.slot_time_zone);
    slot["confirmed_via"] = Str(domain::ToString(e.rebooked_slot->confirmed_via));
    slot["confirm_time"] = domain::FormatUtc(e.rebooked_slot->confirm_time);
    j["rebooked_slot"] = std::move(slot);
  }
  if (e.held_slot.has_value()) j["held_slot"] = SlotJson(*e.held_slot, e.slot_time_zone);
  if (e.offer_version != 0) j["offer"] = OfferName(e);
  if (e.offer_state.has_value()) j["offer_state"] = Str(domain::ToString(*e.offer_state));
  return j;
}

const std::vector<std::string>& ChangeCsvColumns() {
  static const std::vector<std::string> kColumns = {
      "cursor",         "event_id",       "time",           "appointment",
      "office",         "outage",         "kind",           "status",
      "service",        "cases",          "original_start", "rebooked_office",
      "rebooked_clerk", "rebooked_start", "rebooked_end",   "rebooked_zone",
      "confirmed_via",  "confirm_time",   "held_office",    "held_clerk",
      "held_start",     "held_end",       "held_zone",      "offer",
      "offer_state"};
  return kColumns;
}

std::vector<std::string> ChangeCsvRow(const domain::ChangeEvent& e) {
  std::vector<std::string> row;
  row.reserve(ChangeCsvColumns().size());
  row.push_back(absl::StrCat(e.cursor));
  row.push_back(e.event_id);
  row.push_back(domain::FormatUtc(e.change_time));
  row.push_back(AppointmentName(e.appointment));
  row.push_back(e.appointment.office_id);
  row.push_back(e.outage_id.empty() ? "" : absl::StrCat("outages/", e.outage_id));
  row.push_back(Str(domain::ToString(e.kind)));
  row.push_back(Str(domain::ToString(e.status)));
  row.push_back(e.service_id);
  row.push_back(absl::StrCat(e.cases));
  row.push_back(domain::FormatUtc(e.original_start));
  const domain::RebookedSlot* rebooked = e.rebooked_slot ? &*e.rebooked_slot : nullptr;
  AppendSlotFields(rebooked ? &rebooked->slot : nullptr, e.slot_time_zone, row);
  row.push_back(rebooked ? Str(domain::ToString(rebooked->confirmed_via)) : "");
  row.push_back(rebooked ? domain::FormatUtc(rebooked->confirm_time) : "");
  AppendSlotFields(e.held_slot ? &*e.held_slot : nullptr, e.slot_time_zone, row);
  row.push_back(OfferName(e));
  row.push_back(e.offer_state ? Str(domain::ToString(*e.offer_state)) : "");
  return row;
}

}  // namespace rebook::sync
