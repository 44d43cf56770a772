#include "services/notify/phone_number/phone_number.h"

#include <phonenumbers/phonenumber.pb.h>
#include <phonenumbers/phonenumberutil.h>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace rebook::notify {
namespace {

using i18n::phonenumbers::PhoneNumberUtil;

absl::Status Invalid(std::string_view text, std::string_view why) {
  return absl::InvalidArgumentError(
      absl::StrCat("invalid phone number \"", std::string(text), "\": ", std::string(why)));
}

PhoneLine LineOf(PhoneNumberUtil::PhoneNumberType type) {
  switch (type) {
    case PhoneNumberUtil::MOBILE:
      return PhoneLine::kMobile;
    case PhoneNumberUtil::FIXED_LINE:
      return PhoneLine::kLandline;
    case PhoneNumberUtil::FIXED_LINE_OR_MOBILE:
      return PhoneLine::kMobileOrLandline;
    default:
      return PhoneLine::kOther;
  }
}

}  // namespace

absl::StatusOr<PhoneNumber> ParsePhoneNumber(std::string_view text, std::string_view region) {
  // libphonenumber reads letters as a keypad word ("0800 FLOWERS"); in booking data they are
  // a note or a typo ("0345 123 abends"), not a number.
  for (char c : text) {
    if (absl::ascii_isalpha(static_cast<unsigned char>(c))) return Invalid(text, "has letters");
  }
  const PhoneNumberUtil& util = *PhoneNumberUtil::GetInstance();
  i18n::phonenumbers::PhoneNumber number;
  // "0049 345 ..." is an international prefix as dialled from Germany; libphonenumber reads it
  // when the region is DE, and "+49 (0)345" drops the trunk zero by itself.
  const PhoneNumberUtil::ErrorType error =
      util.Parse(std::string(text), std::string(region), &number);
  if (error != PhoneNumberUtil::NO_PARSING_ERROR) return Invalid(text, "not a phone number");
  if (!util.IsValidNumber(number)) return Invalid(text, "no such number in its numbering plan");
  PhoneNumber out;
  util.Format(number, PhoneNumberUtil::E164, &out.e164);
  out.line = LineOf(util.GetNumberType(number));
  return out;
}

absl::StatusOr<PhoneNumber> ParsePhoneNumberForCountryCode(std::string_view text,
                                                           std::string_view country_code) {
  int code = 0;
  if (!absl::SimpleAtoi(absl::string_view(country_code.data(), country_code.size()), &code)) {
    return absl::InvalidArgumentError(
        absl::StrCat("invalid country calling code \"", std::string(country_code), "\""));
  }
  std::string region;
  PhoneNumberUtil::GetInstance()->GetRegionCodeForCountryCode(code, &region);
  return ParsePhoneNumber(text, region);
}

bool CanReceiveSms(const PhoneNumber& number) {
  return number.line == PhoneLine::kMobile || number.line == PhoneLine::kMobileOrLandline;
}

bool CanReceiveSms(std::string_view text, std::string_view region) {
  for (char c : text) {
    if (absl::ascii_isalpha(static_cast<unsigned char>(c))) return false;  // as ParsePhoneNumber
  }
  const PhoneNumberUtil& util = *PhoneNumberUtil::GetInstance();
  i18n::phonenumbers::PhoneNumber number;
  if (util.Parse(std::string(text), std::string(region), &number) !=
      PhoneNumberUtil::NO_PARSING_ERROR) {
    return false;
  }
  // GetNumberType is UNKNOWN exactly where IsValidNumber is false (both classify the national
  // number against the metadata of the number's own region).
  const PhoneLine line = LineOf(util.GetNumberType(number));
  return line == PhoneLine::kMobile || line == PhoneLine::kMobileOrLandline;
}

std::string_view ToString(PhoneLine line) {
  switch (line) {
    case PhoneLine::kMobile:
      return "mobile";
    case PhoneLine::kLandline:
      return "landline";
    case PhoneLine::kMobileOrLandline:
      return "mobile or landline";
    case PhoneLine::kOther:
      return "other";
  }
  return "other";
}

}  // namespace rebook::notify
