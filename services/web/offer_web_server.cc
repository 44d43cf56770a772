#include "services/web/offer_web_server.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>

#include <algorithm>
#include <cstring>
#include <map>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/common/log.h"
#include "services/common/pem_file.h"
#include "services/common/status_macros.h"
#include "services/domain/local_time.h"
#include "services/rebooking/offer_public.h"
#include "services/web/listen_address.h"
#include "services/web/offer_page.h"
#include "services/web/offer_request.h"

namespace rebook::web {

struct OfferWebServer::Impl {
  Options options;
  storage::Store* store = nullptr;
  Clock* clock = nullptr;
  IdGenerator* ids = nullptr;
  const rebooking::OutboxPolicy* outbox = nullptr;
  const rebooking::OfferPolicy* policy = nullptr;
  MHD_Daemon* daemon = nullptr;
  std::string tls_cert;  // PEM; libmicrohttpd reads them at start
  std::string tls_key;
};

namespace {

struct Request {
  MHD_PostProcessor* post = nullptr;
  ResponseForm form;
  ~Request() {
    if (post != nullptr) MHD_destroy_post_processor(post);
  }
};

struct Reply {
  unsigned int code = MHD_HTTP_OK;
  long long retry_after_s = 0;  // > 0: sent as Retry-After
  std::string body;
  std::string content_type = "text/html; charset=utf-8";
  bool ask_for_token = false;  // WWW-Authenticate: Bearer
};

unsigned int HttpCode(const absl::Status& s) {
  switch (s.code()) {
    case absl::StatusCode::kNotFound:
      return MHD_HTTP_NOT_FOUND;
    case absl::StatusCode::kFailedPrecondition:
    case absl::StatusCode::kAlreadyExists:
    case absl::StatusCode::kAborted:
      return MHD_HTTP_CONFLICT;
    case absl::StatusCode::kInvalidArgument:
      return MHD_HTTP_BAD_REQUEST;
    case absl::StatusCode::kUnavailable:
    case absl::StatusCode::kDeadlineExceeded:
      return MHD_HTTP_SERVICE_UNAVAILABLE;
    default:
      return MHD_HTTP_INTERNAL_SERVER_ERROR;
  }
}

const char* ActionName(Action a) {
  switch (a) {
    case Action::kAccept:
      return "accept";
    case Action::kDecline:
      return "decline";
    case Action::kOtherTime:
      return "other";
    default:
      return "show";
  }
}

storage::TransactionOptions TxOptions(const OfferWebServer::Options& o) {
  storage::TransactionOptions t;
  t.deadline = std::chrono::steady_clock::now() + o.storage_wait;
  return t;
}

Reply Show(OfferWebServer::Impl& s, const Route& route, const std::string& lang_override,
           const std::string& browser_lang) {
  Reply reply;
  std::string lang = lang_override.empty() ? browser_lang : lang_override;
  PageFooter footer = s.options.page.FooterFor("");
  absl::Status status = s.store->Read(TxOptions(s.options), [&](storage::Transaction& tx) {
    REBOOK_ASSIGN_OR_RETURN(rebooking::PublicOfferView v,
                            rebooking::LoadPublicOffer(tx, route.token, s.clock->Now()));
    if (lang_override.empty()) lang = PageLanguage(v.language);
    footer = s.options.page.FooterFor(v.office.id);
    PageFocus focus = route.action == Action::kAccept      ? PageFocus::kAccept
                      : route.action == Action::kDecline   ? PageFocus::kDecline
                      : route.action == Action::kOtherTime ? PageFocus::kOtherTime
                                                           : PageFocus::kAll;
    reply.body = RenderOfferPage(v, focus, absl::StrCat("/r/", route.token), lang, footer);
    return absl::OkStatus();
  });
  if (!status.ok()) {
    reply.code = HttpCode(status);
    reply.body = RenderErrorPage(status, lang, footer);
  }
  return reply;
}

Reply Act(OfferWebServer::Impl& s, const Route& route, const Request& req,
          const std::string& lang_override, const std::string& browser_lang) {
  Reply reply;
  std::string lang = lang_override.empty() ? browser_lang : lang_override;
  PageFooter footer = s.options.page.FooterFor("");
  absl::StatusOr<rebooking::OfferResponse> response = ReadResponse(route.action, req.form);
  absl::Status status = response.status();
  if (status.ok()) {
    status = s.store->Write(TxOptions(s.options), [&](storage::Transaction& tx) -> absl::Status {
      rebooking::OfferResponse r = *response;
      REBOOK_ASSIGN_OR_RETURN(rebooking::PublicOfferView before,
                              rebooking::LoadPublicOffer(tx, route.token, s.clock->Now()));
      if (lang_override.empty()) lang = PageLanguage(before.language);
      footer = s.options.page.FooterFor(before.office.id);
      if (route.action == Action::kOtherTime && !r.alternative_index) {
        REBOOK_RETURN_IF_ERROR(ReadUnavailable(req.form, before.office.time_zone, r));
      }
      rebooking::OfferContext ctx{s.clock->Now(), s.ids, s.outbox, s.policy};
      REBOOK_ASSIGN_OR_RETURN(rebooking::PublicResponse done,
                              rebooking::RespondByToken(tx, route.token, r, ctx));
      reply.body = RenderResultPage(done.view, done.repeated, lang, footer);
      return absl::OkStatus();
    });
  }
  if (!status.ok()) {
    reply.code = HttpCode(status);
    reply.body = RenderErrorPage(status, lang, footer);
  }
  return reply;
}

MHD_Result Send(MHD_Connection* c, const Reply& r) {
  MHD_Response* resp = MHD_create_response_from_buffer(
      r.body.size(), const_cast<char*>(r.body.data()), MHD_RESPMEM_MUST_COPY);
  if (resp == nullptr) return MHD_NO;
  MHD_add_response_header(resp, "Content-Type", r.content_type.c_str());
  if (r.retry_after_s > 0) {
    MHD_add_response_header(resp, "Retry-After", std::to_string(r.retry_after_s).c_str());
  }
  if (r.ask_for_token) MHD_add_response_header(resp, "WWW-Authenticate", "Bearer");
  MHD_add_response_header(resp, "Cache-Control", "no-store");
  MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
  MHD_add_response_header(resp, "X-Robots-Tag", "noindex, nofollow");
  MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
  MHD_add_response_header(resp, "X-Frame-Options", "DENY");
  MHD_add_response_header(resp, "Content-Security-Policy",
                          "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'");
  MHD_Result ret = MHD_queue_response(c, r.code, resp);
  MHD_destroy_response(resp);
  return ret;
}

// The throttle's key for the client of `c`.
std::string ClientOf(const PublicLookupThrottle& throttle, MHD_Connection* c) {
  std::string peer;
  const MHD_ConnectionInfo* info = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
  if (info != nullptr && info->client_addr != nullptr) {
    char buf[INET6_ADDRSTRLEN] = {};
    const sockaddr* a = info->client_addr;
    if (a->sa_family == AF_INET) {
      inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(a)->sin_addr, buf, sizeof(buf));
    } else if (a->sa_family == AF_INET6) {
      inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(a)->sin6_addr, buf, sizeof(buf));
    }
    peer = buf;
  }
  const char* forwarded = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Forwarded-For");
  return throttle.ClientKey(peer, forwarded != nullptr ? forwarded : "");
}

