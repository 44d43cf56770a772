// The service catalogue of generated scenarios.
//
// Durations follow the Munich catalogue quoted in the brief (vehicle registration 15 min,
// passport and residence registration 15 min, marriage 30 to 60 min, naturalisation 60 min);
// the others are typical values of German citizen offices. Each service also carries its share
// of the demand within its category, so that samplers draw a realistic mix.
#ifndef REBOOK_SERVICES_GENERATOR_INTERNAL_CATALOGUE_H_
#define REBOOK_SERVICES_GENERATOR_INTERNAL_CATALOGUE_H_

#include <span>
#include <string_view>
#include <vector>

#include "services/domain/model.h"

namespace rebook::generator::internal {

using domain::ServiceCategory;

struct CatalogueEntry {
  std::string_view id;
  std::string_view name;
  ServiceCategory category;
  int duration_min;
  double booked_share;   // share of booked appointments within the category
  double walk_in_share;  // share of walk-ins within the category (immigration only)
};

// Service ids used by presets that refer to one service directly.
inline constexpr std::string_view kDealerRegistration = "kfz-haendler";
inline constexpr std::string_view kBirthRegistration = "geburt";
inline constexpr std::string_view kDeathRegistration = "sterbefall";
inline constexpr std::string_view kMarriageNotice = "ehe-anmeldung";
inline constexpr std::string_view kPassport = "reisepass";

std::span<const CatalogueEntry> Catalogue();
const CatalogueEntry& CatalogueEntryById(std::string_view id);
// The entries of one category, in catalogue order.
std::vector<const CatalogueEntry*> EntriesOf(ServiceCategory category);
domain::Service ToService(const CatalogueEntry& e);

// Samples services of one category by their booked or walk-in shares.
class ServiceSampler {
 public:
  // `exclude` lists ids that are never drawn (e.g. the dealer service for private citizens).
  ServiceSampler(ServiceCategory category, bool walk_ins,
                 std::vector<std::string_view> exclude = {});
  template <typename RngT>
  const CatalogueEntry& Draw(RngT& rng) const {
    return *entries_[rng.Weighted(weights_)];
  }

 private:
  std::vector<const CatalogueEntry*> entries_;
  std::vector<double> weights_;
};

}  // namespace rebook::generator::internal

#endif  // REBOOK_SERVICES_GENERATOR_INTERNAL_CATALOGUE_H_
