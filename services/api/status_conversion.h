// absl::Status -> grpc::Status with the standard rich error model.
//
// The gRPC status carries, in its binary details (the `grpc-status-details-bin` trailer), a
// google.rpc.Status with the same code and message and, for INVALID_ARGUMENT with field
// violations, a google.rpc.BadRequest. INTERNAL and UNKNOWN errors are logged in full and sent
// with a generic message and an incident id, so that storage details never reach clients.
#ifndef REBOOK_SERVICES_API_STATUS_CONVERSION_H_
#define REBOOK_SERVICES_API_STATUS_CONVERSION_H_

#include "absl/status/status.h"
#include "grpcpp/support/status.h"

namespace rebook::api {

grpc::Status ToGrpcStatus(const absl::Status& status);

// The reverse, for clients (the CLI) and tests: code and message, violations restored from the
// BadRequest detail.
absl::Status FromGrpcStatus(const grpc::Status& status);

}  // namespace rebook::api

#endif  // REBOOK_SERVICES_API_STATUS_CONVERSION_H_
