#include "services/interop/zms_sink.h"

#include <system_error>

#include "absl/strings/str_cat.h"
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

absl::StatusOr<std::unique_ptr<sync::ChangeSink>> ZmsSinkFactory::Create(
    const sync::SinkConfig& config) const {
  REBOOK_RETURN_IF_ERROR(config.CheckKnownKeys({"dir", "slot_minutes"}));
  REBOOK_ASSIGN_OR_RETURN(std::string dir, config.GetString("dir"));
  REBOOK_ASSIGN_OR_RETURN(std::int64_t slot_minutes, config.GetInt("slot_minutes", 10, 1, 240));
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (error || !std::filesystem::is_directory(dir)) {
    return config.Invalid("dir", absl::StrCat("cannot create folder ", dir, ": ", error.message()));
  }
  ZmsSink::Options options;
  options.dir = dir;
  options.format.slot_minutes = static_cast<int>(slot_minutes);
  return std::make_unique<ZmsSink>(std::move(options));
}

}  // namespace rebook::interop
