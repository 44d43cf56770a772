#include "testing/store/temp_store.h"

#include "storage/sqlite/sqlite_store.h"

namespace rebook::testing {

absl::StatusOr<std::unique_ptr<storage::Store>> OpenStoreFile(const std::string& path) {
  storage::SqliteStoreOptions options;
  options.path = path;
  absl::StatusOr<std::unique_ptr<storage::SqliteStore>> store = storage::SqliteStore::Open(options);
  if (!store.ok()) return store.status();
  return std::unique_ptr<storage::Store>(std::move(*store));
}

TempStore::TempStore(absl::string_view prefix) : dir_(prefix) {
  absl::StatusOr<std::unique_ptr<storage::Store>> store = OpenStoreFile(db_path());
  if (store.ok()) {
    store_ = std::move(*store);
  } else {
    status_ = store.status();
  }
}

TempStore::~TempStore() { store_.reset(); }

}  // namespace rebook::testing
