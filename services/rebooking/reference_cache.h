// ReferenceCache: the offices, service types and clerks a request refers to, read once per
// transaction.
//
// Imports validate thousands of rows against a few dozen offices and services; looking each up
// in storage per row would dominate the import. The cache reads lazily and remembers misses; a
// large import reads all three kinds up front with ReadAll, after which a miss costs nothing.
// A caller that writes such a record in the transaction tells the cache (Remember) or makes it
// forget everything (Invalidate). Not thread-safe; lives inside one transaction.
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

  // Reads every stored office, service type and clerk (paged scans), so that later Find* calls
  // need no storage access. Storage errors are returned.
  absl::Status ReadAll();

  // The record as this transaction wrote it: later Find* calls return it.
  void Remember(const domain::Office& office) { offices_.insert_or_assign(office.id, office); }
  void Remember(const domain::Service& service) { services_.insert_or_assign(service.id, service); }
  void Remember(const domain::Clerk& clerk) { clerks_.insert_or_assign(clerk.id, clerk); }

  // Forget everything read (after the transaction wrote records without Remember).
  void Invalidate() {
    offices_.clear();
    services_.clear();
    clerks_.clear();
    complete_ = false;
  }

 private:
  storage::Transaction& tx_;
  bool complete_ = false;  // ReadAll ran: what the maps lack is not stored
  std::unordered_map<std::string, std::optional<domain::Office>> offices_;
  std::unordered_map<std::string, std::optional<domain::Service>> services_;
  std::unordered_map<std::string, std::optional<domain::Clerk>> clerks_;
};

}  // namespace rebook::rebooking

#endif  // REBOOK_SERVICES_REBOOKING_REFERENCE_CACHE_H_
