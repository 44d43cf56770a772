// Name and street pools behind people.h. Data only.
#ifndef REBOOK_SERVICES_GENERATOR_INTERNAL_NAME_POOLS_H_
#define REBOOK_SERVICES_GENERATOR_INTERNAL_NAME_POOLS_H_

#include <span>
#include <string_view>

#include "services/generator/internal/people.h"

namespace rebook::generator::internal {

struct NamePool {
  std::span<const std::string_view> female;
  std::span<const std::string_view> male;
  std::span<const std::string_view> family;
  // How family names change for women: "ov" -> "ova" (Russian), "ski" -> "ska" (Polish).
  bool slavic_feminine = false;
  // Vietnamese names as written in German documents: "Thi Lan Nguyen" / "Van Minh Tran".
  bool vietnamese_middle = false;
  // Preferred language (BCP 47) of people from this origin, and an alternative with its share
  // (Ukrainians who prefer Russian, Afghans who prefer Pashto).
  std::string_view language;
  std::string_view alt_language;
  double alt_share = 0;
};

const NamePool& PoolOf(Origin origin);

std::span<const StreetArea> HalleStreets();
std::span<const std::string_view> GenericStreets();
std::span<const std::string_view> EmailDomains();
std::span<const std::string_view> MobilePrefixes();

}  // namespace rebook::generator::internal

#endif  // REBOOK_SERVICES_GENERATOR_INTERNAL_NAME_POOLS_H_
