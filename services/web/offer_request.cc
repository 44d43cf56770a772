#include "services/web/offer_request.h"

#include <algorithm>
#include <iterator>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "services/common/status_macros.h"
#include "services/domain/local_time.h"

namespace rebook::web {
namespace {

bool IsTokenChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_';
}

// Our forms post only these fields (offer_page.cc); a body with anything else, or one that is no
// form at all, is refused rather than read as an empty form, which would mean "accept".
constexpr const char* kFormFields[] = {"alternative", "from1", "to1", "from2", "to2"};

absl::Status CheckForm(const ResponseForm& form) {
  bool known = std::all_of(form.fields.begin(), form.fields.end(), [](const auto& field) {
    return std::any_of(std::begin(kFormFields), std::end(kFormFields),
                       [&](const char* k) { return field.first == k; });
  });
  const bool nothing_read = form.body_bytes > 0 && form.fields.empty();
  if (form.unreadable || nothing_read || !known) {
    return absl::InvalidArgumentError("the form could not be read");
  }
  return absl::OkStatus();
}

}  // namespace

Route ParseRoute(std::string_view path) {
  Route r;
  if (path.rfind("/r/", 0) != 0) return r;
  std::string_view rest = path.substr(3);
  std::size_t slash = rest.find('/');
  r.token = std::string(rest.substr(0, slash));
  if (r.token.size() < 8 || r.token.size() > 128) return r;
  for (char c : r.token) {
    if (!IsTokenChar(c)) return r;
  }
  if (slash != std::string_view::npos) {
    const std::string_view action = rest.substr(slash + 1);
    if (action == "accept") {
      r.action = Action::kAccept;
    } else if (action == "decline") {
      r.action = Action::kDecline;
    } else if (action == "other") {
      r.action = Action::kOtherTime;
    } else {
      return r;
    }
  }
  r.ok = true;
  return r;
}

bool AddFormPiece(ResponseForm& form, std::string_view key, std::string_view data) {
  form.form_bytes += key.size() + data.size();
  if (form.form_bytes > ResponseForm::kMaxFormBytes) {
    form.too_large = true;
    return false;
  }
  form.fields[std::string(key)].append(data);
  return true;
}

absl::StatusOr<rebooking::OfferResponse> ReadResponse(Action action, const ResponseForm& form) {
  rebooking::OfferResponse response;
  response.channel = "link";
  response.kind = action == Action::kAccept    ? rebooking::ResponseKind::kAccept
                  : action == Action::kDecline ? rebooking::ResponseKind::kDecline
                                               : rebooking::ResponseKind::kOtherTime;
  if (form.too_large) return absl::InvalidArgumentError("the form is too large");
  auto alt = form.fields.find("alternative");
  if (alt != form.fields.end() && !alt->second.empty() && action != Action::kDecline) {
    int index = -1;
    if (!absl::SimpleAtoi(alt->second, &index)) {
      return absl::InvalidArgumentError("the chosen alternative is not valid");
    }
    response.alternative_index = index;
  }
  REBOOK_RETURN_IF_ERROR(CheckForm(form));
  return response;
}

absl::Status ReadUnavailable(const ResponseForm& form, const std::string& time_zone,
                             rebooking::OfferResponse& response) {
  for (int i = 1; i <= 2; ++i) {
    auto from = form.fields.find(absl::StrCat("from", i));
    auto to = form.fields.find(absl::StrCat("to", i));
    const bool has_from = from != form.fields.end() && !from->second.empty();
    const bool has_to = to != form.fields.end() && !to->second.empty();
    if (!has_from && !has_to) continue;
    if (!has_from || !has_to) {
      return absl::InvalidArgumentError("give both the start and the end of an unavailable time");
    }
    auto parse = [&](const std::string& text) -> absl::StatusOr<Instant> {
      REBOOK_ASSIGN_OR_RETURN(domain::LocalDateTime local, domain::ParseLocalDateTime(text));
      return domain::LocalToInstant(time_zone, local);
    };
    REBOOK_ASSIGN_OR_RETURN(Instant start, parse(from->second));
    REBOOK_ASSIGN_OR_RETURN(Instant end, parse(to->second));
    response.unavailable.push_back({start, end});
  }
  return absl::OkStatus();
}

}  // namespace rebook::web
