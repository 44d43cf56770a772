#include "services/notify/phone/phone_channel.h"

#include <filesystem>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/domain/short_reference.h"
#include "services/notify/template_set.h"
#include "testing/child_process.h"
#include "testing/files.h"

namespace rebook::notify {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

const Instant kNow = Instant(std::chrono::seconds(1769600000));  // 2026-01-28 12:33 Berlin

RenderedMessage Rendered(const std::string& appointment) {
  RenderedMessage r;
  r.message = TemplateSet::SampleMessage(MessageKind::kOffer, "de");
  r.message.key.appointment_id = appointment;
  r.message.key.channel = "phone";
  r.template_language = "de";
  r.phone_script = "Bitte vorlesen:\n\"Guten Tag, hier ist Bürgerservice, Halle\"";
  return r;
}

TEST(PhoneChannelTest, AppendsOneRowPerKeyAcrossRetriesAndRestarts) {
  const std::string dir = rebook::testing::MakeTempDir("rebook-calls");
  FakeClock clock(kNow);
  ChannelConfig config("phone", {{"dir", dir}}, &clock);
  auto channel = PhoneChannelFactory().Create(config);
  ASSERT_TRUE(channel.ok()) << channel.status();
  DeliveryResult first = (*channel)->Send(Rendered("apt-1"));
  EXPECT_EQ(first.state, DeliveryState::kSent);
  const std::string csv = dir + "/2026-01-28/calls.csv";
  EXPECT_EQ(first.provider_message_id, csv + "#halle-2026-01-27/apt-1/1/phone");
  EXPECT_TRUE((*channel)->Send(Rendered("apt-2")).ok());
  EXPECT_THAT((*channel)->Send(Rendered("apt-1")).reason, HasSubstr("already"));

  // A restarted worker does not add the same call twice either.
  auto restarted = PhoneChannelFactory().Create(config);
  ASSERT_TRUE(restarted.ok());
  EXPECT_TRUE((*restarted)->Send(Rendered("apt-2")).ok());

  auto rows = ReadCallList(csv);
  ASSERT_TRUE(rows.ok()) << rows.status();
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ((*rows)[0].key, "halle-2026-01-27/apt-1/1/phone");
  EXPECT_EQ((*rows)[0].citizen, "Erika Mustermann");
  EXPECT_EQ((*rows)[0].phone, "+49 345 1234567");
  EXPECT_EQ((*rows)[0].response_token, "tok_5f3a9c1e2b7d4a60");
  EXPECT_EQ((*rows)[0].result, "");
  EXPECT_EQ((*rows)[0].reference, domain::ShortReference("halle-2026-01-27", "apt-1"));
  EXPECT_EQ((*rows)[0].reference.size(), 10u);
  const std::string raw = rebook::testing::ReadFileOrEmpty(csv);
  // For German Excel: a UTF-8 byte order mark, then ';' between fields.
  EXPECT_THAT(raw, ::testing::StartsWith("\xEF\xBB\xBF\"key\";\"reference\";\"office_id\";"));
  // Quotes, commas and newlines of the script survive the CSV round trip.
  EXPECT_THAT(raw,
              HasSubstr("\"Bitte vorlesen:\n\"\"Guten Tag, hier ist Bürgerservice, Halle\"\"\""));
  EXPECT_THAT(raw, HasSubstr("2026-01-29T09:30"));

  clock.Advance(std::chrono::hours(24));
  EXPECT_TRUE((*channel)->Send(Rendered("apt-1")).ok());
  EXPECT_TRUE(fs::exists(dir + "/2026-01-29/calls.csv"));
  fs::remove_all(dir);
}

TEST(PhoneChannelTest, AMovedCitizensRowNamesTheOfficeThatKeepsTheCase) {
  const std::string dir = rebook::testing::MakeTempDir("rebook-calls");
  FakeClock clock(kNow);
  auto channel = PhoneChannelFactory().Create(ChannelConfig("phone", {{"dir", dir}}, &clock));
  ASSERT_TRUE(channel.ok());
  RenderedMessage moved = Rendered("apt-9");
  moved.message.case_office_id = "halle-nord";  // the plan moved the citizen to another office
  ASSERT_NE(moved.message.office.id, "halle-nord");
  ASSERT_TRUE((*channel)->Send(moved).ok());
  ASSERT_TRUE((*channel)->Send(Rendered("apt-1")).ok());

  auto rows = ReadCallList(dir + "/2026-01-28/calls.csv");
  ASSERT_TRUE(rows.ok()) << rows.status();
  ASSERT_EQ(rows->size(), 2u);
  // `rebookctl calls import` names the offer offices/{office_id}/appointments/...: the case's.
  EXPECT_EQ((*rows)[0].office_id, "halle-nord");
  EXPECT_EQ((*rows)[1].office_id, Rendered("apt-1").message.office.id);
  fs::remove_all(dir);
}

TEST(PhoneChannelTest, NoPhoneIsPermanentAndConfigNeedsADir) {
  const std::string dir = rebook::testing::MakeTempDir("rebook-calls");
  auto channel = PhoneChannelFactory().Create(ChannelConfig("phone", {{"dir", dir}}));
  ASSERT_TRUE(channel.ok());
  RenderedMessage r = Rendered("apt-1");
  r.message.recipient.phone.clear();
  EXPECT_EQ((*channel)->Send(r).state, DeliveryState::kPermanentFailure);
  EXPECT_FALSE(PhoneChannelFactory().Create(ChannelConfig("phone")).ok());
  fs::remove_all(dir);
}

TEST(CallOutcomeTest, ParsesEnglishAndGermanAndMapsToDeliveryResults) {
  EXPECT_EQ(ParseCallOutcome("accepted"), CallOutcome::kAccepted);
  EXPECT_EQ(ParseCallOutcome(" Angenommen "), CallOutcome::kAccepted);
  EXPECT_EQ(ParseCallOutcome("nicht erreicht"), CallOutcome::kNotReached);
  EXPECT_EQ(ParseCallOutcome("other_time"), CallOutcome::kOtherTime);
  EXPECT_EQ(ParseCallOutcome("maybe"), std::nullopt);
  EXPECT_EQ(CallOutcomeToDeliveryResult(CallOutcome::kDeclined, "").state,
            DeliveryState::kDelivered);
  EXPECT_EQ(CallOutcomeToDeliveryResult(CallOutcome::kNotReached, "Mailbox").state,
            DeliveryState::kTemporaryFailure);
  DeliveryResult wrong = CallOutcomeToDeliveryResult(CallOutcome::kWrongNumber, "kein Anschluss");
  EXPECT_EQ(wrong.state, DeliveryState::kPermanentFailure);
  EXPECT_EQ(wrong.reason, "call: wrong_number (kein Anschluss)");
}

// Staff fill in results and save from a spreadsheet: the list may come back with ',' and
// without the byte order mark, and with columns moved or added; it reads all the same.
TEST(ReadCallListTest, ReadsWhatASpreadsheetSavesBack) {
  const std::string dir = rebook::testing::MakeTempDir("rebook-calls");
  std::FILE* f = std::fopen((dir + "/calls.csv").c_str(), "w");
  std::fputs(
      "result,key,reference,office_id,office,citizen,phone,language,service,appointment,"
      "expires,response_token,accept_link,decline_link,other_time_link,script,"
      "result_note,Bemerkung\n"
      "angenommen,o/a/1/phone,K7QM-4T2XC,HAL,Amt,Jörg,+49 1,de,Pass,x,y,tok,l1,l2,l3,"
      "\"a;b\",ok,frei\n",
      f);
  std::fclose(f);
  auto rows = ReadCallList(dir + "/calls.csv");
  ASSERT_TRUE(rows.ok()) << rows.status();
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].key, "o/a/1/phone");
  EXPECT_EQ((*rows)[0].reference, "K7QM-4T2XC");
  EXPECT_EQ((*rows)[0].citizen, "Jörg");
  EXPECT_EQ((*rows)[0].result, "angenommen");
  EXPECT_EQ((*rows)[0].result_note, "ok");
  fs::remove_all(dir);
}

