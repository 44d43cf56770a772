#include "services/api/import_stream.h"

#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "google/protobuf/descriptor.h"
#include "grpcpp/support/proto_buffer_reader.h"
#include "services/common/status_macros.h"

namespace rebook::api {
namespace {

absl::Status BrokenOff() {
  return absl::CancelledError(
      "the import stream broke off (cancelled, deadline passed, message too large or server "
      "shutting down); nothing was imported");
}

}  // namespace

absl::Status ImportStream::CheckStillWanted() const {
  return ctx->IsCancelled() ? BrokenOff() : absl::OkStatus();
}

absl::Status ImportLimitError(std::int64_t max) {
  return absl::ResourceExhaustedError(absl::StrCat("an import may carry at most ", max,
                                                   " appointments; split it into several imports"));
}

absl::StatusOr<ImportStream> ReadImportStream(grpc::ServerContext* ctx, RawImportReader* reader,
                                              google::protobuf::Message& msg,
                                              absl::FunctionRef<absl::Status()> collect) {
  ImportStream stream;
  stream.ctx = ctx;
  RequestFingerprint fingerprint;
  grpc::ByteBuffer buffer;
  for (int index = 0; reader->Read(&buffer); ++index) {
    if (ctx->IsCancelled()) return BrokenOff();
    grpc::ProtoBufferReader bytes(&buffer);
    if (!msg.ParseFromZeroCopyStream(&bytes)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "message ", index, " of the import stream is not a valid ",
          msg.GetDescriptor()->full_name(), " (text fields must be UTF-8); nothing was imported"));
    }
    fingerprint.Add(msg);
    REBOOK_RETURN_IF_ERROR(collect());
  }
  // Read also returns false when the call broke off; only a call that did not is a clean end.
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

}  // namespace rebook::api
