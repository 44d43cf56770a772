// A client process for import_cutoff_e2e_test: streams raw messages to a client-streaming method
// of a rebook server, prints "sent" and then waits, never half-closing, until it is killed.
//
//   import_stream_client PORT /rebook.v1.CapacityService/ImportCapacity MESSAGES_FILE
//
// MESSAGES_FILE holds the serialized messages, each as "<size>\n<bytes>".
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>

#include "grpcpp/client_context.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/impl/rpc_method.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/byte_buffer.h"
#include "grpcpp/support/sync_stream.h"

int main(int argc, char** argv) {
  if (argc != 4) {
    std::cerr << "usage: import_stream_client PORT METHOD MESSAGES_FILE\n";
    return 2;
  }
  std::ifstream in(argv[3], std::ios::binary);
  std::string file((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto channel =
      grpc::CreateChannel(std::string("127.0.0.1:") + argv[1], grpc::InsecureChannelCredentials());
  grpc::ClientContext ctx;
  ctx.AddMetadata("authorization", "Bearer admin");
  grpc::ByteBuffer response;
  std::unique_ptr<grpc::ClientWriter<grpc::ByteBuffer>> writer(
      grpc::internal::ClientWriterFactory<grpc::ByteBuffer>::Create(
          channel.get(),
          grpc::internal::RpcMethod(argv[2], grpc::internal::RpcMethod::CLIENT_STREAMING), &ctx,
          &response));
  for (std::size_t at = 0; at < file.size();) {
    std::size_t newline = file.find('\n', at);
    std::size_t size = std::stoul(file.substr(at, newline - at));
    grpc::Slice slice(file.substr(newline + 1, size));
    if (!writer->Write(grpc::ByteBuffer(&slice, 1))) return 1;
    at = newline + 1 + size;
  }
  std::fputs("sent", stdout);
  std::fflush(stdout);
  for (;;) pause();
}