// The script has staff read out the short reference, never the response token.
TEST(PhoneScriptTest, ReadsOutTheShortReference) {
  auto set =
      TemplateSet::LoadFromDirectory(rebook::testing::SourceDir() + "/services/notify/templates");
  ASSERT_TRUE(set.ok()) << set.status();
  for (const char* language : {"de", "en"}) {
    OutgoingMessage m = TemplateSet::SampleMessage(MessageKind::kOffer, language);
    auto r = set->Render(m);
    ASSERT_TRUE(r.ok()) << r.status();
    EXPECT_THAT(r->phone_script,
                HasSubstr(domain::ShortReference(m.key.outage_id, m.key.appointment_id)));
    EXPECT_THAT(r->phone_script, ::testing::Not(HasSubstr(m.response_token)));
    EXPECT_THAT(r->text, ::testing::Not(HasSubstr(m.response_token + "\n")));
  }
}

// German Excel's "CSV (Trennzeichen-getrennt)": Windows-1252, ';', CRLF, no byte order mark.
// Rows keep the line they start on, also after a script of several lines.
TEST(ReadCallListTest, ReadsWindows1252AndKnowsEachRowsLine) {
  const std::string dir = rebook::testing::MakeTempDir("rebook-calls");
  std::FILE* f = std::fopen((dir + "/calls.csv").c_str(), "wb");
  std::fputs(
      "key;reference;office_id;office;citizen;phone;language;service;appointment;expires;"
      "response_token;accept_link;decline_link;other_time_link;script;result;result_note\r\n"
      "o/a/1/phone;R1;HAL;Amt;J\xF6rg M\xFCller;0345 1;de;Pass;x;y;tok;l1;l2;l3;"
      "\"Anruf\r\nBitte vorlesen:\r\n\"\"Guten Tag\"\"\";abgelehnt;\r\n"
      ";;;;;;;;;;;;;;;;\r\n"
      "o/b/2/phone;R2;HAL;Amt;Fran\xE7"
      "ois;0345 2;fr;Pass;x;y;tok;l1;l2;l3;kurz;nicht erreicht;"
      "Mailbox\r\n",
      f);
  std::fclose(f);
  auto rows = ReadCallList(dir + "/calls.csv");
  ASSERT_TRUE(rows.ok()) << rows.status();
  ASSERT_EQ(rows->size(), 2u);  // the row of empty fields is skipped
  EXPECT_EQ((*rows)[0].citizen, "Jörg Müller");
  EXPECT_EQ((*rows)[0].line, 2);
  EXPECT_EQ((*rows)[0].result, "abgelehnt");
  EXPECT_EQ((*rows)[1].citizen, "François");
  EXPECT_EQ((*rows)[1].line, 6);
  EXPECT_EQ((*rows)[1].result_note, "Mailbox");
  fs::remove_all(dir);
}

TEST(ReadCallListTest, RejectsMalformedFiles) {
  const std::string dir = rebook::testing::MakeTempDir("rebook-calls");
  std::FILE* f = std::fopen((dir + "/calls.csv").c_str(), "w");
  std::fputs("key,office_id\nonly,two\n", f);
  std::fclose(f);
  EXPECT_EQ(ReadCallList(dir + "/calls.csv").status().code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(ReadCallList(dir + "/none.csv").status().code(), absl::StatusCode::kNotFound);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace rebook::notify
