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

inline Instant Local(std::string_view text) {
  absl::StatusOr<domain::LocalDateTime> local = domain::ParseLocalDateTime(text);
  absl::StatusOr<Instant> t = domain::LocalToInstant("Europe/Berlin", *local);
  return *t;
}

inline std::string Berlin(Instant t) { return domain::FormatLocal("Europe/Berlin", t); }

}  // namespace rebook::generator

#endif  // REBOOK_SERVICES_GENERATOR_TEST_UTIL_H_
