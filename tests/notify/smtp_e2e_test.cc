// The whole e-mail path on loopback: a message queued in the outbox, leased over gRPC by a
// real rebook-notifier process, rendered, sent to a real SMTP server (aiosmtpd), reported,
// and the received mail parsed independently (Python email + icalendar).
#include <csignal>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "services/notify/testing/sink_server.h"
#include "testing/child_process.h"
#include "testing/files.h"
#include "tests/notify/notify_env.h"

namespace rebook::notify_e2e {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::SizeIs;
using Json = nlohmann::json;
namespace nt = ::rebook::notify::testing;

const domain::Contact kErika{.name = "Erika Mustermann",
                             .phone = "0151 23456789",
                             .email = "erika@example.org",
                             .language = "en",
                             .channel = "email"};

class SmtpE2eTest : public ::testing::Test {
 protected:
  void StartSmtp(std::vector<std::string> args) {
    mail_dir_ = (env_->dir() / "mail").string();
    std::filesystem::create_directories(mail_dir_);
    args.insert(args.begin(), {"--out-dir", mail_dir_});
    auto smtp = nt::SinkServer::Start("smtp_sink.py", args);
    ASSERT_TRUE(smtp.ok()) << smtp.status();
    smtp_ = std::move(*smtp);
    config_ = env_->WriteFile("channels.conf",
                              absl::StrCat("[channel.email]\n"
                                           "type = smtp\n"
                                           "url = smtp://127.0.0.1:",
                                           smtp_->port(),
                                           "\n"
                                           "from = Bürgerservice Halle <termine@halle.example>\n"
                                           "starttls = false\n"
                                           "timeout = 10s\n"));
  }
  // Runs one `rebook-notifier --once` to its end.
  void DrainOnce(const std::string& name) {
    auto worker = ChildProcess::Start(
        env_->NotifierArgs(config_, {"--once", "--channels", "email", "--worker-name", name}),
        LogFile(env_->Log(name)));
    ASSERT_TRUE(worker.ok()) << worker.status();
    EXPECT_EQ((*worker)->Wait(std::chrono::seconds(60)), 0)
        << rebook::testing::ReadFileOrEmpty(env_->Log(name));
  }
  Json ParseMail(const std::string& file) {
    auto out = rebook::testing::RunCommand(
        {"/usr/bin/python3",
         rebook::testing::SourceDir() + "/services/notify/testing/check_mail.py",
         mail_dir_ + "/" + file});
    EXPECT_TRUE(out.ok()) << out.status();
    return out.ok() ? Json::parse(*out) : Json();
  }

