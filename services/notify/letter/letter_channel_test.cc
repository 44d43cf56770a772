// Letters rendered with cairo, checked with poppler-utils (pdfinfo, pdftotext, pdftoppm).
#include "services/notify/letter/letter_channel.h"

#include <cairo.h>
#include <fontconfig/fontconfig.h>
#include <pango/pangocairo.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/domain/local_time.h"
#include "services/domain/short_reference.h"
#include "services/notify/template_set.h"
#include "services/notify/testing/sink_server.h"
#include "testing/child_process.h"
#include "testing/files.h"

namespace rebook::notify {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;

const Instant kNow = Instant(std::chrono::seconds(1769600000));  // 2026-01-28 12:33 Berlin

int PdfPages(const std::string& pdf) {
  auto info = rebook::testing::RunCommand({"/usr/bin/pdfinfo", pdf});
  EXPECT_TRUE(info.ok()) << info.status();
  for (absl::string_view line : absl::StrSplit(info.value_or(""), '\n')) {
    if (absl::ConsumePrefix(&line, "Pages:")) {
      int pages = 0;
      if (absl::SimpleAtoi(absl::StripAsciiWhitespace(line), &pages)) return pages;
    }
  }
  return -1;
}

std::string PdfText(const std::string& pdf) {
  auto text = rebook::testing::RunCommand({"/usr/bin/pdftotext", "-layout", pdf, "-"});
  EXPECT_TRUE(text.ok()) << text.status();
  return text.value_or("");
}

// A rendered page as 8-bit grey pixels (pdftoppm -gray writes binary PGM).
struct Raster {
  int width = 0, height = 0;
  std::string pixels;
  double DarkShare(int x0, int x1, int y0, int y1) const {
    int dark = 0, total = 0;
    for (int y = y0; y < y1; ++y) {
      for (int x = x0; x < x1; ++x, ++total) {
        dark += static_cast<unsigned char>(pixels[y * width + x]) < 128 ? 1 : 0;
      }
    }
    return total == 0 ? 0 : static_cast<double>(dark) / total;
  }
};

Raster RenderPage(const std::string& pdf, int dpi) {
  const std::string prefix = rebook::testing::MakeTempDir("rebook-ppm") + "/page";
  auto done = rebook::testing::RunCommand({"/usr/bin/pdftoppm", "-r", std::to_string(dpi), "-gray",
                                           "-f", "1", "-l", "1", "-singlefile", pdf, prefix});
  EXPECT_TRUE(done.ok()) << done.status();
  std::ifstream in(prefix + ".pgm", std::ios::binary);
  std::string magic;
  int maxval = 0;
  Raster r;
  in >> magic >> r.width >> r.height >> maxval;
  in.get();
  r.pixels.assign(std::istreambuf_iterator<char>(in), {});
  EXPECT_EQ(magic, "P5");
  EXPECT_EQ(r.pixels.size(), static_cast<size_t>(r.width * r.height));
  return r;
}

class LetterChannelTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto set =
        TemplateSet::LoadFromDirectory(rebook::testing::SourceDir() + "/services/notify/templates");
    ASSERT_TRUE(set.ok()) << set.status();
    templates_ = std::make_unique<TemplateSet>(*std::move(set));
    spool_ = rebook::testing::MakeTempDir("rebook-letters");
    auto channel =
        LetterChannelFactory().Create(ChannelConfig("letter", {{"spool_dir", spool_}}, &clock_));
    ASSERT_TRUE(channel.ok()) << channel.status();
    channel_ = *std::move(channel);
  }
  // REBOOK_KEEP_LETTERS=1 keeps the PDFs for a look by eye.
  void TearDown() override {
    if (std::getenv("REBOOK_KEEP_LETTERS") == nullptr) fs::remove_all(spool_);
  }

  RenderedMessage Render(const std::string& appointment, const std::string& language,
                         const std::string& name) {
    OutgoingMessage m = TemplateSet::SampleMessage(MessageKind::kOffer, language);
    m.key.appointment_id = appointment;
    m.key.channel = "letter";
    m.recipient.name = name;
    m.recipient.postal_address = name + "\nHeidestraße 17\n06108 Halle (Saale)";
    return *templates_->Render(m);
  }

  FakeClock clock_{kNow};
  std::unique_ptr<TemplateSet> templates_;
  std::string spool_;
  std::unique_ptr<Channel> channel_;
};

