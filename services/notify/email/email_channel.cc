#include "services/notify/email/email_channel.h"

#include <curl/curl.h>

#include <memory>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/strip.h"
#include "services/common/status_macros.h"
#include "services/notify/base64.h"
#include "services/notify/email/icalendar.h"
#include "services/notify/http/http_client.h"

namespace rebook::notify {
namespace {

struct CurlDeleter {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct MimeDeleter {
  void operator()(curl_mime* m) const { curl_mime_free(m); }
};
struct SlistDeleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

// A plain address: no spaces, one '@', nothing that could break a header or the envelope.
bool IsPlainAddress(std::string_view a) {
  const size_t at = a.find('@');
  return at != std::string_view::npos && at > 0 && at + 1 < a.size() &&
         a.find('@', at + 1) == std::string_view::npos &&
         a.find_first_of(" \t\r\n<>()\",;:\\[]") == std::string_view::npos;
}

// "Name <addr>" or "addr" -> {name, addr}.
bool ParseMailbox(std::string_view text, std::string& name, std::string& address) {
  const size_t lt = text.rfind('<');
  if (lt == std::string_view::npos) {
    name.clear();
    address = std::string(absl::StripAsciiWhitespace(absl::string_view(text.data(), text.size())));
  } else {
    if (text.back() != '>') return false;
    name = std::string(absl::StripAsciiWhitespace(absl::string_view(text.data(), lt)));
    address = std::string(text.substr(lt + 1, text.size() - lt - 2));
  }
  if (name.size() >= 2 && name.front() == '"' && name.back() == '"') {
    name = name.substr(1, name.size() - 2);
  }
  return IsPlainAddress(address);
}

std::string MailboxHeader(const std::string& name, const std::string& address) {
  if (name.empty()) return address;
  std::string display = EncodeHeaderText(name);
  if (display == name) display = absl::StrCat("\"", absl::StrReplaceAll(name, {{"\"", ""}}), "\"");
  return absl::StrCat(display, " <", address, ">");
}

struct Transcript {
  std::string last_command;  // "RCPT", "DATA", "AUTH", ...
  std::string last_reply;    // the server's last reply line
  std::string failed_command;
  std::string failed_reply;  // the first 4xx/5xx reply and the command it answered
};

int OnDebug(CURL*, curl_infotype type, char* data, size_t size, void* user) {
  auto* t = static_cast<Transcript*>(user);
  std::string line(data, size);
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
  if (type == CURLINFO_HEADER_OUT) {
    t->last_command = absl::AsciiStrToUpper(line.substr(0, line.find(' ')));
  } else if (type == CURLINFO_HEADER_IN && !line.empty()) {
    t->last_reply = line;
    if ((line[0] == '4' || line[0] == '5') && t->failed_reply.empty()) {
      t->failed_reply = line;
      t->failed_command = t->last_command;
    }
  }
  return 0;
}

class EmailChannel final : public Channel {
 public:
  struct Options {
    std::string url;
    std::string from_name, from_address, reply_to;
    std::string username, password;
    bool starttls = true;
    bool tls_verify = true;
    std::string ca_file;
    std::string domain;
    CalendarOptions calendar;
    std::chrono::seconds timeout{30};
  };

  EmailChannel(Options options, const Clock& clock) : o_(std::move(options)), clock_(clock) {
    EnsureCurlInitialized();
  }

  std::string_view name() const override { return "email"; }
  ContactField required_contact() const override { return ContactField::kEmail; }

  DeliveryResult Send(const RenderedMessage& r) override;

