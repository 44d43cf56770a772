// WebhookSink: a minimal HTTP/1.1 receiver on 127.0.0.1 for the drain benchmark. It answers
// every POST with 200 and counts the `webhook-id` headers it sees.
//
// Written by hand because the Python sink of the channel tests (http.server, a thread per
// request) tops out near the rates this benchmark measures, which would make the sink the
// bottleneck. It is benchmark equipment, not production code: one request per connection
// (the notify HTTP client opens a connection per POST), no TLS, no chunked bodies.
#ifndef REBOOK_BENCH_NOTIFY_DRAIN_WEBHOOK_SINK_H_
#define REBOOK_BENCH_NOTIFY_DRAIN_WEBHOOK_SINK_H_

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"

namespace rebook::bench {

class WebhookSink {
 public:
  // Listens on 127.0.0.1 on a free port; serves with `threads` threads.
  static absl::StatusOr<std::unique_ptr<WebhookSink>> Start(int threads = 2);
  ~WebhookSink();

  int port() const { return port_; }
  std::int64_t requests() const { return requests_.load(); }
  // Distinct webhook-ids received, and requests that repeated an id.
  std::int64_t distinct_ids();
  std::int64_t repeats();

 private:
  WebhookSink() = default;
  void Serve();
  void Handle(int fd);

  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<std::int64_t> requests_{0};
  std::mutex mu_;
  std::map<std::string, int> ids_;
  std::vector<std::thread> threads_;
};

}  // namespace rebook::bench

#endif  // REBOOK_BENCH_NOTIFY_DRAIN_WEBHOOK_SINK_H_
