#include "services/api/request_check.h"

#include <cstdint>
#include <vector>

#include "absl/strings/str_cat.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/duration.pb.h"
#include "google/protobuf/timestamp.pb.h"

namespace rebook::api {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

constexpr std::int32_t kNanosPerSecond = 1'000'000'000;

// A field path built only when a violation names it: the check walks every field of every
// record of an import (100,000 appointments), and formatting each path cost more than the
// checks themselves.
struct PathRef {
  const PathRef* parent = nullptr;
  const std::string* prefix = nullptr;  // the root: the caller's prefix
  const std::string* name = nullptr;    // a field's name
  int index = -1;                       // an element of a repeated field

  std::string Text() const {
    if (prefix != nullptr) return *prefix;
    std::string out = parent->Text();
    if (index >= 0) return absl::StrCat(out, "[", index, "]");
    return out.empty() ? *name : absl::StrCat(out, ".", *name);
  }
  PathRef Field(const std::string& field_name) const { return {this, nullptr, &field_name, -1}; }
  PathRef Item(int i) const { return {this, nullptr, nullptr, i}; }
};

// Timestamp and Duration: seconds (field 1) and nanos (field 2).
void CheckTime(const Message& m, FieldViolations& v, const PathRef& path) {
  const Descriptor* d = m.GetDescriptor();
  const Reflection* r = m.GetReflection();
  const FieldDescriptor* seconds_field = d->field_count() == 2 ? d->field(0) : nullptr;
  const FieldDescriptor* nanos_field = d->field_count() == 2 ? d->field(1) : nullptr;
  if (seconds_field == nullptr || seconds_field->name() != "seconds" ||
      nanos_field->name() != "nanos") {
    return;
  }
  std::int64_t seconds = r->GetInt64(m, seconds_field);
  std::int32_t nanos = r->GetInt32(m, nanos_field);
  static const std::string kNanos = "nanos";
  if (d->full_name() == "google.protobuf.Timestamp") {
    if (nanos < 0 || nanos >= kNanosPerSecond) {
      v.Add(path.Field(kNanos).Text(), "must be in [0, 999999999]", "OUT_OF_RANGE");
    }
  } else if (nanos <= -kNanosPerSecond || nanos >= kNanosPerSecond || (seconds > 0 && nanos < 0) ||
             (seconds < 0 && nanos > 0)) {
    v.Add(path.Field(kNanos).Text(), "must be in (-1e9, 1e9) with the sign of seconds",
          "OUT_OF_RANGE");
  }
}

void CheckEnum(const FieldDescriptor* f, int value, FieldViolations& v, const PathRef& path) {
  if (f->enum_type()->FindValueByNumber(value) == nullptr) {
    v.Add(path.Text(), absl::StrCat("is not a value of ", f->enum_type()->name()), "UNKNOWN_VALUE");
  }
}

bool IsTime(const Descriptor* d) {
  static const Descriptor* const timestamp = google::protobuf::Timestamp::descriptor();
  static const Descriptor* const duration = google::protobuf::Duration::descriptor();
  return d == timestamp || d == duration;
}

// The set fields of each nesting level, reused from record to record (ListFields fills a
// vector; a fresh one per message allocated for every record of an import).
using FieldLists = std::vector<std::vector<const FieldDescriptor*>>;

void Check(const Message& request, FieldViolations& v, const PathRef& path, FieldLists& lists,
           std::size_t depth) {
  const Descriptor* d = request.GetDescriptor();
  if (IsTime(d)) {
    CheckTime(request, v, path);
    return;
  }
  const Reflection* r = request.GetReflection();
  if (lists.size() <= depth) lists.resize(depth + 1);
  lists[depth].clear();
  r->ListFields(request, &lists[depth]);  // set fields only
  for (std::size_t k = 0; k < lists[depth].size(); ++k) {
    const FieldDescriptor* f = lists[depth][k];  // by index: deeper levels may resize `lists`
    const PathRef field = path.Field(f->name());
    if (f->is_repeated()) {
      const bool enums = f->cpp_type() == FieldDescriptor::CPPTYPE_ENUM;
      const bool messages = f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE && !f->is_map();
      if (!enums && !messages) continue;
      const int n = r->FieldSize(request, f);
      for (int i = 0; i < n; ++i) {
        if (enums) {
          CheckEnum(f, r->GetRepeatedEnumValue(request, f, i), v, field.Item(i));
        } else {
          Check(r->GetRepeatedMessage(request, f, i), v, field.Item(i), lists, depth + 1);
        }
      }
      continue;
    }
    if (f->cpp_type() == FieldDescriptor::CPPTYPE_ENUM) {
      CheckEnum(f, r->GetEnumValue(request, f), v, field);
    } else if (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
      Check(r->GetMessage(request, f), v, field, lists, depth + 1);
    } else if (f->name() == "page_size" && f->cpp_type() == FieldDescriptor::CPPTYPE_INT32 &&
               r->GetInt32(request, f) < 0) {
      v.Add(field.Text(), "must not be negative (0 means the default)", "OUT_OF_RANGE");
    }
  }
}

}  // namespace

void CheckRequestFields(const Message& request, FieldViolations& v, const std::string& prefix) {
  thread_local FieldLists lists;
  Check(request, v, PathRef{nullptr, &prefix, nullptr, -1}, lists, 0);
}

}  // namespace rebook::api
