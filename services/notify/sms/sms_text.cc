#include "services/notify/sms/sms_text.h"

#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"

namespace rebook::notify {
namespace {

// GSM 03.38 default alphabet, the characters outside ASCII and the ASCII ones missing.
constexpr char32_t kGsmNonAscii[] = {U'£', U'¥', U'è', U'é', U'ù', U'ì', U'ò', U'Ç', U'Ø', U'ø',
                                     U'Å', U'å', U'Δ', U'Φ', U'Γ', U'Λ', U'Ω', U'Π', U'Ψ', U'Σ',
                                     U'Θ', U'Ξ', U'Æ', U'æ', U'ß', U'É', U'¤', U'¡', U'Ä', U'Ö',
                                     U'Ñ', U'Ü', U'§', U'¿', U'ä', U'ö', U'ñ', U'ü', U'à'};
constexpr char32_t kGsmExtension[] = {U'^', U'{', U'}', U'\\', U'[', U'~', U']', U'|', U'€', U'\f'};

// Decodes one code point; advances `i`. Invalid bytes decode as U+FFFD.
char32_t NextCodePoint(std::string_view s, size_t& i) {
  const unsigned char c = static_cast<unsigned char>(s[i]);
  int len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xe ? 3 : (c >> 3) == 0x1e ? 4 : 0;
  if (len == 0 || i + len > s.size()) {
    ++i;
    return U'\uFFFD';
  }
  char32_t cp = len == 1 ? c : c & (0xff >> (len + 1));
  for (int k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3f);
  i += len;
  return cp;
}

// Septets for a GSM-7 character, 0 if it is not in the alphabet.
int GsmSeptets(char32_t cp) {
  for (char32_t e : kGsmExtension) {
    if (cp == e) return 2;
  }
  if (cp < 0x80) return (cp >= 0x20 && cp != U'`') || cp == U'\n' || cp == U'\r' ? 1 : 0;
  for (char32_t g : kGsmNonAscii) {
    if (cp == g) return 1;
  }
  return 0;
}

int Segments(SmsEncoding enc, int units) {
  const int single = enc == SmsEncoding::kGsm7 ? 160 : 70;
  const int multi = enc == SmsEncoding::kGsm7 ? 153 : 67;
  if (units == 0) return 0;
  if (units <= single) return 1;
  return (units + multi - 1) / multi;
}

bool IsLink(absl::string_view word) {
  return absl::StartsWith(word, "http://") || absl::StartsWith(word, "https://");
}

bool Fits(const std::string& text, int max_segments) {
  return MeasureSms(text).segments <= max_segments;
}

// Removes the last code point of `s`.
void PopCodePoint(std::string& s) {
  while (!s.empty() && (static_cast<unsigned char>(s.back()) & 0xc0) == 0x80) s.pop_back();
  if (!s.empty()) s.pop_back();
}

}  // namespace

SmsLength MeasureSms(std::string_view utf8) {
  int septets = 0;
  int utf16 = 0;
  bool gsm = true;
  for (size_t i = 0; i < utf8.size();) {
    const char32_t cp = NextCodePoint(utf8, i);
    const int s = GsmSeptets(cp);
    gsm = gsm && s > 0;
    septets += s;
    utf16 += cp > 0xffff ? 2 : 1;
  }
  SmsLength len;
  len.encoding = gsm ? SmsEncoding::kGsm7 : SmsEncoding::kUcs2;
  len.units = gsm ? septets : utf16;
  len.segments = Segments(len.encoding, len.units);
  return len;
}

std::string NormalizeForGsm(std::string_view utf8) {
  return absl::StrReplaceAll(absl::string_view(utf8.data(), utf8.size()), {{"\u2018", "'"},
                                                                           {"\u2019", "'"},
                                                                           {"\u201a", "'"},
                                                                           {"\u201c", "\""},
                                                                           {"\u201d", "\""},
                                                                           {"\u201e", "\""},
                                                                           {"\u00ab", "\""},
                                                                           {"\u00bb", "\""},
                                                                           {"\u2013", "-"},
                                                                           {"\u2014", "-"},
                                                                           {"\u2026", "..."},
                                                                           {"\u00a0", " "},
                                                                           {"\u202f", " "},
                                                                           {"\u2009", " "},
                                                                           {"`", "'"}});
}

std::string FitSms(std::string_view utf8, int max_segments) {
  std::string text = NormalizeForGsm(utf8);
  if (max_segments < 1) max_segments = 1;
  if (Fits(text, max_segments)) return text;
  std::vector<std::string> words = absl::StrSplit(text, ' ');
  int last_link = -1;
  for (int i = 0; i < static_cast<int>(words.size()); ++i) {
    if (IsLink(words[i])) last_link = i;
  }
  // Words [0, cut) stay, then "...", then the words from the last link on.
  const int tail_start = last_link >= 0 ? last_link : static_cast<int>(words.size());
  auto assemble = [&](int cut) {
    std::vector<std::string> out(words.begin(), words.begin() + cut);
    // Links in the dropped span are kept too.
    for (int i = cut; i < tail_start; ++i) {
      if (IsLink(words[i])) out.push_back(words[i]);
    }
    std::string head = absl::StrJoin(out, " ");
    std::string tail = absl::StrJoin(words.begin() + tail_start, words.end(), " ");
    return absl::StrCat(head, head.empty() ? "" : "...", tail.empty() ? "" : " ", tail);
  };
  for (int cut = tail_start - 1; cut >= 0; --cut) {
    if (IsLink(words[cut])) continue;
    std::string candidate = assemble(cut);
    if (Fits(candidate, max_segments)) return candidate;
  }
  // Even the links alone are too long: cut hard.
  while (!text.empty() && !Fits(text, max_segments)) PopCodePoint(text);
  return text;
}

}  // namespace rebook::notify
