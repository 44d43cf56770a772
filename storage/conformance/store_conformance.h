// The conformance suite every storage::Store backend must pass.
//
// The suite is value-parameterised over a StoreBackend: a name and a factory that creates a
// fresh, empty store for one test. A backend's test binary links rebook::storage_conformance
// (an OBJECT library, so the linker keeps every test) and instantiates the suite once, inside
// namespace rebook::storage::conformance:
//
//   INSTANTIATE_TEST_SUITE_P(Sqlite, StoreConformanceTest,
//                            ::testing::Values(StoreBackend{"sqlite", &CreateSqliteStore}),
//                            StoreBackendName);
//
// The fixture, builders and matchers alone (no tests) are in rebook::storage_conformance_support,
// for a backend's other tests.
//
// Each test gets its own empty directory (removed afterwards) for file-based backends; a
// server-based backend (PostgreSQL) would create a fresh database or schema instead.
#ifndef REBOOK_STORAGE_CONFORMANCE_STORE_CONFORMANCE_H_
#define REBOOK_STORAGE_CONFORMANCE_STORE_CONFORMANCE_H_

#include <functional>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/domain/model.h"
#include "storage/store.h"

namespace rebook::storage::conformance {

struct StoreBackend {
  std::string name;  // [A-Za-z0-9_]; names the instantiation
  // Creates a fresh, empty store. `dir` is an empty directory that lives until the test ends.
  std::function<absl::StatusOr<std::unique_ptr<Store>>(const std::string& dir)> create;
  // Non-empty: every test is skipped with this message, e.g. a server-based backend whose test
  // server is not configured. The skip shows in the test output (and as "Skipped" in ctest).
  std::string skip_reason;
};

std::string StoreBackendName(const ::testing::TestParamInfo<StoreBackend>& info);
// Names the backend in failure messages (instead of a byte dump).
void PrintTo(const StoreBackend& backend, std::ostream* os);

class StoreConformanceTest : public ::testing::TestWithParam<StoreBackend> {
 protected:
  void SetUp() override;
  void TearDown() override;

  Store& store() { return *store_; }
  const std::string& dir() const { return dir_; }

  // Write/Read with default options.
  absl::Status Write(absl::FunctionRef<absl::Status(Transaction&)> fn);
  absl::Status Read(absl::FunctionRef<absl::Status(Transaction&)> fn);

  // Puts offices o1, o2, o3, services s1, s2 and clerks c1 (home o1, skills s1 s2) and
  // c2 (home o2, skill s2). Fails the test on error.
  void SeedWorld();
  void InsertOrDie(const std::vector<domain::Appointment>& appointments);

 private:
  std::string dir_;
  std::unique_ptr<Store> store_;
};

// Instants on 2026-03-<day> at hour:minute UTC.
Instant At(int day, int hour, int minute = 0);
// Instants as failure messages print them: UTC text; "unset" for none.
std::string UtcText(Instant t);
std::string UtcText(const std::optional<Instant>& t);

// Records with every field set to a non-default value (unicode in names, all optional fields
// present, non-empty lists), so a round trip checks every column.
domain::Office MakeOffice(const std::string& id);
domain::Service MakeService(const std::string& id);
domain::Clerk MakeClerk(const std::string& id, const std::string& home_office,
                        std::vector<std::string> skills);
domain::Shift MakeShift(const std::string& office_id, const std::string& id,
                        const std::string& clerk_id, Instant start, Instant end);
domain::Appointment MakeAppointment(const std::string& id, const std::string& office_id,
                                    const std::string& service_id, Instant original_start);
domain::Outage MakeOutage(const std::string& id, std::vector<std::string> office_ids);

// Every field equal (Appointment and Outage have no operator==).
bool SameAppointment(const domain::Appointment& a, const domain::Appointment& b);
bool SameOutage(const domain::Outage& a, const domain::Outage& b);
std::string Describe(const domain::Appointment& a);
std::string Describe(const domain::Outage& o);

// The ids of the appointments matching `filter`, in order, after checking that List (one
// page), Scan and Count agree on them.
std::vector<std::string> Matching(Store& store, const AppointmentFilter& filter);

// The ids of `items`, in order.
template <typename T>
std::vector<std::string> Ids(const std::vector<T>& items) {
  std::vector<std::string> ids;
  for (const T& item : items) ids.push_back(item.id);
  return ids;
}

// Walks all pages of `list(tx, page_request)` (each page in its own read transaction) and
// returns the items in order, checking that only the last page is short and the walk ends.
template <typename T, typename List>
std::vector<T> WalkPages(Store& store, int page_size, List list) {
  std::vector<T> all;
  PageRequest request{.page_size = page_size};
  for (int pages = 0; pages < 10000; ++pages) {
    Page<T> page;
    absl::Status s = store.Read({}, [&](Transaction& tx) -> absl::Status {
      absl::StatusOr<Page<T>> got = list(tx, request);
      if (!got.ok()) return got.status();
      page = *std::move(got);
      return absl::OkStatus();
    });
    EXPECT_TRUE(s.ok()) << s;
    if (!s.ok()) break;
    EXPECT_LE(static_cast<int>(page.items.size()), page_size);
    if (!page.next_page_token.empty()) {
      EXPECT_EQ(static_cast<int>(page.items.size()), page_size) << "only the last page is short";
    }
    all.insert(all.end(), page.items.begin(), page.items.end());
    if (page.next_page_token.empty()) return all;
    request.page_token = page.next_page_token;
  }
  ADD_FAILURE() << "pagination did not end";
  return all;
}

MATCHER_P(AppointmentEq, expected, "") {
  if (SameAppointment(arg, expected)) return true;
  *result_listener << "\n  actual: " << Describe(arg) << "\nexpected: " << Describe(expected);
  return false;
}

MATCHER_P(OutageEq, expected, "") {
  if (SameOutage(arg, expected)) return true;
  *result_listener << "\n  actual: " << Describe(arg) << "\nexpected: " << Describe(expected);
  return false;
}

inline absl::Status GetStatus(const absl::Status& s) { return s; }
template <typename T>
absl::Status GetStatus(const absl::StatusOr<T>& s) {
  return s.status();
}

// Matches an absl::Status or absl::StatusOr<T> with the given code.
MATCHER_P(StatusIs, code, "has status code " + absl::StatusCodeToString(code)) {
  absl::Status status = ::rebook::storage::conformance::GetStatus(arg);
  *result_listener << "status is " << status;
  return status.code() == code;
}

#define REBOOK_EXPECT_OK(expr) \
  EXPECT_THAT((expr), ::rebook::storage::conformance::StatusIs(absl::StatusCode::kOk))
#define REBOOK_ASSERT_OK(expr) \
  ASSERT_THAT((expr), ::rebook::storage::conformance::StatusIs(absl::StatusCode::kOk))

}  // namespace rebook::storage::conformance

#endif  // REBOOK_STORAGE_CONFORMANCE_STORE_CONFORMANCE_H_
