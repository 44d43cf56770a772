// MetricsWebServer: GET /metrics in the Prometheus text format (0.0.4) on a listener of its
// own (rebookd --metrics_listen), apart from the citizens' response pages.
//
// Who may read it: the metrics carry no personal data (metrics/registry.h), but they tell how
// busy each method and channel is. On a loopback address the endpoint is open to local
// processes (a Prometheus or agent on the same host). On any other address Start refuses to
// run without a bearer token, which every request must then send as
// `Authorization: Bearer <token>` (Prometheus: `authorization: {credentials_file: ...}`);
// a missing or wrong token gets 401. The token is compared in constant time.
//
//   GET /metrics   200 text/plain; version=0.0.4
//   anything else  404 (405 for other methods on /metrics)
//
//   auto web = MetricsWebServer::Start({.listen_address = "127.0.0.1:9464"}, &registry);
#ifndef REBOOK_SERVICES_WEB_METRICS_WEB_SERVER_H_
#define REBOOK_SERVICES_WEB_METRICS_WEB_SERVER_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "services/metrics/registry.h"

namespace rebook::web {

class MetricsWebServer {
 public:
  struct Options {
    // IPv4 host:port; port 0 picks a free one (see port()).
    std::string listen_address = "127.0.0.1:0";
    // Required unless the address is loopback (127.0.0.0/8). Empty: no token.
    std::string bearer_token;
  };

  // Starts serving on its own thread. `registry` must outlive the server. INVALID_ARGUMENT for
  // a bad address or a non-loopback address without a token; UNAVAILABLE if it cannot listen.
  static absl::StatusOr<std::unique_ptr<MetricsWebServer>> Start(const Options& options,
                                                                 const metrics::Registry* registry);
  ~MetricsWebServer();

  int port() const { return port_; }

  struct Impl;

 private:
  explicit MetricsWebServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
  int port_ = 0;
};

}  // namespace rebook::web

#endif  // REBOOK_SERVICES_WEB_METRICS_WEB_SERVER_H_
