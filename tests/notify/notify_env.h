// End-to-end environment for the notification path: a real rebook server (testing::LocalRebookd
// on 127.0.0.1, port 0, over a real SQLite file, or PostgreSQL in notify_e2e_test.postgres), on
// the system clock (leases and retries expire in real time), with messages seeded through
// rebooking::QueueMessage, and real `rebook-notifier` processes.
//
//   NotifyEnv env({.policy = ..., .min_lease = 1s});
//   env.SeedOffer("a1", contact);                       // appointment + offer + queued message
//   auto config = env.WriteFile("channels.conf", "[channel.webhook]\n...");
//   auto worker =
//       ChildProcess::Start(env.NotifierArgs(config, {"--once"}), LogFile(env.Log("w1")));
//   ASSERT_EQ((*worker)->Wait(30s), 0);
#ifndef REBOOK_TESTS_NOTIFY_NOTIFY_ENV_H_
#define REBOOK_TESTS_NOTIFY_NOTIFY_ENV_H_

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "grpcpp/channel.h"
#include "grpcpp/client_context.h"
#include "rebook/v1/notifications.grpc.pb.h"
#include "services/api/server.h"
#include "services/common/clock.h"
#include "services/common/ids.h"
#include "storage/store.h"
#include "testing/child_process.h"
#include "testing/rebookd/local_rebookd.h"

namespace rebook::notify_e2e {

namespace v1 = ::rebook::v1;
using testing::BinaryPath;
using testing::ChildProcess;
using testing::LogFile;

struct EnvOptions {
  rebooking::OutboxPolicy policy;
  std::map<std::string, notify::ChannelLimit> limits;
  std::chrono::seconds min_lease{1};
  std::string public_base_url = "https://termine.example.org";
};

// Principals, by token: "admin" (admin, *), "notifier" (notifier, *), "notifier-a" (notifier,
// A), "clerk-a" (clerk, A), "clerk-b" (clerk, B), "admin-a" (office_admin, A).
class NotifyEnv {
 public:
  explicit NotifyEnv(EnvOptions options = {});

  std::shared_ptr<grpc::Channel> channel() const { return rebookd_->channel(); }
  std::unique_ptr<v1::NotificationService::Stub> Stub() const;
  std::unique_ptr<grpc::ClientContext> Context(const std::string& token) const {
    return rebookd_->Context(token);
  }
  std::string address() const { return rebookd_->address(); }
  const std::filesystem::path& dir() const { return rebookd_->dir(); }
  storage::Store& store() { return rebookd_->store(); }

  // Appointment `id` of office A (outage "out-1") with `contact`, its open offer v1 for a slot
  // at office B, and the offer's message queued with rebooking::QueueMessage.
  void SeedOffer(const std::string& id, const domain::Contact& contact);
  // `count` of them in one transaction, ids "<prefix>-00000", ...
  void SeedOffers(const std::string& prefix, int count, const domain::Contact& contact);

  // A file in the environment's folder.
  std::string WriteFile(const std::string& name, const std::string& text) const;
  std::string Log(const std::string& name) const { return (dir() / (name + ".log")).string(); }
  // `rebook-notifier --server ... --token notifier --channel-config <config> --templates
  // <source templates> <extra...>`.
  std::vector<std::string> NotifierArgs(const std::string& config,
                                        const std::vector<std::string>& extra) const;

  // Every message of office A (ListMessages, all pages), as the admin sees them.
  std::vector<v1::Message> AllMessages(const std::string& appointment = "") const;
  v1::Message GetMessage(const std::string& name) const;
  // Messages by state, read from the store.
  std::map<domain::MessageState, int> StateCounts();

 private:
  EnvOptions options_;
  SequentialIdGenerator ids_;
  std::unique_ptr<testing::LocalRebookd> rebookd_;
};

// Polls `done` every 50 ms for at most `timeout`; returns its last value.
bool WaitFor(std::chrono::milliseconds timeout, const std::function<bool()>& done);

}  // namespace rebook::notify_e2e

#endif  // REBOOK_TESTS_NOTIFY_NOTIFY_ENV_H_
