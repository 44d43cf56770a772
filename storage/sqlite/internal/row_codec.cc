#include "storage/sqlite/internal/row_codec.h"

#include <charconv>
#include <system_error>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "services/common/status_macros.h"
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

std::optional<std::string> EncodeSlotList(const std::vector<domain::OfferSlot>& items) {
  std::vector<std::string> fields;
  fields.reserve(items.size() * 5);
  for (const domain::OfferSlot& slot : items) {
    fields.push_back(slot.office_id);
    fields.push_back(slot.clerk_id);
    fields.push_back(absl::StrCat(ToUnixSeconds(slot.time.start)));
    fields.push_back(absl::StrCat(ToUnixSeconds(slot.time.end)));
    fields.push_back(EncodeDouble(slot.cost));
  }
  return EncodeStringList(fields);
}

absl::StatusOr<std::vector<domain::OfferSlot>> DecodeSlotList(
    std::optional<std::string_view> text) {
  REBOOK_ASSIGN_OR_RETURN(std::vector<std::string> fields, DecodeStringList(text));
  if (fields.size() % 5 != 0) return Corrupt("slot list", *text);
  std::vector<domain::OfferSlot> items;
  for (std::size_t i = 0; i < fields.size(); i += 5) {
    domain::OfferSlot& slot = items.emplace_back();
    slot.office_id = fields[i];
    slot.clerk_id = fields[i + 1];
    std::int64_t start = 0;
    std::int64_t end = 0;
    absl::StatusOr<double> cost = DecodeDouble(fields[i + 4]);
    if (!absl::SimpleAtoi(fields[i + 2], &start) || !absl::SimpleAtoi(fields[i + 3], &end) ||
        !cost.ok()) {
      return Corrupt("slot list", *text);
    }
    slot.time = {FromUnixSeconds(start), FromUnixSeconds(end)};
    slot.cost = *cost;
  }
  return items;
}

std::string EncodeDouble(double value) {
  char buffer[64];
  const std::to_chars_result r = std::to_chars(buffer, buffer + sizeof(buffer), value);
  return std::string(buffer, r.ptr);
}

absl::StatusOr<double> DecodeDouble(std::string_view text) {
  double value = 0.0;
  const std::from_chars_result r = std::from_chars(text.data(), text.data() + text.size(), value);
  if (r.ec != std::errc() || r.ptr != text.data() + text.size()) return Corrupt("number", text);
  return value;
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

absl::StatusOr<domain::PlanState> DecodePlanState(std::string_view text) {
  return DecodeEnum(domain::ParsePlanState(text), "plan state", text);
}
absl::StatusOr<domain::AssignmentStatus> DecodeAssignmentStatus(std::string_view text) {
  return DecodeEnum(domain::ParseAssignmentStatus(text), "assignment status", text);
}
absl::StatusOr<domain::OfferState> DecodeOfferState(std::string_view text) {
  return DecodeEnum(domain::ParseOfferState(text), "offer state", text);
}
absl::StatusOr<domain::MessageKind> DecodeMessageKind(std::string_view text) {
  return DecodeEnum(domain::ParseMessageKind(text), "message kind", text);
}
absl::StatusOr<domain::MessageState> DecodeMessageState(std::string_view text) {
  return DecodeEnum(domain::ParseMessageState(text), "message state", text);
}

}  // namespace rebook::storage::sqlite_internal
