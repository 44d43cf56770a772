#include "services/rebooking/privacy_minimise.h"

#include <optional>

#include "services/notify/channel_chain.h"
#include "services/notify/message.h"

namespace rebook::rebooking {

domain::Contact MinimalContact(const domain::Contact& contact, std::string_view channel) {
  domain::Contact out;
  out.name = contact.name;
  out.language = contact.language;
  out.channel = contact.channel;
  const std::optional<notify::ContactField> field = notify::DefaultContactField(channel);
  switch (field.value_or(notify::ContactField::kNone)) {
    case notify::ContactField::kEmail:
      out.email = contact.email;
      break;
    case notify::ContactField::kPhone:
    case notify::ContactField::kMobilePhone:
      out.phone = contact.phone;
      break;
    case notify::ContactField::kPostalAddress:
      out.postal_address = contact.postal_address;
      break;
    case notify::ContactField::kNone:
      break;
  }
  return out;
}

}  // namespace rebook::rebooking
