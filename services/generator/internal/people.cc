#include "services/generator/internal/people.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "services/generator/internal/name_pools.h"

namespace rebook::generator::internal {
namespace {

// Indexed by Origin: German, Turkish, Arabic, Ukrainian, Russian, Polish, Romanian, Vietnamese,
// Persian, Indian, English, Spanish.
constexpr double kNone = 0;

struct ContextOdds {
  double phone;        // has a phone number
  double mobile;       // the number is a mobile one
  double email;        // has an e-mail address
  double address;      // has a postal address
  double native_lang;  // a non-German citizen prefers their own language over German
};

ContextOdds OddsOf(ContactContext context) {
  switch (context) {
    case ContactContext::kResidents:
      return {0.85, 0.65, 0.72, 0.85, 0.30};
    case ContactContext::kImmigration:
      return {0.92, 0.90, 0.55, 0.85, 0.65};
    case ContactContext::kWalkIn:
      return {0.95, 0.95, 0.20, 0.45, 0.75};
    case ContactContext::kBusiness:
      return {1.0, 0.2, 1.0, 1.0, kNone};
  }
  return {};
}

std::string Digits(Rng& rng, int count) {
  std::string out;
  out.reserve(count);
  // No leading zero: German subscriber numbers never start with 0.
  out.push_back(static_cast<char>('1' + rng.Uniform(0, 8)));
  for (int i = 1; i < count; ++i) out.push_back(static_cast<char>('0' + rng.Uniform(0, 9)));
  return out;
}

std::string FamilyName(Rng& rng, const NamePool& pool, bool female) {
  std::string family(rng.Pick(pool.family));
  if (female && pool.slavic_feminine) {
    if (family.ends_with("ski")) {
      family.back() = 'a';
    } else if (family.ends_with("ov") || family.ends_with("ev") || family.ends_with("in")) {
      family += "a";
    }
  }
  return family;
}

struct Person {
  std::string given;
  std::string family;
  Origin origin;
};

Person DrawPerson(Rng& rng, const OriginMix& mix) {
  const auto origin = static_cast<Origin>(rng.Weighted(mix));
  const NamePool& pool = PoolOf(origin);
  const bool female = rng.Bernoulli(0.5);
  std::string given(female ? rng.Pick(pool.female) : rng.Pick(pool.male));
  if (pool.vietnamese_middle) given = absl::StrCat(female ? "Thi " : "Van ", given);
  return {std::move(given), FamilyName(rng, pool, female), origin};
}

std::string Email(Rng& rng, const Person& p) {
  const std::string given = AsciiFold(p.given);
  const std::string family = AsciiFold(p.family);
  const std::string domain(rng.Pick(EmailDomains()));
  switch (rng.Uniform(0, 4)) {
    case 0:
      return absl::StrCat(given.substr(0, 1), ".", family, "@", domain);
    case 1:
      return absl::StrCat(given, ".", family, rng.Uniform(60, 99), "@", domain);
    case 2:
      return absl::StrCat(family, ".", given, "@", domain);
    default:
      return absl::StrCat(given, ".", family, "@", domain);
  }
}

std::string_view Language(Rng& rng, const Person& p, double native_share) {
  const NamePool& pool = PoolOf(p.origin);
  if (p.origin == Origin::kGerman) return "de";
  if (!rng.Bernoulli(native_share)) {
    // Those who do not ask for their own language mostly take German, some English.
    return rng.Bernoulli(0.85) ? "de" : "en";
  }
  if (pool.alt_share > 0 && rng.Bernoulli(pool.alt_share)) return pool.alt_language;
  return pool.language;
}

std::string_view Channel(Rng& rng, const domain::Contact& c, bool mobile, ContactContext context) {
  const bool walk_in = context == ContactContext::kWalkIn;
  const double weights[] = {
      c.email.empty() ? 0.0 : 5.0,                               // email
      c.phone.empty() || !mobile ? 0.0 : (walk_in ? 5.0 : 3.0),  // sms
      c.postal_address.empty() ? 0.0 : 1.0,                      // letter
      c.phone.empty() ? 0.0 : (walk_in ? 3.0 : 1.5),             // phone
      1.0,                                                       // no preference
  };
  constexpr std::string_view kChannels[] = {"email", "sms", "letter", "phone", ""};
  return kChannels[rng.Weighted(weights)];
}

}  // namespace

const OriginMix kResidentsMix = {0.84, 0.012, 0.04,  0.03,  0.02,  0.012,
                                 0.01, 0.012, 0.012, 0.006, 0.005, 0.005};
const OriginMix kImmigrationMix = {0.02, 0.06, 0.22, 0.20, 0.06, 0,
                                   0,    0.07, 0.13, 0.12, 0.07, 0.04};
const OriginMix kCitizenshipMix = {0,    0.10, 0.34, 0.08, 0.10, 0.02,
                                   0.02, 0.10, 0.10, 0.06, 0.04, 0.04};
const OriginMix kStaffMix = {0.93, 0.02, 0.005, 0.005, 0.02, 0.01, 0, 0.005, 0.005, 0, 0, 0};

const Locality& HalleLocality() {
  static const Locality* const kHalle = [] {
    auto* l = new Locality{"Halle (Saale)", "345", {}};
    l->streets.assign(HalleStreets().begin(), HalleStreets().end());
    return l;
  }();
  return *kHalle;
}

Locality GenericLocality(std::string city, std::string area_code, int first_postcode,
                         int postcode_count) {
  // The postcodes are stored as text next to the street views, so keep them alive in a pool
  // shared by all generic localities.
  static std::vector<std::string>* const kPostcodes = [] {
    auto* v = new std::vector<std::string>;
    v->reserve(100000);
    for (int i = 0; i < 100000; ++i) {
      v->push_back(absl::StrFormat("%05d", i));
    }
    return v;
  }();
  Locality out{std::move(city), std::move(area_code), {}};
  const auto streets = GenericStreets();
  for (std::size_t i = 0; i < streets.size(); ++i) {
    const int code = first_postcode + static_cast<int>(i) % std::max(1, postcode_count);
    out.streets.push_back({streets[i], (*kPostcodes)[code % 100000]});
  }
  return out;
}

std::string ContactFactory::Phone(Rng& rng, bool mobile) const {
  if (mobile) {
    const std::string_view prefix = rng.Pick(MobilePrefixes());
    const int digits = prefix[1] == '5' ? 8 : static_cast<int>(rng.Uniform(7, 8));
    return absl::StrCat("+49 ", std::string(prefix), " ", Digits(rng, digits));
  }
  // Area code plus subscriber number make 9 to 10 digits in German fixed-line numbers.
  const int digits =
      10 - static_cast<int>(locality_->area_code.size()) - static_cast<int>(rng.Uniform(0, 1));
  return absl::StrCat("+49 ", locality_->area_code, " ", Digits(rng, digits));
}

std::string ContactFactory::Address(Rng& rng) const {
  const StreetArea& s = rng.Pick(std::span<const StreetArea>(locality_->streets));
  std::string number = absl::StrCat(rng.Uniform(1, rng.Bernoulli(0.7) ? 40 : 120));
  if (rng.Bernoulli(0.08)) number.push_back(static_cast<char>('a' + rng.Uniform(0, 2)));
  return absl::StrCat(std::string(s.street), " ", number, ", ", std::string(s.postcode), " ",
                      locality_->city);
}

domain::Contact ContactFactory::Citizen(Rng& rng, const OriginMix& mix,
                                        ContactContext context) const {
  const ContextOdds odds = OddsOf(context);
  const Person p = DrawPerson(rng, mix);
  domain::Contact c;
  c.name = absl::StrCat(p.given, " ", p.family);
  const bool mobile = rng.Bernoulli(odds.mobile);
  if (rng.Bernoulli(odds.phone)) c.phone = Phone(rng, mobile);
  if (rng.Bernoulli(odds.email)) c.email = Email(rng, p);
  if (rng.Bernoulli(odds.address)) c.postal_address = Address(rng);
  c.language = std::string(Language(rng, p, odds.native_lang));
  c.channel = std::string(Channel(rng, c, mobile, context));
  return c;
}

domain::Contact ContactFactory::Dealer(Rng& rng) const {
  const NamePool& german = PoolOf(Origin::kGerman);
  const std::string owner(rng.Pick(german.family));
  const std::string city = locality_->city.substr(0, locality_->city.find(" ("));
  constexpr std::string_view kQuarters[] = {"Nord", "Süd", "Ost", "West"};
  std::string company;
  switch (rng.Uniform(0, 3)) {
    case 0:
      company = absl::StrCat("Autohaus ", owner, " GmbH");
      break;
    case 1:
      company = absl::StrCat("Autohaus ", owner, " & ", std::string(rng.Pick(german.family)),
                             " GmbH & Co. KG");
      break;
    case 2:
      company = absl::StrCat("Autozentrum ", city, "-",
                             std::string(kQuarters[rng.Index(std::size(kQuarters))]), " GmbH");
      break;
    default:
      company = absl::StrCat(owner, " Nutzfahrzeuge GmbH");
      break;
  }
  std::string slug;
  for (char ch : AsciiFold(company)) {
    if (ch >= 'a' && ch <= 'z') {
      slug.push_back(ch);
    } else if (!slug.empty() && slug.back() != '-') {
      slug.push_back('-');
    }
  }
  while (!slug.empty() && slug.back() == '-') slug.pop_back();
  domain::Contact c;
  c.name = company;
  c.phone = Phone(rng, /*mobile=*/false);
  c.email = absl::StrCat("zulassung@", slug, ".example");
  c.postal_address = Address(rng);
  c.language = "de";
  c.channel = rng.Bernoulli(0.75) ? "email" : "phone";
  return c;
}

std::string ContactFactory::PersonName(Rng& rng, const OriginMix& mix) {
  const Person p = DrawPerson(rng, mix);
  return absl::StrCat(p.given, " ", p.family);
}

std::string AsciiFold(std::string_view utf8) {
  static constexpr std::pair<std::string_view, std::string_view> kFolds[] = {
      {"ä", "ae"}, {"ö", "oe"}, {"ü", "ue"}, {"Ä", "ae"}, {"Ö", "oe"}, {"Ü", "ue"}, {"ß", "ss"},
      {"ı", "i"},  {"İ", "i"},  {"ş", "s"},  {"Ş", "s"},  {"ç", "c"},  {"Ç", "c"},  {"ğ", "g"},
      {"é", "e"},  {"è", "e"},  {"á", "a"},  {"í", "i"},  {"ó", "o"},  {"ú", "u"},  {"ñ", "n"},
      {"ă", "a"},  {"â", "a"},  {"î", "i"},  {"ș", "s"},  {"ț", "t"},  {"ł", "l"},  {"Ł", "l"},
      {"ń", "n"},  {"ś", "s"},  {"Ś", "s"},  {"ź", "z"},  {"ż", "z"},  {"Ż", "z"},  {"ę", "e"},
      {"ą", "a"},  {"ć", "c"}};
  std::string out;
  out.reserve(utf8.size());
  for (std::size_t i = 0; i < utf8.size();) {
    const auto ch = static_cast<unsigned char>(utf8[i]);
    if (ch < 0x80) {
      if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-') {
        out.push_back(static_cast<char>(ch));
      } else if (ch >= 'A' && ch <= 'Z') {
        out.push_back(static_cast<char>(ch - 'A' + 'a'));
      } else if (ch == ' ') {
        out.push_back('-');
      }
      ++i;
      continue;
    }
    bool folded = false;
    for (const auto& [from, to] : kFolds) {
      if (utf8.substr(i, from.size()) == from) {
        out.append(to);
        i += from.size();
        folded = true;
        break;
      }
    }
    if (!folded) {
      // Unknown non-ASCII letter: skip its UTF-8 sequence.
      ++i;
      while (i < utf8.size() && (static_cast<unsigned char>(utf8[i]) & 0xC0) == 0x80) ++i;
    }
  }
  return out;
}

}  // namespace rebook::generator::internal
