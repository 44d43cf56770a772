// Reading a client-streamed import (ImportAppointments, ImportBundle and ImportCapacity): the one
// loop that takes the request id and the validate-only flag from the first message, fingerprints
// every message for the idempotency check and hands each message to a collector.
//
//   REBOOK_ASSIGN_OR_RETURN(
//       ImportStream stream,
//       ReadImportStream(ctx, reader, [&](const v1::ImportCapacityRequest& msg) {
//         CollectCapacity(msg, call.principal, batch, v);
//         return absl::OkStatus();
//       }));
//   return env.WriteIdempotent(call, stream.request_id, method, stream.fingerprint, resp, fn,
//                              stream.write_mode());
//
// A collector's error ends the read at once and is returned as is. A stream the client cancels
// while it is read fails with CANCELLED.
#ifndef REBOOK_SERVICES_API_IMPORT_STREAM_H_
#define REBOOK_SERVICES_API_IMPORT_STREAM_H_

#include <cstdint>
#include <string>
#include <type_traits>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "grpcpp/server_context.h"
#include "grpcpp/support/sync_stream.h"
#include "services/api/rpc_context.h"

namespace rebook::api {

// What a whole import stream said about itself.
struct ImportStream {
  std::string request_id;      // of the first message
  bool validate_only = false;  // of the first message
  std::string fingerprint;     // of every message, in order, without request ids

  WriteMode write_mode() const {
    return validate_only ? WriteMode::kValidateOnly : WriteMode::kCommit;
  }
};

// The error of an import that carries more than `max` appointments.
absl::Status ImportLimitError(std::int64_t max);
// The error of an import whose client cancelled the stream.
absl::Status ImportCancelledError();

// Reads `reader` to its end, calling `collect` for each message.
template <typename Request>
absl::StatusOr<ImportStream> ReadImportStream(
    grpc::ServerContext* ctx, grpc::ServerReaderInterface<Request>* reader,
    std::type_identity_t<absl::FunctionRef<absl::Status(const Request&)>> collect) {
  ImportStream stream;
  RequestFingerprint fingerprint;
  Request msg;
  for (bool first = true; reader->Read(&msg); first = false) {
    if (ctx->IsCancelled()) return ImportCancelledError();
    fingerprint.Add(msg);
    if (first) {
      stream.request_id = msg.request_id();
      stream.validate_only = msg.validate_only();
    }
    absl::Status s = collect(msg);
    if (!s.ok()) return s;
  }
  stream.fingerprint = fingerprint.Finish();
  return stream;
}

}  // namespace rebook::api

#endif  // REBOOK_SERVICES_API_IMPORT_STREAM_H_
