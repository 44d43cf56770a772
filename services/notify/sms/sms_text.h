// SMS length rules: GSM 03.38 7-bit alphabet vs UCS-2, segments, and fitting a text into a
// segment budget without breaking its links.
//
// Hand-written: no Debian package counts GSM-7 septets, and the rules are short and fixed
// (3GPP TS 23.038): 160 septets in one segment, 153 per segment when concatenated, extension
// characters (^{}\[~]|€) take two septets; UCS-2 is 70 per segment, 67 when concatenated,
// counted in UTF-16 code units.
//
//   std::string sms = FitSms(rendered.sms, /*max_segments=*/2);
//   SmsLength len = MeasureSms(sms);  // len.segments <= 2
#ifndef REBOOK_SERVICES_NOTIFY_SMS_SMS_TEXT_H_
#define REBOOK_SERVICES_NOTIFY_SMS_SMS_TEXT_H_

#include <string>
#include <string_view>

namespace rebook::notify {

enum class SmsEncoding { kGsm7, kUcs2 };

struct SmsLength {
  SmsEncoding encoding = SmsEncoding::kGsm7;
  int units = 0;     // septets (GSM-7) or UTF-16 code units (UCS-2)
  int segments = 0;  // 0 for an empty text
};

// `utf8` must be valid UTF-8 (invalid bytes count as one UCS-2 unit each).
SmsLength MeasureSms(std::string_view utf8);

// Replaces typographic characters that have a plain GSM-7 equivalent (curly quotes, dashes,
// ellipsis, non-breaking and narrow spaces, guillemets) so that a German text with „…“
// does not fall back to UCS-2 and cost more than twice as many segments.
std::string NormalizeForGsm(std::string_view utf8);

// Normalizes, then, if the text still needs more than `max_segments`, drops whole words
// before the last link (http:// or https:// word) and marks the cut with "...", keeping
// every link intact. If the links alone do not fit, the text is cut hard at the budget.
std::string FitSms(std::string_view utf8, int max_segments);

}  // namespace rebook::notify

#endif  // REBOOK_SERVICES_NOTIFY_SMS_SMS_TEXT_H_
