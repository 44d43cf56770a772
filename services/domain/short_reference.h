// ShortReference: the "Vorgangsnummer" printed on letters and read out on the phone.
//
// Ten characters, "K7QM-4T2XC": eight characters of a 40-bit FNV-1a hash of the outage and
// appointment ids, then a check character (Luhn mod 32), in Crockford's base-32 alphabet
// (0-9, A-Z without I, L, O and U), so nothing reads like another character on paper or the
// phone. It is not a secret and grants nothing: it is derived from ids staff already see, and
// only the response token (in the QR code and the links) answers an offer. All messages of one
// citizen in one outage carry the same reference; staff find the appointment with
// `rebookctl reference OUTAGE REF`. (FNV and Luhn are written out here: a few lines each, and
// the value must stay stable across library versions because it is printed on paper.)
//
//   std::string ref = ShortReference("halle-2026-01-27", "HAL-100234");   // "K7QM-4T2XC"
//   std::optional<std::string> n = NormalizeShortReference("k7qm 4t2xc");  // "K7QM-4T2XC"
#ifndef REBOOK_SERVICES_DOMAIN_SHORT_REFERENCE_H_
#define REBOOK_SERVICES_DOMAIN_SHORT_REFERENCE_H_

#include <optional>
#include <string>
#include <string_view>

namespace rebook::domain {

std::string ShortReference(std::string_view outage_id, std::string_view appointment_id);

// Reads a reference as typed or heard: case, spaces and dashes do not matter, O reads as 0 and
// I or L as 1. nullopt if it is not nine symbols or the check character does not match.
std::optional<std::string> NormalizeShortReference(std::string_view text);

}  // namespace rebook::domain

#endif  // REBOOK_SERVICES_DOMAIN_SHORT_REFERENCE_H_
