#include "tools/rebook_notifier/leased_message.h"

#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "services/api/convert.h"

namespace rebook::notifier {
namespace {

namespace v1 = ::rebook::v1;

// The path segments of a resource name.
std::vector<std::string> Segments(const std::string& name) { return absl::StrSplit(name, '/'); }

absl::Status Bad(const std::string& field, const std::string& value) {
  return absl::InvalidArgumentError(
      absl::StrCat("leased message: cannot read ", field, " \"", value, "\""));
}

}  // namespace

std::string NotifyKeyChannel(const std::string& channel, v1::MessageKind kind) {
  switch (kind) {
    case v1::CONFIRMATION:
      return channel + ".confirmation";
    case v1::REMINDER:
      return channel + ".reminder";
    case v1::CANCELLATION:
      return channel + ".cancellation";
    default:
      return channel;
  }
}

absl::StatusOr<notify::OutgoingMessage> ToOutgoingMessage(const v1::LeasedMessage& leased) {
  const v1::Message& m = leased.message();
  const v1::MessageContent& c = leased.content();
  notify::OutgoingMessage out;

  const std::vector<std::string> outage = Segments(m.outage());
  if (outage.size() != 2 || outage[0] != "outages") return Bad("outage", m.outage());
  const std::vector<std::string> appointment = Segments(m.appointment());
  if (appointment.size() != 4 || appointment[2] != "appointments") {
    return Bad("appointment", m.appointment());
  }
  out.key.outage_id = outage[1];
  out.key.appointment_id = appointment[3];
  if (!m.offer().empty()) {
    const std::vector<std::string> offer = Segments(m.offer());
    if (offer.size() != 6 || !absl::SimpleAtoi(offer[5], &out.key.offer_version)) {
      return Bad("offer", m.offer());
    }
  }
  out.key.channel = NotifyKeyChannel(m.channel(), m.kind());

  switch (m.kind()) {
    case v1::OFFER:
      out.kind = notify::MessageKind::kOffer;
      break;
    case v1::CONFIRMATION:
      out.kind = notify::MessageKind::kConfirmation;
      break;
    case v1::REMINDER:
      out.kind = notify::MessageKind::kReminder;
      break;
    case v1::CANCELLATION:
      out.kind = notify::MessageKind::kCancellation;
      break;
    default:
      return Bad("kind", v1::MessageKind_Name(m.kind()));
  }
  out.language = m.language().empty() ? "de" : m.language();
  out.recipient = api::FromProto(c.recipient());

  const std::vector<std::string> office = Segments(c.office().empty() ? m.name() : c.office());
  if (office.size() < 2 || office[0] != "offices") return Bad("office", c.office());
  out.office.id = office[1];
  out.office.name = c.office_display_name();
  out.office.address = c.office_address();
  if (!c.time_zone().empty()) out.office.time_zone = c.time_zone();

  out.appointment.service_name = c.service_display_name();
  out.appointment.start = api::FromTimestamp(c.slot().start_time());
  out.appointment.end = api::FromTimestamp(c.slot().end_time());
  if (c.has_original_start_time()) {
    out.appointment.original_start = api::FromTimestamp(c.original_start_time());
  }
  out.response_token = c.response_token();
  out.links = {.respond = c.respond_url(),
               .accept = c.accept_url(),
               .decline = c.decline_url(),
               .other_time = c.other_time_url()};
  if (c.has_offer_expire_time()) out.offer_expiry = api::FromTimestamp(c.offer_expire_time());
  out.explanation = c.explanation();
  return out;
}

}  // namespace rebook::notifier
