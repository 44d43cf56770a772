// Rules every request message of API v1 follows, checked by reflection before an RPC runs, so
// that no RPC can forget one:
//   - an enum field holds a value its enum defines (proto3 keeps unknown numbers; they are
//     refused, not read as some default);
//   - a google.protobuf.Timestamp has nanos in [0, 1e9), a google.protobuf.Duration nanos in
//     (-1e9, 1e9) with the sign of its seconds;
//   - a `page_size` is not negative.
//
//   FieldViolations v;
//   CheckRequestFields(request, v);
//   REBOOK_RETURN_IF_ERROR(v.ToStatus("invalid request"));
//
// Violations name the field path from the request, e.g. "appointment.kind",
// "parameters.horizon.start_time.nanos", "requests[2].new_start_time.nanos".
#ifndef REBOOK_SERVICES_API_REQUEST_CHECK_H_
#define REBOOK_SERVICES_API_REQUEST_CHECK_H_

#include <string>

#include "google/protobuf/message.h"
#include "services/common/field_violations.h"

namespace rebook::api {

// Adds a violation for each field of `request` (recursively) that breaks a rule above; field
// paths start with `prefix` (empty for a whole request).
void CheckRequestFields(const google::protobuf::Message& request, FieldViolations& v,
                        const std::string& prefix = "");

}  // namespace rebook::api

#endif  // REBOOK_SERVICES_API_REQUEST_CHECK_H_
