// ReferenceCache: the offices and service types a request refers to, read once per transaction.
//
// Imports validate thousands of rows against a few dozen offices and services; looking each up
// in storage per row would dominate the import. The cache reads lazily and remembers misses.
// Not thread-safe; lives inside one transaction.
#ifndef REBOOK_SERVICES_REBOOKING_REFERENCE_CACHE_H_
#define REBOOK_SERVICES_REBOOKING_REFERENCE_CACHE_H_

#include <optional>
#include <string>
#include <unordered_map>

#include "services/domain/model.h"
#include "storage/store.h"

namespace rebook::rebooking {

class ReferenceCache {
 public:
  explicit ReferenceCache(storage::Transaction& tx) : tx_(tx) {}

  // nullptr if the record does not exist. Other storage errors are returned as status.
  absl::StatusOr<const domain::Office*> FindOffice(const std::string& id);
  absl::StatusOr<const domain::Service*> FindService(const std::string& id);
  absl::StatusOr<const domain::Clerk*> FindClerk(const std::string& id);

  // Forget a record after it was written in this transaction.
  void Invalidate() {
    offices_.clear();
    services_.clear();
    clerks_.clear();
  }

 private:
  storage::Transaction& tx_;
  std::unordered_map<std::string, std::optional<domain::Office>> offices_;
  std::unordered_map<std::string, std::optional<domain::Service>> services_;
  std::unordered_map<std::string, std::optional<domain::Clerk>> clerks_;
};

}  // namespace rebook::rebooking

#endif  // REBOOK_SERVICES_REBOOKING_REFERENCE_CACHE_H_