Reply TooManyAttempts(std::chrono::nanoseconds wait, const std::string& lang,
                      const PageFooter& footer) {
  Reply reply;
  reply.code = MHD_HTTP_TOO_MANY_REQUESTS;
  reply.retry_after_s = RetryAfterSeconds(wait);
  const std::string message = lang == "en"
                                  ? absl::StrCat("Too many attempts. Please try again in ",
                                                 reply.retry_after_s, " seconds.")
                                  : absl::StrCat("Zu viele Versuche. Bitte versuchen Sie es in ",
                                                 reply.retry_after_s, " Sekunden erneut.");
  reply.body = RenderErrorPage(absl::ResourceExhaustedError(message), lang, footer);
  return reply;
}

// Show or Act for a well-formed route, under the throttle if there is one.
Reply AnswerToken(OfferWebServer::Impl& s, MHD_Connection* c, const Route& route,
                  const Request& req, bool post, const std::string& lang,
                  const std::string& browser_lang) {
  std::string client;
  if (s.options.throttle != nullptr) {
    client = ClientOf(*s.options.throttle, c);
    if (std::chrono::nanoseconds wait = s.options.throttle->Admit(client, route.token);
        wait > std::chrono::nanoseconds(0)) {
      return TooManyAttempts(wait, lang.empty() ? browser_lang : lang,
                             s.options.page.FooterFor(""));
    }
  }
  Reply reply = post ? Act(s, route, req, lang, browser_lang) : Show(s, route, lang, browser_lang);
  if (s.options.throttle != nullptr) {
    s.options.throttle->Record(client, route.token, reply.code != MHD_HTTP_NOT_FOUND);
  }
  return reply;
}

