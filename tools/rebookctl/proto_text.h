// How rebookctl prints API values in tables: a resource name by its last segment
// ("offices/halle-mitte/clerks/c7" -> "c7"; a name without '/' whole), a date as YYYY-MM-DD.
#ifndef REBOOK_TOOLS_REBOOKCTL_PROTO_TEXT_H_
#define REBOOK_TOOLS_REBOOKCTL_PROTO_TEXT_H_

#include <string>

#include "absl/strings/str_format.h"
#include "rebook/v1/common.pb.h"

namespace rebook::ctl {

inline std::string NameTail(const std::string& name) { return name.substr(name.rfind('/') + 1); }

inline std::string DateText(const v1::Date& d) {
  return absl::StrFormat("%04d-%02d-%02d", d.year(), d.month(), d.day());
}

}  // namespace rebook::ctl

#endif  // REBOOK_TOOLS_REBOOKCTL_PROTO_TEXT_H_
