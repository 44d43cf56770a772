#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "services/domain/calendar.h"
#include "services/domain/local_time.h"
#include "services/solver/testing/scenario_builder.h"

namespace rebook::solver::testing {

domain::Scenario VariedScenario(std::uint64_t seed, int appointments) {
  std::mt19937_64 rng(seed * 0x9E3779B97F4A7C15ULL + 17);
  auto uniform = [&](int lo, int hi) { return lo + static_cast<int>(rng() % (hi - lo + 1)); };
  auto real = [&](double lo, double hi) {
    return lo + (hi - lo) * static_cast<double>(rng() % 1000000) / 1e6;
  };
  auto chance = [&](double p) { return real(0, 1) < p; };
  const date::local_days monday = date::local_days(date::year(2026) / 2 / 2);
  auto at = [&](int day, int minute) {
    return domain::FormatLocalDateTime(domain::LocalDateTime(
        (monday + date::days(day)).time_since_epoch() + std::chrono::minutes(minute)));
  };
  // The instance's shape, drawn once per seed.
  const int days = uniform(2, 4);
  const int offices = uniform(1, 6);
  const int services = uniform(2, 6);
  const double booked_share = real(0.1, 0.7);
  const int booking_length = std::vector<int>{10, 15, 20, 30, 45}[uniform(0, 4)];
  const double dealer_share = real(0.0, 0.25);
  const double deadline_share = real(0.0, 0.7);
  const int deadline_slack_days = uniform(0, 2);
  const double skill_share = real(0.15, 0.8);
  const double multi_office_share = offices > 1 ? real(0.0, 0.6) : 0.0;
  const double unavailable_share = real(0.0, 0.3);
  const double reserve_share = real(0.0, 0.3);
  // Capacity per appointment: from tight (many left over) to loose.
  const double load = real(0.5, 1.6);

  const int calendar_days = days + 3;  // Mon.. plus a Saturday for overtime
  ScenarioBuilder b(at(0, 0), at(calendar_days + 1, 0));
  b.ReserveShare(reserve_share);
  static constexpr int kDurations[] = {10, 15, 20, 30, 45, 60};
  std::vector<int> duration(services);
  for (int s = 0; s < services; ++s) {
    duration[s] = kDurations[uniform(0, 5)];
    b.Service(absl::StrCat("s", s), duration[s]);
  }
  // Clerk-minutes wanted in all: the appointments' mean duration times their number, over load.
  double mean_duration = 0;
  for (int d : duration) mean_duration += d;
  mean_duration = mean_duration / services * (1 + dealer_share * 3);
  const double wanted_minutes = appointments * mean_duration / load / (1 - booked_share * 0.8);
  const int clerks = std::max(1, static_cast<int>(wanted_minutes / (days * 360.0) + 0.5));
  int booking = 0;
  for (int f = 0; f < offices; ++f) b.Office(absl::StrCat("o", f));
  for (int c = 0; c < clerks; ++c) {
    const int f = c % offices;
    const std::string office = absl::StrCat("o", f), clerk = absl::StrCat("c", c);
    std::vector<std::string> skills = {absl::StrCat("s", c % services)};
    for (int s = 0; s < services; ++s) {
      if (s != c % services && chance(skill_share)) skills.push_back(absl::StrCat("s", s));
    }
    b.Clerk(clerk, skills);
    // Part-time or full-time, with varied shift starts.
    const int from = uniform(7 * 4, 9 * 4) * 15, lunch = from + uniform(3 * 4, 5 * 4) * 15;
    const int to = lunch + uniform(0, 4 * 4) * 15 + 30;
    for (int d = 0; d < days; ++d) {
      if (chance(0.15)) continue;  // a day off
      for (auto [start, end] : {std::pair{from, lunch}, std::pair{lunch + 30, to}}) {
        if (end - start < 30) continue;
        b.Shift(clerk, office, at(d, start), at(d, end));
        for (int t = start; t + booking_length <= end; t += booking_length) {
          if (chance(booked_share)) {
            b.Booking(absl::StrCat("b", booking++), clerk, at(d, t), at(d, t + booking_length));
          }
        }
      }
    }
    if (chance(0.3)) {  // Saturday overtime
      b.Shift(clerk, office, at(5, 9 * 60), at(5, 9 * 60 + uniform(2, 5) * 60),
              domain::ShiftKind::kOvertime);
    }
  }
  for (int i = 0; i < appointments; ++i) {
    const int f = uniform(0, offices - 1);
    const int s = uniform(0, services - 1);
    domain::Appointment& a = b.Appointment(
        absl::StrFormat("a%06d", i), absl::StrCat("o", f), absl::StrCat("s", s),
        absl::StrCat("2026-01-27T", absl::StrFormat("%02d:%02d", 8 + i % 8, (i * 7) % 60)));
    a.priority = chance(0.25) ? uniform(2, 10) : 1;
    if (chance(dealer_share)) a.cases = uniform(2, std::max(2, 240 / duration[s]));
    if (chance(multi_office_share)) {
      for (int g = 0; g < offices; ++g) {
        if (g == f || chance(0.5)) a.allowed_offices.push_back(absl::StrCat("o", g));
      }
    }
    int earliest_day = 0;
    if (chance(0.15)) {
      earliest_day = uniform(0, days - 1);
      a.earliest_start = Local(at(earliest_day, uniform(8, 13) * 60));
    }
    if (chance(deadline_share)) {
      const int day = std::min(days - 1, earliest_day + deadline_slack_days);
      a.deadline = Local(at(day, uniform(11, 17) * 60));
    }
    if (chance(unavailable_share)) {
      const int d = uniform(0, days - 1), from = uniform(8, 14) * 60;
      a.unavailable.push_back({Local(at(d, from)), Local(at(d, from + uniform(1, 4) * 60))});
    }
  }
  return b.Build();
}

}  // namespace rebook::solver::testing
