#include "tools/rebookctl/progress_bar.h"

#include <unistd.h>

#include <cstdio>

#include "absl/strings/str_format.h"

namespace rebook::ctl {

ProgressBar::ProgressBar(std::string unit, std::int64_t total)
    : unit_(std::move(unit)), total_(total), tty_(isatty(STDERR_FILENO) != 0) {}

void ProgressBar::Update(std::int64_t done) {
  constexpr int kWidth = 30;
  int percent = total_ > 0 ? static_cast<int>(100 * done / total_) : 100;
  if (!tty_) {
    if (percent / 10 == last_step_) return;
    last_step_ = percent / 10;
    std::fprintf(stderr, "  %3d%%  %lld/%lld %s\n", percent, static_cast<long long>(done),
                 static_cast<long long>(total_), unit_.c_str());
    return;
  }
  int filled = kWidth * percent / 100;
  std::string bar = std::string(filled, '#') + std::string(kWidth - filled, '-');
  std::fprintf(stderr, "\r  [%s] %3d%%  %lld/%lld %s", bar.c_str(), percent,
               static_cast<long long>(done), static_cast<long long>(total_), unit_.c_str());
  std::fflush(stderr);
}

void ProgressBar::Finish(const std::string& message) {
  if (tty_) std::fprintf(stderr, "\r\033[K");
  std::fprintf(stderr, "  %s\n", message.c_str());
}

}  // namespace rebook::ctl
