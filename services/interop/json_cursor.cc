#include "services/interop/json_cursor.h"

#include <charconv>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace rebook::interop {
namespace {

const nlohmann::json& Null() {
  static const auto* null = new nlohmann::json();
  return *null;
}

std::optional<std::int64_t> ParseWhole(std::string_view text) {
  absl::string_view s = absl::StripAsciiWhitespace(absl::string_view(text.data(), text.size()));
  if (s.empty()) return std::nullopt;
  std::int64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

}  // namespace

JsonCursor JsonCursor::Get(std::string_view key) const {
  std::string path = absl::StrCat(path_, ".", std::string(key));
  if (!IsObject()) return JsonCursor(&Null(), file_, std::move(path));
  auto it = node_->find(std::string(key));
  return JsonCursor(it == node_->end() ? &Null() : &*it, file_, std::move(path));
}

JsonCursor JsonCursor::At(std::size_t index) const {
  std::string path = absl::StrCat(path_, "[", index, "]");
  if (!IsArray() || index >= node_->size()) return JsonCursor(&Null(), file_, std::move(path));
  return JsonCursor(&(*node_)[index], file_, std::move(path));
}

absl::Status JsonCursor::Error(std::string_view message) const {
  return absl::InvalidArgumentError(absl::StrCat(file_, ": ", path_, ": ", std::string(message)));
}

std::string JsonCursor::Describe() const {
  if (IsNull()) return "null";
  std::string text = node_->dump();
  if (text.size() > 40) text = text.substr(0, 37) + "...";
  return text;
}

absl::StatusOr<std::int64_t> JsonCursor::Int() const {
  if (IsNull()) return Error("is missing");
  if (node_->is_number_integer()) return node_->get<std::int64_t>();
  if (node_->is_number_float()) {
    double d = node_->get<double>();
    if (d == static_cast<double>(static_cast<std::int64_t>(d))) return static_cast<std::int64_t>(d);
  }
  if (node_->is_string()) {
    if (auto v = ParseWhole(node_->get_ref<const std::string&>())) return *v;
  }
  return Error(absl::StrCat(Describe(), " is not a whole number"));
}

absl::StatusOr<std::optional<std::int64_t>> JsonCursor::OptionalInt() const {
  if (IsNull()) return std::optional<std::int64_t>();
  if (node_->is_string() &&
      absl::StripAsciiWhitespace(node_->get_ref<const std::string&>()).empty()) {
    return std::optional<std::int64_t>();
  }
  absl::StatusOr<std::int64_t> v = Int();
  if (!v.ok()) return v.status();
  return std::optional<std::int64_t>(*v);
}

absl::StatusOr<std::string> JsonCursor::String() const {
  if (IsNull()) return std::string();
  if (node_->is_string()) return node_->get<std::string>();
  if (node_->is_number_integer()) return absl::StrCat(node_->get<std::int64_t>());
  return Error(absl::StrCat(Describe(), " is not a string"));
}

absl::StatusOr<bool> JsonCursor::Flag() const {
  if (IsNull()) return false;
  if (node_->is_boolean()) return node_->get<bool>();
  if (node_->is_number()) return node_->get<double>() != 0;
  if (node_->is_string()) {
    std::string s =
        absl::AsciiStrToLower(absl::StripAsciiWhitespace(node_->get_ref<const std::string&>()));
    if (s.empty() || s == "false") return false;
    if (s == "true") return true;
    if (auto v = ParseWhole(s)) return *v != 0;
  }
  return Error(absl::StrCat(Describe(), " is not a flag (true, false or a number)"));
}

absl::StatusOr<nlohmann::json> ParseJson(std::string_view text, std::string_view file) {
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    return absl::InvalidArgumentError(
        absl::StrCat(std::string(file), ": not valid JSON (byte ", e.byte, "): ", e.what()));
  }
}

absl::StatusOr<JsonCursor> ZmsRecords(const nlohmann::json& doc, std::string_view file) {
  JsonCursor root(&doc, std::string(file), "$");
  if (root.IsArray()) return root;
  if (root.IsObject() && root.Get("data").IsArray()) {
    JsonCursor meta = root.Get("meta");
    absl::StatusOr<bool> error = meta.Get("error").Flag();
    if (!error.ok()) return error.status();
    if (*error) {
      absl::StatusOr<std::string> message = meta.Get("message").String();
      return meta.Error(absl::StrCat("the export reports an error: ",
                                     message.ok() ? *message : std::string("(no message)")));
    }
    return root.Get("data");
  }
  return root.Error("is neither an array nor an envelope {\"meta\": ..., \"data\": [...]}");
}

}  // namespace rebook::interop