TEST_F(LetterChannelTest, OneA4PageWithAddressTextAndQrCode) {
  DeliveryResult r = channel_->Send(Render("apt-1", "de", "Erika Mustermann"));
  ASSERT_EQ(r.state, DeliveryState::kSent) << r.reason;
  const std::string pdf = r.provider_message_id;
  EXPECT_THAT(pdf, HasSubstr(spool_ + "/2026-01-28/"));
  EXPECT_EQ(PdfPages(pdf), 1);

  const std::string text = PdfText(pdf);
  EXPECT_THAT(text, HasSubstr("Bürgerservice Halle-Mitte"));
  EXPECT_THAT(text, HasSubstr("Heidestraße 17"));
  EXPECT_THAT(text, HasSubstr("Neuer Termin für Sie: Fahrzeugzulassung"));
  EXPECT_THAT(text, HasSubstr("Datum: 28.01.2026"));
  EXPECT_THAT(text,
              HasSubstr("Vorgangsnummer: " + domain::ShortReference("halle-2026-01-27", "apt-1")));
  // The token is in the QR code and the links only, never the reference.
  EXPECT_THAT(text, Not(HasSubstr("Vorgangsnummer: tok_")));
  EXPECT_THAT(text, HasSubstr("Mit dem Smartphone antworten"));

  // A4 at 50 dpi is 413.4 x 584.7 pixels, which pdftoppm rounds up.
  Raster page = RenderPage(pdf, 50);
  EXPECT_EQ(page.width, 414);
  EXPECT_EQ(page.height, 585);
  // The QR code sits in the information block beside the address window: that area is far
  // darker than in the same letter without a response link (and so without a QR code).
  RenderedMessage no_link = Render("apt-2", "de", "Erika Mustermann");
  no_link.message.links = {};
  const std::string plain = channel_->Send(no_link).provider_message_id;
  Raster plain_page = RenderPage(plain, 50);
  const int x0 = 123 * 50 / 25.4, x1 = 157 * 50 / 25.4;
  const int y0 = 61 * 50 / 25.4, y1 = 95 * 50 / 25.4;
  const double with_qr = page.DarkShare(x0, x1, y0, y1);
  const double without_qr = plain_page.DarkShare(x0, x1, y0, y1);
  EXPECT_GT(with_qr, 2 * without_qr + 0.02) << with_qr << " vs " << without_qr;
}

TEST_F(LetterChannelTest, RetriesReplaceTheLetterAndTheDailyBatchHoldsEveryLetter) {
  ASSERT_TRUE(channel_->Send(Render("apt-1", "de", "Zora Zimmermann")).ok());
  ASSERT_TRUE(channel_->Send(Render("apt-2", "en", "Anton Abel")).ok());
  RenderedMessage long_letter = Render("apt-3", "de", "Mia Müller");
  for (int i = 0; i < 60; ++i) long_letter.text += "Ein weiterer Absatz mit Hinweisen.\n";
  ASSERT_TRUE(channel_->Send(long_letter).ok());
  ASSERT_TRUE(channel_->Send(Render("apt-1", "de", "Zora Zimmermann")).ok());  // retry

  const std::string day_dir = spool_ + "/2026-01-28";
  EXPECT_EQ(testing::ListFiles(day_dir).size(), 6u);  // 3 letters x (pdf + json)
  auto batch = BuildLetterBatch(spool_, *domain::ParseLocalDate("2026-01-28"));
  ASSERT_TRUE(batch.ok()) << batch.status();
  EXPECT_EQ(batch->letters, 3);
  EXPECT_EQ(batch->path, day_dir + "/batch.pdf");
  EXPECT_GE(batch->pages, 4);  // the long letter takes at least two pages
  EXPECT_EQ(PdfPages(batch->path), batch->pages);
  // Sorted by office, then name: Anton before Mia before Zora.
  const std::string text = PdfText(batch->path);
  const size_t anton = text.find("Anton Abel"), mia = text.find("Mia Müller"),
               zora = text.find("Zora Zimmermann");
  ASSERT_NE(anton, std::string::npos);
  EXPECT_LT(anton, mia);
  EXPECT_LT(mia, zora);
  EXPECT_THAT(text, HasSubstr("Scan to reply with your smartphone"));

  auto duplex = BuildLetterBatch(spool_, *domain::ParseLocalDate("2026-01-28"), {.duplex = true});
  ASSERT_TRUE(duplex.ok());
  EXPECT_EQ(duplex->pages % 2, 0);
  EXPECT_EQ(duplex->pages, 2 * 2 + (batch->pages - 2 + 1) / 2 * 2);
  EXPECT_EQ(BuildLetterBatch(spool_, *domain::ParseLocalDate("2026-01-29")).status().code(),
            absl::StatusCode::kNotFound);
}

