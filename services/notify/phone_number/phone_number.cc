#include "services/notify/phone_number/phone_number.h"

#include <phonenumbers/phonenumber.pb.h>
#include <phonenumbers/phonenumberutil.h>

#include <cstdint>
#include <optional>

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

// The national number of text written "+49" then ASCII digits, each group of them after the
// first separated by one space ("+49 151 27709938", "+4915127709938"), the first digit after
// the 49 not 0 and 2 to 17 digits after it; nullopt for any other text. For such text
// PhoneNumberUtil::Parse (any region, the plus names the country) yields exactly country code
// 49 and this national number, and nothing else: no extension (none of its markers), no
// national prefix to strip (DE's is 0), no Italian leading zero (that needs a leading 0), and
// the length checks of Parse (2 to 17 digits) pass. Skipping Parse halves what classifying a
// number costs; it was most of a plan commit's phone work, whose numbers come in this form.
// phone_number_test checks the two agree across every three-digit prefix and many lengths.
std::optional<std::uint64_t> PlusFortyNineNationalNumber(std::string_view text) {
  constexpr std::size_t kMaxDigits = 17;  // PhoneNumberUtil's kMaxLengthForNsn
  if (text.size() < 5 || text.substr(0, 3) != "+49") return std::nullopt;
  std::uint64_t national = 0;
  std::size_t digits = 0;
  bool space_allowed = true;  // after "+49" and after a digit, never twice in a row
  bool ends_in_space = false;
  for (const char c : text.substr(3)) {
    if (c == ' ') {
      if (!space_allowed) return std::nullopt;
      space_allowed = false;
      ends_in_space = true;
      continue;
    }
    if (c < '0' || c > '9') return std::nullopt;
    if (digits == 0 && c == '0') return std::nullopt;
    if (++digits > kMaxDigits) return std::nullopt;
    national = national * 10 + static_cast<std::uint64_t>(c - '0');
    space_allowed = true;
    ends_in_space = false;
  }
  if (ends_in_space || digits < 2) return std::nullopt;
  return national;
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
  if (std::optional<std::uint64_t> national = PlusFortyNineNationalNumber(text)) {
    number.set_country_code(49);  // what Parse would yield, at a fraction of its cost
    number.set_national_number(*national);
  } else if (util.Parse(std::string(text), std::string(region), &number) !=
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
