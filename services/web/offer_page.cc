#include "services/web/offer_page.h"

#include <map>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "kainjow/mustache.hpp"
#include "services/notify/local_format.h"

namespace rebook::web {
namespace {

using kainjow::mustache::data;
using kainjow::mustache::mustache;

// One page layout for every page. Every {{variable}} is HTML-escaped by mustache.
constexpr char kLayout[] = R"(<!DOCTYPE html>
<html lang="{{lang}}"><head><meta charset="utf-8">
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

const Texts& Strings(const std::string& lang) {
  static const Texts kDe = {
      {"title", "Ihr neuer Termin"},
      {"accept_label", "Termin annehmen"},
      {"decline_label", "Termin ablehnen"},
      {"other_label", "Anderer Termin"},
      {"other_button", "Andere Zeit anfragen"},
      {"unavailable_label", "Zu diesen Zeiten kann ich nicht (optional, Ortszeit):"},
      {"expires", "Bitte antworten Sie bis "},
      {"open", "Dieser Termin ist für Sie reserviert."},
      {"accepted", "Sie haben den Termin angenommen. Eine Bestätigung folgt."},
      {"declined", "Sie haben den Termin abgelehnt. Wir melden uns mit einem neuen Angebot."},
      {"other", "Wir suchen eine andere Zeit für Sie und melden uns."},
      {"expired", "Dieses Angebot ist abgelaufen. Wir melden uns mit einem neuen Angebot."},
      {"withdrawn", "Dieses Angebot wurde zurückgezogen."},
      {"repeated", "Ihre Antwort lag uns bereits vor; es hat sich nichts geändert."},
      {"error_title", "Das hat nicht geklappt"},
      {"error_hint", "Bei Fragen wenden Sie sich bitte an Ihr Bürgerbüro."},
      {"contact_label", "Kontakt"},
      {"imprint_label", "Impressum"},
      {"privacy_label", "Datenschutz"},
      {"privacy_text",
       "Diese Seite setzt keine Cookies. Ihre Antwort wird nur verarbeitet, um Ihren Termin "
       "neu zu vergeben, und mit Ihrem Vorgang gespeichert."},
      {"err_not_found",
       "Diesen Link kennen wir nicht. Bitte prüfen Sie die Adresse oder scannen Sie den "
       "QR-Code im Brief noch einmal."},
      {"err_conflict",
       "Dieses Angebot kann nicht mehr so beantwortet werden: Es ist abgelaufen, wurde "
       "zurückgezogen oder bereits anders beantwortet, oder der gewählte Termin ist vergeben."},
      {"err_invalid", "Ihre Angaben sind unvollständig oder ungültig. Bitte prüfen Sie sie."},
      {"err_busy", "Der Dienst ist gerade ausgelastet. Bitte versuchen Sie es gleich noch einmal."},
      {"err_other", "Etwas ist schiefgegangen. Bitte versuchen Sie es später noch einmal."},
  };
  static const Texts kEn = {
      {"title", "Your new appointment"},
      {"accept_label", "Accept this appointment"},
      {"decline_label", "Decline this appointment"},
      {"other_label", "Another time"},
      {"other_button", "Ask for another time"},
      {"unavailable_label", "I cannot come at these times (optional, local time):"},
      {"expires", "Please answer by "},
      {"open", "This appointment is held for you."},
      {"accepted", "You accepted the appointment. A confirmation follows."},
      {"declined", "You declined the appointment. We will send you a new offer."},
      {"other", "We are looking for another time for you and will be in touch."},
      {"expired", "This offer has expired. We will send you a new offer."},
      {"withdrawn", "This offer was withdrawn."},
      {"repeated", "We already had your answer; nothing has changed."},
      {"error_title", "That did not work"},
      {"error_hint", "If you have questions, please contact your citizen office."},
      {"contact_label", "Contact"},
      {"imprint_label", "Legal notice (Impressum)"},
      {"privacy_label", "Privacy notice"},
      {"privacy_text",
       "This page sets no cookies. Your answer is used only to rebook your appointment and is "
       "kept with your case."},
      {"err_not_found",
       "We do not know this link. Please check the address or scan the QR code in the letter "
       "again."},
      {"err_conflict",
       "This offer cannot be answered like this any more: it expired, was withdrawn or "
       "answered differently, or the chosen time has been taken."},
      {"err_invalid", "Some of your input is missing or invalid. Please check it."},
      {"err_busy", "The service is busy right now. Please try again in a moment."},
      {"err_other", "Something went wrong. Please try again later."},
  };
  return lang == "de" ? kDe : kEn;
}

std::string Render(data& d, const PageFooter& footer, const std::string& lang) {
  const Texts& t = Strings(lang);
  for (const char* key : {"contact_label", "imprint_label", "privacy_label", "privacy_text"}) {
    d.set(key, t.at(key));
  }
  if (!footer.contact.empty()) d.set("contact", footer.contact);
  if (!footer.imprint_url.empty()) d.set("imprint_url", footer.imprint_url);
  if (!footer.privacy_url.empty()) d.set("privacy_url", footer.privacy_url);
  if (!footer.imprint_url.empty() && !footer.privacy_url.empty()) d.set("both_links", true);
  mustache tmpl{std::string(kLayout)};
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
  return tag.rfind("de", 0) == 0 || tag.empty() ? "de" : "en";
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
    if ((primary == "de" || primary == "en") && q > best_q) {
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
