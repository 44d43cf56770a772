#include "services/rebooking/reference_cache.h"

namespace rebook::rebooking {
namespace {

// Looks `id` up once; NOT_FOUND becomes a remembered miss. `complete`: the cache holds every
// stored record, so a miss needs no lookup.
template <typename T, typename Fetch>
absl::StatusOr<const T*> Lookup(std::unordered_map<std::string, std::optional<T>>& cache,
                                const std::string& id, bool complete, Fetch fetch) {
  auto it = cache.find(id);
  if (it == cache.end()) {
    if (complete) return static_cast<const T*>(nullptr);
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

// Reads every page of `list(page)` into `cache`.
template <typename T, typename List>
absl::Status ScanInto(std::unordered_map<std::string, std::optional<T>>& cache, List list) {
  storage::PageRequest page{1000, ""};
  do {
    absl::StatusOr<storage::Page<T>> result = list(page);
    if (!result.ok()) return result.status();
    for (T& r : result->items) {
      std::string id = r.id;
      cache.insert_or_assign(std::move(id), std::move(r));
    }
    page.page_token = result->next_page_token;
  } while (!page.page_token.empty());
  return absl::OkStatus();
}

}  // namespace

absl::Status ReferenceCache::ReadAll() {
  if (complete_) return absl::OkStatus();
  // Records remembered before stay: they are what this transaction wrote.
  auto offices = offices_;
  auto services = services_;
  auto clerks = clerks_;
  absl::Status s = ScanInto(offices_, [&](const auto& p) { return tx_.ListOffices(p); });
  if (s.ok()) s = ScanInto(services_, [&](const auto& p) { return tx_.ListServices(p); });
  if (s.ok()) s = ScanInto(clerks_, [&](const auto& p) { return tx_.ListClerks({}, p); });
  if (!s.ok()) return s;
  for (auto& [id, o] : offices) {
    if (o) offices_.insert_or_assign(id, std::move(o));
  }
  for (auto& [id, x] : services) {
    if (x) services_.insert_or_assign(id, std::move(x));
  }
  for (auto& [id, c] : clerks) {
    if (c) clerks_.insert_or_assign(id, std::move(c));
  }
  complete_ = true;
  return absl::OkStatus();
}

absl::StatusOr<const domain::Office*> ReferenceCache::FindOffice(const std::string& id) {
  return Lookup(offices_, id, complete_, [&](const std::string& k) { return tx_.GetOffice(k); });
}

absl::StatusOr<const domain::Service*> ReferenceCache::FindService(const std::string& id) {
  return Lookup(services_, id, complete_, [&](const std::string& k) { return tx_.GetService(k); });
}

absl::StatusOr<const domain::Clerk*> ReferenceCache::FindClerk(const std::string& id) {
  return Lookup(clerks_, id, complete_, [&](const std::string& k) { return tx_.GetClerk(k); });
}

}  // namespace rebook::rebooking
