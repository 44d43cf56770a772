#include "services/common/ical_text.h"

#include <algorithm>

#include "absl/strings/str_replace.h"

namespace rebook {

std::string EscapeICalText(std::string_view text) {
  return absl::StrReplaceAll(
      absl::string_view(text.data(), text.size()),
      {{"\\", "\\\\"}, {";", "\\;"}, {",", "\\,"}, {"\r\n", "\\n"}, {"\n", "\\n"}, {"\r", ""}});
}

std::string FoldICalLine(std::string_view line) {
  std::string out;
  size_t budget = 75;  // the first line; continuation lines start with a space
  size_t used = 0;
  for (size_t i = 0; i < line.size();) {
    size_t len = 1;
    const unsigned char c = static_cast<unsigned char>(line[i]);
    if (c >= 0xf0) {
      len = 4;
    } else if (c >= 0xe0) {
      len = 3;
    } else if (c >= 0xc0) {
      len = 2;
    }
    len = std::min(len, line.size() - i);
    if (used + len > budget) {
      out += "\r\n ";
      used = 1;
    }
    out.append(line.substr(i, len));
    used += len;
    i += len;
  }
  out += "\r\n";
  return out;
}

}  // namespace rebook
