// The benchmark presets: a regional IT provider's outage (region) and a state-wide one (state).
// Offices are derived from districts and town populations (towns.h).
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "services/generator/internal/presets.h"
#include "services/generator/internal/synthetic.h"
#include "services/generator/internal/towns.h"

namespace rebook::generator::internal {
namespace {

// Lost appointments per inhabitant, relative to residents' services (= 1).
constexpr double kVehicleRate = 0.35;
constexpr double kImmigrationRate = 0.12;
constexpr double kRegistryRate = 0.06;

class SiteList {
 public:
  // `people_per_office`: inhabitants (thousands) per residents' office in a town.
  SiteList(SyntheticProfile* p, int people_per_office) : p_(p), per_office_(people_per_office) {}

  void AddDistrict(const District& d) {
    const int district = next_district_++;
    const std::string st = absl::AsciiStrToLower(std::string(d.state.substr(3)));
    int district_k = 0;
    std::vector<int> localities;
    for (std::size_t t = 0; t < d.towns.size(); ++t) {
      const Town& town = d.towns[t];
      const std::string town_name(town.name);
      district_k += town.population_k;
      localities.push_back(static_cast<int>(p_->localities.size()));
      p_->localities.push_back(GenericLocality(std::string(town.name), std::string(d.area_code),
                                               d.postcode + 10 * static_cast<int>(t), 3));
      const int offices = std::max(
          1, static_cast<int>(std::lround(static_cast<double>(town.population_k) / per_office_)));
      for (int k = 0; k < offices; ++k) {
        const bool first = k == 0;
        const SiteKind kind = first && !d.city ? SiteKind::kCitizenOffice : SiteKind::kResidents;
        const std::string name = offices == 1 ? absl::StrCat("Bürgerbüro ", town_name)
                                              : absl::StrCat("Bürgeramt ", town_name, " ", k + 1);
        Add(st, town_name, absl::StrCat("b", k + 1), name, kind, localities.back(), district,
            static_cast<double>(town.population_k) / offices);
      }
    }
    const std::string seat(d.towns.front().name);
    // Vehicle registration: the seat, plus a branch per further 150,000 inhabitants, in the
    // next towns of the district (a city gets several in itself).
    const int vehicle = 1 + district_k / 150;
    for (int k = 0; k < vehicle; ++k) {
      const std::size_t t = std::min<std::size_t>(static_cast<std::size_t>(k), d.towns.size() - 1);
      const std::string town(d.towns[t].name);
      const bool numbered = d.city && vehicle > 1;
      Add(st, town, absl::StrCat("kfz", k + 1),
          absl::StrCat("Kfz-Zulassungsstelle ", town, numbered ? absl::StrCat(" ", k + 1) : ""),
          SiteKind::kVehicle, localities[t], district, district_k * kVehicleRate / vehicle);
    }
    Add(st, seat, "abh", absl::StrCat("Ausländerbehörde ", d.city ? seat : std::string(d.name)),
        SiteKind::kImmigration, localities.front(), district, district_k * kImmigrationRate);
    // District-free cities run a central registry office; elsewhere the town offices do.
    if (d.city) {
      Add(st, seat, "sta", absl::StrCat("Standesamt ", seat), SiteKind::kRegistry,
          localities.front(), district, district_k * kRegistryRate);
    }
  }

 private:
  void Add(const std::string& st, std::string_view town, const std::string& suffix,
           std::string name, SiteKind kind, int locality, int district, double weight) {
    const std::string id = absl::StrCat(st, "-", Slug(town), "-", suffix);
    const Locality& l = p_->localities[locality];
    p_->sites.push_back(SiteSpec{
        id, std::move(name), absl::StrCat(std::string(l.streets.front().postcode), " ", l.city),
        absl::StrCat("DE-", absl::AsciiStrToUpper(st)), kind, locality, district, weight});
  }

  static std::string Slug(std::string_view name) {
    std::string out;
    for (char c : AsciiFold(name)) {
      if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
        out.push_back(c);
      } else if (!out.empty() && out.back() != '-') {
        out.push_back('-');
      }
    }
    return out;
  }

  SyntheticProfile* p_;
  int per_office_;
  int next_district_ = 0;
};

}  // namespace

domain::Scenario BuildRegion(std::uint64_t seed) {
  SyntheticProfile p;
  p.id_prefix = "re";
  p.outage_id = "region-2026-10-19";
  SiteList sites(&p, 12);
  for (const District& d : SuedwestfalenDistricts()) sites.AddDistrict(d);
  for (const District& d : HessenDistricts()) sites.AddDistrict(d);
  for (const District& d : SachsenDistricts()) sites.AddDistrict(d);
  p.appointments = 100000;
  // A ransomware attack on the shared IT provider: two weeks of appointments lost. The clocks
  // go back on Sunday 25 October, inside the outage.
  p.outage_first = Ymd(2026, 10, 19);
  p.outage_last = Ymd(2026, 10, 30);
  p.outage_start_min = Hm(6, 0);
  p.outage_end_min = Hm(23, 0);
  // Six weeks from Monday 2 November; Buß- und Bettag (18 November) is a holiday in Saxony.
  p.horizon = Horizon{LocalClock("Europe/Berlin"), Ymd(2026, 11, 2), Ymd(2026, 12, 11), Hm(7, 0)};
  p.fill = {0.90, 0.50, 0.08, 5.0};
  p.slack = 1.2;
  p.tight_share = 0.12;
  p.overtime_share = 0.4;
  p.openings = {{Ymd(2026, 11, 7), {Hm(9, 0), Hm(13, 0)}},
                {Ymd(2026, 11, 14), {Hm(9, 0), Hm(13, 0)}}};
  p.holiday_rota_share = 0.05;
  p.closures = 8;
  p.merge_booking_runs = true;
  return BuildSynthetic(p, seed);
}

domain::Scenario BuildState(std::uint64_t seed) {
  SyntheticProfile p;
  p.id_prefix = "st";
  p.outage_id = "nrw-2026-02-02";
  SiteList sites(&p, 25);
  for (const District& d : NordrheinWestfalenDistricts()) sites.AddDistrict(d);
  p.appointments = 1000000;
  // Four weeks of appointments lost state-wide.
  p.outage_first = Ymd(2026, 2, 2);
  p.outage_last = Ymd(2026, 2, 27);
  p.outage_start_min = Hm(6, 0);
  p.outage_end_min = Hm(23, 0);
  // Eight weeks from Monday 2 March: across the DST change (29 March) and Easter (3 and 6 April).
  p.horizon = Horizon{LocalClock("Europe/Berlin"), Ymd(2026, 3, 2), Ymd(2026, 4, 24), Hm(7, 0)};
  p.fill = {0.90, 0.45, 0.08, 6.0};
  p.slack = 1.2;
  p.tight_share = 0.12;
  p.overtime_share = 0.4;
  p.openings = {{Ymd(2026, 3, 7), {Hm(9, 0), Hm(13, 0)}},
                {Ymd(2026, 3, 14), {Hm(9, 0), Hm(13, 0)}},
                {Ymd(2026, 3, 21), {Hm(9, 0), Hm(13, 0)}}};
  p.holiday_rota_share = 0.1;
  p.closures = 30;
  p.merge_booking_runs = true;
  // Few optional attributes: they cost memory and add little to a benchmark of this size.
  p.odds.unavailable = 0.06;
  return BuildSynthetic(p, seed);
}

}  // namespace rebook::generator::internal
