// HttpPoster: one POST to a pinned, safety-checked URL with libcurl, and the mapping of
// HTTP answers to delivery results shared by the SMS and webhook channels.
//
//   REBOOK_ASSIGN_OR_RETURN(SafeUrl url, ResolveSafeUrl(...));
//   HttpPoster poster(url, std::chrono::seconds(10));
//   absl::StatusOr<HttpResponse> r = poster.Post(body, {"Content-Type: application/json"});
//   DeliveryResult result = r.ok() ? ClassifyHttpResponse(*r) : TransportFailure(r.status());
//
// Redirects are not followed (a redirect could lead past the URL check), only http(s) is
// spoken, and the connection goes to the addresses pinned in `SafeUrl`. Thread-safe: each
// Post takes a curl handle of its own from a small pool, and returns it after a completed
// exchange, so that the next Post reuses its kept-alive connection instead of opening a new
// one (a fresh TCP connection and handle was 44% of a worker's CPU per webhook). Copies share
// the pool.
#ifndef REBOOK_SERVICES_NOTIFY_HTTP_HTTP_CLIENT_H_
#define REBOOK_SERVICES_NOTIFY_HTTP_HTTP_CLIENT_H_

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/notify/http/url_safety.h"
#include "services/notify/message.h"

namespace rebook::notify {

// Calls curl_global_init once per process. Every libcurl user in notify calls it first.
void EnsureCurlInitialized();

struct HttpResponse {
  long status = 0;
  std::string body;                            // capped at 64 KiB
  std::map<std::string, std::string> headers;  // names lower-cased; last value wins
};

class HttpPoster {
 public:
  HttpPoster(SafeUrl url, std::chrono::milliseconds timeout);
  // Unavailable (with curl's error text) when no HTTP answer was received.
  absl::StatusOr<HttpResponse> Post(const std::string& body,
                                    const std::vector<std::string>& headers) const;
  const SafeUrl& url() const { return url_; }

 private:
  struct HandlePool;

  SafeUrl url_;
  std::chrono::milliseconds timeout_;
  std::shared_ptr<HandlePool> pool_;
};

// 2xx: sent. 408, 425, 429 and 5xx: temporary, honouring Retry-After (seconds). Anything
// else (3xx, other 4xx): permanent. The reason names the status and the start of the body.
DeliveryResult ClassifyHttpResponse(const HttpResponse& response);
// A transport failure (connection refused, timeout, TLS error) is temporary.
DeliveryResult TransportFailure(const absl::Status& status);

}  // namespace rebook::notify

#endif  // REBOOK_SERVICES_NOTIFY_HTTP_HTTP_CLIENT_H_
