// Issue 19: a graceful stop that is graceful. A real rebookd process on 127.0.0.1:0 gets SIGTERM:
// health turns NOT_SERVING first and a Check says so (not UNAVAILABLE) while calls drain, open
// health Watch streams end at once, a call in flight gets the grace period and completes, and
// rebookd exits as soon as nothing is left in flight, well before the grace period is over.
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "gtest/gtest.h"
#include "rebook/v1/capacity.grpc.pb.h"
#include "services/api/auth.h"
#include "storage/store.h"
#include "testing/rebookd/test_database.h"

extern char** environ;

namespace rebook::testing {
namespace {

namespace fs = std::filesystem;
namespace health = ::grpc::health::v1;
namespace v1 = ::rebook::v1;
using std::chrono::milliseconds;
using std::chrono::seconds;
using Clock = std::chrono::steady_clock;

constexpr int kGraceSeconds = 30;

// One rebookd child process with its own database (SQLite, or PostgreSQL with
// REBOOK_TEST_BACKEND=postgres: testing/rebookd/test_database.h), killed at the end if still
// running.
class Rebookd {
 public:
  explicit Rebookd(const std::string& name) : db_(name), dir_(db_.dir()) {
    if (!db_.status().ok()) return;
    std::ofstream(dir_ / "tokens") << "admin admin * sha256:" << api::TokenDigest("admin") << "\n";
    std::vector<std::string> args = {REBOOKD_BINARY,
                                     "--listen=127.0.0.1:0",
                                     "--db=" + db_.db(),
                                     "--tokens=" + (dir_ / "tokens").string(),
                                     "--port_file=" + (dir_ / "port").string(),
                                     absl::StrCat("--shutdown_grace_s=", kGraceSeconds),
                                     "--storage_wait_s=60"};
    std::vector<char*> argv;
    for (std::string& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, log().c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), environ) != 0) pid_ = 0;
    posix_spawn_file_actions_destroy(&actions);
    // The port file appears once it serves: polled every 50 ms for at most 30 s.
    for (int i = 0; i < 600 && pid_ != 0 && port_ == 0; ++i) {
      std::ifstream(dir_ / "port") >> port_;
      if (port_ == 0) std::this_thread::sleep_for(milliseconds(50));
    }
  }
  ~Rebookd() {
    if (pid_ != 0 && !exit_code_) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
  }

  bool started() const { return pid_ != 0 && port_ != 0; }
  // The same database as rebookd's, opened in this process.
  storage::Store& store() { return db_.store(); }
  fs::path log() const { return dir_ / "rebookd.log"; }
  std::shared_ptr<grpc::Channel> Channel() const {
    return grpc::CreateChannel(absl::StrCat("127.0.0.1:", port_),
                               grpc::InsecureChannelCredentials());
  }
  void Terminate() { kill(pid_, SIGTERM); }
  // The exit code once the process has ended, or nullopt if it still runs after `limit`
  // (polled every 20 ms).
  std::optional<int> WaitExit(Clock::duration limit) {
    const auto end = Clock::now() + limit;
    while (!exit_code_ && Clock::now() < end) {
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      } else {
        std::this_thread::sleep_for(milliseconds(20));
      }
    }
    return exit_code_;
  }
  std::string Log() const {
    std::stringstream s;
    if (!db_.status().ok()) s << db_.status() << "\n";
    s << std::ifstream(log()).rdbuf();
    return s.str();
  }

 private:
  TestDatabase db_;
  fs::path dir_;
  pid_t pid_ = 0;
  int port_ = 0;
  std::optional<int> exit_code_;
};

std::unique_ptr<grpc::ClientContext> Deadline(seconds s) {
  auto ctx = std::make_unique<grpc::ClientContext>();
  ctx->set_deadline(std::chrono::system_clock::now() + s);
  return ctx;
}

health::HealthCheckResponse::ServingStatus CheckOnce(health::Health::Stub& stub,
                                                     grpc::StatusCode* code) {
  health::HealthCheckResponse resp;
  grpc::Status s = stub.Check(Deadline(seconds(5)).get(), {}, &resp);
  *code = s.error_code();
  return resp.status();
}