// A calendar feed (read-only): 200 with the calendar, 404 for anything but a valid feed path.
Reply CalendarFeed(OfferWebServer::Impl& s, const std::string& path) {
  Reply reply;
  absl::Status st = s.store->Read(TxOptions(s.options), [&](storage::Transaction& tx) {
    REBOOK_ASSIGN_OR_RETURN(reply.body,
                            LoadCalendarFeed(tx, s.options.calendar_feed, path, s.clock->Now()));
    return absl::OkStatus();
  });
  if (st.ok()) {
    reply.content_type = "text/calendar; charset=utf-8";
    return reply;
  }
  reply.code =
      st.code() == absl::StatusCode::kNotFound ? MHD_HTTP_NOT_FOUND : MHD_HTTP_SERVICE_UNAVAILABLE;
  reply.body = st.code() == absl::StatusCode::kNotFound ? "not found\n" : "busy, try again\n";
  reply.content_type = "text/plain; charset=utf-8";
  return reply;
}

MHD_Result CollectField(void* cls, MHD_ValueKind, const char* key, const char*, const char*,
                        const char*, const char* data, uint64_t, size_t size) {
  auto* req = static_cast<Request*>(cls);
  return AddFormPiece(req->form, key, std::string_view(data, size)) ? MHD_YES : MHD_NO;
}

MHD_Result AnswerOfferRequest(void* cls, MHD_Connection* c, const char* url, const char* method,
                              const char*, const char* upload_data, size_t* upload_size,
                              void** con_cls) {
  auto* s = static_cast<OfferWebServer::Impl*>(cls);
  const bool post = std::strcmp(method, MHD_HTTP_METHOD_POST) == 0;
  const bool get = std::strcmp(method, MHD_HTTP_METHOD_GET) == 0 ||
                   std::strcmp(method, MHD_HTTP_METHOD_HEAD) == 0;
  if (*con_cls == nullptr) {
    auto* req = new Request;
    if (post) req->post = MHD_create_post_processor(c, 1024, &CollectField, req);
    *con_cls = req;
    return MHD_YES;
  }
  auto* req = static_cast<Request*>(*con_cls);
  if (post && *upload_size > 0) {
    ResponseForm& form = req->form;
    form.body_bytes += *upload_size;
    if (req->post == nullptr) form.unreadable = true;
    if (req->post != nullptr && !form.too_large) {
      if (MHD_post_process(req->post, upload_data, *upload_size) != MHD_YES && !form.too_large) {
        form.unreadable = true;
      }
    } else {
      form.form_bytes += *upload_size;
      form.too_large = form.too_large || form.form_bytes > ResponseForm::kMaxFormBytes;
    }
    *upload_size = 0;
    return MHD_YES;
  }

  const auto start = std::chrono::steady_clock::now();
  const std::string path(url);
  Reply reply;
  Route route;
  std::optional<std::string> staff_outage;
  const bool calendar = get && absl::StartsWith(path, "/calendar/");
  if (path == "/healthz" && get) {
    reply.body = "ok\n";
    reply.content_type = "text/plain; charset=utf-8";
  } else if (calendar) {
    reply = CalendarFeed(*s, path);
  } else if (get && s->options.authenticate_staff &&
             (staff_outage = ParseStaffReportPath(path)).has_value()) {
    const char* auth = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Authorization");
    StaffReply staff =
        AnswerStaffReport(*s->store, *s->clock, s->options.authenticate_staff,
                          auth != nullptr ? auth : "", *staff_outage, s->options.storage_wait);
    reply.code = staff.code;
    reply.body = std::move(staff.body);
    reply.ask_for_token = staff.ask_for_token;
  } else {
    route = ParseRoute(path);
    const char* lang_arg = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "lang");
    std::string lang = lang_arg != nullptr ? PageLanguage(lang_arg) : "";
    const char* accept = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Accept-Language");
    const std::string browser_lang = PreferredPageLanguage(accept != nullptr ? accept : "");
    if (!route.ok) {
      reply.code = MHD_HTTP_NOT_FOUND;
      reply.body =
          RenderErrorPage(absl::NotFoundError("unknown or mistyped link"),
                          lang.empty() ? browser_lang : lang, s->options.page.FooterFor(""));
    } else if (get || (post && route.action != Action::kShow)) {
      reply = AnswerToken(*s, c, route, *req, post, lang, browser_lang);
    } else {
      reply.code = MHD_HTTP_METHOD_NOT_ALLOWED;
      reply.body = "method not allowed\n";
      reply.content_type = "text/plain; charset=utf-8";
    }
  }
  Log(reply.code < 500 ? LogLevel::kInfo : LogLevel::kWarning, "http",
      {{"method", method},
       {"route", route.ok                   ? ActionName(route.action)
                 : path == "/healthz"       ? "healthz"
                 : calendar                 ? "calendar"
                 : staff_outage.has_value() ? "staff_report"
                                            : "-"},
       {"status", static_cast<int>(reply.code)},
       {"ms", std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
                  .count()}});
  return Send(c, reply);
}

