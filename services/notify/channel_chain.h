// ChannelChain: which channel to try first for a citizen, and which next after a permanent
// failure. A pure policy object: no I/O, no clock, thread-safe (immutable after creation).
//
//   ChannelChain chain = ChannelChain::Default();  // email -> sms -> letter -> phone
//   std::optional<std::string> first = chain.First(contact);
//   // ... email failed permanently:
//   std::optional<std::string> next = chain.Next(contact, {"email"});  // nullopt: unreachable
//
// Order for one citizen: the preferred channel (`Contact::channel`, aliases such as "e-mail"
// resolved) if it is in the chain, then the chain in its configured order. Channels whose
// contact field the citizen lacks (no e-mail address for email, no phone number for sms, ...) are
// skipped.
#ifndef REBOOK_SERVICES_NOTIFY_CHANNEL_CHAIN_H_
#define REBOOK_SERVICES_NOTIFY_CHANNEL_CHAIN_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "services/domain/model.h"
#include "services/notify/message.h"

namespace rebook::notify {

struct ChannelStep {
  std::string name;  // channel instance name
  ContactField needs = ContactField::kNone;
};

class ChannelChain {
 public:
  // email -> sms -> letter -> phone.
  static ChannelChain Default();
  // InvalidArgument for an empty chain, empty or duplicate names.
  static absl::StatusOr<ChannelChain> Create(std::vector<ChannelStep> steps);
  // Parses "email,sms,letter,phone"; each name's contact field comes from
  // `DefaultContactField`, so only built-in channel names (or aliases) are accepted.
  static absl::StatusOr<ChannelChain> Parse(std::string_view comma_separated);

  // The channel to try first; nullopt if the citizen has no usable contact data at all.
  std::optional<std::string> First(const domain::Contact& contact) const;
  // The same for a contact whose fields are looked up once (see ContactFields); stops at the
  // first usable channel, so it asks only about the fields it needs.
  std::optional<std::string> First(const ContactFields& fields) const;
  // The next channel after all channels in `tried` failed permanently; nullopt when none is
  // left (the appointment becomes unreachable).
  std::optional<std::string> Next(const domain::Contact& contact,
                                  const std::vector<std::string>& tried) const;
  // The whole order for this citizen, usable channels only.
  std::vector<std::string> OrderFor(const domain::Contact& contact) const;

  const std::vector<ChannelStep>& steps() const { return steps_; }

 private:
  explicit ChannelChain(std::vector<ChannelStep> steps) : steps_(std::move(steps)) {}
  std::vector<ChannelStep> steps_;
};

// Maps a preferred-channel word from booking data or a config file to a built-in channel name
// (domain::kKnownChannels), case-insensitively: the names themselves and their old names
// (domain::CanonicalChannel: "smtp", "phone_list"), and "e-mail"/"mail" -> "email",
// "text" -> "sms", "post"/"postal" -> "letter", "call"/"telephone" -> "phone"; other names are
// returned lower-cased.
std::string CanonicalChannelName(std::string_view preferred);
// The contact field a built-in channel needs; nullopt for names that are not built in.
std::optional<ContactField> DefaultContactField(std::string_view channel);

}  // namespace rebook::notify

#endif  // REBOOK_SERVICES_NOTIFY_CHANNEL_CHAIN_H_
