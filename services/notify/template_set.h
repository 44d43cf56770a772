// TemplateSet: the Mustache templates for every message kind and language, loaded and
// checked once at startup.
//
// Layout (see docs/notifications.md for the variables):
//
//   <dir>/<language>/<kind>.<part>.mustache
//     language: "de", "en", "uk", "pt-br", ... (lower case)
//     kind:     offer | confirmation | reminder | cancellation
//     part:     subject | txt | html | sms | phone
//
//   REBOOK_ASSIGN_OR_RETURN(TemplateSet templates,
//                           TemplateSet::LoadFromDirectory("/usr/share/rebook/templates"));
//   REBOOK_ASSIGN_OR_RETURN(RenderedMessage rendered, templates.Render(message));
//
// Loading fails (InvalidArgument, naming the file) on: a syntax error; a variable or section
// name the renderer does not provide; an unknown file name; a language with some but not all
// parts of a kind; a German set missing any kind (German is the last fallback). Every template
// is rendered once with a sample message at load, so a set that loads renders every message.
//
// Language choice: the citizen's tag ("uk-UA"), then its primary subtag ("uk"), then "de".
// HTML parts are HTML-escaped; all other parts are plain text and not escaped.
//
// Thread-safe after loading. Move-only.
#ifndef REBOOK_SERVICES_NOTIFY_TEMPLATE_SET_H_
#define REBOOK_SERVICES_NOTIFY_TEMPLATE_SET_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "services/notify/message.h"

namespace rebook::notify {

class TemplateSet {
 public:
  TemplateSet(TemplateSet&&) noexcept;
  TemplateSet& operator=(TemplateSet&&) noexcept;
  ~TemplateSet();

  static absl::StatusOr<TemplateSet> LoadFromDirectory(const std::string& dir);

  // Renders every part. InvalidArgument if the message fails ValidateMessage.
  absl::StatusOr<RenderedMessage> Render(const OutgoingMessage& message) const;

  // The loaded language whose templates serve `requested` for `kind` (see fallback above).
  std::string ResolveLanguage(std::string_view requested, MessageKind kind) const;
  std::vector<std::string> Languages() const;  // sorted

  // The message every template is rendered with at load time. Exposed for tests and benches.
  static OutgoingMessage SampleMessage(MessageKind kind, std::string language);

 private:
  struct Impl;
  explicit TemplateSet(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// What the message history records when the citizen's language had no templates:
// "language ru asked, de used" ("" when the templates are in the citizen's language, or the
// citizen gave none). The notifier puts it before the channel's reason in its delivery report.
std::string LanguageFallbackNote(const RenderedMessage& rendered);

}  // namespace rebook::notify

#endif  // REBOOK_SERVICES_NOTIFY_TEMPLATE_SET_H_
