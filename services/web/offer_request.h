// What a citizen's browser sends to the response endpoint (offer_web_server.h), read without
// any I/O: the route of a request path, the fields of a posted form as libmicrohttpd's post
// processor hands them over, and the offer response they ask for. Kept apart from the server
// so that the parsing is tested and fuzzed on its own (fuzz/offer_form_fuzzer.cc).
//
//   Route route = ParseRoute("/r/Ab3dEf9h/other");   // route.ok, Action::kOtherTime
//   ResponseForm form;
//   AddFormPiece(form, "from1", "2026-03-02T08:00");  // false once the form is too large
//   absl::StatusOr<rebooking::OfferResponse> r = ReadResponse(route.action, form);
//   REBOOK_RETURN_IF_ERROR(ReadUnavailable(form, "Europe/Berlin", *r));
#ifndef REBOOK_SERVICES_WEB_OFFER_REQUEST_H_
#define REBOOK_SERVICES_WEB_OFFER_REQUEST_H_

#include <cstddef>
#include <map>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "services/rebooking/offers.h"

namespace rebook::web {

enum class Action { kShow, kAccept, kDecline, kOtherTime };

struct Route {
  std::string token;
  Action action = Action::kShow;
  bool ok = false;  // false: not a response link (404)
};

// "/r/<token>" or "/r/<token>/(accept|decline|other)", the token 8 to 128 characters of
// [A-Za-z0-9_-]; anything else is not ok.
Route ParseRoute(std::string_view path);

// A posted form as it arrives. Form bodies are a few short fields; anything larger is not ours.
struct ResponseForm {
  static constexpr std::size_t kMaxFormBytes = 4096;
  std::map<std::string, std::string> fields;
  std::size_t form_bytes = 0;  // keys and values read, or raw bytes of an unreadable body
  bool too_large = false;
  std::size_t body_bytes = 0;  // raw body bytes received
  bool unreadable = false;     // a body that is not a form (wrong type, malformed)
};

// Appends a piece of `key`'s value (the post processor may split a value); false, and
// `too_large` set, once keys and values pass kMaxFormBytes.
bool AddFormPiece(ResponseForm& form, std::string_view key, std::string_view data);

// The response a POST to `action` (not kShow) asks for: its kind, channel "link" and the
// chosen alternative (`alternative=i`, ignored for decline). INVALID_ARGUMENT for a form that
// is too large, unreadable, has fields our pages never post, or a non-numeric alternative.
absl::StatusOr<rebooking::OfferResponse> ReadResponse(Action action, const ResponseForm& form);

// Adds the form's unavailable times (`from1`/`to1`, `from2`/`to2`: local date-times in the
// office's zone `time_zone`) to `response`. INVALID_ARGUMENT for half an interval or a time
// that does not parse or does not exist in the zone.
absl::Status ReadUnavailable(const ResponseForm& form, const std::string& time_zone,
                             rebooking::OfferResponse& response);

}  // namespace rebook::web

#endif  // REBOOK_SERVICES_WEB_OFFER_REQUEST_H_
