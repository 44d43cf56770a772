#include "services/sync/webhook_sink.h"

#include "absl/strings/str_cat.h"
#include "services/common/status_macros.h"
#include "services/domain/local_time.h"
#include "services/notify/webhook/webhook_endpoint.h"
#include "services/sync/change_format.h"

namespace rebook::sync {
namespace {

class WebhookSink final : public ChangeSink {
 public:
  WebhookSink(std::string name, notify::WebhookEndpoint endpoint, bool batch_mode,
              const Clock& clock)
      : name_(std::move(name)),
        endpoint_(std::move(endpoint)),
        batch_mode_(batch_mode),
        clock_(clock) {}

  std::string_view name() const override { return name_; }

  absl::Status Write(absl::Span<const domain::ChangeEvent> batch) override {
    if (batch.empty()) return absl::OkStatus();
    if (batch_mode_) {
      nlohmann::json changes = nlohmann::json::array();
      for (const domain::ChangeEvent& e : batch) changes.push_back(ChangeToJson(e));
      nlohmann::json data = {{"first_cursor", batch.front().cursor},
                             {"last_cursor", batch.back().cursor},
                             {"changes", std::move(changes)}};
      return Post(absl::StrCat("changes-", batch.front().cursor, "-", batch.back().cursor),
                  "change.batch", std::move(data));
    }
    for (const domain::ChangeEvent& e : batch) {
      REBOOK_RETURN_IF_ERROR(Post(e.event_id,
                                  absl::StrCat("change.", std::string(domain::ToString(e.kind))),
                                  ChangeToJson(e)));
    }
    return absl::OkStatus();
  }

 private:
  absl::Status Post(const std::string& id, const std::string& type, nlohmann::json data) {
    const Instant now = clock_.Now();
    nlohmann::json body = {
        {"type", type}, {"timestamp", domain::FormatUtc(now)}, {"data", std::move(data)}};
    absl::StatusOr<notify::HttpResponse> response = endpoint_.Post(id, now, body.dump());
    if (!response.ok()) {
      return absl::UnavailableError(absl::StrCat("POST ", id, ": ", response.status().message()));
    }
    const notify::DeliveryResult result = notify::ClassifyHttpResponse(*response);
    if (result.ok()) return absl::OkStatus();
    const std::string what = absl::StrCat("POST ", id, ": ", result.reason);
    return result.state == notify::DeliveryState::kTemporaryFailure
               ? absl::UnavailableError(what)
               : absl::FailedPreconditionError(what);
  }

  const std::string name_;
  const notify::WebhookEndpoint endpoint_;
  const bool batch_mode_;
  const Clock& clock_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<ChangeSink>> WebhookSinkFactory::Create(
    const SinkConfig& config) const {
  REBOOK_RETURN_IF_ERROR(config.CheckKnownKeys(
      {"url", "secret", "timeout", "allow_loopback", "allow_private", "mode"}));
  const std::string mode = config.GetString("mode", "event");
  if (mode != "event" && mode != "batch") return config.Invalid("mode", "use event or batch");
  REBOOK_ASSIGN_OR_RETURN(notify::WebhookEndpoint endpoint,
                          notify::WebhookEndpoint::FromConfig(config));
  return std::make_unique<WebhookSink>(config.name(), std::move(endpoint), mode == "batch",
                                       config.clock());
}

}  // namespace rebook::sync