// What a real run prints: a 43-character token in a long public URL, a long office address, an
// explanation, and citizens whose language has no template. Every such letter is one page.
TEST_F(LetterChannelTest, RealisticLettersInEveryLanguageFitOnePage) {
  for (const char* language : {"de", "en", "tr", "ar", "ru", "uk"}) {
    OutgoingMessage m = TemplateSet::SampleMessage(MessageKind::kOffer, language);
    m.key = {"halle-2026-01-27", std::string("HAL-MITTE-000") + language, 1, "letter"};
    m.response_token = "kq3VxT9bN2mR7wYp4ZcL8fHs6JdGa1Ue5oXiQ0tB-_A";
    auto links = BuildResponseLinks("https://termine.stadt-halle.de/buergerservice/umbuchung",
                                    m.response_token);
    ASSERT_TRUE(links.ok());
    m.links = *links;
    m.office.address = "Am Marktplatz 1\nRathaus, Eingang B, 2. Obergeschoss\n06108 Halle (Saale)";
    m.explanation =
        "Die Sachbearbeiterin ist erkrankt; deshalb bieten wir Ihnen einen anderen "
        "Termin an als zuerst geplant. Wir bitten um Verständnis.";
    m.recipient.postal_address =
        "Familie Mustermann-Schönberg\nc/o Erika Mustermann\n"
        "Heidestraße 17, Hinterhaus\n06108 Halle (Saale)";
    absl::StatusOr<RenderedMessage> r = templates_->Render(m);
    ASSERT_TRUE(r.ok()) << r.status();
    DeliveryResult sent = channel_->Send(*r);
    ASSERT_TRUE(sent.ok()) << sent.reason;
    EXPECT_EQ(PdfPages(sent.provider_message_id), 1) << language;
    const std::string text = PdfText(sent.provider_message_id);
    const std::string reference = domain::ShortReference(m.key.outage_id, m.key.appointment_id);
    EXPECT_THAT(text, HasSubstr(reference)) << language;
    EXPECT_THAT(text, Not(HasSubstr(": " + m.response_token.substr(0, 20)))) << language;
    if (r->template_language != language) {
      EXPECT_THAT(text, HasSubstr(std::string("Für Ihre Sprache (") + language + ")"));
    } else {
      EXPECT_THAT(text, Not(HasSubstr("Für Ihre Sprache")));
    }
  }
}

// A language without templates (Polish, Persian) gets the German letter with a note above the
// text, in German and, where we have the sentence, in the citizen's own language.
TEST_F(LetterChannelTest, LanguagesWithoutTemplatesGetGermanWithANote) {
  DeliveryResult pl = channel_->Send(Render("apt-pl", "pl", "Jan Kowalski"));
  ASSERT_TRUE(pl.ok()) << pl.reason;
  EXPECT_EQ(PdfPages(pl.provider_message_id), 1);
  const std::string text = PdfText(pl.provider_message_id);
  EXPECT_THAT(text, HasSubstr("Für Ihre Sprache (pl)"));
  EXPECT_THAT(text, HasSubstr("Ten list jest po niemiecku"));
  EXPECT_THAT(text, HasSubstr("Neuer Termin für Sie"));
}

// Counts the runs of ink along the rows y0..y1 of a raster: columns with any dark pixel,
// separated by at least one blank column. Joined (shaped) Arabic has far fewer runs than
// letters; Cyrillic, whose letters stand apart, has about one per letter.
int InkRuns(const Raster& r, int x0, int x1, int y0, int y1) {
  int runs = 0;
  bool in_ink = false;
  for (int x = x0; x < x1; ++x) {
    bool ink = false;
    for (int y = y0; y < y1 && !ink; ++y)
      ink = static_cast<unsigned char>(r.pixels[y * r.width + x]) < 128;
    if (ink && !in_ink) ++runs;
    in_ink = ink;
  }
  return runs;
}

// The leftmost and rightmost dark columns of the rows y0..y1, -1 when blank.
std::pair<int, int> InkSpan(const Raster& r, int y0, int y1) {
  int left = -1, right = -1;
  for (int x = 0; x < r.width; ++x) {
    for (int y = y0; y < y1; ++y) {
      if (static_cast<unsigned char>(r.pixels[y * r.width + x]) < 128) {
        if (left < 0) left = x;
        right = x;
        break;
      }
    }
  }
  return {left, right};
}

