#include "tools/rebookctl/table.h"

#include <algorithm>

namespace rebook::ctl {

std::size_t DisplayWidth(const std::string& s) {
  return static_cast<std::size_t>(
      std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

void Table::Print(std::ostream& out) const {
  std::vector<std::size_t> width(header_.size(), 0);
  auto measure = [&](const std::vector<std::string>& row) {
    for (std::size_t i = 0; i < row.size() && i < width.size(); ++i) {
      width[i] = std::max(width[i], DisplayWidth(row[i]));
    }
  };
  measure(header_);
  for (const auto& r : rows_) measure(r);
  auto print = [&](const std::vector<std::string>& row) {
    for (std::size_t i = 0; i < width.size(); ++i) {
      std::string cell = i < row.size() ? row[i] : "";
      out << cell;
      if (i + 1 < width.size()) out << std::string(width[i] - DisplayWidth(cell) + 2, ' ');
    }
    out << "\n";
  };
  auto rule = [&] {
    std::size_t total = 0;
    for (std::size_t w : width) total += w + 2;
    out << std::string(total > 2 ? total - 2 : 0, '-') << "\n";
  };
  print(header_);
  rule();
  for (const auto& r : rows_) {
    if (r.empty()) {
      rule();
    } else {
      print(r);
    }
  }
}

}  // namespace rebook::ctl
