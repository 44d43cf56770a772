#include "services/notify/message_json_text.h"

#include <array>
#include <cstdint>
#include <string_view>

#include "absl/strings/str_cat.h"
#include "services/common/utf8.h"
#include "services/domain/local_time.h"

namespace rebook::notify {
namespace {

// The bytes that JSON strings hold as they are: all but controls, '"' and '\\' (the string
// is checked to be UTF-8 first, so bytes from 0x80 on are parts of whole characters).
constexpr std::array<bool, 256> kPlain = [] {
  std::array<bool, 256> plain{};
  for (int c = 0x20; c < 0x100; ++c) plain[c] = c != '"' && c != '\\';
  return plain;
}();

// Writes the members of one message; remembers the first string that is not UTF-8.
class Writer {
 public:
  explicit Writer(std::string& out) : out_(out) {}

  bool ok() const { return bad_.empty(); }
  const std::string& bad() const { return bad_; }

  // `"name":` preceded by a comma unless it is the first member of its object.
  void Name(std::string_view name) {
    if (!first_) out_.push_back(',');
    first_ = false;
    out_.push_back('"');
    out_.append(name);
    out_.append("\":");
  }
  // Opens the top-level object (no name) or a member object.
  void Open(std::string_view name = {}) {
    if (!name.empty()) Name(name);
    object_ = name;
    out_.push_back('{');
    first_ = true;
  }
  void Close() {
    out_.push_back('}');
    object_ = {};
    first_ = false;
  }
  void String(std::string_view name, std::string_view value) {
    Name(name);
    Quoted(name, value);
  }
  void Integer(std::string_view name, std::int64_t value) {
    Name(name);
    absl::StrAppend(&out_, value);
  }

 private:
  void Quoted(std::string_view name, std::string_view s) {
    static constexpr char kHex[] = "0123456789abcdef";
    if (FindInvalidUtf8(s) != std::string_view::npos) {
      if (bad_.empty()) {
        bad_ = object_.empty() ? std::string(name) : std::string(object_).append(".").append(name);
      }
      return;
    }
    out_.push_back('"');
    const char* const data = s.data();
    const std::size_t size = s.size();
    std::size_t plain = 0;  // start of the bytes not yet appended
    std::size_t i = 0;
    while (true) {
      while (i < size && kPlain[static_cast<unsigned char>(data[i])]) ++i;
      if (i == size) break;
      const unsigned char c = static_cast<unsigned char>(data[i]);
      out_.append(data + plain, i - plain);
      switch (c) {
        case '"':
          out_.append("\\\"");
          break;
        case '\\':
          out_.append("\\\\");
          break;
        case '\b':
          out_.append("\\b");
          break;
        case '\f':
          out_.append("\\f");
          break;
        case '\n':
          out_.append("\\n");
          break;
        case '\r':
          out_.append("\\r");
          break;
        case '\t':
          out_.append("\\t");
          break;
        default:
          out_.append("\\u00");
          out_.push_back(kHex[c >> 4]);
          out_.push_back(kHex[c & 0xF]);
      }
      plain = ++i;
    }
    out_.append(data + plain, size - plain);
    out_.push_back('"');
  }

  std::string& out_;
  std::string_view object_;  // the member object being written; empty at the top level
  bool first_ = true;
  std::string bad_;  // the path of the first string that is not UTF-8, "recipient.name"
};

}  // namespace

absl::Status AppendMessageJsonText(const RenderedMessage& r, const JsonOptions& options,
                                   std::string& out) {
  const OutgoingMessage& m = r.message;
  const std::string& tz = m.office.time_zone;
  const std::size_t start = out.size();
  Writer w(out);
  // Every object's members in bytewise key order, as std::map holds them in MessageToJson.
  w.Open();
  w.Open("appointment");
  w.String("end", domain::FormatUtc(m.appointment.end));
  w.String("end_local", domain::FormatLocal(tz, m.appointment.end));
  if (m.appointment.original_start) {
    w.String("original_start", domain::FormatUtc(*m.appointment.original_start));
  }
  w.String("service", m.appointment.service_name);
  w.String("start", domain::FormatUtc(m.appointment.start));
  w.String("start_local", domain::FormatLocal(tz, m.appointment.start));
  w.Close();
  if (!m.explanation.empty()) w.String("explanation", m.explanation);
  w.Open("key");
  w.String("appointment_id", m.key.appointment_id);
  w.String("channel", m.key.channel);
  w.String("id", m.key.ToString());
  w.Integer("offer_version", m.key.offer_version);
  w.String("outage_id", m.key.outage_id);
  w.Close();
  w.String("kind", ToString(m.kind));
  w.String("language", m.language);
  w.Open("links");
  w.String("accept", m.links.accept);
  w.String("decline", m.links.decline);
  w.String("other_time", m.links.other_time);
  w.String("respond", m.links.respond);
  w.Close();
  if (m.offer_expiry) {
    w.String("offer_expiry", domain::FormatUtc(*m.offer_expiry));
    w.String("offer_expiry_local", domain::FormatLocal(tz, *m.offer_expiry));
  }
  w.Open("office");
  w.String("address", m.office.address);
  w.String("id", m.office.id);
  w.String("name", m.office.name);
  w.String("time_zone", tz);
  w.Close();
  if (options.include_contact) {
    w.Open("recipient");
    w.String("channel", m.recipient.channel);
    w.String("email", m.recipient.email);
    w.String("language", m.recipient.language);
    w.String("name", m.recipient.name);
    w.String("phone", m.recipient.phone);
    w.String("postal_address", m.recipient.postal_address);
    w.Close();
  }
  if (options.include_rendered) {
    w.Open("rendered");
    w.String("html", r.html);
    w.String("phone_script", r.phone_script);
    w.String("sms", r.sms);
    w.String("subject", r.subject);
    w.String("text", r.text);
    w.Close();
  }
  w.String("response_token", m.response_token);
  w.String("template_language", r.template_language);
  w.Close();
  if (!w.ok()) {
    out.resize(start);
    return absl::InvalidArgumentError(
        absl::StrCat("message JSON: the string \"", w.bad(), "\" is not valid UTF-8"));
  }
  return absl::OkStatus();
}

}  // namespace rebook::notify
