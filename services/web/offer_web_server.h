// OfferWebServer: the small HTTP endpoint that the links in citizens' messages point to.
//
// The notifier builds links from one public base URL and the offer's response token
// (notify::BuildResponseLinks): <base>/r/<token>, <base>/r/<token>/accept, /decline, /other.
// A reverse proxy usually maps the public base URL to this server and ends TLS there; with
// Options::tls_cert_file/tls_key_file the server speaks HTTPS itself (libmicrohttpd with GnuTLS).
//
//   GET  /r/<token>          the offer (office, service, local time, expiry, alternatives) with
//                            buttons for every choice
//   GET  /r/<token>/accept   the same page with only that choice's button: GET never changes
//   GET  /r/<token>/decline  anything, because mail scanners and link previews fetch every link
//   GET  /r/<token>/other    (the "other time" form: alternatives, unavailable times)
//   POST /r/<token>/accept   accept (form field `alternative=i` takes alternative i)
//   POST /r/<token>/decline  decline
//   POST /r/<token>/other    other time (`alternative=i`, or `from1`/`to1`, `from2`/`to2` as
//                            local date-times of the office: times the citizen cannot come)
//   GET  /healthz            "ok"
//   GET  /staff/outages/<id>/report   the outage report for staff (Authorization: Bearer;
//                            staff_report_route.h)
//   GET  /calendar/<office>/<token>.ics   the office's calendar feed (calendar_feed.h): 200
//                            text/calendar, or 404 for a wrong token or with no secret set
//
// Status codes: 200 done (or the same answer again), 400 bad form input, 404 unknown token,
// 409 expired/withdrawn/answered differently/alternative taken, 429 too many attempts (with
// Retry-After in seconds; see Options::throttle), 503 storage busy. Pages are in German or
// English: `?lang=en` or `?lang=de`, else the citizen's language, else (unknown links) the
// browser's Accept-Language, else German; errors too (offer_page.h). Responses
// carry no-store, no-referrer and noindex headers: the token is the only credential.
// Logs name the route and the status, never the token.
//
//   OfferWebServer::Options options;
//   options.listen_address = "127.0.0.1:0";
//   auto web = OfferWebServer::Start(options, &store, &clock, &ids, &outbox, &offers);
//   std::cout << (*web)->port();
#ifndef REBOOK_SERVICES_WEB_OFFER_WEB_SERVER_H_
#define REBOOK_SERVICES_WEB_OFFER_WEB_SERVER_H_

#include <chrono>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "services/common/clock.h"
#include "services/common/ids.h"
#include "services/common/rate_limiter.h"
#include "services/rebooking/offers.h"
#include "services/rebooking/outbox.h"
#include "services/web/calendar_feed.h"
#include "services/web/public_page_config.h"
#include "services/web/staff_report_route.h"
#include "storage/store.h"

namespace rebook::web {

class OfferWebServer {
 public:
  struct Options {
    // IPv4 host:port; port 0 picks a free one (see port()).
    std::string listen_address = "127.0.0.1:0";
    // Worker threads answering requests. Default 4.
    int threads = 4;
    // Longest a request waits for a busy database. Default 10 s.
    std::chrono::seconds storage_wait{10};
    // Rate limits of the /r/<token> routes, usually shared with gRPC's public offer methods:
    // the client is the peer address (or, from a trusted proxy, X-Forwarded-For); a request
    // over the limit gets 429 before its token is looked up, and a 404 (unknown token) is
    // charged to the strict buckets. Not owned; null: no limits.
    PublicLookupThrottle* throttle = nullptr;
    // PEM certificate chain and private key: both set, the server speaks HTTPS only. Default:
    // plain HTTP (for a reverse proxy on the same host). Read once, at Start.
    std::string tls_cert_file;
    std::string tls_key_file;
    // The pages' foot: Impressum, privacy notice, office contacts (--public_page_config).
    PublicPageConfig page;
    // Staff tokens for GET /staff/outages/<id>/report (staff_report_route.h); empty: that
    // route answers 404.
    StaffAuthenticator authenticate_staff;
    // The offices' calendar feeds; off unless `calendar_feed.secret` is set.
    CalendarFeedOptions calendar_feed;
  };

  // Starts serving on its own threads. Pointers must outlive the server. INVALID_ARGUMENT or
  // NOT_FOUND for a bad address or TLS file, UNAVAILABLE if the address cannot be bound.
  static absl::StatusOr<std::unique_ptr<OfferWebServer>> Start(
      const Options& options, storage::Store* store, Clock* clock, IdGenerator* ids,
      const rebooking::OutboxPolicy* outbox, const rebooking::OfferPolicy* policy);
  ~OfferWebServer();  // stops: in-flight requests finish first

  int port() const { return port_; }

  struct Impl;

 private:
  explicit OfferWebServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
  int port_ = 0;
};

}  // namespace rebook::web

#endif  // REBOOK_SERVICES_WEB_OFFER_WEB_SERVER_H_
