// The change feed's events as a client reads them (rebook-sync): v1::Change -> domain::ChangeEvent.
// Part of rebook::api_client. The server's direction (ChangeEvent -> Change) belongs with the
// ChangeService.
#ifndef REBOOK_SERVICES_API_CHANGE_FROM_PROTO_H_
#define REBOOK_SERVICES_API_CHANGE_FROM_PROTO_H_

#include "absl/status/statusor.h"
#include "rebook/v1/changes.pb.h"
#include "services/domain/change_event.h"

namespace rebook::api {

// INVALID_ARGUMENT naming the cursor and field for what a client cannot read: a malformed
// resource name, a slot without its interval, or an unknown kind (a newer server: upgrade the
// client rather than skip events).
absl::StatusOr<domain::ChangeEvent> ChangeFromProto(const v1::Change& in);

}  // namespace rebook::api

#endif  // REBOOK_SERVICES_API_CHANGE_FROM_PROTO_H_
