// A one-line progress bar on stderr: "[#########-----------]  45%  2,800/6,200 appointments".
// Redrawn in place on terminals; elsewhere (CI logs) one line per 10% step.
#ifndef REBOOK_TOOLS_REBOOKCTL_PROGRESS_BAR_H_
#define REBOOK_TOOLS_REBOOKCTL_PROGRESS_BAR_H_

#include <cstdint>
#include <string>

namespace rebook::ctl {

class ProgressBar {
 public:
  ProgressBar(std::string unit, std::int64_t total);
  void Update(std::int64_t done);
  // Ends the line with `message`.
  void Finish(const std::string& message);

 private:
  std::string unit_;
  std::int64_t total_;
  bool tty_;
  int last_step_ = -1;
};

}  // namespace rebook::ctl

#endif  // REBOOK_TOOLS_REBOOKCTL_PROGRESS_BAR_H_
