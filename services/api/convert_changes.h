// Conversion of the change feed's events (services/domain/change_event.h) to API v1's `Change`
// (proto/rebook/v1/changes.proto). One direction only: clients never send events.
#ifndef REBOOK_SERVICES_API_CONVERT_CHANGES_H_
#define REBOOK_SERVICES_API_CONVERT_CHANGES_H_

#include "rebook/v1/changes.pb.h"
#include "services/domain/change_event.h"

namespace rebook::api {

v1::Change::Kind ToProto(domain::ChangeKind k);
// Every field of `in`; the slots carry `in.slot_time_zone`.
void ToProto(const domain::ChangeEvent& in, v1::Change* out);

}  // namespace rebook::api

#endif  // REBOOK_SERVICES_API_CONVERT_CHANGES_H_
