// The `file` channel: appends each message as one JSON line (message_json.h) to a file.
// The default for demos and tests; also a plain audit trail of what would have been sent.
//
// Config keys:
//   path             required; the file to append to (created if missing, never truncated)
//   include_contact  default true; false leaves the recipient's contact data out
//   fsync            default false; true makes every line durable before Send returns
//   retry_*          see retry_policy.h
//
// Every Send appends one line with one write() (O_APPEND) under an exclusive flock on the file,
// so a crash loses at most the line being written and several processes (rebook-notifier
// workers) may append to one file: lines never interleave. A retry of the same key appends
// again: readers dedupe by `key.id`. Result: kDelivered with the key as provider id; a
// permanent failure, naming the string but not its value, for a message with a string that is
// not UTF-8 (it cannot be a JSON line; nothing is written).
// Thread-safe (one mutex around the append).
#ifndef REBOOK_SERVICES_NOTIFY_FILE_FILE_CHANNEL_H_
#define REBOOK_SERVICES_NOTIFY_FILE_FILE_CHANNEL_H_

#include <memory>

#include "services/notify/channel.h"

namespace rebook::notify {

class FileChannelFactory final : public ChannelFactory {
 public:
  std::string_view name() const override { return "file"; }
  absl::StatusOr<std::unique_ptr<Channel>> Create(const ChannelConfig& config) const override;
};

}  // namespace rebook::notify

#endif  // REBOOK_SERVICES_NOTIFY_FILE_FILE_CHANNEL_H_
