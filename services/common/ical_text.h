// RFC 5545 content-line helpers shared by every iCalendar writer (the e-mail attachment and the
// staff calendar exports): TEXT escaping and line folding.
//
//   out += FoldICalLine(absl::StrCat("SUMMARY:", EscapeICalText(summary)));
#ifndef REBOOK_SERVICES_COMMON_ICAL_TEXT_H_
#define REBOOK_SERVICES_COMMON_ICAL_TEXT_H_

#include <string>
#include <string_view>

namespace rebook {

// RFC 5545 TEXT escaping: backslash, semicolon, comma and newlines.
std::string EscapeICalText(std::string_view text);
// Folds one content line (without CRLF) into CRLF-terminated lines of at most 75 octets,
// never splitting a UTF-8 sequence.
std::string FoldICalLine(std::string_view line);

}  // namespace rebook

#endif  // REBOOK_SERVICES_COMMON_ICAL_TEXT_H_