 private:
  const Options o_;
  const Clock& clock_;
};

DeliveryResult EmailChannel::Send(const RenderedMessage& r) {
  const OutgoingMessage& m = r.message;
  const std::string to = std::string(absl::StripAsciiWhitespace(m.recipient.email));
  if (!IsPlainAddress(to)) {
    return DeliveryResult::Permanent(absl::StrCat("invalid e-mail address \"", to, "\""));
  }
  const Instant now = clock_.Now();
  const std::string message_id = SmtpMessageId(m.key, o_.domain);
  std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
  if (!curl) return DeliveryResult::Temporary("curl_easy_init failed");
  CURL* c = curl.get();

  // Body: mixed { alternative { text, html }, calendar }.
  std::unique_ptr<curl_mime, MimeDeleter> mime(curl_mime_init(c));
  curl_mime* alt = curl_mime_init(c);
  curl_mimepart* part = curl_mime_addpart(alt);
  curl_mime_data(part, r.text.data(), r.text.size());
  curl_mime_type(part, "text/plain; charset=UTF-8");
  curl_mime_encoder(part, "quoted-printable");
  part = curl_mime_addpart(alt);
  curl_mime_data(part, r.html.data(), r.html.size());
  curl_mime_type(part, "text/html; charset=UTF-8");
  curl_mime_encoder(part, "quoted-printable");
  part = curl_mime_addpart(mime.get());
  curl_mime_subparts(part, alt);  // `mime` owns `alt` from here on
  curl_mime_type(part, "multipart/alternative");
  const std::string ics = BuildICalendar(r, now, o_.calendar);
  const std::string ics_type =
      absl::StrCat("text/calendar; charset=UTF-8; method=", CalendarMethod(r, o_.calendar));
  part = curl_mime_addpart(mime.get());
  curl_mime_data(part, ics.data(), ics.size());
  curl_mime_type(part, ics_type.c_str());
  curl_mime_filename(part, "termin.ics");
  curl_mime_encoder(part, "base64");

  std::unique_ptr<curl_slist, SlistDeleter> headers;
  auto add_header = [&headers](const std::string& h) {
    headers.reset(curl_slist_append(headers.release(), h.c_str()));
  };
  add_header(absl::StrCat("From: ", MailboxHeader(o_.from_name, o_.from_address)));
  add_header(absl::StrCat("To: ", MailboxHeader(m.recipient.name, to)));
  if (!o_.reply_to.empty()) add_header(absl::StrCat("Reply-To: ", o_.reply_to));
  add_header(absl::StrCat("Subject: ", EncodeHeaderText(r.subject)));
  add_header(absl::StrCat("Date: ", Rfc5322Date(now)));
  add_header(absl::StrCat("Message-ID: ", message_id));
  add_header(absl::StrCat("Content-Language: ", r.template_language));
  add_header("Auto-Submitted: auto-generated");
  std::unique_ptr<curl_slist, SlistDeleter> rcpt(
      curl_slist_append(nullptr, absl::StrCat("<", to, ">").c_str()));

  Transcript transcript;
  char error[CURL_ERROR_SIZE] = {};
  const std::string mail_from = absl::StrCat("<", o_.from_address, ">");
  curl_easy_setopt(c, CURLOPT_URL, o_.url.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_TIMEOUT, static_cast<long>(o_.timeout.count()));
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, static_cast<long>(o_.timeout.count()));
  curl_easy_setopt(c, CURLOPT_MAIL_FROM, mail_from.c_str());
  curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt.get());
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(c, CURLOPT_MIMEPOST, mime.get());
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(c, CURLOPT_VERBOSE, 1L);  // feeds OnDebug; nothing is printed
  curl_easy_setopt(c, CURLOPT_DEBUGFUNCTION, &OnDebug);
  curl_easy_setopt(c, CURLOPT_DEBUGDATA, &transcript);
  if (o_.starttls) curl_easy_setopt(c, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_ALL));
  if (!o_.tls_verify) {
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 0L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 0L);
  }
  if (!o_.ca_file.empty()) curl_easy_setopt(c, CURLOPT_CAINFO, o_.ca_file.c_str());
  if (!o_.username.empty()) {
    curl_easy_setopt(c, CURLOPT_USERNAME, o_.username.c_str());
    curl_easy_setopt(c, CURLOPT_PASSWORD, o_.password.c_str());
  }
  const CURLcode rc = curl_easy_perform(c);
  if (rc == CURLE_OK) return DeliveryResult::Sent(message_id, transcript.last_reply);

  const std::string& reply = transcript.failed_reply;
  const std::string& command = transcript.failed_command;
  if (!reply.empty() && reply[0] == '5' && (command == "RCPT" || command == "DATA")) {
    return DeliveryResult::Permanent(reply);
  }
  std::string reason = !reply.empty() ? reply : (error[0] != '\0' ? error : curl_easy_strerror(rc));
  if (!reply.empty() && reply[0] == '5') {
    reason = absl::StrCat("relay refused ", command, " (check the smtp configuration): ", reply);
  }
  return DeliveryResult::Temporary(reason);
}

}  // namespace

