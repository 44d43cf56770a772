#include "services/notify/http/http_client.h"

#include <curl/curl.h>

#include <memory>
#include <mutex>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace rebook::notify {
namespace http_client_internal {

// Named (not in the anonymous namespace): HttpPoster::HandlePool, a class with external linkage,
// holds handles with it.
struct CurlDeleter {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};

}  // namespace http_client_internal

using http_client_internal::CurlDeleter;

namespace {

constexpr size_t kMaxBody = 64 * 1024;

struct SlistDeleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

size_t WriteBody(char* data, size_t size, size_t n, void* user) {
  auto* body = static_cast<std::string*>(user);
  const size_t len = size * n;
  if (body->size() < kMaxBody) body->append(data, std::min(len, kMaxBody - body->size()));
  return len;
}

size_t WriteHeader(char* data, size_t size, size_t n, void* user) {
  auto* headers = static_cast<std::map<std::string, std::string>*>(user);
  const std::string_view line(data, size * n);
  const size_t colon = line.find(':');
  if (colon != std::string_view::npos) {
    std::string name = absl::AsciiStrToLower(absl::string_view(line.data(), colon));
    absl::string_view value(line.data() + colon + 1, line.size() - colon - 1);
    (*headers)[name] = std::string(absl::StripAsciiWhitespace(value));
  } else if (line.rfind("HTTP/", 0) == 0) {
    headers->clear();  // a new response (e.g. after 100 Continue) starts
  }
  return size * n;
}

}  // namespace

// Idle handles, each possibly holding an open connection to the URL's host.
struct HttpPoster::HandlePool {
  // More idle handles than senders that post at once would only hold sockets open.
  static constexpr std::size_t kMaxIdle = 16;

  std::unique_ptr<CURL, CurlDeleter> Take() {
    {
      std::lock_guard<std::mutex> lock(mu);
      if (!idle.empty()) {
        std::unique_ptr<CURL, CurlDeleter> handle = std::move(idle.back());
        idle.pop_back();
        return handle;
      }
    }
    return std::unique_ptr<CURL, CurlDeleter>(curl_easy_init());
  }

  void Return(std::unique_ptr<CURL, CurlDeleter> handle) {
    // Forgets the options of the last Post, which point into its locals (error buffer, body,
    // headers), and keeps the live connection.
    curl_easy_reset(handle.get());
    std::lock_guard<std::mutex> lock(mu);
    if (idle.size() < kMaxIdle) idle.push_back(std::move(handle));
  }

  std::mutex mu;
  std::vector<std::unique_ptr<CURL, CurlDeleter>> idle;
};

void EnsureCurlInitialized() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

HttpPoster::HttpPoster(SafeUrl url, std::chrono::milliseconds timeout)
    : url_(std::move(url)), timeout_(timeout), pool_(std::make_shared<HandlePool>()) {
  EnsureCurlInitialized();
}

absl::StatusOr<HttpResponse> HttpPoster::Post(const std::string& body,
                                              const std::vector<std::string>& headers) const {
  std::unique_ptr<CURL, CurlDeleter> curl = pool_->Take();
  if (!curl) return absl::InternalError("curl_easy_init failed");
  std::unique_ptr<curl_slist, SlistDeleter> header_list;
  for (const std::string& h : headers) {
    header_list.reset(curl_slist_append(header_list.release(), h.c_str()));
  }
  // Suppress "Expect: 100-continue"; gateways handle it poorly and it adds a round trip.
  header_list.reset(curl_slist_append(header_list.release(), "Expect:"));
  std::unique_ptr<curl_slist, SlistDeleter> resolve;
  if (!url_.curl_resolve.empty()) {
    resolve.reset(curl_slist_append(nullptr, url_.curl_resolve.c_str()));
  }
  HttpResponse response;
  char error[CURL_ERROR_SIZE] = {};
  CURL* c = curl.get();
  curl_easy_setopt(c, CURLOPT_URL, url_.url.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout_.count()));
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(timeout_.count()));
  curl_easy_setopt(c, CURLOPT_POST, 1L);
  curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.data());
  curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, header_list.get());
  if (resolve) curl_easy_setopt(c, CURLOPT_RESOLVE, resolve.get());
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, &WriteBody);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &response.body);
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, &WriteHeader);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, &response.headers);
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error);
  const CURLcode rc = curl_easy_perform(c);
  if (rc != CURLE_OK) {
    return absl::UnavailableError(
        absl::StrCat("POST ", url_.url, ": ", error[0] != '\0' ? error : curl_easy_strerror(rc)));
  }
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &response.status);
  pool_->Return(std::move(curl));
  return response;
}

DeliveryResult ClassifyHttpResponse(const HttpResponse& r) {
  std::string snippet = r.body.substr(0, 200);
  for (char& ch : snippet) {
    if (ch == '\n' || ch == '\r') ch = ' ';
  }
  const std::string reason = absl::StrCat("HTTP ", r.status, snippet.empty() ? "" : ": ", snippet);
  if (r.status >= 200 && r.status < 300) return DeliveryResult::Sent("", reason);
  if (r.status == 408 || r.status == 425 || r.status == 429 || r.status >= 500) {
    DeliveryResult result = DeliveryResult::Temporary(reason);
    auto it = r.headers.find("retry-after");
    std::int64_t seconds = 0;
    if (it != r.headers.end() && absl::SimpleAtoi(it->second, &seconds) && seconds >= 0) {
      result.retry_after = std::chrono::seconds(std::min<std::int64_t>(seconds, 86400));
    }
    return result;
  }
  return DeliveryResult::Permanent(reason);
}

DeliveryResult TransportFailure(const absl::Status& status) {
  return DeliveryResult::Temporary(std::string(status.message()));
}

}  // namespace rebook::notify
