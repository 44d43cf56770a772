// At-least-once delivery under crashes: rebook-notifier processes are killed with SIGKILL in
// the middle of their work, again and again, while a loopback webhook sink counts what it
// receives. In the end every message is settled, none is lost, and a message arrives twice
// only when a worker died between sending it and reporting it (at most one per kill, since a
// worker reports each message before it sends the next). With several senders per worker, whose
// reports travel together in ReportDeliveries calls, at most one per sender and kill.
#include <csignal>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <thread>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "services/notify/testing/sink_server.h"
#include "tests/notify/notify_env.h"

namespace rebook::notify_e2e {
namespace {

using Json = nlohmann::json;
namespace nt = ::rebook::notify::testing;

constexpr char kSecret[] = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

// webhook-id -> requests received with it (all answered 200).
std::map<std::string, int> ReceivedIds(const std::string& log) {
  std::map<std::string, int> ids;
  std::ifstream in(log);
  for (std::string line; std::getline(in, line);) {
    if (line.empty()) continue;
    const Json entry = Json::parse(line);
    EXPECT_TRUE(entry["signature_ok"].get<bool>());
    ++ids[entry["headers"]["webhook-id"].get<std::string>()];
  }
  return ids;
}

class KillE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    rebooking::OutboxPolicy policy;
    auto chain = notify::ChannelChain::Parse("webhook");
    ASSERT_TRUE(chain.ok());
    policy.chain = *chain;
    env_ = std::make_unique<NotifyEnv>(EnvOptions{.policy = policy});
    log_ = (env_->dir() / "sink.jsonl").string();
    auto sink = nt::SinkServer::Start("http_sink.py",
                                      {"--log", log_, "--secret", kSecret, "--max-seconds", "280"});
    ASSERT_TRUE(sink.ok()) << sink.status();
    sink_ = std::move(*sink);
    config_ = env_->WriteFile(
        "channels.conf", absl::StrCat("[channel.webhook]\nurl = http://127.0.0.1:", sink_->port(),
                                      "/hooks\nsecret = ", kSecret, "\nallow_loopback = true\n"));
  }
  // Bytes the sink has logged: grows with every request it receives.
  std::uintmax_t SinkLogSize() const {
    std::error_code ec;
    const std::uintmax_t size = std::filesystem::file_size(log_, ec);
    return ec ? 0 : size;
  }
  int Settled() {
    auto counts = env_->StateCounts();
    return counts[domain::MessageState::kSent] + counts[domain::MessageState::kDelivered] +
           counts[domain::MessageState::kDead];
  }
  // Runs `--once` workers (with `extra` flags and leases of `lease_seconds`) until everything is
  // settled (the victims' expired leases come back after 2 s). The drain's own leases outlast
  // its batches even on a loaded machine or a slower store (PostgreSQL: a report per message
  // took more than 2 s per batch of 50): a lease that expires while its worker still sends
  // would be leased again, a repeat that no kill caused.
  void DrainRest(int total, const std::vector<std::string>& extra = {},
                 const std::string& lease_seconds = "30") {
    std::vector<std::string> args = {"--once", "--batch", "50", "--lease-seconds", lease_seconds};
    args.insert(args.end(), extra.begin(), extra.end());
    ASSERT_TRUE(WaitFor(std::chrono::seconds(60), [&] {
      auto w = ChildProcess::Start(env_->NotifierArgs(config_, args), LogFile(env_->Log("final")));
      EXPECT_TRUE(w.ok());
      EXPECT_EQ((*w)->Wait(std::chrono::seconds(60)), 0);
      if (Settled() == total) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
      return false;
    })) << Settled();
  }

