#include "services/notify/template_set.h"

#include <filesystem>
#include <fstream>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/domain/short_reference.h"
#include "testing/child_process.h"
#include "testing/files.h"

namespace rebook::notify {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;

std::string BundledDir() { return rebook::testing::SourceDir() + "/services/notify/templates"; }

class TemplateSetTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto set = TemplateSet::LoadFromDirectory(BundledDir());
    ASSERT_TRUE(set.ok()) << set.status();
    templates_ = std::make_unique<TemplateSet>(*std::move(set));
  }
  std::unique_ptr<TemplateSet> templates_;
};

TEST_F(TemplateSetTest, EveryKindAndLanguageRenders) {
  EXPECT_EQ(templates_->Languages(),
            (std::vector<std::string>{"ar", "de", "en", "ru", "tr", "uk"}));
  for (const std::string lang : {"de", "en", "tr", "ar", "ru", "uk"}) {
    for (MessageKind kind : kAllMessageKinds) {
      auto r = templates_->Render(TemplateSet::SampleMessage(kind, lang));
      ASSERT_TRUE(r.ok()) << lang << " " << ToString(kind) << ": " << r.status();
      EXPECT_EQ(r->template_language, lang);
      EXPECT_EQ(LanguageFallbackNote(*r), "");
      EXPECT_FALSE(r->subject.empty());
      EXPECT_THAT(r->subject, Not(HasSubstr("\n")));
      EXPECT_THAT(r->text, HasSubstr("Bürgerservice Halle-Mitte"));
      EXPECT_THAT(r->text, HasSubstr("09:30"));
      EXPECT_THAT(r->text, Not(HasSubstr("{{")));
      EXPECT_THAT(r->html, HasSubstr("<html lang=\"" + lang + "\""));
      EXPECT_FALSE(r->sms.empty());
      EXPECT_THAT(r->sms, HasSubstr("09:30"));
      // Staff read out the short Vorgangsnummer, never the 43-character response token.
      EXPECT_THAT(r->phone_script,
                  HasSubstr(domain::ShortReference("halle-2026-01-27", "apt-000123")));
      EXPECT_THAT(r->phone_script, Not(HasSubstr("tok_5f3a9c1e2b7d4a60")));
    }
  }
  // Each language speaks its own words, not a copy of another's; Arabic pages read right to
  // left.
  auto text = [&](const char* lang) {
    return templates_->Render(TemplateSet::SampleMessage(MessageKind::kOffer, lang))->text;
  };
  EXPECT_THAT(text("tr"), HasSubstr("randevu"));
  EXPECT_THAT(text("ar"), HasSubstr("موعد"));
  EXPECT_THAT(text("ru"), HasSubstr("запись"));
  EXPECT_THAT(text("uk"), HasSubstr("запис"));
  EXPECT_THAT(text("uk"), Not(HasSubstr("запись")));
  EXPECT_THAT(templates_->Render(TemplateSet::SampleMessage(MessageKind::kOffer, "ar"))->html,
              HasSubstr("dir=\"rtl\""));
}

