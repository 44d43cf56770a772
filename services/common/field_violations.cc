#include "services/common/field_violations.h"

#include <utility>

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace rebook {
namespace {

// The payload is the violations as lines of "field\x1f description\x1f reason"; fields never
// contain the unit separator.
constexpr char kPayloadUrl[] = "type.rebook.dev/rebook.FieldViolations";
constexpr char kSep = '\x1f';

}  // namespace

void FieldViolations::Add(std::string field, std::string description, std::string reason) {
  if (violations_.size() >= kMaxViolations) {
    ++dropped_;
    return;
  }
  violations_.push_back({std::move(field), std::move(description), std::move(reason)});
}

absl::Status FieldViolations::ToStatus(const std::string& summary) const {
  if (violations_.empty()) return absl::OkStatus();
  std::string message =
      absl::StrCat(summary, ": ", violations_.front().field, ": ", violations_.front().description);
  if (violations_.size() > 1 || dropped_ > 0) {
    absl::StrAppend(&message, " (and ", violations_.size() - 1 + dropped_, " more)");
  }
  std::string payload;
  for (const FieldViolation& v : violations_) {
    absl::StrAppend(&payload, v.field, std::string(1, kSep), v.description, std::string(1, kSep),
                    v.reason, "\n");
  }
  absl::Status status = absl::InvalidArgumentError(message);
  status.SetPayload(kPayloadUrl, absl::Cord(payload));
  return status;
}

std::vector<FieldViolation> FieldViolations::FromStatus(const absl::Status& status) {
  std::vector<FieldViolation> out;
  auto payload = status.GetPayload(kPayloadUrl);
  if (!payload.has_value()) return out;
  std::string text(*payload);
  for (absl::string_view line : absl::StrSplit(text, '\n', absl::SkipEmpty())) {
    std::vector<std::string> parts = absl::StrSplit(line, kSep);
    parts.resize(3);
    out.push_back({parts[0], parts[1], parts[2]});
  }
  return out;
}

void FieldViolations::AddFrom(const absl::Status& status) {
  for (FieldViolation& fv : FromStatus(status)) {
    Add(std::move(fv.field), std::move(fv.description), std::move(fv.reason));
  }
}

absl::Status InvalidField(std::string field, std::string description, std::string reason) {
  FieldViolations v;
  v.Add(std::move(field), std::move(description), std::move(reason));
  return v.ToStatus("invalid request");
}

}  // namespace rebook
