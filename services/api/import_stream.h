// Reading a client-streamed import (ImportAppointments, ImportBundle and ImportCapacity): the one
// loop that takes the request id and the validate-only flag from the first message, fingerprints
// every message for the idempotency check and hands each message to a collector.
//
//   // In the service's constructor: serve the method with raw messages (see RawImportHandler).
//   MarkMethodStreamed(ImportMethodIndex("rebook.v1.CapacityService", "ImportCapacity"),
//                      RawImportHandler(this, &CapacityServiceImpl::ReadImportCapacity));
//   ...
//   REBOOK_ASSIGN_OR_RETURN(
//       ImportStream stream,
//       ReadImportStream<v1::ImportCapacityRequest>(ctx, reader, [&](const auto& msg) {
//         CollectCapacity(msg, call.principal, batch, v);
//         return absl::OkStatus();
//       }));
//   return env.WriteIdempotent(call, stream.request_id, method, stream.fingerprint, resp,
//                              [&](storage::Transaction& tx) -> absl::Status {
//                                ...  // import
//                                return stream.CheckStillWanted();  // last, before the commit
//                              }, stream.write_mode());
//
// Contract: an import is stored only when its client half-closed the stream normally and every
// message parsed. ReadImportStream fails
// - with CANCELLED when the call broke off: the client cancelled it, crashed or lost the
//   connection, its deadline passed, a message exceeded the server's size limit (gRPC cancels
//   the call) or the server's shutdown grace period ended (gRPC cancels every call left);
// - with INVALID_ARGUMENT, naming the message's position, when a message does not parse (for
//   instance invalid UTF-8 in a text field);
// - with a collector's error as is, at once.
// gRPC may mark a broken-off call cancelled a moment after its last Read, so a stream that seems
// to end cleanly counts as clean only once it has been watched for 100 ms after its end. That
// watch is CheckStillWanted's, run last inside the write transaction: it waits for whatever of
// the 100 ms the import's own work has not used (a large import waits nothing) and returns
// CANCELLED, rolling the import back, if the call broke off before, during or after it. The
// work in between may meanwhile fail on the part that arrived (an invalid field, say): that too
// stores nothing. On every failure the request id stays unused.
#ifndef REBOOK_SERVICES_API_IMPORT_STREAM_H_
#define REBOOK_SERVICES_API_IMPORT_STREAM_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <type_traits>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "google/protobuf/message.h"
#include "grpcpp/server_context.h"
#include "grpcpp/support/byte_buffer.h"
#include "grpcpp/support/method_handler.h"
#include "grpcpp/support/sync_stream.h"
#include "services/api/rpc_context.h"

namespace rebook::api {

// A client stream of serialized messages, parsed by ReadImportStream.
using RawImportReader = grpc::ServerReaderInterface<grpc::ByteBuffer>;

// What a whole import stream said about itself.
struct ImportStream {
  grpc::ServerContext* ctx = nullptr;
  std::string request_id;                       // of the first message
  bool validate_only = false;                   // of the first message
  std::string fingerprint;                      // of every message, in order, without request ids
  std::chrono::steady_clock::time_point ended;  // when the last Read returned

  WriteMode write_mode() const {
    return validate_only ? WriteMode::kValidateOnly : WriteMode::kCommit;
  }
  // CANCELLED if the call has broken off, else OK; first waits until the stream ended 100 ms
  // ago (see above).
  absl::Status CheckStillWanted() const;
};

// The error of an import that carries more than `max` appointments.
absl::Status ImportLimitError(std::int64_t max);

// Reads `reader` to its end, parsing each message into a fresh message of `prototype`'s type
// and then calling `collect` with it; the message lives until `collect` returns (each is
// parsed on an arena of its own: a proto3 message's Clear frees and reallocates its nested
// records one by one). Leaves request_id and validate_only empty; the typed overload below
// fills them.
absl::StatusOr<ImportStream> ReadImportStream(
    grpc::ServerContext* ctx, RawImportReader* reader, const google::protobuf::Message& prototype,
    absl::FunctionRef<absl::Status(const google::protobuf::Message&)> collect);

template <typename Request>
absl::StatusOr<ImportStream> ReadImportStream(
    grpc::ServerContext* ctx, RawImportReader* reader,
    std::type_identity_t<absl::FunctionRef<absl::Status(const Request&)>> collect) {
  std::string request_id;
  bool validate_only = false;
  bool first = true;
  absl::StatusOr<ImportStream> stream = ReadImportStream(
      ctx, reader, Request::default_instance(), [&](const google::protobuf::Message& raw) {
        const Request& msg = static_cast<const Request&>(raw);
        if (first) {
          request_id = msg.request_id();
          validate_only = msg.validate_only();
          first = false;
        }
        return collect(msg);
      });
  if (stream.ok()) {
    stream->request_id = std::move(request_id);
    stream->validate_only = validate_only;
  }
  return stream;
}

// gRPC's typed server reader returns false both at the end of a stream and for a message that
// does not parse, so an import would take a broken message for the end and store what came
// before it. Imports are therefore served with raw messages: this handler (the one gRPC's
// generated code uses, with grpc::ByteBuffer as the request type) calls `method`; the service
// installs it with grpc::Service::MarkMethodStreamed, which takes ownership.
template <typename Service, typename Response>
grpc::internal::MethodHandler* RawImportHandler(
    Service* service,
    grpc::Status (Service::*method)(grpc::ServerContext*, grpc::ServerReader<grpc::ByteBuffer>*,
                                    Response*)) {
  return new grpc::internal::ClientStreamingHandler<Service, grpc::ByteBuffer, Response>(
      std::mem_fn(method), service);
}

// The index gRPC's generated service gives `method` of `service` ("rebook.v1.CapacityService",
// "ImportCapacity"): its position in the proto. Aborts if there is no such method.
int ImportMethodIndex(const char* service, const char* method);

// Parses one raw message of a method served with raw messages into `msg`, for the interceptors
// that read it (audit, operations); the buffer is left to the handler as it was. False if the
// bytes are not a valid message of msg's type.
bool ParseRawRequest(const grpc::ByteBuffer& buffer, google::protobuf::Message& msg);
// The serialized bytes of one raw message, copied into `bytes`; false if the buffer cannot be
// read. The buffer is left as it was.
bool RawRequestBytes(const grpc::ByteBuffer& buffer, std::string& bytes);

}  // namespace rebook::api

#endif  // REBOOK_SERVICES_API_IMPORT_STREAM_H_
