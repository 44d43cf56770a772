// WebhookSink: a minimal HTTP/1.1 receiver on 127.0.0.1 for the drain benchmark. It answers
// every POST with 200 and counts the `webhook-id` headers it sees.
//
// Written by hand because the Python sink of the channel tests (http.server, a thread per
// request) tops out near the rates this benchmark measures, which would make the sink the
// bottleneck. It is benchmark equipment, not production code: a thread per connection, HTTP/1.1
// keep-alive (the notify HTTP client reuses its connections), no TLS, no chunked bodies, no
// pipelining.
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
  // Listens on 127.0.0.1 on a free port; serves each connection with a thread of its own.
  static absl::StatusOr<std::unique_ptr<WebhookSink>> Start();
  ~WebhookSink();

  int port() const { return port_; }
  std::int64_t requests() const { return requests_.load(); }
  // Distinct webhook-ids received, and requests that repeated an id.
  std::int64_t distinct_ids();
  std::int64_t repeats();

 private:
  WebhookSink() = default;
  void Accept();
  // Answers the requests of one connection until the peer closes it or the sink stops.
  void Serve(int fd);
  // Reads one request from `fd` into `pending` (which may hold the start of it) and answers it;
  // false when the connection is done.
  bool HandleOne(int fd, std::string& pending);

  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<std::int64_t> requests_{0};
  std::mutex mu_;
  std::map<std::string, int> ids_;
  std::thread acceptor_;
  std::mutex threads_mu_;
  std::vector<std::thread> connection_threads_;
};

}  // namespace rebook::bench

#endif  // REBOOK_BENCH_NOTIFY_DRAIN_WEBHOOK_SINK_H_
