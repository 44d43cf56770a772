#include "services/interop/zms_sink.h"

#include "absl/strings/str_format.h"
#include "services/common/status_macros.h"

namespace rebook::interop {

std::string ZmsSink::FileName(std::int64_t first_cursor, std::int64_t last_cursor) {
  return absl::StrFormat("processes-%020d-%020d.json", first_cursor, last_cursor);
}

absl::Status ZmsSink::Write(absl::Span<const domain::ChangeEvent> batch) {
  if (batch.empty()) return absl::OkStatus();
  std::vector<ZmsRebooking> rebookings;
  for (const domain::ChangeEvent& e : batch) {
    if (e.kind != domain::ChangeKind::kSlotConfirmed || !e.rebooked_slot) continue;
    rebookings.push_back(
        {e.appointment.id, e.rebooked_slot->slot, e.rebooked_slot->confirm_time, std::nullopt});
  }
  if (rebookings.empty()) return absl::OkStatus();
  ZmsExportOptions format = options_.format;
  format.generated = batch.back().change_time;
  REBOOK_ASSIGN_OR_RETURN(std::string text, ZmsProcessesJson(rebookings, format));
  return WriteFileAtomically(options_.dir / FileName(batch.front().cursor, batch.back().cursor),
                             text);
}

}  // namespace rebook::interop
