#include "tools/rebook_notifier/leased_message.h"

#include "absl/strings/str_cat.h"
#include "services/api/convert.h"
#include "services/api/names.h"
#include "services/common/status_macros.h"

namespace rebook::notifier {
namespace {

namespace v1 = ::rebook::v1;

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

  REBOOK_ASSIGN_OR_RETURN(out.key.outage_id, api::ParseOutageName(m.outage(), "message.outage"));
  REBOOK_ASSIGN_OR_RETURN(api::AppointmentName appointment,
                          api::ParseAppointmentName(m.appointment(), "message.appointment"));
  out.key.appointment_id = appointment.appointment_id;
  if (!m.offer().empty()) {
    REBOOK_ASSIGN_OR_RETURN(api::OfferName offer, api::ParseOfferName(m.offer(), "message.offer"));
    out.key.offer_version = offer.version;
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

  // The message's name carries the office of the case; the slot's office is content.office
  // (messages from servers before `content.office` was added: the message's).
  REBOOK_ASSIGN_OR_RETURN(api::OfficeChildName name,
                          api::ParseOfficeChildName(m.name(), "messages", "message.name"));
  out.case_office_id = name.office_id;
  if (c.office().empty()) {
    out.office.id = name.office_id;
  } else {
    REBOOK_ASSIGN_OR_RETURN(out.office.id, api::ParseOfficeName(c.office(), "content.office"));
  }
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
