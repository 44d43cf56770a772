#include "services/notify/message_json.h"

#include "absl/strings/str_cat.h"
#include "services/domain/local_time.h"

namespace rebook::notify {
namespace {

using nlohmann::json;

absl::StatusOr<Instant> ParseUtc(const std::string& text) {
  // FormatUtc writes "YYYY-MM-DDTHH:MM:SSZ".
  if (text.size() != 20 || text.back() != 'Z') {
    return absl::InvalidArgumentError(absl::StrCat("bad UTC time \"", text, "\""));
  }
  absl::StatusOr<domain::LocalDateTime> t = domain::ParseLocalDateTime(text.substr(0, 19));
  if (!t.ok()) return t.status();
  return Instant(t->time_since_epoch());
}

}  // namespace

json MessageToJson(const RenderedMessage& r, const JsonOptions& options) {
  const OutgoingMessage& m = r.message;
  const std::string& tz = m.office.time_zone;
  json j;
  j["key"] = {{"outage_id", m.key.outage_id},
              {"appointment_id", m.key.appointment_id},
              {"offer_version", m.key.offer_version},
              {"channel", m.key.channel},
              {"id", m.key.ToString()}};
  j["kind"] = std::string(ToString(m.kind));
  j["language"] = m.language;
  j["template_language"] = r.template_language;
  if (options.include_contact) {
    j["recipient"] = {
        {"name", m.recipient.name},         {"email", m.recipient.email},
        {"phone", m.recipient.phone},       {"postal_address", m.recipient.postal_address},
        {"language", m.recipient.language}, {"channel", m.recipient.channel}};
  }
  j["office"] = {{"id", m.office.id},
                 {"name", m.office.name},
                 {"address", m.office.address},
                 {"time_zone", tz}};
  j["appointment"] = {{"service", m.appointment.service_name},
                      {"start", domain::FormatUtc(m.appointment.start)},
                      {"end", domain::FormatUtc(m.appointment.end)},
                      {"start_local", domain::FormatLocal(tz, m.appointment.start)},
                      {"end_local", domain::FormatLocal(tz, m.appointment.end)}};
  if (m.appointment.original_start) {
    j["appointment"]["original_start"] = domain::FormatUtc(*m.appointment.original_start);
  }
  j["response_token"] = m.response_token;
  j["links"] = {{"respond", m.links.respond},
                {"accept", m.links.accept},
                {"decline", m.links.decline},
                {"other_time", m.links.other_time}};
  if (!m.explanation.empty()) j["explanation"] = m.explanation;
  if (m.offer_expiry) {
    j["offer_expiry"] = domain::FormatUtc(*m.offer_expiry);
    j["offer_expiry_local"] = domain::FormatLocal(tz, *m.offer_expiry);
  }
  if (options.include_rendered) {
    j["rendered"] = {{"subject", r.subject},
                     {"text", r.text},
                     {"html", r.html},
                     {"sms", r.sms},
                     {"phone_script", r.phone_script}};
  }
  return j;
}

absl::StatusOr<RenderedMessage> MessageFromJson(const json& j) {
  RenderedMessage r;
  OutgoingMessage& m = r.message;
  try {
    const json& key = j.at("key");
    m.key = {key.at("outage_id"), key.at("appointment_id"), key.at("offer_version"),
             key.at("channel")};
    std::optional<MessageKind> kind = ParseMessageKind(j.at("kind").get<std::string>());
    if (!kind) return absl::InvalidArgumentError("unknown message kind");
    m.kind = *kind;
    m.language = j.at("language");
    r.template_language = j.at("template_language");
    const json& rec = j.at("recipient");
    m.recipient = {.name = rec.at("name"),
                   .phone = rec.at("phone"),
                   .email = rec.at("email"),
                   .postal_address = rec.at("postal_address"),
                   .language = rec.at("language"),
                   .channel = rec.at("channel")};
    const json& office = j.at("office");
    m.office = {office.at("id"), office.at("name"), office.at("address"), office.at("time_zone")};
    const json& apt = j.at("appointment");
    m.appointment.service_name = apt.at("service");
    absl::StatusOr<Instant> start = ParseUtc(apt.at("start"));
    absl::StatusOr<Instant> end = ParseUtc(apt.at("end"));
    if (!start.ok()) return start.status();
    if (!end.ok()) return end.status();
    m.appointment.start = *start;
    m.appointment.end = *end;
    if (apt.contains("original_start")) {
      absl::StatusOr<Instant> original = ParseUtc(apt.at("original_start"));
      if (!original.ok()) return original.status();
      m.appointment.original_start = *original;
    }
    m.response_token = j.at("response_token");
    const json& links = j.at("links");
    m.links = {links.at("respond"), links.at("accept"), links.at("decline"),
               links.at("other_time")};
    if (j.contains("explanation")) m.explanation = j.at("explanation");
    if (j.contains("offer_expiry")) {
      absl::StatusOr<Instant> expiry = ParseUtc(j.at("offer_expiry"));
      if (!expiry.ok()) return expiry.status();
      m.offer_expiry = *expiry;
    }
    const json& rendered = j.at("rendered");
    r.subject = rendered.at("subject");
    r.text = rendered.at("text");
    r.html = rendered.at("html");
    r.sms = rendered.at("sms");
    r.phone_script = rendered.at("phone_script");
  } catch (const json::exception& e) {
    return absl::InvalidArgumentError(absl::StrCat("message JSON: ", e.what()));
  }
  return r;
}

}  // namespace rebook::notify
