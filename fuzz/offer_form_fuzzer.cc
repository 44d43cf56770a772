// Fuzzes what the citizens' response endpoint reads from a request (services/web/
// offer_request.h): the first line is the request path with an optional "?lang=" query, the
// rest the form's fields as libmicrohttpd's post processor hands them over, after its
// URL-decoding: "key=value" pieces separated by '&' (a key repeated appends a piece, as when the
// post processor splits a long value). The response is read for each action and its
// unavailable times in a few office zones. (Rendering the pages is left out: one mustache
// render costs more than everything else here together.)
// Invariants: the page language is one of the six the page speaks, a route that is ok has a
// token of 8 to 128 token characters, and a read response's unavailable times come in pairs
// from the form.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz/fuzz_check.h"
#include "services/web/offer_page.h"
#include "services/web/offer_request.h"

namespace web = rebook::web;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input = rebook::fuzz::AsText(data, size);
  const std::size_t newline = input.find('\n');
  std::string_view url = input.substr(0, newline);
  std::string_view body = newline == std::string_view::npos ? "" : input.substr(newline + 1);

  if (const std::size_t q = url.find('?'); q != std::string_view::npos) {
    std::string_view query = url.substr(q + 1);
    url = url.substr(0, q);
    if (query.rfind("lang=", 0) == 0) {
      // The page speaks six languages; anything else falls back to English (empty: German).
      const std::string lang = web::PageLanguage(std::string(query.substr(5)));
      REBOOK_FUZZ_CHECK(lang == "de" || lang == "en" || lang == "tr" || lang == "ar" ||
                            lang == "ru" || lang == "uk",
                        lang);
    }
  }
  const web::Route route = web::ParseRoute(url);
  if (route.ok) {
    REBOOK_FUZZ_CHECK(route.token.size() >= 8 && route.token.size() <= 128, route.token);
  }

  web::ResponseForm form;
  form.body_bytes = body.size();
  while (!body.empty()) {
    const std::size_t amp = body.find('&');
    std::string_view piece = body.substr(0, amp);
    body = amp == std::string_view::npos ? "" : body.substr(amp + 1);
    const std::size_t eq = piece.find('=');
    if (eq == std::string_view::npos) {
      form.unreadable = true;
      continue;
    }
    if (!web::AddFormPiece(form, piece.substr(0, eq), piece.substr(eq + 1))) break;
  }
  REBOOK_FUZZ_CHECK(!form.too_large || form.form_bytes > web::ResponseForm::kMaxFormBytes, "");

  for (web::Action action :
       {web::Action::kAccept, web::Action::kDecline, web::Action::kOtherTime}) {
    absl::StatusOr<rebook::rebooking::OfferResponse> response = web::ReadResponse(action, form);
    if (!response.ok()) {
      REBOOK_FUZZ_CHECK(response.status().code() == absl::StatusCode::kInvalidArgument,
                        response.status().ToString());
      continue;
    }
    if (action != web::Action::kOtherTime || response->alternative_index) continue;
    for (const char* zone : {"Europe/Berlin", "UTC", "Pacific/Kiritimati", "America/St_Johns"}) {
      rebook::rebooking::OfferResponse r = *response;
      absl::Status read = web::ReadUnavailable(form, zone, r);
      if (read.ok()) {
        REBOOK_FUZZ_CHECK(r.unavailable.size() <= 2, zone);
      } else {
        REBOOK_FUZZ_CHECK(read.code() == absl::StatusCode::kInvalidArgument, read.ToString());
      }
    }
  }
  return 0;
}
