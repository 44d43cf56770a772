// The Mustache view of an OutgoingMessage. Internal to the template set; the variable names
// are documented in docs/notifications.md and form the templates' contract.
#ifndef REBOOK_SERVICES_NOTIFY_INTERNAL_TEMPLATE_DATA_H_
#define REBOOK_SERVICES_NOTIFY_INTERNAL_TEMPLATE_DATA_H_

#include <string>
#include <string_view>
#include <vector>

#include "kainjow/mustache.hpp"
#include "services/notify/message.h"

namespace rebook::notify::internal {

// Every name always exists (optional parts are `false` when absent), so a lookup of an
// unknown name is always a template error, at load time and at render time alike.
kainjow::mustache::data BuildTemplateData(const OutgoingMessage& message,
                                          std::string_view template_language);

// A Mustache context that records every name it cannot resolve.
class StrictContext : public kainjow::mustache::context<std::string> {
 public:
  explicit StrictContext(const kainjow::mustache::data* data)
      : kainjow::mustache::context<std::string>(data) {}
  const kainjow::mustache::data* get(const std::string& name) const override;
  const std::vector<std::string>& missing() const { return missing_; }

 private:
  mutable std::vector<std::string> missing_;
};

}  // namespace rebook::notify::internal

#endif  // REBOOK_SERVICES_NOTIFY_INTERNAL_TEMPLATE_DATA_H_
