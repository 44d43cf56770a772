// A plain text table for terminals: columns sized to their widest cell (UTF-8 aware).
#ifndef REBOOK_TOOLS_REBOOKCTL_TABLE_H_
#define REBOOK_TOOLS_REBOOKCTL_TABLE_H_

#include <ostream>
#include <string>
#include <vector>

namespace rebook::ctl {

class Table {
 public:
  explicit Table(std::vector<std::string> header) : header_(std::move(header)) {}
  void AddRow(std::vector<std::string> row) { rows_.push_back(std::move(row)); }
  // A separator line before the next row (e.g. before a total).
  void AddRule() { rows_.push_back({}); }
  bool empty() const { return rows_.empty(); }
  void Print(std::ostream& out) const;

 private:
  std::vector<std::string> header_;
  std::vector<std::vector<std::string>> rows_;
};

// Number of terminal columns a UTF-8 string takes (one per code point).
std::size_t DisplayWidth(const std::string& s);

}  // namespace rebook::ctl

#endif  // REBOOK_TOOLS_REBOOKCTL_TABLE_H_
