// A real store of the embedded default backend (SQLite) in a scratch folder, for tests and
// benchmarks of the code above storage. Callers see only the storage::Store interface, so a
// test of services/rebooking includes no storage backend; this library is the one place that
// chooses and opens it.
//
//   TempStore db("rebook-outbox");                  // <tmp>/rebook-outbox-XXXXXX/rebook.db
//   ASSERT_TRUE(db.status().ok()) << db.status();
//   GroupCommit gc(&db.store());
//   // destructor: closes the store, then removes the folder (see ScopedTempDir)
//
// Not thread-safe itself; the Store it hands out is (see storage/store.h).
#ifndef REBOOK_TESTING_STORE_TEMP_STORE_H_
#define REBOOK_TESTING_STORE_TEMP_STORE_H_

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "storage/store.h"
#include "testing/files.h"

namespace rebook::testing {

// Opens (creating and migrating if need be) the database file at `path` with the default
// backend's default options.
absl::StatusOr<std::unique_ptr<storage::Store>> OpenStoreFile(const std::string& path);

class TempStore {
 public:
  // A fresh folder "<prefix>-XXXXXX" with a new database "rebook.db" in it.
  explicit TempStore(absl::string_view prefix);
  ~TempStore();

  // Why the store did not open; store() must not be called then.
  const absl::Status& status() const { return status_; }
  storage::Store& store() { return *store_; }
  const std::filesystem::path& dir() const { return dir_.path(); }
  std::string db_path() const { return dir_.File("rebook.db"); }
  // Closes the store, keeping the folder and the database file (for a process that opens it).
  void Close() { store_.reset(); }

 private:
  ScopedTempDir dir_;
  absl::Status status_;
  std::unique_ptr<storage::Store> store_;
};

}  // namespace rebook::testing

#endif  // REBOOK_TESTING_STORE_TEMP_STORE_H_
