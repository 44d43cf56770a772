#include "services/web/offer_page.h"

#include <map>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "kainjow/mustache.hpp"
#include "services/notify/local_format.h"
#include "services/web/offer_page_texts.h"

namespace rebook::web {
namespace {

using kainjow::mustache::data;
using kainjow::mustache::mustache;

// One page layout for every page. Every {{variable}} is HTML-escaped by mustache.
constexpr char kLayout[] = R"(<!DOCTYPE html>
<html lang="{{lang}}" dir="{{dir}}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>{{title}}</title>
<style>body{font-family:sans-serif;max-width:40em;margin:2em auto;padding:0 1em;line-height:1.4}
.slot{font-size:1.3em;font-weight:bold}.note{color:#555}.error{color:#a00}
form{margin:1em 0}button{font-size:1.1em;padding:.4em 1em}fieldset{margin:1em 0}
.foot{margin-top:3em;border-top:1px solid #ccc;font-size:.9em;color:#444}</style>
</head><body>
<h1>{{title}}</h1>
{{#error}}<p class="error">{{message}}</p><p>{{error_hint}}</p>{{/error}}
{{#offer}}
<p>{{service}}</p>
<p class="slot">{{slot_date}}, {{slot_time}}</p>
<p>{{office_name}}<br>{{#address_lines}}{{line}}<br>{{/address_lines}}</p>
{{#explanation}}<p class="note">{{explanation}}</p>{{/explanation}}
{{#why_not_earlier}}<p class="note" id="why">{{why_not_earlier}}</p>{{/why_not_earlier}}
<p>{{state_text}}</p>
{{#open}}<p class="note">{{expiry_text}}</p>
{{#show_accept}}<form method="post" action="{{base}}/accept"><button type="submit">{{accept_label}}</button></form>{{/show_accept}}
{{#show_decline}}<form method="post" action="{{base}}/decline"><button type="submit">{{decline_label}}</button></form>{{/show_decline}}
{{#show_other}}<form method="post" action="{{base}}/other"><fieldset><legend>{{other_label}}</legend>
{{#alternatives}}<p><label><input type="radio" name="alternative" value="{{index}}"> {{date}}, {{time}}</label></p>{{/alternatives}}
<p>{{unavailable_label}}</p>
<p><input type="datetime-local" name="from1"> – <input type="datetime-local" name="to1"></p>
<p><input type="datetime-local" name="from2"> – <input type="datetime-local" name="to2"></p>
<button type="submit">{{other_button}}</button></fieldset></form>{{/show_other}}
{{/open}}
{{/offer}}
<footer class="foot">
{{#contact}}<p>{{contact_label}}: {{contact}}</p>{{/contact}}
{{^contact}}{{#office_name}}<p>{{contact_label}}: {{office_name}}{{#address_lines}}, {{line}}{{/address_lines}}</p>{{/office_name}}{{/contact}}
<p>{{privacy_text}}</p>
<p>{{#imprint_url}}<a href="{{imprint_url}}">{{imprint_label}}</a>{{/imprint_url}}{{#both_links}} · {{/both_links}}{{#privacy_url}}<a href="{{privacy_url}}">{{privacy_label}}</a>{{/privacy_url}}</p>
</footer>
</body></html>
)";

using Texts = std::map<std::string, std::string>;

const Texts& Strings(const std::string& lang) { return internal::PageTexts(lang); }

std::string Render(data& d, const PageFooter& footer, const std::string& lang) {
  const Texts& t = Strings(lang);
  d.set("dir", lang == "ar" ? "rtl" : "ltr");  // Arabic pages read right to left
  for (const char* key : {"contact_label", "imprint_label", "privacy_label", "privacy_text"}) {
    d.set(key, t.at(key));
  }
  if (!footer.contact.empty()) d.set("contact", footer.contact);
  if (!footer.imprint_url.empty()) d.set("imprint_url", footer.imprint_url);
  if (!footer.privacy_url.empty()) d.set("privacy_url", footer.privacy_url);
  if (!footer.imprint_url.empty() && !footer.privacy_url.empty()) d.set("both_links", true);
  // Parsed once per thread: parsing took a third of a refused (429) request's CPU, the answer an
  // attacker gets thousands of times; each of the HTTP server's threads keeps its own, as a
  // kainjow template is not meant to be rendered from two threads at once.
  thread_local mustache tmpl{std::string(kLayout)};
  return tmpl.render(d);
}

// The office of the page's offer, for the footer when no contact line is configured.
void SetOfficeForFooter(data& d, const rebooking::PublicOfferView& v) {
  d.set("office_name", v.office.name);
  data lines{data::type::list};
  for (absl::string_view l : absl::StrSplit(v.office.address, '\n', absl::SkipEmpty())) {
    data line;
    line.set("line", std::string(l));
    lines.push_back(line);
  }
  d.set("address_lines", lines);
}

std::string StateText(domain::OfferState s, const Texts& t) {
  switch (s) {
    case domain::OfferState::kOpen:
      return t.at("open");
    case domain::OfferState::kAccepted:
      return t.at("accepted");
    case domain::OfferState::kDeclined:
      return t.at("declined");
    case domain::OfferState::kOtherTimeRequested:
      return t.at("other");
    case domain::OfferState::kExpired:
      return t.at("expired");
    case domain::OfferState::kWithdrawn:
      return t.at("withdrawn");
  }
  return "";
}

data OfferData(const rebooking::PublicOfferView& v, const std::string& lang) {
  const Texts& t = Strings(lang);
  const std::string& tz = v.office.time_zone;
  const domain::TimeInterval& slot = v.offer.HeldSlot().time;
  data offer;
  offer.set("service", v.service_name);
  offer.set("slot_date", notify::FormatLongDate(lang, tz, slot.start));
  offer.set("slot_time", absl::StrCat(notify::FormatClockTime(tz, slot.start), " – ",
                                      notify::FormatClockTime(tz, slot.end)));
  offer.set("office_name", v.office.name);
  data lines{data::type::list};
  std::size_t from = 0;
  while (from <= v.office.address.size() && !v.office.address.empty()) {
    std::size_t nl = v.office.address.find('\n', from);
    data line;
    line.set("line", v.office.address.substr(from, nl - from));
    lines.push_back(line);
    if (nl == std::string::npos) break;
    from = nl + 1;
  }
  offer.set("address_lines", lines);
  if (!v.offer.explanation.empty()) offer.set("explanation", v.offer.explanation);
  auto why = v.why_not_earlier.find(lang);
  if (why != v.why_not_earlier.end() && !why->second.empty()) {
    offer.set("why_not_earlier", why->second);
  }
  offer.set("state_text", StateText(v.offer.state, t));
  return offer;
}

}  // namespace

std::string PageLanguage(const std::string& tag) {
  std::string primary = absl::AsciiStrToLower(tag.substr(0, tag.find_first_of("-_")));
  if (primary.empty()) return "de";
  return internal::IsPageLanguage(primary) ? primary : "en";
}

std::string PreferredPageLanguage(const std::string& accept_language) {
  std::string best = "de";
  double best_q = 0;
  for (absl::string_view item : absl::StrSplit(accept_language, ',', absl::SkipEmpty())) {
    std::vector<absl::string_view> parts = absl::StrSplit(item, ';');
    const std::string tag = absl::AsciiStrToLower(absl::StripAsciiWhitespace(parts[0]));
    double q = 1;
    for (std::size_t i = 1; i < parts.size(); ++i) {
      absl::string_view p = absl::StripAsciiWhitespace(parts[i]);
      if (absl::ConsumePrefix(&p, "q=") && !absl::SimpleAtod(p, &q)) q = 0;
    }
    const std::string primary = tag.substr(0, tag.find('-'));
    if (internal::IsPageLanguage(primary) && q > best_q) {
      best = primary;
      best_q = q;
    }
  }
  return best;
}

std::string CitizenErrorText(const absl::Status& status, const std::string& lang) {
  const Texts& t = Strings(lang);
  switch (status.code()) {
    case absl::StatusCode::kNotFound:
      return t.at("err_not_found");
    case absl::StatusCode::kFailedPrecondition:
    case absl::StatusCode::kAborted:
    case absl::StatusCode::kAlreadyExists:
      return t.at("err_conflict");
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kOutOfRange:
      return t.at("err_invalid");
    case absl::StatusCode::kUnavailable:
    case absl::StatusCode::kDeadlineExceeded:
      return t.at("err_busy");
    default:
      return t.at("err_other");
  }
}

std::string RenderOfferPage(const rebooking::PublicOfferView& v, PageFocus focus,
                            const std::string& base_path, const std::string& lang,
                            const PageFooter& footer) {
  const Texts& t = Strings(lang);
  data d;
  d.set("lang", lang);
  d.set("title", t.at("title"));
  data offer = OfferData(v, lang);
  if (v.offer.state == domain::OfferState::kOpen) {
    const std::string& tz = v.office.time_zone;
    data open;
    open.set("expiry_text",
             absl::StrCat(t.at("expires"), notify::FormatLongDate(lang, tz, v.offer.expire_time),
                          ", ", notify::FormatClockTime(tz, v.offer.expire_time)));
    open.set("base", base_path);
    for (const auto& [key, label] : t) open.set(key, label);
    if (focus == PageFocus::kAll || focus == PageFocus::kAccept) open.set("show_accept", true);
    if (focus == PageFocus::kAll || focus == PageFocus::kDecline) open.set("show_decline", true);
    if (focus == PageFocus::kAll || focus == PageFocus::kOtherTime) {
      open.set("show_other", true);
      data alts{data::type::list};
      for (std::size_t i = 0; i < v.offer.alternatives.size(); ++i) {
        const Instant start = v.offer.alternatives[i].time.start;
        data alt;
        alt.set("index", std::to_string(i));
        alt.set("date", notify::FormatLongDate(lang, tz, start));
        alt.set("time", notify::FormatClockTime(tz, start));
        alts.push_back(alt);
      }
      open.set("alternatives", alts);
    }
    offer.set("open", open);
  }
  d.set("offer", offer);
  SetOfficeForFooter(d, v);
  return Render(d, footer, lang);
}

std::string RenderResultPage(const rebooking::PublicOfferView& v, bool repeated,
                             const std::string& lang, const PageFooter& footer) {
  const Texts& t = Strings(lang);
  data d;
  d.set("lang", lang);
  d.set("title", t.at("title"));
  data offer = OfferData(v, lang);
  if (repeated) {
    offer.set("state_text", absl::StrCat(t.at("repeated"), " ", StateText(v.offer.state, t)));
  }
  d.set("offer", offer);
  SetOfficeForFooter(d, v);
  return Render(d, footer, lang);
}

std::string RenderErrorPage(const absl::Status& status, const std::string& lang,
                            const PageFooter& footer) {
  const Texts& t = Strings(lang);
  data d;
  d.set("lang", lang);
  d.set("title", t.at("error_title"));
  data error;
  error.set("message", status.code() == absl::StatusCode::kResourceExhausted
                           ? std::string(status.message())
                           : CitizenErrorText(status, lang));
  error.set("error_hint", t.at("error_hint"));
  d.set("error", error);
  return Render(d, footer, lang);
}

}  // namespace rebook::web
