#include "tools/rebookctl/operation_watch.h"

#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"

namespace rebook::ctl {
namespace {

const CLI::Option* progress_flag = nullptr;
constexpr absl::Duration kPollInterval = absl::Milliseconds(500);

// 98468 -> "98,468"
std::string Grouped(std::int64_t n) {
  std::string digits = absl::StrCat(n < 0 ? -n : n);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return n < 0 ? "-" + out : out;
}

std::string& MutableUnanswered() {
  static std::string id;
  return id;
}

}  // namespace

const std::string& UnansweredRequestId() { return MutableUnanswered(); }

void NoteUnanswered(const std::string& request_id) { MutableUnanswered() = request_id; }

void AwaitFirstAttempt(const Client& client, const std::string& request_id,
                       std::chrono::seconds wait) {
  const auto until = std::chrono::steady_clock::now() + wait;
  bool told = false;
  for (int polls = 0; polls < 100'000 && std::chrono::steady_clock::now() < until; ++polls) {
    v1::Operation op;
    if (!LookUpOperation(client, request_id, &op, std::chrono::seconds(2)).ok()) return;
    if (op.finished()) {
      std::cerr << "note: rebookd finished request " << request_id << " ("
                << absl::StatusCodeToString(static_cast<absl::StatusCode>(op.status().code()))
                << "); asking for its answer\n";
      return;
    }
    if (!told) {
      std::cerr << "note: rebookd is still working on request " << request_id << " ("
                << OperationText(op) << "); waiting for it\n";
      told = true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
}

void SetProgressFlag(const CLI::Option* progress) { progress_flag = progress; }

bool ProgressWanted(const GlobalOptions& options) {
  if (progress_flag != nullptr && progress_flag->count() > 0) return true;
  return !options.json && isatty(STDERR_FILENO) != 0;
}

grpc::Status LookUpOperation(const Client& client, const std::string& request_id,
                             v1::Operation* out, std::chrono::milliseconds deadline) {
  std::unique_ptr<grpc::ClientContext> ctx = client.Context();
  ctx->set_deadline(std::chrono::system_clock::now() + deadline);
  v1::GetOperationRequest req;
  req.set_request_id(request_id);
  return v1::OperationService::NewStub(client.channel())->GetOperation(ctx.get(), req, out);
}

std::string OperationText(const v1::Operation& op) {
  std::string text = op.stage().empty() ? "running" : op.stage();
  if (op.total() > 0) {
    absl::StrAppend(&text, " ", Grouped(op.done()), "/", Grouped(op.total()), " (",
                    op.done() * 100 / op.total(), "%)");
  } else if (op.done() > 0) {
    absl::StrAppend(&text, " ", Grouped(op.done()));
  }
  return text;
}

OperationWatch::OperationWatch(const Client& client, std::string request_id, std::string label)
    : client_(client),
      request_id_(std::move(request_id)),
      label_(std::move(label)),
      tty_(isatty(STDERR_FILENO) != 0),
      start_(std::chrono::steady_clock::now()) {
  if (ProgressWanted(client.options()) && !request_id_.empty()) {
    thread_.emplace([this] { Run(); });
  }
}

void OperationWatch::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stop_ = true;
  }
  if (thread_.has_value() && thread_->joinable()) thread_->join();
}

void OperationWatch::Run() {
  std::string last;
  bool drawn = false;
  // Bounded by the call: Stop ends it once the call returns; each poll has its own deadline.
  while (true) {
    {
      absl::MutexLock lock(&mu_);
      if (mu_.AwaitWithTimeout(absl::Condition(&stop_), kPollInterval)) break;
    }
    v1::Operation op;
    if (!LookUpOperation(client_, request_id_, &op, std::chrono::seconds(2)).ok()) continue;
    const auto seconds =
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - start_)
            .count();
    std::string text = OperationText(op);
    if (tty_) {
      std::fprintf(stderr, "\r\033[K%s: %s, %lld s", label_.c_str(), text.c_str(),
                   static_cast<long long>(seconds));
      std::fflush(stderr);
      drawn = true;
    } else if (text != last) {
      std::fprintf(stderr, "%s: %s, %lld s\n", label_.c_str(), text.c_str(),
                   static_cast<long long>(seconds));
    }
    last = std::move(text);
  }
  if (drawn) std::fprintf(stderr, "\r\033[K");
}

}  // namespace rebook::ctl