TEST(GracefulStopTest, WatchEndsAtOnceWithNotServingAndIdleServerExitsEarly) {
  Rebookd rebookd("graceful_watch");
  ASSERT_TRUE(rebookd.started()) << rebookd.Log();
  auto stub = health::Health::NewStub(rebookd.Channel());
  auto watch_ctx = Deadline(seconds(60));
  auto watch = stub->Watch(watch_ctx.get(), {});
  health::HealthCheckResponse update;
  ASSERT_TRUE(watch->Read(&update));
  EXPECT_EQ(update.status(), health::HealthCheckResponse::SERVING);

  const auto stop = Clock::now();
  rebookd.Terminate();
  bool saw_not_serving = false;
  for (int i = 0; i < 5 && watch->Read(&update); ++i) {
    saw_not_serving =
        saw_not_serving || update.status() == health::HealthCheckResponse::NOT_SERVING;
  }
  grpc::Status ended = watch->Finish();
  const auto watch_ended = Clock::now() - stop;
  EXPECT_TRUE(saw_not_serving);
  EXPECT_TRUE(ended.ok()) << ended.error_code() << " " << ended.error_message();
  EXPECT_LT(watch_ended, seconds(kGraceSeconds / 2)) << "the Watch held the drain";

  std::optional<int> code = rebookd.WaitExit(seconds(kGraceSeconds + 10));
  ASSERT_TRUE(code.has_value());
  EXPECT_EQ(*code, 0) << rebookd.Log();
  // Well before the grace period; not a timing target (a loaded machine may take seconds).
  EXPECT_LT(Clock::now() - stop, seconds(kGraceSeconds / 2))
      << "rebookd waited for the grace period";
  EXPECT_NE(rebookd.Log().find("\"event\":\"server_stopped\""), std::string::npos);
}

TEST(GracefulStopTest, CheckSaysNotServingWhileACallInFlightGetsTheGracePeriod) {
  Rebookd rebookd("graceful_check");
  ASSERT_TRUE(rebookd.started()) << rebookd.Log();
  auto stub = health::Health::NewStub(rebookd.Channel());
  grpc::StatusCode code = grpc::StatusCode::UNKNOWN;
  EXPECT_EQ(CheckOnce(*stub, &code), health::HealthCheckResponse::SERVING);
  ASSERT_EQ(code, grpc::StatusCode::OK);

  // Hold the database's write lock from this process (SQLite's file lock, PostgreSQL's
  // advisory write lock), so that a write call waits in rebookd.
  std::atomic<bool> locked{false}, release{false};
  std::thread holder([&] {
    (void)rebookd.store().Write({}, [&](storage::Transaction&) {
      locked = true;
      // Released by the test, or after 60 s at the latest.
      for (int i = 0; i < 6000 && !release; ++i) std::this_thread::sleep_for(milliseconds(10));
      return absl::OkStatus();
    });
  });
  for (int i = 0; i < 500 && !locked; ++i) std::this_thread::sleep_for(milliseconds(10));
  ASSERT_TRUE(locked);

  auto capacity = v1::CapacityService::NewStub(rebookd.Channel());
  grpc::Status created;
  std::thread caller([&] {
    v1::CreateOfficeRequest req;
    req.set_office_id("late");
    req.mutable_office()->set_display_name("Spät");
    req.mutable_office()->set_state("DE-ST");
    auto ctx = Deadline(seconds(60));
    ctx->AddMetadata("authorization", "Bearer admin");
    v1::Office office;
    created = capacity->CreateOffice(ctx.get(), req, &office);
  });
  std::this_thread::sleep_for(milliseconds(500));  // the call reaches rebookd and waits

  const auto stop = Clock::now();
  rebookd.Terminate();
  // Health turns NOT_SERVING first, and Check answers so while the call drains: polled every
  // 50 ms for at most 5 s.
  bool not_serving = false;
  for (int i = 0; i < 100 && !not_serving; ++i) {
    health::HealthCheckResponse::ServingStatus status = CheckOnce(*stub, &code);
    ASSERT_EQ(code, grpc::StatusCode::OK) << "Check refused while draining";
    not_serving = status == health::HealthCheckResponse::NOT_SERVING;
    if (!not_serving) std::this_thread::sleep_for(milliseconds(50));
  }
  EXPECT_TRUE(not_serving);
  std::this_thread::sleep_for(milliseconds(500));
  EXPECT_FALSE(rebookd.WaitExit(milliseconds(0)).has_value()) << "rebookd did not wait";
  code = grpc::StatusCode::UNKNOWN;
  EXPECT_EQ(CheckOnce(*stub, &code), health::HealthCheckResponse::NOT_SERVING);
  EXPECT_EQ(code, grpc::StatusCode::OK);

  release = true;
  holder.join();
  caller.join();
  EXPECT_TRUE(created.ok()) << created.error_code() << " " << created.error_message();
  std::optional<int> exit_code = rebookd.WaitExit(seconds(kGraceSeconds + 10));
  ASSERT_TRUE(exit_code.has_value());
  EXPECT_EQ(*exit_code, 0) << rebookd.Log();
  EXPECT_LT(Clock::now() - stop, seconds(kGraceSeconds / 2))
      << "rebookd waited for the grace period after the call ended";
}

}  // namespace
}  // namespace rebook::testing
