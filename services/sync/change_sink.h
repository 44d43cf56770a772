// ChangeSink: one destination of the change feed (the booking system's webhook, a CSV folder,
// ZMS process JSON). Sinks are plug-ins with the same shape as notify channels: a factory with a
// unique name builds a sink from its configuration (see sink_registry.h once it exists).
//
// Contract for every sink:
//  - `Write` receives batches in cursor order and returns OK only once the whole batch is durably
//    handed over (HTTP 2xx for every event, files fsynced and renamed into place).
//  - After a crash the worker writes the batch in flight again (at-least-once). A sink makes the
//    repeat harmless: webhook-id = event id, file names derived from the batch's cursor range.
//  - An error is retried by the worker with backoff; `Write` must not half-apply a batch in a
//    way a retry cannot repair.
//  - Sinks never read the database; everything they need is in the events and their config.
#ifndef REBOOK_SERVICES_SYNC_CHANGE_SINK_H_
#define REBOOK_SERVICES_SYNC_CHANGE_SINK_H_

#include <string_view>

#include "absl/status/status.h"
#include "absl/types/span.h"
#include "services/domain/change_event.h"

namespace rebook::sync {

class ChangeSink {
 public:
  virtual ~ChangeSink() = default;
  virtual std::string_view name() const = 0;
  virtual absl::Status Write(absl::Span<const domain::ChangeEvent> batch) = 0;
};

}  // namespace rebook::sync

#endif  // REBOOK_SERVICES_SYNC_CHANGE_SINK_H_
