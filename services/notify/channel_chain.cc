#include "services/notify/channel_chain.h"

#include <algorithm>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace rebook::notify {

ChannelChain ChannelChain::Default() {
  return ChannelChain({{"email", ContactField::kEmail},
                       {"sms", ContactField::kMobilePhone},
                       {"letter", ContactField::kPostalAddress},
                       {"phone", ContactField::kPhone}});
}

absl::StatusOr<ChannelChain> ChannelChain::Create(std::vector<ChannelStep> steps) {
  if (steps.empty()) return absl::InvalidArgumentError("channel chain is empty");
  std::set<std::string> seen;
  for (const ChannelStep& step : steps) {
    if (step.name.empty()) return absl::InvalidArgumentError("channel chain: empty name");
    if (!seen.insert(step.name).second) {
      return absl::InvalidArgumentError(
          absl::StrCat("channel chain: \"", step.name, "\" appears twice"));
    }
  }
  return ChannelChain(std::move(steps));
}

absl::StatusOr<ChannelChain> ChannelChain::Parse(std::string_view comma_separated) {
  std::vector<ChannelStep> steps;
  for (absl::string_view part :
       absl::StrSplit(absl::string_view(comma_separated.data(), comma_separated.size()), ',',
                      absl::SkipWhitespace())) {
    const std::string name = CanonicalChannelName(std::string_view(
        absl::StripAsciiWhitespace(part).data(), absl::StripAsciiWhitespace(part).size()));
    std::optional<ContactField> field = DefaultContactField(name);
    if (!field.has_value()) {
      return absl::InvalidArgumentError(
          absl::StrCat("channel chain: unknown channel \"", name, "\""));
    }
    steps.push_back({name, *field});
  }
  return Create(std::move(steps));
}

std::vector<std::string> ChannelChain::OrderFor(const domain::Contact& contact) const {
  std::vector<std::string> order;
  const std::string preferred = CanonicalChannelName(contact.channel);
  const ContactFields fields(contact);
  for (const ChannelStep& step : steps_) {
    if (step.name == preferred && fields.Has(step.needs)) {
      order.push_back(step.name);
    }
  }
  for (const ChannelStep& step : steps_) {
    if (step.name != preferred && fields.Has(step.needs)) {
      order.push_back(step.name);
    }
  }
  return order;
}

std::optional<std::string> ChannelChain::First(const domain::Contact& contact) const {
  return First(ContactFields(contact));
}

std::optional<std::string> ChannelChain::First(const ContactFields& fields) const {
  const std::string preferred = CanonicalChannelName(fields.contact().channel);
  for (const ChannelStep& step : steps_) {
    if (step.name == preferred && fields.Has(step.needs)) return step.name;
  }
  for (const ChannelStep& step : steps_) {
    if (step.name != preferred && fields.Has(step.needs)) return step.name;
  }
  return std::nullopt;
}

std::optional<std::string> ChannelChain::Next(const domain::Contact& contact,
                                              const std::vector<std::string>& tried) const {
  for (const std::string& name : OrderFor(contact)) {
    if (std::find(tried.begin(), tried.end(), name) == tried.end()) return name;
  }
  return std::nullopt;
}

std::string CanonicalChannelName(std::string_view preferred) {
  std::string p = absl::AsciiStrToLower(
      absl::StripAsciiWhitespace(absl::string_view(preferred.data(), preferred.size())));
  if (std::optional<std::string_view> name = domain::CanonicalChannel(p)) return std::string(*name);
  if (p == "e-mail" || p == "mail") return "email";
  if (p == "text") return "sms";
  if (p == "post" || p == "postal") return "letter";
  if (p == "call" || p == "telephone") return "phone";
  return p;
}

std::optional<ContactField> DefaultContactField(std::string_view channel) {
  if (channel == "email") return ContactField::kEmail;
  if (channel == "sms") return ContactField::kMobilePhone;
  if (channel == "phone") return ContactField::kPhone;
  if (channel == "letter") return ContactField::kPostalAddress;
  if (channel == "webhook" || channel == "file") return ContactField::kNone;
  return std::nullopt;
}

}  // namespace rebook::notify
