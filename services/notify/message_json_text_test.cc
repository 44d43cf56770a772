#include "services/notify/message_json_text.h"

#include <random>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "services/notify/template_set.h"

namespace rebook::notify {
namespace {

RenderedMessage Sample() {
  RenderedMessage r;
  r.message = TemplateSet::SampleMessage(MessageKind::kOffer, "uk-UA");
  r.message.explanation = "Das Bürgerbüro ist an diesem Tag geschlossen.";
  r.template_language = "de";
  r.subject = "Ihr neuer Termin";
  r.text = "Guten Tag,\n\"Termin\"\tam 29.01.\r\n\\ende";
  r.html = "<p>x &amp; y</p>";
  r.sms = "Neuer Termin 🙂";
  r.phone_script = "Bitte rufen Sie an.";
  return r;
}

// What the file channel wrote before: nlohmann's document, dumped; "" where dump throws.
std::string Dumped(const RenderedMessage& r, const JsonOptions& o) {
  try {
    return MessageToJson(r, o).dump();
  } catch (const nlohmann::json::type_error&) {
    return "";
  }
}

std::string Written(const RenderedMessage& r, const JsonOptions& o) {
  std::string out = "prefix";
  const absl::Status s = AppendMessageJsonText(r, o, out);
  EXPECT_EQ(out.substr(0, 6), "prefix");
  if (!s.ok()) {
    EXPECT_EQ(out, "prefix") << "a failed write must leave the buffer as it was";
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
    return "";
  }
  return out.substr(6);
}

std::vector<JsonOptions> AllOptions() {
  return {{true, true}, {true, false}, {false, true}, {false, false}};
}

TEST(MessageJsonTextTest, SameBytesAsTheDocumentForEveryOptionAndOptionalField) {
  for (int variant = 0; variant < 8; ++variant) {
    RenderedMessage r = Sample();
    if (variant & 1) r.message.explanation.clear();
    if (variant & 2) r.message.offer_expiry.reset();
    if (variant & 4) r.message.appointment.original_start.reset();
    for (const JsonOptions& o : AllOptions()) {
      const std::string expected = Dumped(r, o);
      ASSERT_FALSE(expected.empty());
      EXPECT_EQ(Written(r, o), expected) << "variant " << variant;
    }
  }
}

TEST(MessageJsonTextTest, EscapesEveryAsciiByteAsTheDocumentDoes) {
  std::string all;
  for (int c = 1; c < 0x80; ++c) all.push_back(static_cast<char>(c));
  RenderedMessage r = Sample();
  r.text = all;
  r.message.recipient.name = all + "Ä€😀";
  r.message.key.outage_id = std::string("o\0x", 3);
  const std::string written = Written(r, {});
  EXPECT_EQ(written, Dumped(r, {}));
  EXPECT_NE(written.find("\\u001f"), std::string::npos);
  EXPECT_NE(written.find("\\u0000"), std::string::npos);
}

TEST(MessageJsonTextTest, RefusesWhatTheDocumentCannotDumpAndNamesTheString) {
  const std::vector<std::string> invalid = {"\x80",
                                            "\xC0\xAF",
                                            "\xC1\xBF",
                                            "\xC3",
                                            "\xE0\x80\xAF",
                                            "\xED\xA0\x80",
                                            "\xEF\xBF",
                                            "\xF0\x80\x80\xAF",
                                            "\xF4\x90\x80\x80",
                                            "\xF5\x80\x80\x80",
                                            "\xFF",
                                            "ok\xE2\x82"};
  for (const std::string& bad : invalid) {
    RenderedMessage r = Sample();
    r.message.recipient.name = "Frau " + bad + " Canary";
    EXPECT_EQ(Dumped(r, {}), "") << "nlohmann accepts this case; the test is wrong";
    std::string out;
    const absl::Status s = AppendMessageJsonText(r, {}, out);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
    EXPECT_NE(s.message().find("recipient.name"), std::string_view::npos) << s;
    EXPECT_EQ(s.message().find("Canary"), std::string_view::npos) << "the value must not leak";
    EXPECT_TRUE(out.empty());
  }
}

TEST(MessageJsonTextTest, AgreesWithTheDocumentOnRandomBytes) {
  std::mt19937 rng(20261207);
  // Bytes that matter: controls, quotes, backslash, ASCII, lead and continuation bytes.
  const std::string alphabet = std::string("\x01\x08\x09\x0A\x0C\x0D\x1F \"\\/aZ\x7F", 15) +
                               "\x80\xBF\xC2\xC3\xDF\xE0\xE2\xED\xEF\xF0\xF4\xF5\xFF\xA0\x90\x8F";
  int refused = 0;
  for (int round = 0; round < 3000; ++round) {
    RenderedMessage r = Sample();
    std::vector<std::string*> fields = {&r.message.recipient.name,
                                        &r.message.recipient.email,
                                        &r.message.office.name,
                                        &r.message.explanation,
                                        &r.message.response_token,
                                        &r.message.links.accept,
                                        &r.subject,
                                        &r.text,
                                        &r.html,
                                        &r.message.key.appointment_id};
    std::string* field = fields[rng() % fields.size()];
    field->clear();
    const int length = static_cast<int>(rng() % 12);
    for (int i = 0; i < length; ++i) field->push_back(alphabet[rng() % alphabet.size()]);
    const JsonOptions o = AllOptions()[rng() % 4];
    const std::string expected = Dumped(r, o);
    if (expected.empty()) ++refused;
    ASSERT_EQ(Written(r, o), expected) << "round " << round;
  }
  // Both outcomes occur, so the comparison can fail either way.
  EXPECT_GT(refused, 100);
  EXPECT_LT(refused, 2900);
}

}  // namespace
}  // namespace rebook::notify
