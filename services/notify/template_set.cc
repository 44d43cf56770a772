#include "services/notify/template_set.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "kainjow/mustache.hpp"
#include "services/common/status_macros.h"
#include "services/common/utf8.h"
#include "services/notify/internal/template_data.h"

namespace rebook::notify {

// Named (not in the anonymous namespace): TemplateSet::Impl, a class with external linkage,
// holds them.
namespace template_set_internal {

enum class Part { kSubject, kText, kHtml, kSms, kPhone };

// One compiled template. kainjow's renderer keeps its error state in the template object, so
// a render must not run concurrently with another on the same object.
struct CompiledTemplate {
  std::string path;
  std::unique_ptr<kainjow::mustache::mustache> tmpl;
  std::unique_ptr<std::mutex> mu = std::make_unique<std::mutex>();
};

}  // namespace template_set_internal

namespace {

using template_set_internal::CompiledTemplate;
using template_set_internal::Part;

namespace fs = std::filesystem;
using kainjow::mustache::mustache;

constexpr Part kAllParts[] = {Part::kSubject, Part::kText, Part::kHtml, Part::kSms, Part::kPhone};

std::string_view PartSuffix(Part p) {
  switch (p) {
    case Part::kSubject:
      return "subject";
    case Part::kText:
      return "txt";
    case Part::kHtml:
      return "html";
    case Part::kSms:
      return "sms";
    case Part::kPhone:
      return "phone";
  }
  return "txt";
}

std::optional<Part> ParsePart(std::string_view s) {
  for (Part p : kAllParts) {
    if (PartSuffix(p) == s) return p;
  }
  return std::nullopt;
}

bool IsLanguageTag(std::string_view tag) {
  if (tag.size() < 2 || tag.size() > 35) return false;
  for (char c : tag) {
    if (!(absl::ascii_islower(c) || absl::ascii_isdigit(c) || c == '-')) return false;
  }
  return absl::ascii_islower(tag[0]) && tag.back() != '-';
}

// Lower case, '_' -> '-': "uk_UA" -> "uk-ua".
std::string NormalizeLanguage(std::string_view tag) {
  std::string t = absl::AsciiStrToLower(absl::string_view(tag.data(), tag.size()));
  for (char& c : t) {
    if (c == '_') c = '-';
  }
  return t;
}

absl::StatusOr<std::string> RenderOne(const CompiledTemplate& t, const kainjow::mustache::data& d) {
  std::lock_guard<std::mutex> lock(*t.mu);
  internal::StrictContext ctx(&d);
  std::string out;
  try {
    out = t.tmpl->render(ctx);
  } catch (const std::exception& e) {
    return absl::InvalidArgumentError(absl::StrCat(t.path, ": ", e.what()));
  }
  if (!t.tmpl->is_valid()) {
    return absl::InvalidArgumentError(absl::StrCat(t.path, ": ", t.tmpl->error_message()));
  }
  if (!ctx.missing().empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(t.path, ": unknown variable(s) ", absl::StrJoin(ctx.missing(), ", ")));
  }
  return out;
}

absl::StatusOr<std::string> ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", path.string()));
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

struct TemplateSet::Impl {
  // language -> kind -> part -> template
  std::map<std::string, std::map<MessageKind, std::map<Part, CompiledTemplate>>> templates;
};

TemplateSet::TemplateSet(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
TemplateSet::TemplateSet(TemplateSet&&) noexcept = default;
TemplateSet& TemplateSet::operator=(TemplateSet&&) noexcept = default;
TemplateSet::~TemplateSet() = default;

absl::StatusOr<TemplateSet> TemplateSet::LoadFromDirectory(const std::string& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    return absl::NotFoundError(absl::StrCat("template directory ", dir, " does not exist"));
  }
  auto impl = std::make_unique<Impl>();
  std::vector<fs::path> lang_dirs;
  for (const fs::directory_entry& e : fs::directory_iterator(dir, ec))
    lang_dirs.push_back(e.path());
  std::sort(lang_dirs.begin(), lang_dirs.end());
  for (const fs::path& lang_dir : lang_dirs) {
    const std::string lang = lang_dir.filename().string();
    if (!fs::is_directory(lang_dir) || !IsLanguageTag(lang)) {
      return absl::InvalidArgumentError(absl::StrCat(
          lang_dir.string(), ": not a language folder (lower-case BCP 47 tag expected)"));
    }
    for (const fs::directory_entry& e : fs::directory_iterator(lang_dir, ec)) {
      const std::string file = e.path().filename().string();
      std::vector<std::string> pieces = absl::StrSplit(file, '.');
      std::optional<MessageKind> kind;
      std::optional<Part> part;
      if (pieces.size() == 3 && pieces[2] == "mustache") {
        kind = ParseMessageKind(pieces[0]);
        part = ParsePart(pieces[1]);
      }
      if (!kind || !part || !e.is_regular_file()) {
        return absl::InvalidArgumentError(absl::StrCat(
            e.path().string(), ": unexpected file; expected <kind>.<part>.mustache with kind ",
            "offer|confirmation|reminder|cancellation and part subject|txt|html|sms|phone"));
      }
      REBOOK_ASSIGN_OR_RETURN(std::string source, ReadFile(e.path()));
      // A template saved in another encoding (Latin-1 from an old editor) would put bytes that
      // are not UTF-8 into every message: no JSON line, webhook or letter could carry them.
      if (const std::size_t bad = FindInvalidUtf8(source); bad != std::string::npos) {
        const std::size_t line_start = source.rfind('\n', bad);  // source[bad] is not '\n'
        const std::size_t column = line_start == std::string::npos ? bad + 1 : bad - line_start;
        return absl::InvalidArgumentError(absl::StrCat(
            e.path().string(), ":", 1 + std::count(source.begin(), source.begin() + bad, '\n'),
            ": byte ", column, " is not valid UTF-8; save the template as UTF-8"));
      }
      auto tmpl = std::make_unique<mustache>(source);
      if (!tmpl->is_valid()) {
        return absl::InvalidArgumentError(
            absl::StrCat(e.path().string(), ": ", tmpl->error_message()));
      }
      if (*part != Part::kHtml) {
        tmpl->set_custom_escape([](const std::string& s) { return s; });
      }
      impl->templates[lang][*kind][*part] = CompiledTemplate{e.path().string(), std::move(tmpl)};
    }
  }
  // Completeness, then a sample render of every template.
  if (!impl->templates.contains("de") || impl->templates["de"].size() != 4) {
    return absl::InvalidArgumentError(
        absl::StrCat(dir, "/de: German templates for all four kinds are required (fallback)"));
  }
  for (auto& [lang, kinds] : impl->templates) {
    for (auto& [kind, parts] : kinds) {
      for (Part p : kAllParts) {
        if (!parts.contains(p)) {
          return absl::InvalidArgumentError(
              absl::StrCat(dir, "/", lang, "/", std::string(ToString(kind)), ".",
                           std::string(PartSuffix(p)), ".mustache: missing"));
        }
      }
      // The sample has every optional part, so that conditional sections render here too.
      OutgoingMessage sample_message = SampleMessage(kind, lang);
      sample_message.explanation = "Sample explanation: the clerk is ill.";
      const kainjow::mustache::data sample = internal::BuildTemplateData(sample_message, lang);
      for (auto& [part, compiled] : parts) {
        REBOOK_ASSIGN_OR_RETURN(std::string out, RenderOne(compiled, sample));
        const absl::string_view trimmed = absl::StripAsciiWhitespace(out);
        if (part == Part::kSubject &&
            (trimmed.find('\n') != absl::string_view::npos || trimmed.empty())) {
          return absl::InvalidArgumentError(
              absl::StrCat(compiled.path, ": a subject must be one non-empty line"));
        }
        if (trimmed.empty()) {
          return absl::InvalidArgumentError(absl::StrCat(compiled.path, ": renders empty"));
        }
      }
    }
  }
  return TemplateSet(std::move(impl));
}

std::string TemplateSet::ResolveLanguage(std::string_view requested, MessageKind kind) const {
  const std::string tag = NormalizeLanguage(requested);
  std::vector<std::string> candidates = {tag};
  const size_t dash = tag.find('-');
  if (dash != std::string::npos) candidates.push_back(tag.substr(0, dash));
  for (const std::string& c : candidates) {
    auto it = impl_->templates.find(c);
    if (it != impl_->templates.end() && it->second.contains(kind)) return c;
  }
  return "de";
}

std::vector<std::string> TemplateSet::Languages() const {
  std::vector<std::string> out;
  for (const auto& [lang, kinds] : impl_->templates) out.push_back(lang);
  return out;
}

std::string LanguageFallbackNote(const RenderedMessage& rendered) {
  const std::string asked = NormalizeLanguage(rendered.message.language);
  const std::string primary = asked.substr(0, asked.find('-'));
  if (primary.empty() || primary == rendered.template_language ||
      asked == rendered.template_language) {
    return "";
  }
  return absl::StrCat("language ", asked, " asked, ", rendered.template_language, " used");
}

absl::StatusOr<RenderedMessage> TemplateSet::Render(const OutgoingMessage& message) const {
  REBOOK_RETURN_IF_ERROR(ValidateMessage(message));
  RenderedMessage r;
  r.message = message;
  r.template_language = ResolveLanguage(message.language, message.kind);
  const auto& parts = impl_->templates.at(r.template_language).at(message.kind);
  const kainjow::mustache::data d = internal::BuildTemplateData(message, r.template_language);
  REBOOK_ASSIGN_OR_RETURN(r.subject, RenderOne(parts.at(Part::kSubject), d));
  r.subject = std::string(absl::StripAsciiWhitespace(r.subject));
  REBOOK_ASSIGN_OR_RETURN(r.text, RenderOne(parts.at(Part::kText), d));
  REBOOK_ASSIGN_OR_RETURN(r.html, RenderOne(parts.at(Part::kHtml), d));
  REBOOK_ASSIGN_OR_RETURN(r.sms, RenderOne(parts.at(Part::kSms), d));
  r.sms = std::string(absl::StripAsciiWhitespace(r.sms));
  REBOOK_ASSIGN_OR_RETURN(r.phone_script, RenderOne(parts.at(Part::kPhone), d));
  return r;
}

OutgoingMessage TemplateSet::SampleMessage(MessageKind kind, std::string language) {
  using std::chrono::hours;
  using std::chrono::minutes;
  // Thursday 29 January 2026, 09:30-09:45 Europe/Berlin (08:30 UTC).
  const Instant start = Instant(date::sys_days(date::year(2026) / 1 / 29).time_since_epoch()) +
                        hours(8) + minutes(30);
  OutgoingMessage m;
  m.key = {"halle-2026-01-27", "apt-000123", 1, "email"};
  m.kind = kind;
  m.language = std::move(language);
  m.recipient = {.name = "Erika Mustermann",
                 .phone = "+49 345 1234567",
                 .email = "erika@example.org",
                 .postal_address = "Erika Mustermann\nHeidestraße 17\n06108 Halle (Saale)",
                 .language = m.language,
                 .channel = "email"};
  m.office = {.id = "halle-mitte",
              .name = "Bürgerservice Halle-Mitte",
              .address = "Marktplatz 1\n06108 Halle (Saale)",
              .time_zone = "Europe/Berlin"};
  m.appointment = {.service_name = "Fahrzeugzulassung",
                   .start = start,
                   .end = start + minutes(15),
                   .original_start = start - hours(48) + hours(3)};
  m.response_token = "tok_5f3a9c1e2b7d4a60";
  m.links = *BuildResponseLinks("https://termine.example.de", m.response_token);
  m.offer_expiry = start - hours(24) + hours(9);
  return m;
}

}  // namespace rebook::notify