  std::unique_ptr<NotifyEnv> env_;
  std::unique_ptr<nt::SinkServer> smtp_;
  std::string mail_dir_;
  std::string config_;
};

TEST_F(SmtpE2eTest, QueuedOfferArrivesAsAnICalendarMail) {
  env_ = std::make_unique<NotifyEnv>();
  StartSmtp({});
  env_->SeedOffer("a1", kErika);
  DrainOnce("w1");
  const std::vector<std::string> files = nt::ListFiles(mail_dir_);
  ASSERT_THAT(files, SizeIs(1));
  EXPECT_THAT(files[0], HasSubstr("-250.eml"));
  Json mail = ParseMail(files[0]);
  EXPECT_EQ(mail["to"], "Erika Mustermann <erika@example.org>");
  EXPECT_EQ(mail["content_language"], "en");
  EXPECT_EQ(mail["content_type"], "multipart/mixed");
  EXPECT_THAT(mail["structure"].get<std::vector<std::string>>(),
              ::testing::ElementsAre("multipart/mixed", "multipart/alternative", "text/plain",
                                     "text/html", "text/calendar"));
  const std::string token = "tok_a1_Zk3pQ9xW2mV7";
  EXPECT_THAT(mail["text"].get<std::string>(),
              HasSubstr("https://termine.example.org/r/" + token + "/accept"));
  EXPECT_THAT(mail["html"].get<std::string>(), HasSubstr("/r/" + token + "/decline"));
  EXPECT_THAT(mail["text"].get<std::string>(), HasSubstr("Kfz-Zulassung"));
  EXPECT_THAT(mail["text"].get<std::string>(), HasSubstr("Bürgerbüro B"));
  const Json& cal = mail["calendar"];
  EXPECT_EQ(cal["events"], 1);
  EXPECT_EQ(cal["uid"], "rebook-out-1-a1@halle.example");
  EXPECT_EQ(cal["sequence"], 1);
  EXPECT_EQ(cal["dtstart_tzid"], "Europe/Berlin");
  // 2026-01-29T11:30Z is 12:30 in Halle; the slot is at office B.
  EXPECT_EQ(cal["dtstart_utc"], "2026-01-29T11:30:00Z");
  EXPECT_EQ(cal["dtstart_local"], "2026-01-29T12:30");
  EXPECT_EQ(cal["status"], "TENTATIVE");
  EXPECT_THAT(cal["location"].get<std::string>(), HasSubstr("Marktplatz B"));

  std::vector<v1::Message> ms = env_->AllMessages();
  ASSERT_THAT(ms, SizeIs(1));
  EXPECT_EQ(ms[0].state(), v1::Message::SENT);
  EXPECT_EQ(ms[0].attempt_count(), 1);
  EXPECT_EQ(ms[0].provider_message_id(), mail["message_id"].get<std::string>());
  v1::Message full = env_->GetMessage(ms[0].name());
  ASSERT_THAT(full.history(), SizeIs(3));
  EXPECT_EQ(full.history(1).to_state(), "LEASED");
  EXPECT_EQ(full.history(1).worker(), "w1");
  EXPECT_EQ(full.history(2).to_state(), "SENT");
}

TEST_F(SmtpE2eTest, TemporaryFailuresAreRetriedThenDelivered) {
  rebooking::OutboxPolicy policy;
  policy.retry["email"] = {.initial_delay = std::chrono::seconds(1),
                           .multiplier = 1,
                           .max_delay = std::chrono::seconds(1),
                           .jitter = 0,
                           .give_up_after = std::chrono::hours(1),
                           .max_attempts = 10};
  env_ = std::make_unique<NotifyEnv>(EnvOptions{.policy = policy});
  StartSmtp({"--fail-first", "2", "--fail-code", "451"});
  env_->SeedOffer("a1", kErika);
  // A looping worker picks the message up again each time its retry is due.
  auto worker = ChildProcess::Start(
      env_->NotifierArgs(config_, {"--channels", "email", "--max-idle-seconds", "1"}),
      LogFile(env_->Log("loop")));
  ASSERT_TRUE(worker.ok());
  ASSERT_TRUE(WaitFor(std::chrono::seconds(30), [&] {
    auto ms = env_->AllMessages();
    return ms.size() == 1 && ms[0].state() == v1::Message::SENT;
  })) << rebook::testing::ReadFileOrEmpty(env_->Log("loop"));
  (*worker)->Signal(SIGTERM);
  EXPECT_EQ((*worker)->Wait(std::chrono::seconds(20)), 0);
  const std::vector<std::string> files = nt::ListFiles(mail_dir_);
  ASSERT_THAT(files, SizeIs(3));
  EXPECT_THAT(files[0], HasSubstr("-451.eml"));
  EXPECT_THAT(files[2], HasSubstr("-250.eml"));
  // The same Message-ID on every attempt: the receiver can tell a repeat.
  EXPECT_EQ(ParseMail(files[0])["message_id"], ParseMail(files[2])["message_id"]);
  v1::Message m = env_->GetMessage(env_->AllMessages()[0].name());
  EXPECT_EQ(m.attempt_count(), 3);
  std::vector<std::string> transitions;
  for (const auto& e : m.history()) transitions.push_back(e.to_state());
  EXPECT_THAT(transitions, ::testing::ElementsAre("PENDING", "LEASED", "FAILED", "LEASED", "FAILED",
                                                  "LEASED", "SENT"));
  EXPECT_THAT(m.history(2).reason(), HasSubstr("451"));
}

TEST_F(SmtpE2eTest, RejectedMailDiesAfterOneAttemptAndFallsBackToSms) {
  env_ = std::make_unique<NotifyEnv>();
  StartSmtp({"--always-code", "550"});
  env_->SeedOffer("a1", kErika);
  DrainOnce("w1");
  EXPECT_THAT(nt::ListFiles(mail_dir_), SizeIs(1));
  std::vector<v1::Message> ms = env_->AllMessages("offices/A/appointments/a1");
  ASSERT_THAT(ms, SizeIs(2));
  const v1::Message& email = ms[0].channel() == "email" ? ms[0] : ms[1];
  const v1::Message& sms = ms[0].channel() == "email" ? ms[1] : ms[0];
  EXPECT_EQ(email.state(), v1::Message::DEAD);
  EXPECT_EQ(email.attempt_count(), 1);
  EXPECT_THAT(email.last_error(), HasSubstr("550 5.1.1"));
  ASSERT_GE(email.history_size(), 3);
  EXPECT_EQ(email.history(2).to_state(), "DEAD");
  EXPECT_THAT(email.history(2).reason(), HasSubstr("Recipient address rejected"));
  EXPECT_THAT(email.history(2).reason(), HasSubstr("falling back"));
  EXPECT_EQ(sms.state(), v1::Message::PENDING);
  EXPECT_EQ(sms.fallback_from(), email.name());
  EXPECT_EQ(sms.idempotency_key(), "out-1/A/a1/v1/offer/sms");
  EXPECT_THAT(sms.history(0).reason(), HasSubstr("fallback from email"));
}

}  // namespace
}  // namespace rebook::notify_e2e
