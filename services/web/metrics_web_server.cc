#include "services/web/metrics_web_server.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>

#include <cstring>

#include "absl/strings/str_cat.h"
#include "services/common/log.h"
#include "services/web/listen_address.h"

namespace rebook::web {

struct MetricsWebServer::Impl {
  Options options;
  const metrics::Registry* registry = nullptr;
  MHD_Daemon* daemon = nullptr;
};

namespace {

bool SameInConstantTime(const std::string& a, const std::string& b) {
  unsigned char diff = a.size() == b.size() ? 0 : 1;
  for (std::size_t i = 0; i < a.size(); ++i) {
    diff |= static_cast<unsigned char>(a[i] ^ (i < b.size() ? b[i] : 0));
  }
  return diff == 0;
}

MHD_Result Send(MHD_Connection* c, unsigned int code, const std::string& body,
                const char* content_type, const char* extra_header = nullptr,
                const char* extra_value = nullptr) {
  MHD_Response* resp = MHD_create_response_from_buffer(body.size(), const_cast<char*>(body.data()),
                                                       MHD_RESPMEM_MUST_COPY);
  if (resp == nullptr) return MHD_NO;
  MHD_add_response_header(resp, "Content-Type", content_type);
  MHD_add_response_header(resp, "Cache-Control", "no-store");
  if (extra_header != nullptr) MHD_add_response_header(resp, extra_header, extra_value);
  MHD_Result ret = MHD_queue_response(c, code, resp);
  MHD_destroy_response(resp);
  return ret;
}

MHD_Result AnswerMetricsRequest(void* cls, MHD_Connection* c, const char* url, const char* method,
                                const char* /*version*/, const char* /*upload_data*/,
                                size_t* upload_data_size, void** state) {
  auto* impl = static_cast<MetricsWebServer::Impl*>(cls);
  if (*state == nullptr) {  // first call: headers only
    static int marker;
    *state = &marker;
    return MHD_YES;
  }
  if (*upload_data_size != 0) {
    *upload_data_size = 0;  // a body is ignored
    return MHD_YES;
  }
  constexpr char kText[] = "text/plain; charset=utf-8";
  if (std::strcmp(url, "/metrics") != 0) return Send(c, MHD_HTTP_NOT_FOUND, "not found\n", kText);
  if (std::strcmp(method, "GET") != 0 && std::strcmp(method, "HEAD") != 0) {
    return Send(c, MHD_HTTP_METHOD_NOT_ALLOWED, "GET only\n", kText, "Allow", "GET, HEAD");
  }
  if (!impl->options.bearer_token.empty()) {
    const char* auth = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Authorization");
    const std::string expected = "Bearer " + impl->options.bearer_token;
    if (auth == nullptr || !SameInConstantTime(auth, expected)) {
      return Send(c, MHD_HTTP_UNAUTHORIZED, "a bearer token is required\n", kText,
                  "WWW-Authenticate", "Bearer");
    }
  }
  return Send(c, MHD_HTTP_OK, impl->registry->Expose(), "text/plain; version=0.0.4; charset=utf-8");
}

}  // namespace

MetricsWebServer::MetricsWebServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

MetricsWebServer::~MetricsWebServer() {
  if (impl_->daemon != nullptr) MHD_stop_daemon(impl_->daemon);
}

absl::StatusOr<std::unique_ptr<MetricsWebServer>> MetricsWebServer::Start(
    const Options& options, const metrics::Registry* registry) {
  absl::StatusOr<sockaddr_in> parsed = ParseIpv4Listen(options.listen_address, "metrics");
  if (!parsed.ok()) return parsed.status();
  sockaddr_in addr = *parsed;
  const int port = ntohs(addr.sin_port);
  const bool loopback = (ntohl(addr.sin_addr.s_addr) >> 24) == 127;
  if (!loopback && options.bearer_token.empty()) {
    return absl::InvalidArgumentError(absl::StrCat("metrics on the non-loopback address ",
                                                   options.listen_address,
                                                   " need a bearer token (--metrics_token_file)"));
  }
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  impl->registry = registry;
  impl->daemon =
      MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL, static_cast<uint16_t>(port),
                       nullptr, nullptr, &AnswerMetricsRequest, impl.get(), MHD_OPTION_SOCK_ADDR,
                       reinterpret_cast<sockaddr*>(&addr), MHD_OPTION_CONNECTION_TIMEOUT,
                       static_cast<unsigned int>(30), MHD_OPTION_END);
  if (impl->daemon == nullptr) {
    return absl::UnavailableError(absl::StrCat("cannot listen for metrics on ",
                                               options.listen_address, " (address in use?)"));
  }
  const MHD_DaemonInfo* info = MHD_get_daemon_info(impl->daemon, MHD_DAEMON_INFO_BIND_PORT);
  std::unique_ptr<MetricsWebServer> server(new MetricsWebServer(std::move(impl)));
  server->port_ = info != nullptr ? info->port : port;
  Log(LogLevel::kInfo, "metrics_started",
      {{"port", server->port_}, {"token", !options.bearer_token.empty()}});
  return server;
}

}  // namespace rebook::web
