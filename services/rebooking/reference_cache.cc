#include "services/rebooking/reference_cache.h"

namespace rebook::rebooking {
namespace {

// Looks `id` up once; NOT_FOUND becomes a remembered miss.
template <typename T, typename Fetch>
absl::StatusOr<const T*> Lookup(std::unordered_map<std::string, std::optional<T>>& cache,
                                const std::string& id, Fetch fetch) {
  auto it = cache.find(id);
  if (it == cache.end()) {
    absl::StatusOr<T> found = fetch(id);
    if (found.ok()) {
      it = cache.emplace(id, std::move(*found)).first;
    } else if (found.status().code() == absl::StatusCode::kNotFound) {
      it = cache.emplace(id, std::nullopt).first;
    } else {
      return found.status();
    }
  }
  return it->second.has_value() ? &*it->second : nullptr;
}

}  // namespace

absl::StatusOr<const domain::Office*> ReferenceCache::FindOffice(const std::string& id) {
  return Lookup(offices_, id, [&](const std::string& k) { return tx_.GetOffice(k); });
}

absl::StatusOr<const domain::Service*> ReferenceCache::FindService(const std::string& id) {
  return Lookup(services_, id, [&](const std::string& k) { return tx_.GetService(k); });
}

absl::StatusOr<const domain::Clerk*> ReferenceCache::FindClerk(const std::string& id) {
  return Lookup(clerks_, id, [&](const std::string& k) { return tx_.GetClerk(k); });
}

}  // namespace rebook::rebooking
