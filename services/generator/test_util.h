// Helpers shared by the generator's tests.
#ifndef REBOOK_SERVICES_GENERATOR_TEST_UTIL_H_
#define REBOOK_SERVICES_GENERATOR_TEST_UTIL_H_

#include <string>
#include <string_view>

#include "gtest/gtest.h"
#include "services/domain/local_time.h"
#include "services/domain/model.h"
#include "services/generator/scenario_generator.h"

namespace rebook::generator {

// Generates `preset` with `seed`; fails the test (and returns an empty scenario) on error.
inline domain::Scenario Generate(std::string preset, std::uint64_t seed = 1) {
  absl::StatusOr<domain::Scenario> s = GenerateScenario({std::move(preset), seed});
  EXPECT_TRUE(s.ok()) << s.status();
  return s.ok() ? *std::move(s) : domain::Scenario{};
}

// Fails the test where the two differ (booking data only, for appointments).
inline void ExpectSameScenario(const domain::Scenario& a, const domain::Scenario& b) {
  EXPECT_EQ(a.params.horizon_start, b.params.horizon_start);
  EXPECT_EQ(a.params.horizon_end, b.params.horizon_end);
  EXPECT_EQ(a.params.reserve_share, b.params.reserve_share);
  EXPECT_EQ(a.offices, b.offices);
  EXPECT_EQ(a.services, b.services);
  EXPECT_EQ(a.clerks, b.clerks);
  EXPECT_EQ(a.shifts, b.shifts);
  EXPECT_EQ(a.closures, b.closures);
  EXPECT_EQ(a.bookings, b.bookings);
  ASSERT_EQ(a.appointments.size(), b.appointments.size());
  for (std::size_t i = 0; i < a.appointments.size(); ++i) {
    ASSERT_TRUE(a.appointments[i].SameBookingData(b.appointments[i])) << a.appointments[i].id;
  }
}

inline Instant Local(std::string_view text) {
  absl::StatusOr<domain::LocalDateTime> local = domain::ParseLocalDateTime(text);
  absl::StatusOr<Instant> t = domain::LocalToInstant("Europe/Berlin", *local);
  return *t;
}

inline std::string Berlin(Instant t) { return domain::FormatLocal("Europe/Berlin", t); }

}  // namespace rebook::generator

#endif  // REBOOK_SERVICES_GENERATOR_TEST_UTIL_H_
