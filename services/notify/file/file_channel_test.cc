#include "services/notify/file/file_channel.h"

#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <set>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "services/notify/template_set.h"
#include "testing/files.h"

namespace rebook::notify {
namespace {

RenderedMessage Rendered(const std::string& appointment) {
  RenderedMessage r;
  r.message = TemplateSet::SampleMessage(MessageKind::kReminder, "en");
  r.message.key.appointment_id = appointment;
  r.message.key.channel = "file";
  r.template_language = "en";
  r.subject = "Reminder";
  return r;
}

std::vector<nlohmann::json> Lines(const std::string& path) {
  std::vector<nlohmann::json> out;
  std::istringstream in(rebook::testing::ReadFileOrEmpty(path));
  for (std::string line; std::getline(in, line);) out.push_back(nlohmann::json::parse(line));
  return out;
}

TEST(FileChannelTest, AppendsOneJsonLinePerSendAndNeverTruncates) {
  const std::string dir = rebook::testing::MakeTempDir("rebook-file");
  const std::string path = dir + "/outbox.jsonl";
  {
    auto channel = FileChannelFactory().Create(ChannelConfig("file", {{"path", path}}));
    ASSERT_TRUE(channel.ok()) << channel.status();
    DeliveryResult r = (*channel)->Send(Rendered("apt-1"));
    EXPECT_EQ(r.state, DeliveryState::kDelivered);
    EXPECT_EQ(r.provider_message_id, "halle-2026-01-27/apt-1/1/file");
    // Flushed per message: visible before the channel is closed.
    EXPECT_EQ(Lines(path).size(), 1u);
  }
  auto reopened = FileChannelFactory().Create(
      ChannelConfig("file", {{"path", path}, {"include_contact", "false"}, {"fsync", "true"}}));
  ASSERT_TRUE(reopened.ok());
  EXPECT_TRUE((*reopened)->Send(Rendered("apt-2")).ok());
  std::vector<nlohmann::json> lines = Lines(path);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0]["key"]["id"], "halle-2026-01-27/apt-1/1/file");
  EXPECT_EQ(lines[0]["recipient"]["email"], "erika@example.org");
  EXPECT_EQ(lines[0]["rendered"]["subject"], "Reminder");
  EXPECT_FALSE(lines[1].contains("recipient"));
  std::filesystem::remove_all(dir);
}

// Several processes (rebook-notifier workers) append to one file at once, with lines longer than
// any stdio buffer: every line arrives whole, none lost.
TEST(FileChannelTest, WritersInSeveralProcessesNeverInterleaveLines) {
  const std::string dir = rebook::testing::MakeTempDir("rebook-file");
  const std::string path = dir + "/outbox.jsonl";
  constexpr int kWriters = 3;
  constexpr int kLines = 150;
  std::vector<pid_t> children;
  for (int w = 0; w < kWriters; ++w) {
    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      auto channel = FileChannelFactory().Create(ChannelConfig("file", {{"path", path}}));
      int failed = channel.ok() ? 0 : 1;
      for (int i = 0; channel.ok() && i < kLines; ++i) {
        RenderedMessage m = Rendered(absl::StrCat("w", w, "-", i));
        m.text = std::string(20000 + 977 * i % 9000, static_cast<char>('a' + w));
        if (!(*channel)->Send(m).ok()) ++failed;
      }
      ::_exit(failed == 0 ? 0 : 1);
    }
    children.push_back(pid);
  }
  for (pid_t pid : children) {
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  }
  std::vector<nlohmann::json> lines;
  int torn = 0;
  std::istringstream in(rebook::testing::ReadFileOrEmpty(path));
  for (std::string line; std::getline(in, line);) {
    nlohmann::json j = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded()) {
      ++torn;
    } else {
      lines.push_back(std::move(j));
    }
  }
  EXPECT_EQ(torn, 0);
  ASSERT_EQ(lines.size(), static_cast<std::size_t>(kWriters * kLines));
  std::set<std::string> keys;
  for (const nlohmann::json& line : lines) {
    const std::string id = line["key"]["id"];
    keys.insert(id);
    const std::string text = line["rendered"]["text"];
    const char writer = static_cast<char>('a' + (id[id.find("/w") + 2] - '0'));
    EXPECT_EQ(text.find_first_not_of(writer), std::string::npos) << id;
  }
  EXPECT_EQ(keys.size(), lines.size());
  std::filesystem::remove_all(dir);
}

// A message that cannot be one JSON line (a string that is not UTF-8) fails for good, names the
// string and not its value, and writes nothing; the next message is written as usual.
TEST(FileChannelTest, AMessageThatIsNotUtf8FailsForGoodAndWritesNothing) {
  const std::string dir = rebook::testing::MakeTempDir("rebook-file");
  const std::string path = dir + "/outbox.jsonl";
  auto channel = FileChannelFactory().Create(ChannelConfig("file", {{"path", path}}));
  ASSERT_TRUE(channel.ok()) << channel.status();
  RenderedMessage bad = Rendered("apt-1");
  bad.message.recipient.name = "Canary \xC3(";
  const DeliveryResult r = (*channel)->Send(bad);
  EXPECT_EQ(r.state, DeliveryState::kPermanentFailure);
  EXPECT_NE(r.reason.find("recipient.name"), std::string::npos) << r.reason;
  EXPECT_EQ(r.reason.find("Canary"), std::string::npos) << r.reason;
  EXPECT_EQ(rebook::testing::ReadFileOrEmpty(path), "");
  EXPECT_TRUE((*channel)->Send(Rendered("apt-2")).ok());
  ASSERT_EQ(Lines(path).size(), 1u);
  std::filesystem::remove_all(dir);
}

TEST(FileChannelTest, ConfigurationErrors) {
  EXPECT_FALSE(FileChannelFactory().Create(ChannelConfig("file")).ok());
  EXPECT_FALSE(
      FileChannelFactory().Create(ChannelConfig("file", {{"path", "/nonexistent/dir/x"}})).ok());
  EXPECT_FALSE(FileChannelFactory()
                   .Create(ChannelConfig("file", {{"path", "/tmp/x"}, {"fsync", "sometimes"}}))
                   .ok());
}

}  // namespace
}  // namespace rebook::notify
