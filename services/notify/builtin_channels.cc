#include "services/notify/builtin_channels.h"

#include <memory>

#include "services/common/status_macros.h"
#include "services/notify/email/email_channel.h"
#include "services/notify/file/file_channel.h"
#include "services/notify/letter/letter_channel.h"
#include "services/notify/phone/phone_channel.h"
#include "services/notify/sms/sms_channel.h"
#include "services/notify/webhook/webhook_channel.h"

namespace rebook::notify {

absl::Status RegisterBuiltinChannels(ChannelRegistry& registry) {
  REBOOK_RETURN_IF_ERROR(registry.Register(std::make_unique<EmailChannelFactory>()));
  REBOOK_RETURN_IF_ERROR(registry.Register(std::make_unique<SmsChannelFactory>()));
  REBOOK_RETURN_IF_ERROR(registry.Register(std::make_unique<WebhookChannelFactory>()));
  REBOOK_RETURN_IF_ERROR(registry.Register(std::make_unique<LetterChannelFactory>()));
  REBOOK_RETURN_IF_ERROR(registry.Register(std::make_unique<PhoneChannelFactory>()));
  REBOOK_RETURN_IF_ERROR(registry.Register(std::make_unique<FileChannelFactory>()));
  return absl::OkStatus();
}

}  // namespace rebook::notify
