#include "services/notify/file/file_channel.h"

#include <filesystem>
#include <sstream>

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
