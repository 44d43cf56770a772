// The `webhook` sink: the change feed as Standard Webhooks-signed POSTs to the booking system,
// with the notify webhook channel's endpoint code (URL safety check and pinning, signing:
// services/notify/webhook/webhook_endpoint.h).
//
// Config keys:
//   url, secret, timeout, allow_loopback, allow_private   as the notify webhook channel
//   mode     `event` (default): one POST per event, webhook-id = the event's event_id, body
//              {"type": "change.<kind>", "timestamp": <now>, "data": <event JSON>};
//            `batch`: one POST per batch, webhook-id = "changes-<first>-<last>" (cursors), body
//              {"type": "change.batch", "timestamp": <now>,
//               "data": {"first_cursor", "last_cursor", "changes": [<event JSON>, ...]}}
//   Event JSON: change_format.h ChangeToJson.
//
// Write returns OK once every POST of the batch got a 2xx answer, in order; the first other
// answer or transport error ends the write (UNAVAILABLE for 408/425/429/5xx and transport
// errors, FAILED_PRECONDITION for other answers) and the worker retries the whole batch: a
// receiver drops what it has already seen by webhook-id (event mode) or by each change's
// event_id (batch mode). Thread-compatible.
#ifndef REBOOK_SERVICES_SYNC_WEBHOOK_SINK_H_
#define REBOOK_SERVICES_SYNC_WEBHOOK_SINK_H_

#include "services/sync/sink_registry.h"

namespace rebook::sync {

class WebhookSinkFactory final : public SinkFactory {
 public:
  std::string_view name() const override { return "webhook"; }
  absl::StatusOr<std::unique_ptr<ChangeSink>> Create(const SinkConfig& config) const override;
};

}  // namespace rebook::sync

#endif  // REBOOK_SERVICES_SYNC_WEBHOOK_SINK_H_
