#include "services/api/import_stream.h"

#include <chrono>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "google/protobuf/arena.h"
#include "google/protobuf/descriptor.h"
#include "grpcpp/support/proto_buffer_reader.h"
#include "grpcpp/support/slice.h"
#include "services/common/status_macros.h"

namespace rebook::api {
namespace {

// How long a stream that seemed to end cleanly is watched for a break-off before it is trusted.
// gRPC's Read returns false for a clean half-close and for a stream it broke off (a message over
// the size limit, for one), and it may mark the call cancelled only a moment later; committing
// in that moment would store the messages before the broken one. The wait runs at the end of
// the import's transaction (CheckStillWanted), so the import's own work uses it up; an import
// whose work takes less holds the write lock up to 100 ms (imports are rare and large).
constexpr auto kBreakOffSettle = std::chrono::milliseconds(100);
constexpr auto kBreakOffPoll = std::chrono::milliseconds(1);

// Whether the call is cancelled by `until` (checked at least once).
bool BreaksOffBy(grpc::ServerContext* ctx, std::chrono::steady_clock::time_point until) {
  while (!ctx->IsCancelled()) {
    if (std::chrono::steady_clock::now() >= until) return false;
    std::this_thread::sleep_for(kBreakOffPoll);
  }
  return true;
}

absl::Status BrokenOff() {
  return absl::CancelledError(
      "the import stream broke off (cancelled, deadline passed, message too large or server "
      "shutting down); nothing was imported");
}

}  // namespace

absl::Status ImportStream::CheckStillWanted() const {
  return BreaksOffBy(ctx, ended + kBreakOffSettle) ? BrokenOff() : absl::OkStatus();
}

absl::Status ImportLimitError(std::int64_t max) {
  return absl::ResourceExhaustedError(absl::StrCat("an import may carry at most ", max,
                                                   " appointments; split it into several imports"));
}

absl::StatusOr<ImportStream> ReadImportStream(
    grpc::ServerContext* ctx, RawImportReader* reader, const google::protobuf::Message& prototype,
    absl::FunctionRef<absl::Status(const google::protobuf::Message&)> collect) {
  ImportStream stream;
  stream.ctx = ctx;
  RequestFingerprint fingerprint;
  grpc::ByteBuffer buffer;
  for (int index = 0; reader->Read(&buffer); ++index) {
    if (ctx->IsCancelled()) return BrokenOff();
    google::protobuf::Arena arena;
    google::protobuf::Message* msg = prototype.New(&arena);
    grpc::ProtoBufferReader bytes(&buffer);
    if (!msg->ParseFromZeroCopyStream(&bytes)) {
      return absl::InvalidArgumentError(absl::StrCat("message ", index,
                                                     " of the import stream is not a valid ",
                                                     prototype.GetDescriptor()->full_name(),
                                                     " (text fields must be UTF-8); nothing was "
                                                     "imported"));
    }
    fingerprint.Add(*msg);
    REBOOK_RETURN_IF_ERROR(collect(*msg));
  }
  // Read also returns false when the call broke off; only a call that did not is a clean end.
  // gRPC may say so only a moment later: CheckStillWanted watches that moment.
  stream.ended = std::chrono::steady_clock::now();
  if (ctx->IsCancelled()) return BrokenOff();
  stream.fingerprint = fingerprint.Finish();
  return stream;
}

int ImportMethodIndex(const char* service, const char* method) {
  const auto* s = google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(service);
  const auto* m = s == nullptr ? nullptr : s->FindMethodByName(method);
  if (m == nullptr || !m->client_streaming()) std::abort();
  return m->index();
}

bool RawRequestBytes(const grpc::ByteBuffer& buffer, std::string& bytes) {
  bytes.clear();
  std::vector<grpc::Slice> slices;
  if (!buffer.Dump(&slices).ok()) return false;
  for (const grpc::Slice& slice : slices) {
    bytes.append(reinterpret_cast<const char*>(slice.begin()), slice.size());
  }
  return true;
}

bool ParseRawRequest(const grpc::ByteBuffer& buffer, google::protobuf::Message& msg) {
  std::string bytes;
  return RawRequestBytes(buffer, bytes) && msg.ParseFromString(bytes);
}

}  // namespace rebook::api
