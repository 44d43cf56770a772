#include "services/api/request_check.h"

#include <cstdint>
#include <vector>

#include "absl/strings/str_cat.h"
#include "google/protobuf/descriptor.h"

namespace rebook::api {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

constexpr std::int32_t kNanosPerSecond = 1'000'000'000;

std::string Path(const std::string& prefix, const std::string& name) {
  return prefix.empty() ? name : absl::StrCat(prefix, ".", name);
}

// Timestamp and Duration: seconds (field 1) and nanos (field 2).
void CheckTime(const Message& m, FieldViolations& v, const std::string& path) {
  const Descriptor* d = m.GetDescriptor();
  const Reflection* r = m.GetReflection();
  const FieldDescriptor* seconds_field = d->FindFieldByName("seconds");
  const FieldDescriptor* nanos_field = d->FindFieldByName("nanos");
  if (seconds_field == nullptr || nanos_field == nullptr) return;
  std::int64_t seconds = r->GetInt64(m, seconds_field);
  std::int32_t nanos = r->GetInt32(m, nanos_field);
  if (d->full_name() == "google.protobuf.Timestamp") {
    if (nanos < 0 || nanos >= kNanosPerSecond) {
      v.Add(Path(path, "nanos"), "must be in [0, 999999999]", "OUT_OF_RANGE");
    }
  } else if (nanos <= -kNanosPerSecond || nanos >= kNanosPerSecond || (seconds > 0 && nanos < 0) ||
             (seconds < 0 && nanos > 0)) {
    v.Add(Path(path, "nanos"), "must be in (-1e9, 1e9) with the sign of seconds", "OUT_OF_RANGE");
  }
}

void CheckEnum(const FieldDescriptor* f, int value, FieldViolations& v, const std::string& path) {
  if (f->enum_type()->FindValueByNumber(value) == nullptr) {
    v.Add(path, absl::StrCat("is not a value of ", f->enum_type()->name()), "UNKNOWN_VALUE");
  }
}

}  // namespace

void CheckRequestFields(const Message& request, FieldViolations& v, const std::string& prefix) {
  const Descriptor* d = request.GetDescriptor();
  if (d->full_name() == "google.protobuf.Timestamp" ||
      d->full_name() == "google.protobuf.Duration") {
    CheckTime(request, v, prefix);
    return;
  }
  const Reflection* r = request.GetReflection();
  std::vector<const FieldDescriptor*> fields;
  r->ListFields(request, &fields);  // set fields only
  for (const FieldDescriptor* f : fields) {
    const std::string path = Path(prefix, f->name());
    if (f->is_repeated()) {
      const int n = r->FieldSize(request, f);
      for (int i = 0; i < n; ++i) {
        const std::string item = absl::StrCat(path, "[", i, "]");
        if (f->cpp_type() == FieldDescriptor::CPPTYPE_ENUM) {
          CheckEnum(f, r->GetRepeatedEnumValue(request, f, i), v, item);
        } else if (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE && !f->is_map()) {
          CheckRequestFields(r->GetRepeatedMessage(request, f, i), v, item);
        }
      }
      continue;
    }
    if (f->cpp_type() == FieldDescriptor::CPPTYPE_ENUM) {
      CheckEnum(f, r->GetEnumValue(request, f), v, path);
    } else if (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
      CheckRequestFields(r->GetMessage(request, f), v, path);
    } else if (f->name() == "page_size" && f->cpp_type() == FieldDescriptor::CPPTYPE_INT32 &&
               r->GetInt32(request, f) < 0) {
      v.Add(path, "must not be negative (0 means the default)", "OUT_OF_RANGE");
    }
  }
}

}  // namespace rebook::api
