// Phone numbers as citizens write them, parsed and classified with Google's libphonenumber:
// the E.164 form a gateway needs, and whether the line can take an SMS.
//
//   absl::StatusOr<PhoneNumber> n = ParsePhoneNumber("0345 1234567", "DE");
//   n->e164;              // "+493451234567"
//   n->line;              // PhoneLine::kLandline: never send it an SMS
//   CanReceiveSms(*n);    // false
//
// `region` is the ISO 3166 country ("DE") used for numbers written without a country code;
// ParsePhoneNumberForCountryCode takes the calling code instead ("49"). INVALID_ARGUMENT
// for text that is no phone number or a number libphonenumber does not know as valid.
// Thread-safe (libphonenumber's PhoneNumberUtil is a thread-safe singleton).
#ifndef REBOOK_SERVICES_NOTIFY_PHONE_NUMBER_PHONE_NUMBER_H_
#define REBOOK_SERVICES_NOTIFY_PHONE_NUMBER_PHONE_NUMBER_H_

#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace rebook::notify {

enum class PhoneLine {
  kMobile,
  kLandline,
  kMobileOrLandline,  // numbering plans that do not tell them apart (USA, Canada)
  kOther,             // toll-free, premium, VoIP, shared cost, pager, ...
};

struct PhoneNumber {
  std::string e164;  // "+493451234567"
  PhoneLine line = PhoneLine::kOther;
};

absl::StatusOr<PhoneNumber> ParsePhoneNumber(std::string_view text, std::string_view region);
// The same with the country calling code of numbers written nationally ("49" for "0345...").
absl::StatusOr<PhoneNumber> ParsePhoneNumberForCountryCode(std::string_view text,
                                                           std::string_view country_code);

// Mobile numbers, and numbers of plans where mobile and landline look the same.
bool CanReceiveSms(const PhoneNumber& number);
// CanReceiveSms(*ParsePhoneNumber(text, region)), false where that fails, at about half the
// cost: it neither formats the E.164 form nor checks validity apart from the line type (a
// number invalid in its plan has no line type). For bulk work such as a plan commit.
bool CanReceiveSms(std::string_view text, std::string_view region);
// "mobile", "landline", "mobile or landline", "other".
std::string_view ToString(PhoneLine line);

}  // namespace rebook::notify

#endif  // REBOOK_SERVICES_NOTIFY_PHONE_NUMBER_PHONE_NUMBER_H_
