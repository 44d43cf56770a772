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

// A Mustache context that records every name it cannot resolve. It resolves names as
// kainjow's own context does (innermost section first; "a.b" walks into nested data; "." is the
// innermost item), but splits a dotted name without the std::stringstream kainjow uses for
// it, which was ~7 % of a notifier's CPU in a drain of the file channel.
class StrictContext : public kainjow::mustache::basic_context<std::string> {
 public:
  explicit StrictContext(const kainjow::mustache::data* data) { items_.push_back(data); }
  void push(const kainjow::mustache::data* data) override;
  void pop() override;
  const kainjow::mustache::data* get(const std::string& name) const override;
  const kainjow::mustache::data* get_partial(const std::string& name) const override;
  const std::vector<std::string>& missing() const { return missing_; }

 private:
  const kainjow::mustache::data* Find(const std::string& name) const;

  std::vector<const kainjow::mustache::data*> items_;  // innermost first
  mutable std::vector<std::string> missing_;
  mutable std::string part_;  // one part of a dotted name
};

}  // namespace rebook::notify::internal

#endif  // REBOOK_SERVICES_NOTIFY_INTERNAL_TEMPLATE_DATA_H_
