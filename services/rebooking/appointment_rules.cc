#include "services/rebooking/appointment_rules.h"

#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "services/common/status_macros.h"

namespace rebook::rebooking {
namespace {

constexpr int kMaxCases = 1000;
constexpr std::size_t kMaxUnavailable = 200;
constexpr std::size_t kMaxTextLength = 500;

// Appointments before this are data errors (e.g. an unset timestamp), not history.
const Instant kEarliestPlausible{std::chrono::seconds(946684800)};  // 2000-01-01

void CheckText(const std::string& value, const std::string& field, std::size_t max,
               FieldViolations& v) {
  if (value.size() > max) {
    v.Add(field, absl::StrCat("is longer than ", max, " bytes"), "TOO_LONG");
  }
}

void CheckContact(const domain::Contact& c, const std::string& prefix, FieldViolations& v) {
  CheckText(c.name, prefix + ".name", 200, v);
  CheckText(c.postal_address, prefix + ".postal_address", kMaxTextLength, v);
  CheckText(c.email, prefix + ".email", 254, v);
  if (!c.email.empty() && (c.email.find('@') == std::string::npos || c.email.front() == '@' ||
                           c.email.back() == '@' || c.email.find(' ') != std::string::npos)) {
    v.Add(prefix + ".email", "is not an e-mail address", "BAD_EMAIL");
  }
  if (!c.phone.empty()) {
    bool ok = c.phone.size() <= 40;
    int digits = 0;
    for (char ch : c.phone) {
      if (absl::ascii_isdigit(static_cast<unsigned char>(ch))) {
        ++digits;
      } else if (std::string_view("+ ()/-.").find(ch) == std::string_view::npos) {
        ok = false;
      }
    }
    if (!ok || digits < 4) v.Add(prefix + ".phone", "is not a phone number", "BAD_PHONE");
  }
  if (!c.language.empty() && !LooksLikeLanguageTag(c.language)) {
    v.Add(prefix + ".language", absl::StrCat("\"", c.language, "\" is not a BCP 47 language tag"),
          "BAD_LANGUAGE");
  }
  if (!c.channel.empty() && !domain::IsKnownChannel(c.channel)) {
    v.Add(prefix + ".channel",
          absl::StrCat("unknown channel \"", c.channel,
                       "\"; use email, sms, webhook, letter, phone or file"),
          "UNKNOWN_CHANNEL");
  }
}

}  // namespace

bool LooksLikeLanguageTag(const std::string& tag) {
  if (tag.empty() || tag.size() > 35) return false;
  std::vector<std::string> parts = absl::StrSplit(tag, '-');
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const std::string& p = parts[i];
    std::size_t min = i == 0 ? 2 : 1, max = 8;
    if (p.size() < min || p.size() > max) return false;
    for (char ch : p) {
      bool ok = i == 0 ? absl::ascii_isalpha(static_cast<unsigned char>(ch))
                       : absl::ascii_isalnum(static_cast<unsigned char>(ch));
      if (!ok) return false;
    }
  }
  return parts[0].size() <= 3 || parts[0].size() >= 5;
}

absl::Status CheckAppointment(const domain::Appointment& a, const std::string& prefix,
                              ReferenceCache& refs, FieldViolations& v) {
  if (!domain::IsValidId(a.id)) {
    v.Add(prefix + ".name", "the appointment id must be 1 to 128 characters of [A-Za-z0-9._~-]",
          "BAD_ID");
  }
  REBOOK_ASSIGN_OR_RETURN(const domain::Office* office, refs.FindOffice(a.office_id));
  if (office == nullptr) {
    v.Add(prefix + ".name", absl::StrCat("unknown office \"", a.office_id, "\""), "UNKNOWN_OFFICE");
  }
  REBOOK_ASSIGN_OR_RETURN(const domain::Service* service, refs.FindService(a.service_id));
  if (service == nullptr) {
    v.Add(prefix + ".service_type", absl::StrCat("unknown service type \"", a.service_id, "\""),
          "UNKNOWN_SERVICE_TYPE");
  }
  if (a.original_start < kEarliestPlausible) {
    v.Add(prefix + ".original_start_time", "is required", "REQUIRED");
  }
  if (a.earliest_start && a.deadline && *a.deadline <= *a.earliest_start) {
    v.Add(prefix + ".deadline_time", "must be after earliest_start_time", "DEADLINE_BEFORE_START");
  }
  if (a.priority < 1 || a.priority > 10) {
    v.Add(prefix + ".priority", absl::StrCat("must be 1 to 10, not ", a.priority), "OUT_OF_RANGE");
  }
  if (a.cases < 1 || a.cases > kMaxCases) {
    v.Add(prefix + ".cases", absl::StrCat("must be 1 to ", kMaxCases, ", not ", a.cases),
          "OUT_OF_RANGE");
  }
  std::set<std::string> seen;
  for (std::size_t i = 0; i < a.allowed_offices.size(); ++i) {
    const std::string& id = a.allowed_offices[i];
    auto field = [&] { return absl::StrCat(prefix, ".allowed_offices[", i, "]"); };
    REBOOK_ASSIGN_OR_RETURN(const domain::Office* allowed, refs.FindOffice(id));
    if (allowed == nullptr) {
      v.Add(field(), absl::StrCat("unknown office \"", id, "\""), "UNKNOWN_OFFICE");
    } else if (!seen.insert(id).second) {
      v.Add(field(), absl::StrCat("office \"", id, "\" is listed twice"), "DUPLICATE");
    }
  }
  if (a.unavailable.size() > kMaxUnavailable) {
    v.Add(prefix + ".unavailable", absl::StrCat("at most ", kMaxUnavailable, " intervals"),
          "TOO_MANY");
  }
  for (std::size_t i = 0; i < a.unavailable.size(); ++i) {
    if (a.unavailable[i].end <= a.unavailable[i].start) {
      v.Add(absl::StrCat(prefix, ".unavailable[", i, "]"), "end_time must be after start_time",
            "EMPTY_INTERVAL");
    }
  }
  CheckContact(a.contact, prefix + ".contact", v);
  return absl::OkStatus();
}

}  // namespace rebook::rebooking
