// Districts and towns for the regional presets, with rough populations (thousands) that size
// their offices. Postcodes and dialling codes are those of each district's seat, used for every
// town of the district: good enough for synthetic addresses, not a gazetteer.
#ifndef REBOOK_SERVICES_GENERATOR_INTERNAL_TOWNS_H_
#define REBOOK_SERVICES_GENERATOR_INTERNAL_TOWNS_H_

#include <span>
#include <string_view>

namespace rebook::generator::internal {

struct Town {
  std::string_view name;
  int population_k;
};

struct District {
  std::string_view name;
  std::string_view state;  // ISO 3166-2
  int postcode;            // of the seat
  std::string_view area_code;
  bool city;                    // a district-free city (kreisfreie Stadt)
  std::span<const Town> towns;  // the seat first
};

// The five districts of the Südwestfalen-IT area (Siegen-Wittgenstein, Olpe, Hochsauerland,
// Märkischer Kreis, Soest).
std::span<const District> SuedwestfalenDistricts();
// Districts of central and eastern Hesse.
std::span<const District> HessenDistricts();
// Dresden and three Saxon districts, among them Zwickau.
std::span<const District> SachsenDistricts();
// North Rhine-Westphalia: its cities and the larger towns of its districts, Südwestfalen
// included.
std::span<const District> NordrheinWestfalenDistricts();

}  // namespace rebook::generator::internal

#endif  // REBOOK_SERVICES_GENERATOR_INTERNAL_TOWNS_H_
