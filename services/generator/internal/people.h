// Plausible, fictitious citizens, clerks and car dealers for generated scenarios.
//
// Names are drawn from per-origin pools of common given and family names, so a Halle scenario
// has the mix of a German city with immigrants from Syria, Ukraine, Afghanistan, Vietnam and
// elsewhere. Contact data is synthetic on purpose: phone numbers are random numbers in German
// formats, e-mail addresses use the reserved `example.*` domains and `.example` TLD (RFC 2606),
// and postal addresses use real street names with made-up house numbers.
//
//   ContactFactory contacts(HalleLocality());
//   domain::Contact c = contacts.Citizen(rng, kImmigrationMix, ContactContext::kImmigration);
#ifndef REBOOK_SERVICES_GENERATOR_INTERNAL_PEOPLE_H_
#define REBOOK_SERVICES_GENERATOR_INTERNAL_PEOPLE_H_

#include <array>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "services/domain/model.h"
#include "services/generator/internal/random.h"

namespace rebook::generator::internal {

enum class Origin {
  kGerman,
  kTurkish,
  kArabic,
  kUkrainian,
  kRussian,
  kPolish,
  kRomanian,
  kVietnamese,
  kPersian,
  kIndian,
  kEnglish,
  kSpanish,
};
inline constexpr int kOriginCount = 12;

// Relative weights of origins, indexed by Origin.
using OriginMix = std::array<double, kOriginCount>;
// A German city's residents (roughly Halle: about 14% non-German).
extern const OriginMix kResidentsMix;
// Clients of an immigration office.
extern const OriginMix kImmigrationMix;
// Applicants for naturalisation.
extern const OriginMix kCitizenshipMix;
// Clerks of a German city administration.
extern const OriginMix kStaffMix;

struct StreetArea {
  std::string_view street;
  std::string_view postcode;
};

// Where citizens live: a city with its dialling code and street names.
struct Locality {
  std::string city;       // as written in an address, e.g. "Halle (Saale)"
  std::string area_code;  // without the trunk 0, e.g. "345"
  std::vector<StreetArea> streets;
};

// Halle (Saale): real streets grouped by their postcode (06108 to 06132).
const Locality& HalleLocality();
// A town with generic German street names and postcodes from `first_postcode` upwards.
Locality GenericLocality(std::string city, std::string area_code, int first_postcode,
                         int postcode_count);

// What the contact is for; shifts the odds of e-mail, SMS, letters and the language.
enum class ContactContext {
  kResidents,    // a booked appointment at a residents' or vehicle office
  kImmigration,  // a booked appointment at an immigration or citizenship office
  kWalkIn,       // turned away at the door: staff noted a name and mostly a phone number
  kBusiness,     // a car dealer
};

class ContactFactory {
 public:
  explicit ContactFactory(const Locality* locality) : locality_(locality) {}

  domain::Contact Citizen(Rng& rng, const OriginMix& mix, ContactContext context) const;
  // A car dealer (a fictitious company) with a landline, a clerk's e-mail and a street address.
  domain::Contact Dealer(Rng& rng) const;
  // A full name for a clerk.
  static std::string PersonName(Rng& rng, const OriginMix& mix);

  std::string Phone(Rng& rng, bool mobile) const;
  std::string Address(Rng& rng) const;

 private:
  const Locality* locality_;
};

// Lower-case ASCII for e-mail local parts: umlauts and other accented letters are transliterated
// (ä -> ae, ß -> ss, ş -> s), spaces become hyphens, other punctuation is dropped.
std::string AsciiFold(std::string_view utf8);

}  // namespace rebook::generator::internal

#endif  // REBOOK_SERVICES_GENERATOR_INTERNAL_PEOPLE_H_
