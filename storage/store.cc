// The storage interface is header-only; this file gives the library a translation unit.
#include "storage/store.h"

#include <algorithm>
#include <tuple>

namespace rebook::storage {

std::vector<const domain::Appointment*> InFeedOrder(
    std::span<const domain::Appointment> appointments) {
  std::vector<const domain::Appointment*> ordered;
  ordered.reserve(appointments.size());
  for (const domain::Appointment& a : appointments) ordered.push_back(&a);
  std::stable_sort(ordered.begin(), ordered.end(), [](const auto* a, const auto* b) {
    return std::tie(a->original_start, a->id, a->office_id) <
           std::tie(b->original_start, b->id, b->office_id);
  });
  return ordered;
}

}  // namespace rebook::storage
