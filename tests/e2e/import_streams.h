// The client-streaming imports of API v1 as raw message streams, for the cut-off tests of
// issue 19 (import_cutoff_e2e_test, import_process_e2e_test): a way to make the messages of
// every such method, the list of those methods (from the service descriptors, so that a new one
// cannot be forgotten), a client stream that can send bytes that do not parse, and the rows an
// import leaves behind as the admin sees them through the API.
//
//   RawStream stream(channel, "/rebook.v1.CapacityService/ImportCapacity");
//   for (int i = 0; i < kStreamMessages; ++i) stream.Write(Makers().at(method)(i, "request-1"));
//   grpc::Status s = stream.Finish();
//
// The messages refer to offices A and B and the service type "kfz" of
// TestServer::SeedCapacity (SeedCapacityRequest).
#ifndef REBOOK_TESTS_E2E_IMPORT_STREAMS_H_
#define REBOOK_TESTS_E2E_IMPORT_STREAMS_H_

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "grpcpp/channel.h"
#include "grpcpp/client_context.h"
#include "grpcpp/support/byte_buffer.h"
#include "grpcpp/support/sync_stream.h"

namespace rebook::testing {

// Messages in a full import stream of the tests.
inline constexpr int kStreamMessages = 5;

// Makes message `index` of an import with `request_id` (set in message 0 only), serialized.
// Each message adds rows that CountImportedRows sees: one, or two for ImportBundle.
using MessageMaker = std::function<std::string(int index, const std::string& request_id)>;

// By method, "/rebook.v1.CapacityService/ImportCapacity".
const std::map<std::string, MessageMaker>& Makers();
// Rows one message of `method` adds.
int RowsPerMessage(const std::string& method);

// "/package.Service/Method" of every client-streaming method the binary links.
std::vector<std::string> ClientStreamingMethods();
// "ImportCapacity" of "/rebook.v1.CapacityService/ImportCapacity" (a test name suffix).
std::string MethodName(const std::string& method);

// A client stream of raw messages to `method`, authenticated as the admin.
class RawStream {
 public:
  RawStream(const std::shared_ptr<grpc::Channel>& channel, const std::string& method,
            std::chrono::milliseconds deadline = std::chrono::milliseconds(10'000));

  bool Write(const std::string& bytes);
  void Cancel() { ctx_.TryCancel(); }
  // Half-closes the stream, as a client does at its normal end, and waits for the status.
  grpc::Status Finish();
  // Waits for the status without half-closing.
  grpc::Status Abandon() { return writer_->Finish(); }

 private:
  grpc::ClientContext ctx_;
  grpc::ByteBuffer response_;
  std::unique_ptr<grpc::ClientWriter<grpc::ByteBuffer>> writer_;
};

// Writes messages 0..n-1 of `method`'s import with `request_id`; false once a write fails.
bool WriteMessages(RawStream& stream, const std::string& method, int n,
                   const std::string& request_id);

// Offices plus appointments, as the admin ("Bearer admin") sees them through the API; -1 if a
// list call fails.
int CountImportedRows(const std::shared_ptr<grpc::Channel>& channel);

}  // namespace rebook::testing

#endif  // REBOOK_TESTS_E2E_IMPORT_STREAMS_H_
