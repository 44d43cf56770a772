// JsonCursor: lenient, path-aware reading of JSON exported by other systems (ZMS).
//
// A cursor is a node of a parsed document plus where it lies: the file's name and the JSON path
// from the root ("$.data[12].appointments[0].date"). Every error names both:
//
//   JsonCursor date = process.Get("appointments").At(0).Get("date");
//   REBOOK_ASSIGN_OR_RETURN(std::int64_t t, date.Int());
//   // -> InvalidArgument "processes.json: $.data[12].appointments[0].date: \"tomorrow\" is not
//   //    a whole number"
//
// Reading is as lenient as ZMS's own API data needs: numbers may come as strings ("141"),
// flags as booleans, numbers or strings ("0", "1", "true"), and a missing member reads as null.
// The cursor holds a pointer into the document, which must outlive it. Not thread-safe.
#ifndef REBOOK_SERVICES_INTEROP_JSON_CURSOR_H_
#define REBOOK_SERVICES_INTEROP_JSON_CURSOR_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "nlohmann/json.hpp"

namespace rebook::interop {

class JsonCursor {
 public:
  JsonCursor(const nlohmann::json* node, std::string file, std::string path)
      : node_(node), file_(std::move(file)), path_(std::move(path)) {}

  const std::string& path() const { return path_; }
  bool IsNull() const { return node_ == nullptr || node_->is_null(); }
  bool IsArray() const { return node_ != nullptr && node_->is_array(); }
  bool IsObject() const { return node_ != nullptr && node_->is_object(); }
  std::size_t Size() const { return IsArray() ? node_->size() : 0; }

  // A member of an object; a null cursor (with the member's path) if absent or not an object.
  JsonCursor Get(std::string_view key) const;
  // An element of an array; a null cursor if out of range or not an array.
  JsonCursor At(std::size_t index) const;

  // InvalidArgument "file: path: message".
  absl::Status Error(std::string_view message) const;

  // A whole number given as a JSON number or a string of digits (optional leading '-').
  absl::StatusOr<std::int64_t> Int() const;
  // As Int(), but null (or absent) gives nullopt and "" gives nullopt too.
  absl::StatusOr<std::optional<std::int64_t>> OptionalInt() const;
  // A string; a number is written in decimal. Null gives "".
  absl::StatusOr<std::string> String() const;
  // A flag: true/false, a number (non-zero is true: ZMS sends weekday bits such as 8),
  // or a string of these ("0", "8", "true", "false", ""). Null gives false.
  absl::StatusOr<bool> Flag() const;

 private:
  std::string Describe() const;  // the node's value, short, for messages
  const nlohmann::json* node_;
  std::string file_;
  std::string path_;
};

// Parses `text` as JSON; InvalidArgument "file: line L, column C: <parser message>" otherwise.
absl::StatusOr<nlohmann::json> ParseJson(std::string_view text, std::string_view file);

// The records of a ZMS API answer: the document itself when it is an array, or its "data"
// member when it is the envelope {"meta": {...}, "data": [...]}. An envelope whose
// meta.error is true is refused with its message.
absl::StatusOr<JsonCursor> ZmsRecords(const nlohmann::json& doc, std::string_view file);

}  // namespace rebook::interop

#endif  // REBOOK_SERVICES_INTEROP_JSON_CURSOR_H_