std::string SmtpMessageId(const IdempotencyKey& key, std::string_view domain) {
  return absl::StrCat("<", key.Digest(), ".rebook@", std::string(domain), ">");
}

std::string EncodeHeaderText(std::string_view text) {
  bool ascii = true;
  for (char c : text)
    ascii = ascii && static_cast<unsigned char>(c) < 0x80 && c != '\r' && c != '\n';
  if (ascii) return std::string(text);
  // Encoded words are at most 75 characters: encode in chunks of at most 45 input bytes,
  // split on UTF-8 character boundaries.
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    size_t end = std::min(text.size(), i + 45);
    while (end < text.size() && (static_cast<unsigned char>(text[end]) & 0xc0) == 0x80) --end;
    std::string chunk(text.substr(i, end - i));
    for (char& ch : chunk) {
      if (ch == '\r' || ch == '\n') ch = ' ';
    }
    absl::StrAppend(&out, out.empty() ? "" : "\r\n ", "=?UTF-8?B?", Base64Encode(chunk), "?=");
    i = end;
  }
  return out;
}

std::string Rfc5322Date(Instant t) {
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const date::sys_days day = date::floor<date::days>(t);
  const date::year_month_day ymd(day);
  const date::hh_mm_ss<std::chrono::seconds> hms(t - day);
  return absl::StrFormat("%s, %02u %s %04d %02d:%02d:%02d +0000",
                         kDays[date::weekday(day).c_encoding()], static_cast<unsigned>(ymd.day()),
                         kMonths[static_cast<unsigned>(ymd.month()) - 1],
                         static_cast<int>(ymd.year()), hms.hours().count(), hms.minutes().count(),
                         hms.seconds().count());
}

absl::StatusOr<std::unique_ptr<Channel>> EmailChannelFactory::Create(
    const ChannelConfig& config) const {
  REBOOK_RETURN_IF_ERROR(config.CheckKnownKeys({"url", "from", "reply_to", "username", "password",
                                                "starttls", "tls_verify", "ca_file",
                                                "message_id_domain", "ical_method", "timeout"}));
  EmailChannel::Options o;
  REBOOK_ASSIGN_OR_RETURN(o.url, config.GetString("url"));
  if (!absl::StartsWith(o.url, "smtp://") && !absl::StartsWith(o.url, "smtps://")) {
    return config.Invalid("url", "must start with smtp:// or smtps://");
  }
  REBOOK_ASSIGN_OR_RETURN(std::string from, config.GetString("from"));
  if (!ParseMailbox(from, o.from_name, o.from_address)) {
    return config.Invalid("from", "must be \"Name <address>\" or an address");
  }
  o.reply_to = config.GetString("reply_to", "");
  if (!o.reply_to.empty() && !IsPlainAddress(o.reply_to)) {
    return config.Invalid("reply_to", "must be a plain address");
  }
  o.username = config.GetString("username", "");
  o.password = config.GetString("password", "");
  REBOOK_ASSIGN_OR_RETURN(o.starttls, config.GetBool("starttls", true));
  if (absl::StartsWith(o.url, "smtps://")) o.starttls = false;  // TLS from the first byte
  REBOOK_ASSIGN_OR_RETURN(o.tls_verify, config.GetBool("tls_verify", true));
  o.ca_file = config.GetString("ca_file", "");
  o.domain =
      config.GetString("message_id_domain", o.from_address.substr(o.from_address.find('@') + 1));
  const std::string method = absl::AsciiStrToUpper(config.GetString("ical_method", "publish"));
  if (method != "PUBLISH" && method != "REQUEST") {
    return config.Invalid("ical_method", "must be publish or request");
  }
  o.calendar = {.method = method,
                .uid_domain = o.domain,
                .organizer_email = method == "REQUEST" ? o.from_address : "",
                .organizer_name = o.from_name};
  REBOOK_ASSIGN_OR_RETURN(o.timeout, config.GetDuration("timeout", std::chrono::seconds(30)));
  return std::make_unique<EmailChannel>(std::move(o), config.clock());
}

}  // namespace rebook::notify