  // Starts `kills` workers one after another (each with `extra` flags) and kills each with
  // SIGKILL while it sends. Returns how many of them died with work left.
  int KillWhileSending(int kills, int total, const std::vector<std::string>& extra) {
    std::mt19937 rng(20260127);
    std::uniform_int_distribution<int> delay_ms(0, 40);
    int kills_with_work_left = 0;
    for (int i = 0; i < kills; ++i) {
      const std::uintmax_t received_before = SinkLogSize();
      std::vector<std::string> args = {"--batch",
                                       "20",
                                       "--lease-seconds",
                                       "2",
                                       "--max-idle-seconds",
                                       "1",
                                       "--worker-name",
                                       absl::StrCat("victim-", i)};
      args.insert(args.end(), extra.begin(), extra.end());
      auto w =
          ChildProcess::Start(env_->NotifierArgs(config_, args), LogFile(env_->Log("victims")));
      EXPECT_TRUE(w.ok());
      if (!w.ok()) return kills_with_work_left;
      // Kill it while it sends: once the sink has received something from it, after a random
      // extra moment, so that kills land anywhere in the send-then-report cycle. A fixed delay
      // after the start would depend on the machine: a fast worker finishes all messages
      // before the last kill. Polled every 2 ms, for at most 20 s.
      for (int polls = 0; polls < 10000 && SinkLogSize() == received_before; ++polls) {
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms(rng)));
      if (Settled() < total) ++kills_with_work_left;
      (*w)->Signal(SIGKILL);
      EXPECT_EQ((*w)->Wait(std::chrono::seconds(10)), 128 + SIGKILL);
    }
    return kills_with_work_left;
  }

  std::unique_ptr<NotifyEnv> env_;
  std::unique_ptr<nt::SinkServer> sink_;
  std::string log_;
  std::string config_;
};

TEST_F(KillE2eTest, TwentyKillsLoseNothingAndRepeatAtMostOnePerKill) {
  constexpr int kMessages = 2000;
  constexpr int kKills = 20;
  env_->SeedOffers("k", kMessages, {.name = "Erika Mustermann", .language = "de"});
  const auto start = std::chrono::steady_clock::now();
  const int kills = kKills;
  const int kills_with_work_left = KillWhileSending(kKills, kMessages, {"--parallel", "1"});
  const int settled_after_kills = Settled();
  DrainRest(kMessages);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  auto counts = env_->StateCounts();
  EXPECT_EQ(counts[domain::MessageState::kSent], kMessages);
  const std::map<std::string, int> ids = ReceivedIds(log_);
  EXPECT_EQ(static_cast<int>(ids.size()), kMessages) << "messages lost";
  int duplicates = 0;
  for (const auto& [id, n] : ids) duplicates += n - 1;
  EXPECT_LE(duplicates, kills);
  // The kills must have hit a worker with work left, or they test nothing.
  EXPECT_EQ(kills_with_work_left, kKills);
  EXPECT_LT(settled_after_kills, kMessages);
  RecordProperty("kills", kills);
  RecordProperty("duplicates", duplicates);
  RecordProperty("seconds", static_cast<int>(seconds));
  std::cout << "kill test: " << kMessages << " messages, " << kills << " SIGKILLs, "
            << settled_after_kills << " settled when the last worker died, " << duplicates
            << " duplicates at the receiver, " << seconds << " s in total\n";
}

// With several senders a worker has one unreported message per sender in flight, and leases
// its next batch while sending this one (a leased, unsent message is not a repeat): a kill
// repeats at most one message per sender.
TEST_F(KillE2eTest, ParallelSendersRepeatAtMostOnePerSenderPerKill) {
  constexpr int kMessages = 1200;
  constexpr int kKills = 8;
  constexpr int kSenders = 3;
  env_->SeedOffers("p", kMessages, {.name = "Erika Mustermann", .language = "de"});
  const int kills_with_work_left =
      KillWhileSending(kKills, kMessages, {"--parallel", absl::StrCat(kSenders)});
  const int settled_after_kills = Settled();
  DrainRest(kMessages);
  EXPECT_EQ(env_->StateCounts()[domain::MessageState::kSent], kMessages);
  const std::map<std::string, int> ids = ReceivedIds(log_);
  EXPECT_EQ(static_cast<int>(ids.size()), kMessages) << "messages lost";
  int duplicates = 0;
  for (const auto& [id, n] : ids) duplicates += n - 1;
  EXPECT_LE(duplicates, kSenders * kKills);
  EXPECT_EQ(kills_with_work_left, kKills);
  EXPECT_LT(settled_after_kills, kMessages);
  std::cout << "kill test, " << kSenders << " senders: " << kMessages << " messages, " << kKills
            << " SIGKILLs, " << duplicates << " duplicates at the receiver\n";
}

