// The server itself: health, reflection, message limits, deadlines, graceful shutdown.
#include <thread>

#include "gmock/gmock.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/security/credentials.h"
#include "gtest/gtest.h"
#include "tests/support/test_server.h"

namespace rebook::testing {
namespace {

namespace v1 = ::rebook::v1;

TEST(ServerTest, HealthIsServingThenNotServingOnShutdown) {
  TestServer server;
  auto health = grpc::health::v1::Health::NewStub(server.channel());
  grpc::health::v1::HealthCheckRequest req;
  grpc::health::v1::HealthCheckResponse resp;
  grpc::ClientContext ctx;
  ASSERT_TRUE(health->Check(&ctx, req, &resp).ok());
  EXPECT_EQ(resp.status(), grpc::health::v1::HealthCheckResponse::SERVING);

  // Watch the health while the server drains.
  grpc::ClientContext watch_ctx;
  watch_ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  auto watch = health->Watch(&watch_ctx, req);
  grpc::health::v1::HealthCheckResponse update;
  ASSERT_TRUE(watch->Read(&update));
  EXPECT_EQ(update.status(), grpc::health::v1::HealthCheckResponse::SERVING);
  std::thread stopper([&] { server.server().Shutdown(); });
  bool saw_not_serving = false;
  for (int i = 0; i < 5 && watch->Read(&update); ++i) {
    if (update.status() == grpc::health::v1::HealthCheckResponse::NOT_SERVING) {
      saw_not_serving = true;
      break;
    }
  }
  watch_ctx.TryCancel();
  stopper.join();
  EXPECT_TRUE(saw_not_serving);
}

TEST(ServerTest, OversizedMessagesAreRefused) {
  api::ServerOptions options;
  options.max_receive_message_bytes = 4096;
  TestServer server(options);
  auto stub = v1::OutageService::NewStub(server.channel());
  v1::DeclareOutageRequest req;
  req.mutable_outage()->set_cause(std::string(10000, 'x'));
  v1::Outage o;
  EXPECT_EQ(stub->DeclareOutage(server.Context("admin").get(), req, &o).error_code(),
            grpc::StatusCode::RESOURCE_EXHAUSTED);
}

TEST(ServerTest, ExpiredDeadlinesAreHonoured) {
  TestServer server;
  auto stub = v1::OutageService::NewStub(server.channel());
  auto ctx = server.Context("admin");
  ctx->set_deadline(std::chrono::system_clock::now() - std::chrono::seconds(1));
  v1::ListOutagesResponse resp;
  EXPECT_EQ(stub->ListOutages(ctx.get(), {}, &resp).error_code(),
            grpc::StatusCode::DEADLINE_EXCEEDED);
}

TEST(ServerTest, StorageWaitEndsAtTheDeadlineWithoutLeakingBusy) {
  TestServer server;
  server.SeedCapacity();
  // Hold the write lock from outside, as a long batch job would.
  std::atomic<bool> release{false};
  std::thread holder([&] {
    (void)server.store().Write({}, [&](storage::Transaction&) {
      while (!release.load()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
      return absl::OkStatus();
    });
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  auto stub = v1::OutageService::NewStub(server.channel());
  auto ctx = server.Context("admin");
  ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::milliseconds(500));
  v1::DeclareOutageRequest req;
  req.mutable_outage()->add_offices("offices/A");
  req.mutable_outage()->mutable_window()->mutable_start_time()->set_seconds(
      kOutageStart.time_since_epoch().count());
  req.mutable_outage()->mutable_window()->mutable_end_time()->set_seconds(
      kOutageStart.time_since_epoch().count() + 60);
  v1::Outage o;
  grpc::Status s = stub->DeclareOutage(ctx.get(), req, &o);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED);
  EXPECT_EQ(s.error_message().find("locked"), std::string::npos) << s.error_message();
  release = true;
  holder.join();
  // Once the lock is gone the same call succeeds.
  EXPECT_TRUE(stub->DeclareOutage(server.Context("admin").get(), req, &o).ok());
}

TEST(ServerTest, ReflectionOnlyWhenEnabled) {
  // The reflection service answers grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo;
  // without it the method is UNIMPLEMENTED.
  for (bool enabled : {true, false}) {
    api::ServerOptions options;
    options.enable_reflection = enabled;
    TestServer server(options);
    grpc::GenericStub generic(server.channel());
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
    grpc::CompletionQueue cq;
    auto call = generic.PrepareCall(
        &ctx, "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo", &cq);
    call->StartCall(reinterpret_cast<void*>(1));
    void* tag;
    bool ok;
    ASSERT_TRUE(cq.Next(&tag, &ok));
    // list_services request: field 7 (string) = "*"
    std::string request("\x3a\x01*", 3);
    grpc::Slice slice(request);
    grpc::ByteBuffer buffer(&slice, 1);
    call->Write(buffer, reinterpret_cast<void*>(2));
    ASSERT_TRUE(cq.Next(&tag, &ok));
    grpc::ByteBuffer reply;
    call->Read(&reply, reinterpret_cast<void*>(3));
    ASSERT_TRUE(cq.Next(&tag, &ok));
    bool got_reply = ok;
    if (got_reply) {
      call->WritesDone(reinterpret_cast<void*>(5));
      ASSERT_TRUE(cq.Next(&tag, &ok));
    }
    grpc::Status status;
    call->Finish(&status, reinterpret_cast<void*>(4));
    ASSERT_TRUE(cq.Next(&tag, &ok));
    if (enabled) {
      EXPECT_TRUE(got_reply);
      std::vector<grpc::Slice> slices;
      ASSERT_TRUE(reply.Dump(&slices).ok());
      std::string bytes;
      for (const auto& s : slices) bytes.append(reinterpret_cast<const char*>(s.begin()), s.size());
      EXPECT_NE(bytes.find("rebook.v1.OutageService"), std::string::npos);
    } else {
      EXPECT_FALSE(got_reply);
      EXPECT_EQ(status.error_code(), grpc::StatusCode::UNIMPLEMENTED);
    }
    cq.Shutdown();
    while (cq.Next(&tag, &ok)) {
    }
  }
}

}  // namespace
}  // namespace rebook::testing