// Arabic letters are shaped (letters joined) and run right to left from the right margin;
// Ukrainian ones are in Cyrillic, left-aligned; both read back as text with pdftotext.
TEST_F(LetterChannelTest, ArabicIsShapedRightToLeftAndUkrainianIsCyrillic) {
  const int dpi = 150;
  auto mm = [&](double v) { return static_cast<int>(v * dpi / 25.4); };
  struct Case {
    const char* language;
    const char* word;  // a word of the subject, read back by pdftotext
  };
  std::map<std::string, Raster> pages;
  for (Case c : {Case{"ar", "موعد"}, Case{"uk", "Новий запис"}, Case{"de", "Neuer Termin"}}) {
    RenderedMessage r = Render(std::string("apt-") + c.language, c.language, "Erika Mustermann");
    ASSERT_EQ(r.template_language, c.language);
    DeliveryResult sent = channel_->Send(r);
    ASSERT_TRUE(sent.ok()) << sent.reason;
    EXPECT_EQ(PdfPages(sent.provider_message_id), 1) << c.language;
    const std::string text = PdfText(sent.provider_message_id);
    EXPECT_THAT(text, HasSubstr(c.word)) << c.language;
    EXPECT_THAT(text, Not(HasSubstr("Für Ihre Sprache"))) << c.language;
    pages[c.language] = RenderPage(sent.provider_message_id, dpi);
  }
  // The subject's first line sits at 103.46 mm (baseline); its ink is in the 5 mm above.
  const int y0 = mm(99), y1 = mm(104.5);
  const auto [ar_left, ar_right] = InkSpan(pages["ar"], y0, y1);
  const auto [uk_left, uk_right] = InkSpan(pages["uk"], y0, y1);
  const auto [de_left, de_right] = InkSpan(pages["de"], y0, y1);
  // Right to left: the Arabic subject ends at the right margin (190 mm), the others start at
  // the left one (25 mm).
  EXPECT_NEAR(ar_right, mm(190), mm(1.5));
  EXPECT_GT(ar_left, mm(40));
  EXPECT_NEAR(uk_left, mm(25), mm(1.5));
  EXPECT_NEAR(de_left, mm(25), mm(1.5));
  EXPECT_LT(uk_right, mm(185));
  // Shaped: the Arabic subject starts (at its right end) with "موعد جديد لك:", whose letters
  // join, so it has far fewer runs of ink than the Ukrainian "Новий запис для вас:" over the
  // same 25 mm.
  const int ar_runs = InkRuns(pages["ar"], ar_right - mm(25), ar_right + 1, y0, y1);
  const int uk_runs = InkRuns(pages["uk"], uk_left, uk_left + mm(25) + 1, y0, y1);
  const double ar_density = ar_runs, uk_density = uk_runs;
  EXPECT_LT(ar_density, 0.7 * uk_density) << ar_runs << " runs vs " << uk_runs;
}

TEST_F(LetterChannelTest, NoPostalAddressIsPermanent) {
  RenderedMessage r = Render("apt-1", "de", "Erika Mustermann");
  r.message.recipient.postal_address = "";
  EXPECT_EQ(channel_->Send(r).state, DeliveryState::kPermanentFailure);
  EXPECT_EQ(channel_->required_contact(), ContactField::kPostalAddress);
}

TEST(LetterChannelConfigTest, RequiresASpoolDir) {
  EXPECT_FALSE(LetterChannelFactory().Create(ChannelConfig("letter")).ok());
  EXPECT_FALSE(
      LetterChannelFactory().Create(ChannelConfig("letter", {{"spool_dir", "/proc/x/y"}})).ok());
}

// Pango, cairo and fontconfig keep process-wide font caches; release them at exit so that the
// sanitizer build's leak check sees only our own allocations.
class FontCacheRelease : public ::testing::Environment {
 public:
  void TearDown() override {
    pango_cairo_font_map_set_default(nullptr);  // Pango's font map holds cairo fonts
    cairo_debug_reset_static_data();
    FcFini();
  }
};
const ::testing::Environment* const kFontCacheRelease =
    ::testing::AddGlobalTestEnvironment(new FontCacheRelease);

}  // namespace
}  // namespace rebook::notify