// Sums `field` over the "notifier_stopped" lines of a worker log.
std::int64_t StoppedTotal(const std::string& log, const std::string& field) {
  std::int64_t total = 0;
  std::ifstream in(log);
  for (std::string line; std::getline(in, line);) {
    const Json entry = Json::parse(line, nullptr, false);
    if (entry.is_object() && entry.value("event", "") == "notifier_stopped") {
      total += entry.value(field, std::int64_t{0});
    }
  }
  return total;
}

// Eight senders per worker put their reports into shared ReportDeliveries calls; each waits for
// its own report before its next send. Killed with reports in flight (a batch call open, others
// queued), a worker repeats at most one message per sender.
TEST_F(KillE2eTest, BatchedReportsRepeatAtMostOnePerSenderPerKill) {
  constexpr int kMessages = 1600;
  constexpr int kKills = 8;
  constexpr int kSenders = 8;
  env_->SeedOffers("b", kMessages, {.name = "Erika Mustermann", .language = "de"});
  const std::vector<std::string> batched = {"--parallel", absl::StrCat(kSenders),
                                            "--report-linger-ms", "5"};
  const int kills_with_work_left = KillWhileSending(kKills, kMessages, batched);
  const int settled_after_kills = Settled();
  DrainRest(kMessages, batched);
  EXPECT_EQ(env_->StateCounts()[domain::MessageState::kSent], kMessages);
  const std::map<std::string, int> ids = ReceivedIds(log_);
  EXPECT_EQ(static_cast<int>(ids.size()), kMessages) << "messages lost";
  int duplicates = 0;
  for (const auto& [id, n] : ids) duplicates += n - 1;
  EXPECT_LE(duplicates, kSenders * kKills);
  EXPECT_EQ(kills_with_work_left, kKills);
  EXPECT_LT(settled_after_kills, kMessages);
  // The reports were batched: the workers that drained the rest made fewer report calls than
  // they sent messages.
  const std::int64_t sent = StoppedTotal(env_->Log("final"), "sent");
  const std::int64_t calls = StoppedTotal(env_->Log("final"), "report_calls");
  const std::int64_t lost = StoppedTotal(env_->Log("final"), "lost_leases");
  EXPECT_GT(sent, 0);
  EXPECT_LT(calls, sent);
  std::cout << "kill test, " << kSenders << " senders, batched reports: " << kMessages
            << " messages, " << kKills << " SIGKILLs, " << duplicates
            << " duplicates at the receiver; the final drain sent " << sent << " in " << calls
            << " report calls (" << lost << " reports refused: lease lost)\n";
}

TEST_F(KillE2eTest, ConcurrentWorkersNeverSendTheSameLeaseTwice) {
  constexpr int kMessages = 400;
  env_->SeedOffers("c", kMessages, {.name = "Erika Mustermann", .language = "de"});
  std::vector<std::unique_ptr<ChildProcess>> workers;
  for (int i = 0; i < 4; ++i) {
    auto w = ChildProcess::Start(
        env_->NotifierArgs(config_,
                           {"--once", "--batch", "10", "--worker-name", absl::StrCat("w", i)}),
        LogFile(env_->Log(absl::StrCat("w", i))));
    ASSERT_TRUE(w.ok());
    workers.push_back(std::move(*w));
  }
  for (auto& w : workers) EXPECT_EQ(w->Wait(std::chrono::seconds(120)), 0);
  EXPECT_EQ(Settled(), kMessages);
  const std::map<std::string, int> ids = ReceivedIds(log_);
  EXPECT_EQ(ids.size(), static_cast<std::size_t>(kMessages));
  for (const auto& [id, n] : ids) EXPECT_EQ(n, 1) << id;
}

}  // namespace
}  // namespace rebook::notify_e2e
