#include "services/interop/zms_export.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "nlohmann/json.hpp"
#include "services/common/status_macros.h"
#include "services/domain/local_time.h"

namespace rebook::interop {
namespace {

using nlohmann::json;

bool AllDigits(std::string_view s) {
  return !s.empty() && s.size() <= 18 &&
         std::all_of(s.begin(), s.end(), [](char c) { return absl::ascii_isdigit(c); });
}

std::int64_t UnixSeconds(Instant t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

absl::StatusOr<json> Scope(const std::string& office, const ZmsExportOptions& o) {
  if (!AllDigits(office)) {
    return absl::InvalidArgumentError(
        absl::StrCat("office \"", office, "\" is no ZMS scope id (digits only)"));
  }
  ZmsScopeRef ref;
  if (auto it = o.scopes.find(office); it != o.scopes.end()) ref = it->second;
  json provider = {{"id", nullptr}, {"source", ref.provider_source}};
  if (AllDigits(ref.provider_id)) provider["id"] = std::stoll(ref.provider_id);
  std::string name = ref.provider_name;
  if (name.empty()) {
    auto n = o.office_names.find(office);
    name = n != o.office_names.end() && !n->second.empty() ? n->second : "Scope " + office;
  }
  provider["name"] = name;
  return json{{"id", std::stoll(office)}, {"shortName", ref.short_name}, {"provider", provider}};
}

int SlotMinutes(const std::string& office, const ZmsExportOptions& o) {
  auto it = o.scopes.find(office);
  if (it != o.scopes.end() && it->second.slot_minutes > 0) return it->second.slot_minutes;
  return o.slot_minutes > 0 ? o.slot_minutes : 10;
}

absl::Status Errno(std::string_view what, const std::filesystem::path& p) {
  return absl::InternalError(
      absl::StrCat(std::string(what), " ", p.string(), ": ", std::strerror(errno)));
}

}  // namespace

std::vector<ZmsRebooking> ConfirmedRebookings(const std::vector<domain::Appointment>& appts) {
  std::vector<ZmsRebooking> out;
  for (const domain::Appointment& a : appts) {
    if (a.status != domain::AppointmentStatus::kConfirmed || !a.rebooked_slot) continue;
    out.push_back({a.id, a.rebooked_slot->slot, a.rebooked_slot->confirm_time, a.contact});
  }
  return out;
}

absl::StatusOr<std::string> ZmsProcessesJson(const std::vector<ZmsRebooking>& rebookings,
                                             const ZmsExportOptions& options) {
  json data = json::array();
  for (const ZmsRebooking& r : rebookings) {
    if (!AllDigits(r.process_id) || std::stoll(r.process_id) < 1000) {
      return absl::InvalidArgumentError(absl::StrCat(
          "appointment ", r.process_id, " has no ZMS process id (digits, at least 1000)"));
    }
    absl::StatusOr<json> scope = Scope(r.slot.office_id, options);
    if (!scope.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("appointment ", r.process_id, ": ", scope.status().message()));
    }
    auto minutes = std::chrono::duration_cast<std::chrono::minutes>(r.slot.time.Duration()).count();
    int slot = SlotMinutes(r.slot.office_id, options);
    std::int64_t slots = std::max<std::int64_t>(1, (minutes + slot - 1) / slot);
    json p = {{"id", std::stoll(r.process_id)},
              {"status", "confirmed"},
              {"lastChange", UnixSeconds(r.confirm_time)},
              {"appointments", json::array({{{"date", UnixSeconds(r.slot.time.start)},
                                             {"slotCount", slots},
                                             {"scope", *scope}}})},
              {"scope", *scope}};
    if (r.contact) {
      json client = {{"familyName", r.contact->name}};
      if (!r.contact->email.empty()) client["email"] = r.contact->email;
      if (!r.contact->phone.empty()) client["telephone"] = r.contact->phone;
      p["clients"] = json::array({client});
    }
    data.push_back(std::move(p));
  }
  json doc = {{"$schema", "https://schema.berlin.de/queuemanagement/process.json"},
              {"meta",
               {{"error", false},
                {"generated", domain::FormatUtc(options.generated)},
                {"length", data.size()},
                {"server", "rebook"}}},
              {"data", std::move(data)}};
  return doc.dump(2) + "\n";
}

absl::Status WriteFileAtomically(const std::filesystem::path& path, std::string_view content) {
  std::error_code ec;
  std::filesystem::path dir = path.parent_path().empty() ? "." : path.parent_path();
  std::filesystem::create_directories(dir, ec);
  if (ec) return absl::InternalError(absl::StrCat("create ", dir.string(), ": ", ec.message()));
  std::filesystem::path tmp = path;
  tmp += ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return Errno("open", tmp);
  std::size_t done = 0;
  while (done < content.size()) {
    ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      absl::Status s = Errno("write", tmp);
      ::close(fd);
      return s;
    }
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0) {
    absl::Status s = Errno("fsync", tmp);
    ::close(fd);
    return s;
  }
  if (::close(fd) != 0) return Errno("close", tmp);
  if (::rename(tmp.c_str(), path.c_str()) != 0) return Errno("rename", path);
  int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd < 0) return Errno("open", dir);
  int rc = ::fsync(dfd);
  ::close(dfd);
  if (rc != 0) return Errno("fsync", dir);
  return absl::OkStatus();
}

absl::StatusOr<int> WriteZmsExport(const std::vector<domain::Appointment>& appointments,
                                   const std::filesystem::path& dir,
                                   const ZmsExportOptions& options) {
  std::vector<ZmsRebooking> rebookings = ConfirmedRebookings(appointments);
  REBOOK_ASSIGN_OR_RETURN(std::string text, ZmsProcessesJson(rebookings, options));
  REBOOK_RETURN_IF_ERROR(WriteFileAtomically(dir / "processes.json", text));
  return static_cast<int>(rebookings.size());
}

}  // namespace rebook::interop
