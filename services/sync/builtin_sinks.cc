#include "services/sync/builtin_sinks.h"

#include <memory>

#include "services/common/status_macros.h"
#include "services/sync/csv_sink.h"
#include "services/sync/webhook_sink.h"

namespace rebook::sync {

absl::Status RegisterBuiltinSinks(SinkRegistry& registry) {
  REBOOK_RETURN_IF_ERROR(registry.Register(std::make_unique<WebhookSinkFactory>()));
  REBOOK_RETURN_IF_ERROR(registry.Register(std::make_unique<CsvSinkFactory>()));
  // `zms` lives in services/interop (ZMS process JSON); rebook-sync registers it beside these.
  return absl::OkStatus();
}

}  // namespace rebook::sync
