// Data minimisation towards notification workers (GDPR Art. 5(1)(c)): a worker leasing a
// message gets only the contact data its channel sends to.
//
//   lease.content.recipient = MinimalContact(appointment.contact, message.channel);
//
// Every channel gets the name (salutation, letter window, call list), the language and the
// preferred channel; besides that email gets the e-mail address, sms and phone the phone
// number, letter the postal address. webhook and file reach the office's own systems, not the
// citizen, and get nothing more. A channel that fails for good falls back on the server
// (outbox.h), where a new message is leased with what its own channel needs.
#ifndef REBOOK_SERVICES_REBOOKING_PRIVACY_MINIMISE_H_
#define REBOOK_SERVICES_REBOOKING_PRIVACY_MINIMISE_H_

#include <string_view>

#include "services/domain/model.h"

namespace rebook::rebooking {

domain::Contact MinimalContact(const domain::Contact& contact, std::string_view channel);

}  // namespace rebook::rebooking

#endif  // REBOOK_SERVICES_REBOOKING_PRIVACY_MINIMISE_H_