TEST_F(TemplateSetTest, GermanOfferHasLinksExpiryAndFormalAddress) {
  auto r = templates_->Render(TemplateSet::SampleMessage(MessageKind::kOffer, "de"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->subject, "Neuer Termin für Sie: Fahrzeugzulassung am 29.01.2026 um 09:30 Uhr");
  EXPECT_THAT(r->text, HasSubstr("Guten Tag Erika Mustermann,"));
  EXPECT_THAT(r->text, HasSubstr("Donnerstag, 29. Januar 2026"));
  EXPECT_THAT(r->text, HasSubstr("https://termine.example.de/r/tok_5f3a9c1e2b7d4a60/accept"));
  EXPECT_THAT(r->text, HasSubstr("https://termine.example.de/r/tok_5f3a9c1e2b7d4a60/decline"));
  EXPECT_THAT(r->text, HasSubstr("https://termine.example.de/r/tok_5f3a9c1e2b7d4a60/other"));
  EXPECT_THAT(r->text, HasSubstr("bis Mittwoch, 28. Januar 2026, 18:30 Uhr"));
  EXPECT_THAT(r->text, HasSubstr("Ihr Termin am Dienstag, 27. Januar 2026 um 12:30 Uhr"));
  EXPECT_THAT(r->text, HasSubstr("Sie"));
  EXPECT_THAT(r->text, Not(HasSubstr(" du ")));
  EXPECT_THAT(r->sms, HasSubstr("https://termine.example.de/r/tok_5f3a9c1e2b7d4a60"));
}

TEST_F(TemplateSetTest, OptionalPartsDisappearWhenAbsent) {
  OutgoingMessage m = TemplateSet::SampleMessage(MessageKind::kOffer, "en");
  m.recipient.name.clear();
  m.offer_expiry.reset();
  m.appointment.original_start.reset();
  auto r = templates_->Render(m);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_THAT(r->text, HasSubstr("Hello,"));
  EXPECT_THAT(r->text, Not(HasSubstr("hold this appointment")));
  EXPECT_THAT(r->text, HasSubstr("your appointment could not take place"));
  EXPECT_THAT(r->text, Not(HasSubstr("\n\n\n")));
  OutgoingMessage c = TemplateSet::SampleMessage(MessageKind::kCancellation, "de");
  c.links = {};
  auto rc = templates_->Render(c);
  ASSERT_TRUE(rc.ok()) << rc.status();
  EXPECT_THAT(rc->text, HasSubstr("Wir melden uns mit einem neuen Terminvorschlag"));
}

TEST_F(TemplateSetTest, AReOfferSaysWhyInEveryPartThatTalks) {
  for (MessageKind kind : {MessageKind::kOffer, MessageKind::kCancellation}) {
    OutgoingMessage m = TemplateSet::SampleMessage(kind, "de");
    m.explanation = "Ihr Termin muss verlegt werden: die Sachbearbeiterin ist erkrankt & <fehlt>.";
    auto r = templates_->Render(m);
    ASSERT_TRUE(r.ok()) << r.status();
    EXPECT_THAT(r->text, HasSubstr("die Sachbearbeiterin ist erkrankt & <fehlt>.")) << r->text;
    EXPECT_THAT(r->html, HasSubstr("<p>Ihr Termin muss verlegt werden: die Sachbearbeiterin ist "
                                   "erkrankt &amp; &lt;fehlt&gt;.</p>"));
    if (kind == MessageKind::kOffer) {
      EXPECT_THAT(r->phone_script, HasSubstr("die Sachbearbeiterin ist erkrankt"));
    }
    EXPECT_THAT(r->text, Not(HasSubstr("\n\n\n")));
  }
  OutgoingMessage plain = TemplateSet::SampleMessage(MessageKind::kOffer, "en");
  plain.explanation = "Your appointment has to move: the office is closed that day.";
  auto r = templates_->Render(plain);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_THAT(r->text, HasSubstr("We apologise for the inconvenience.\n\nYour appointment has to "
                                 "move: the office is closed that day.\n\nWe can offer you"));
  // Without an explanation nothing is left of the section.
  plain.explanation.clear();
  r = templates_->Render(plain);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_THAT(r->text, HasSubstr("We apologise for the inconvenience.\n\nWe can offer you"));
  EXPECT_THAT(r->html, Not(HasSubstr("<p></p>")));
}

TEST_F(TemplateSetTest, HtmlIsEscapedPlainTextIsNot) {
  OutgoingMessage m = TemplateSet::SampleMessage(MessageKind::kConfirmation, "de");
  m.recipient.name = "Ada <b>&</b>";
  auto r = templates_->Render(m);
  ASSERT_TRUE(r.ok());
  EXPECT_THAT(r->html, HasSubstr("Ada &lt;b&gt;&amp;&lt;/b&gt;"));
  EXPECT_THAT(r->text, HasSubstr("Ada <b>&</b>"));
}

TEST_F(TemplateSetTest, LanguageFallback) {
  EXPECT_EQ(templates_->ResolveLanguage("uk-UA", MessageKind::kOffer), "uk");
  EXPECT_EQ(templates_->ResolveLanguage("pl-PL", MessageKind::kOffer), "de");
  EXPECT_EQ(templates_->ResolveLanguage("en-GB", MessageKind::kOffer), "en");
  EXPECT_EQ(templates_->ResolveLanguage("EN_us", MessageKind::kReminder), "en");
  EXPECT_EQ(templates_->ResolveLanguage("", MessageKind::kReminder), "de");
  auto r = templates_->Render(TemplateSet::SampleMessage(MessageKind::kOffer, "pl-PL"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->template_language, "de");
  // The history says which language was asked for and which one the citizen got.
  EXPECT_EQ(LanguageFallbackNote(*r), "language pl-pl asked, de used");
  EXPECT_EQ(LanguageFallbackNote(
                *templates_->Render(TemplateSet::SampleMessage(MessageKind::kOffer, "uk-UA"))),
            "");
  EXPECT_EQ(LanguageFallbackNote(
                *templates_->Render(TemplateSet::SampleMessage(MessageKind::kOffer, ""))),
            "");
}

TEST_F(TemplateSetTest, InvalidMessageIsRejected) {
  OutgoingMessage m = TemplateSet::SampleMessage(MessageKind::kOffer, "de");
  m.appointment.end = m.appointment.start;
  EXPECT_EQ(templates_->Render(m).status().code(), absl::StatusCode::kInvalidArgument);
}

// Copies the bundled set, applies `edit`, and returns the load error.
absl::Status LoadEdited(const std::function<void(const fs::path&)>& edit) {
  const fs::path dir = rebook::testing::MakeTempDir("rebook-templates");
  fs::copy(BundledDir(), dir, fs::copy_options::recursive);
  edit(dir);
  absl::Status s = TemplateSet::LoadFromDirectory(dir.string()).status();
  fs::remove_all(dir);
  return s;
}

void Write(const fs::path& path, const std::string& content) { std::ofstream(path) << content; }

TEST(TemplateSetLoadTest, BrokenTemplatesFailWithTheirFileName) {
  absl::Status syntax = LoadEdited(
      [](const fs::path& d) { Write(d / "en/offer.txt.mustache", "{{#expiry}}unclosed"); });
  EXPECT_THAT(std::string(syntax.message()), HasSubstr("en/offer.txt.mustache"));

  absl::Status unknown = LoadEdited(
      [](const fs::path& d) { Write(d / "de/reminder.sms.mustache", "Hallo {{citizen.nmae}}"); });
  EXPECT_THAT(std::string(unknown.message()), HasSubstr("de/reminder.sms.mustache"));
  EXPECT_THAT(std::string(unknown.message()), HasSubstr("citizen.nmae"));

  absl::Status unknown_section = LoadEdited([](const fs::path& d) {
    Write(d / "de/offer.html.mustache", "{{#expiry}}{{dat}}{{/expiry}}");
  });
  EXPECT_THAT(std::string(unknown_section.message()), HasSubstr("dat"));

  absl::Status missing =
      LoadEdited([](const fs::path& d) { fs::remove(d / "en/offer.sms.mustache"); });
  EXPECT_THAT(std::string(missing.message()), HasSubstr("en/offer.sms.mustache: missing"));

  absl::Status german_kind = LoadEdited([](const fs::path& d) {
    for (const char* part : {"subject", "txt", "html", "sms", "phone"}) {
      fs::remove(d / (std::string("de/reminder.") + part + ".mustache"));
    }
  });
  EXPECT_THAT(std::string(german_kind.message()), HasSubstr("German"));

  absl::Status stray =
      LoadEdited([](const fs::path& d) { Write(d / "de/offer.text.mustache", "x"); });
  EXPECT_THAT(std::string(stray.message()), HasSubstr("offer.text.mustache"));

  absl::Status subject = LoadEdited(
      [](const fs::path& d) { Write(d / "en/offer.subject.mustache", "Line one\nLine two\n"); });
  EXPECT_THAT(std::string(subject.message()), HasSubstr("one non-empty line"));

  // Saved as Latin-1 ("Grüße" with 0xFC): the file, the line and the byte.
  absl::Status latin1 = LoadEdited([](const fs::path& d) {
    Write(d / "de/offer.txt.mustache",
          "Guten Tag,\nviele Gr\xFC\xDF"
          "e\n");
  });
  EXPECT_EQ(latin1.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(latin1.message()),
              HasSubstr("de/offer.txt.mustache:2: byte 9 is not valid UTF-8"));

  EXPECT_EQ(TemplateSet::LoadFromDirectory("/nonexistent/templates").status().code(),
            absl::StatusCode::kNotFound);
}

TEST(TemplateSetLoadTest, AnExtraLanguageWithSomeKindsLoadsAndFallsBackPerKind) {
  const fs::path dir = rebook::testing::MakeTempDir("rebook-templates");
  fs::copy(BundledDir(), dir, fs::copy_options::recursive);
  fs::create_directories(dir / "pl");
  for (const char* part : {"subject", "txt", "html", "sms", "phone"}) {
    fs::copy(dir / (std::string("en/offer.") + part + ".mustache"),
             dir / (std::string("pl/offer.") + part + ".mustache"));
  }
  auto set = TemplateSet::LoadFromDirectory(dir.string());
  fs::remove_all(dir);
  ASSERT_TRUE(set.ok()) << set.status();
  EXPECT_EQ(set->ResolveLanguage("pl-PL", MessageKind::kOffer), "pl");
  EXPECT_EQ(set->ResolveLanguage("pl-PL", MessageKind::kReminder), "de");
}

}  // namespace
}  // namespace rebook::notify
