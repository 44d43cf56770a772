// RegisterBuiltinSinks: the sinks every rebook-sync has.
//
//   webhook  Standard Webhooks-signed POSTs (webhook_sink.h)
//   csv      a CSV file per batch (csv_sink.h)
//
// The `zms` sink (ZMS process JSON for it-at-m/eappointment, issue 13.5) is registered here
// too once it exists: one `registry.Register(std::make_unique<ZmsSinkFactory>())` line in
// builtin_sinks.cc and its library in the `sync` library's DEPS (this folder).
#ifndef REBOOK_SERVICES_SYNC_BUILTIN_SINKS_H_
#define REBOOK_SERVICES_SYNC_BUILTIN_SINKS_H_

#include "absl/status/status.h"
#include "services/sync/sink_registry.h"

namespace rebook::sync {

// AlreadyExists if `registry` has one of these names already.
absl::Status RegisterBuiltinSinks(SinkRegistry& registry);

}  // namespace rebook::sync

#endif  // REBOOK_SERVICES_SYNC_BUILTIN_SINKS_H_
