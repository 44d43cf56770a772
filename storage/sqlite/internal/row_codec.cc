#include "storage/sqlite/internal/row_codec.h"

#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "services/domain/local_time.h"

namespace rebook::storage::sqlite_internal {
namespace {

absl::Status Corrupt(std::string_view what, std::string_view text) {
  return absl::InternalError(
      absl::StrCat("corrupt ", std::string(what), " column: '", std::string(text), "'"));
}

template <typename E>
absl::StatusOr<E> DecodeEnum(std::optional<E> parsed, std::string_view what,
                             std::string_view text) {
  if (!parsed) return Corrupt(what, text);
  return *parsed;
}

}  // namespace

std::optional<std::string> EncodeStringList(const std::vector<std::string>& items) {
  if (items.empty()) return std::nullopt;
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out.push_back(',');
    for (char c : items[i]) {
      if (c == ',' || c == '\\') out.push_back('\\');
      out.push_back(c);
    }
  }
  return out;
}

absl::StatusOr<std::vector<std::string>> DecodeStringList(std::optional<std::string_view> text) {
  std::vector<std::string> items;
  if (!text) return items;
  items.emplace_back();
  for (std::size_t i = 0; i < text->size(); ++i) {
    char c = (*text)[i];
    if (c == '\\') {
      if (++i == text->size()) return Corrupt("string list", *text);
      items.back().push_back((*text)[i]);
    } else if (c == ',') {
      items.emplace_back();
    } else {
      items.back().push_back(c);
    }
  }
  return items;
}

std::optional<std::string> EncodeIntervalList(const std::vector<domain::TimeInterval>& items) {
  if (items.empty()) return std::nullopt;
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    absl::StrAppend(&out, i > 0 ? "," : "", ToUnixSeconds(items[i].start), ":",
                    ToUnixSeconds(items[i].end));
  }
  return out;
}

absl::StatusOr<std::vector<domain::TimeInterval>> DecodeIntervalList(
    std::optional<std::string_view> text) {
  std::vector<domain::TimeInterval> items;
  if (!text) return items;
  for (absl::string_view pair :
       absl::StrSplit(absl::string_view(text->data(), text->size()), ',')) {
    const std::size_t colon = pair.find(':');
    std::int64_t start = 0;
    std::int64_t end = 0;
    if (colon == absl::string_view::npos || !absl::SimpleAtoi(pair.substr(0, colon), &start) ||
        !absl::SimpleAtoi(pair.substr(colon + 1), &end)) {
      return Corrupt("interval list", *text);
    }
    items.push_back({FromUnixSeconds(start), FromUnixSeconds(end)});
  }
  return items;
}

std::string EncodeDate(domain::LocalDate date) { return domain::FormatLocalDate(date); }

absl::StatusOr<domain::LocalDate> DecodeDate(std::string_view text) {
  absl::StatusOr<domain::LocalDate> date = domain::ParseLocalDate(text);
  if (!date.ok()) return Corrupt("date", text);
  return date;
}

absl::StatusOr<domain::ServiceCategory> DecodeServiceCategory(std::string_view text) {
  return DecodeEnum(domain::ParseServiceCategory(text), "service category", text);
}
absl::StatusOr<domain::ShiftKind> DecodeShiftKind(std::string_view text) {
  return DecodeEnum(domain::ParseShiftKind(text), "shift kind", text);
}
absl::StatusOr<domain::AppointmentKind> DecodeAppointmentKind(std::string_view text) {
  return DecodeEnum(domain::ParseAppointmentKind(text), "appointment kind", text);
}
absl::StatusOr<domain::AppointmentStatus> DecodeAppointmentStatus(std::string_view text) {
  return DecodeEnum(domain::ParseAppointmentStatus(text), "appointment status", text);
}
absl::StatusOr<domain::OutageState> DecodeOutageState(std::string_view text) {
  std::optional<domain::OutageState> state;
  if (text == domain::ToString(domain::OutageState::kActive)) {
    state = domain::OutageState::kActive;
  } else if (text == domain::ToString(domain::OutageState::kClosed)) {
    state = domain::OutageState::kClosed;
  }
  return DecodeEnum(state, "outage state", text);
}

}  // namespace rebook::storage::sqlite_internal