void Completed(void*, MHD_Connection*, void** con_cls, MHD_RequestTerminationCode) {
  delete static_cast<Request*>(*con_cls);
  *con_cls = nullptr;
}

}  // namespace

OfferWebServer::OfferWebServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

OfferWebServer::~OfferWebServer() {
  if (impl_->daemon != nullptr) MHD_stop_daemon(impl_->daemon);
}

absl::StatusOr<std::unique_ptr<OfferWebServer>> OfferWebServer::Start(
    const Options& options, storage::Store* store, Clock* clock, IdGenerator* ids,
    const rebooking::OutboxPolicy* outbox, const rebooking::OfferPolicy* policy) {
  REBOOK_ASSIGN_OR_RETURN(sockaddr_in addr, ParseIpv4Listen(options.listen_address, "http"));
  const int port = ntohs(addr.sin_port);
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  impl->store = store;
  impl->clock = clock;
  impl->ids = ids;
  impl->outbox = outbox;
  impl->policy = policy;
  unsigned int flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL;
  std::vector<MHD_OptionItem> tls_options;
  if (!options.tls_cert_file.empty() || !options.tls_key_file.empty()) {
    if (options.tls_cert_file.empty() || options.tls_key_file.empty()) {
      return absl::InvalidArgumentError(
          "--http_tls_cert and --http_tls_key must be given together");
    }
    if (MHD_is_feature_supported(MHD_FEATURE_TLS) != MHD_YES) {
      return absl::UnimplementedError(
          "this libmicrohttpd has no TLS: end TLS for --http_listen in a reverse proxy");
    }
    REBOOK_ASSIGN_OR_RETURN(impl->tls_cert, ReadPemFile(options.tls_cert_file, "--http_tls_cert",
                                                        PemBlock::kCertificate));
    REBOOK_ASSIGN_OR_RETURN(
        impl->tls_key, ReadPemFile(options.tls_key_file, "--http_tls_key", PemBlock::kPrivateKey));
    flags |= MHD_USE_TLS;
    tls_options.push_back({MHD_OPTION_HTTPS_MEM_CERT, 0, impl->tls_cert.data()});
    tls_options.push_back({MHD_OPTION_HTTPS_MEM_KEY, 0, impl->tls_key.data()});
  }
  tls_options.push_back({MHD_OPTION_END, 0, nullptr});
  impl->daemon = MHD_start_daemon(
      flags, static_cast<uint16_t>(port), nullptr, nullptr, &AnswerOfferRequest, impl.get(),
      MHD_OPTION_SOCK_ADDR, reinterpret_cast<sockaddr*>(&addr), MHD_OPTION_THREAD_POOL_SIZE,
      static_cast<unsigned int>(std::max(1, options.threads)), MHD_OPTION_NOTIFY_COMPLETED,
      &Completed, nullptr, MHD_OPTION_CONNECTION_TIMEOUT, static_cast<unsigned int>(30),
      MHD_OPTION_ARRAY, tls_options.data(), MHD_OPTION_END);
  if (impl->daemon == nullptr) {
    return absl::UnavailableError(
        absl::StrCat("cannot listen for HTTP on ", options.listen_address, " (address in use?)"));
  }
  const MHD_DaemonInfo* info = MHD_get_daemon_info(impl->daemon, MHD_DAEMON_INFO_BIND_PORT);
  std::unique_ptr<OfferWebServer> server(new OfferWebServer(std::move(impl)));
  server->port_ = info != nullptr ? info->port : port;
  Log(LogLevel::kInfo, "http_started",
      {{"port", server->port_}, {"tls", !server->impl_->tls_cert.empty()}});
  return server;
}

}  // namespace rebook::web
