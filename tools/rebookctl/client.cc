#include "tools/rebookctl/client.h"

#include <algorithm>
#include <iostream>
#include <random>
#include <thread>

#include "absl/strings/str_format.h"
#include "google/protobuf/util/json_util.h"
#include "services/api/status_conversion.h"
#include "services/common/field_violations.h"
#include "tools/common/client_channel.h"
#include "tools/common/exit_codes.h"
#include "tools/rebookctl/operation_watch.h"

namespace rebook::ctl {
namespace {

// What ReportError suggests for UNAVAILABLE; Connect fills in the process's flags.
std::string& UnavailableHintText() {
  static std::string hint = cli::UnavailableHint({});
  return hint;
}

}  // namespace

absl::StatusOr<Client> Client::Connect(const GlobalOptions& options) {
  Client c;
  c.options_ = options;
  absl::StatusOr<std::string> token = cli::ResolveToken(options);
  if (!token.ok()) return token.status();
  c.options_.token = *std::move(token);
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(64 << 20);
  absl::StatusOr<std::shared_ptr<grpc::Channel>> channel = cli::OpenChannel(options, args);
  if (!channel.ok()) return channel.status();
  c.channel_ = *std::move(channel);
  UnavailableHintText() = cli::UnavailableHint(options);
  return c;
}

namespace {
const CLI::Option* timeout_flag = nullptr;
}  // namespace

void SetTimeoutFlag(const CLI::Option* timeout) { timeout_flag = timeout; }

int SizedTimeout(std::int64_t records, std::int64_t records_per_second) {
  return static_cast<int>(60 + records / std::max<std::int64_t>(1, records_per_second));
}

std::unique_ptr<grpc::ClientContext> Client::Context(int sized_s) const {
  auto ctx = std::make_unique<grpc::ClientContext>();
  ctx->AddMetadata("authorization", "Bearer " + options_.token);
  const bool given = timeout_flag != nullptr && timeout_flag->count() > 0;
  int t = sized_s > 0 && !given ? sized_s : options_.timeout_s;
  ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(t));
  return ctx;
}

grpc::Status Client::CallWithRetry(
    int sized_s, const std::function<grpc::Status(grpc::ClientContext*)>& call) const {
  grpc::Status s = call(Context(sized_s).get());
  if (s.error_code() != grpc::StatusCode::UNAVAILABLE) return s;
  std::cerr << "note: rebookd did not answer (" << s.error_message()
            << "); sending the same request again\n";
  return call(Context(sized_s).get());
}

grpc::Status Client::CallWithRetry(
    int sized_s, const std::string& request_id, const std::string& label,
    const std::function<grpc::Status(grpc::ClientContext*)>& call) const {
  grpc::Status s;
  {
    OperationWatch watch(*this, request_id, label);
    s = call(Context(sized_s).get());
  }
  if (s.error_code() != grpc::StatusCode::UNAVAILABLE || request_id.empty()) return s;
  std::cerr << "note: rebookd did not answer (" << s.error_message() << ")\n";
  const bool given = timeout_flag != nullptr && timeout_flag->count() > 0;
  AwaitFirstAttempt(*this, request_id,
                    std::chrono::seconds(sized_s > 0 && !given ? sized_s : options_.timeout_s));
  std::cerr << "note: sending request " << request_id << " again (rebookd applies it once)\n";
  {
    OperationWatch watch(*this, request_id, label);
    s = call(Context(sized_s).get());
  }
  if (s.error_code() == grpc::StatusCode::UNAVAILABLE) NoteUnanswered(request_id);
  return s;
}

int ReportError(const absl::Status& status) {
  std::cerr << "error: " << absl::StatusCodeToString(status.code()) << ": " << status.message()
            << "\n";
  for (const FieldViolation& v : FieldViolations::FromStatus(status)) {
    std::cerr << "  " << v.field << ": " << v.description << "\n";
  }
  return cli::ExitCodeFor(status.code());
}

int ReportError(const grpc::Status& status) {
  if (status.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED) {
    std::cerr << "error: DEADLINE_EXCEEDED: " << status.error_message()
              << "\nrebookd changed nothing: it commits no write after its deadline. Run it again "
                 "with a larger --timeout (a repeated --request-id is safe).\n";
    return cli::ExitCodeFor(absl::StatusCode::kDeadlineExceeded);
  }
  if (status.error_code() == grpc::StatusCode::UNAVAILABLE) {
    std::cerr << "error: cannot reach rebookd (" << status.error_message() << "); "
              << UnavailableHintText() << "\n";
    if (const std::string& id = UnansweredRequestId(); !id.empty()) {
      std::cerr << "The write may have happened: rebookd may have applied request " << id
                << " before the connection broke.\nCheck with `rebookctl operation get " << id
                << "` (the same rebookd, within 15 minutes), or run the same command again "
                   "with --request-id "
                << id
                << ": rebookd applies a request id once and answers a repeat with the "
                   "first answer.\n";
    }
    return cli::kExitUnavailable;
  }
  return ReportError(api::FromGrpcStatus(status));
}

void PrintJson(const google::protobuf::Message& message) {
  std::string out;
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  options.preserve_proto_field_names = true;
  (void)google::protobuf::util::MessageToJsonString(message, &out, options);
  std::cout << out;
  if (out.empty() || out.back() != '\n') std::cout << "\n";
}

std::string NewRequestId() {
  static thread_local std::mt19937_64 rng(std::random_device{}());
  std::uint64_t a = rng(), b = rng();
  a = (a & 0xffffffffffff0fffULL) | 0x0000000000004000ULL;
  b = (b & 0x3fffffffffffffffULL) | 0x8000000000000000ULL;
  return absl::StrFormat("%08x-%04x-%04x-%04x-%012x", a >> 32, (a >> 16) & 0xffff, a & 0xffff,
                         b >> 48, b & 0xffffffffffffULL);
}

}  // namespace rebook::ctl
