// FieldViolations: collects what is wrong with a request, field by field, and turns it into one
// INVALID_ARGUMENT status that carries every violation.
//
// Domain and use-case code stays free of protobuf; the API layer reads the violations back with
// `FieldViolations::FromStatus` and sends them as google.rpc.BadRequest.
//
//   FieldViolations v;
//   if (a.priority < 1 || a.priority > 10) v.Add("appointments[3].priority", "must be 1 to 10");
//   REBOOK_RETURN_IF_ERROR(v.ToStatus("invalid appointments"));
//
// Field paths use the API's field names (AIP-161), e.g. `outage.window.end_time`.
#ifndef REBOOK_SERVICES_COMMON_FIELD_VIOLATIONS_H_
#define REBOOK_SERVICES_COMMON_FIELD_VIOLATIONS_H_

#include <cstddef>
#include <string>
#include <vector>

#include "absl/status/status.h"

namespace rebook {

struct FieldViolation {
  std::string field;        // e.g. "appointments[3].deadline_time"
  std::string description;  // English, for people
  std::string reason;       // UPPER_SNAKE_CASE, for programs; may be empty
  friend bool operator==(const FieldViolation&, const FieldViolation&) = default;
};

class FieldViolations {
 public:
  // Stop collecting after this many; a request with thousands of bad rows gets the first ones.
  static constexpr std::size_t kMaxViolations = 100;

  void Add(std::string field, std::string description, std::string reason = "");
  // Adds every violation `status` carries (see FromStatus); nothing for other statuses.
  void AddFrom(const absl::Status& status);
  bool empty() const { return violations_.empty(); }
  std::size_t size() const { return violations_.size(); }
  const std::vector<FieldViolation>& violations() const { return violations_; }

  // OK when empty; otherwise INVALID_ARGUMENT whose message is `summary` followed by the first
  // violation, with all violations attached as a payload.
  absl::Status ToStatus(const std::string& summary) const;

  // The violations carried by `status` (empty for statuses made elsewhere).
  static std::vector<FieldViolation> FromStatus(const absl::Status& status);

 private:
  std::vector<FieldViolation> violations_;
  std::size_t dropped_ = 0;
};

// A one-violation INVALID_ARGUMENT, for the common case.
absl::Status InvalidField(std::string field, std::string description, std::string reason = "");

}  // namespace rebook

#endif  // REBOOK_SERVICES_COMMON_FIELD_VIOLATIONS_H_
