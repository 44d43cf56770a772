#include "services/solver/testing/scenario_builder.h"

#include <cstdlib>
#include <iostream>
#include <random>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "services/domain/calendar.h"
#include "services/domain/local_time.h"

namespace rebook::solver::testing {

Instant Local(std::string_view local) {
  absl::StatusOr<domain::LocalDateTime> t = domain::ParseLocalDateTime(local);
  absl::StatusOr<Instant> i =
      t.ok() ? domain::LocalToInstant("Europe/Berlin", *t) : absl::StatusOr<Instant>(t.status());
  if (!i.ok()) {
    std::cerr << "bad test time " << local << ": " << i.status() << "\n";
    std::abort();
  }
  return *i;
}

ScenarioBuilder::ScenarioBuilder(std::string_view horizon_start, std::string_view horizon_end) {
  s_.params.horizon_start = Local(horizon_start);
  s_.params.horizon_end = Local(horizon_end);
}

ScenarioBuilder& ScenarioBuilder::Office(std::string id, std::string state) {
  s_.offices.push_back({id, id, std::move(state), "Europe/Berlin", ""});
  return *this;
}

ScenarioBuilder& ScenarioBuilder::Service(std::string id, int duration_min) {
  s_.services.push_back({id, id, domain::ServiceCategory::kOther, duration_min});
  return *this;
}

ScenarioBuilder& ScenarioBuilder::Clerk(std::string id, std::vector<std::string> skills) {
  s_.clerks.push_back({id, id, std::move(skills), ""});
  return *this;
}

ScenarioBuilder& ScenarioBuilder::Shift(const std::string& clerk, const std::string& office,
                                        std::string_view start, std::string_view end,
                                        domain::ShiftKind kind) {
  s_.shifts.push_back({absl::StrCat(clerk, "@", std::string(start)),
                       clerk,
                       office,
                       {Local(start), Local(end)},
                       kind});
  return *this;
}

ScenarioBuilder& ScenarioBuilder::Booking(std::string id, const std::string& clerk,
                                          std::string_view start, std::string_view end) {
  s_.bookings.push_back({std::move(id), clerk, "", {Local(start), Local(end)}});
  return *this;
}

ScenarioBuilder& ScenarioBuilder::Closure(std::string office, std::string_view date) {
  s_.closures.push_back({std::move(office), *domain::ParseLocalDate(date), "test"});
  return *this;
}

ScenarioBuilder& ScenarioBuilder::ReserveShare(double share) {
  s_.params.reserve_share = share;
  return *this;
}

domain::Appointment& ScenarioBuilder::Appointment(std::string id, std::string office,
                                                  std::string service,
                                                  std::string_view original_start) {
  domain::Appointment a;
  a.id = std::move(id);
  a.office_id = std::move(office);
  a.service_id = std::move(service);
  a.original_start = Local(original_start);
  a.status = domain::AppointmentStatus::kCancelled;
  s_.appointments.push_back(std::move(a));
  return s_.appointments.back();
}

domain::Scenario ScenarioBuilder::Build() const {
  domain::Scenario s = s_;
  domain::AssignBookingOffices(s);
  return s;
}

domain::Scenario RandomScenario(const RandomScenarioOptions& o) {
  std::mt19937_64 rng(o.seed);
  auto uniform = [&](int lo, int hi) { return lo + static_cast<int>(rng() % (hi - lo + 1)); };
  auto chance = [&](double p) { return static_cast<double>(rng() % 1000000) / 1e6 < p; };
  const date::local_days monday = date::local_days(date::year(2026) / 2 / 2);
  auto at = [&](int day, int minute) {
    return domain::FormatLocalDateTime(domain::LocalDateTime(
        (monday + date::days(day)).time_since_epoch() + std::chrono::minutes(minute)));
  };
  const int calendar_days = (o.days / 5) * 7 + o.days % 5 + 1;
  ScenarioBuilder b(at(0, 0), at(calendar_days + 2, 0));
  b.ReserveShare(o.reserve_share);
  static constexpr int kDurations[] = {15, 15, 30, 60, 20, 45};
  for (int s = 0; s < o.services; ++s) b.Service(absl::StrCat("s", s), kDurations[s % 6]);
  int booking = 0;
  for (int f = 0; f < o.offices; ++f) {
    const std::string office = absl::StrCat("o", f);
    b.Office(office);
    for (int c = 0; c < o.clerks_per_office; ++c) {
      const std::string clerk = absl::StrCat(office, "c", c);
      std::vector<std::string> skills = {absl::StrCat("s", c % o.services)};
      for (int s = 0; s < o.services; ++s) {
        if (s != c % o.services && chance(0.5)) skills.push_back(absl::StrCat("s", s));
      }
      b.Clerk(clerk, skills);
      for (int d = 0; d < calendar_days; ++d) {
        const int weekday = d % 7;  // 0 = Monday
        if (weekday < 5) {
          for (auto [from, to] : {std::pair{8 * 60, 12 * 60}, std::pair{13 * 60, 16 * 60}}) {
            b.Shift(clerk, office, at(d, from), at(d, to));
            for (int t = from; t + 30 <= to; t += 30) {
              if (chance(o.booked_share)) {
                b.Booking(absl::StrCat("b", booking++), clerk, at(d, t), at(d, t + 30));
              }
            }
          }
        } else if (weekday == 5 && o.overtime_saturday && c % 2 == 0) {
          b.Shift(clerk, office, at(d, 9 * 60), at(d, 13 * 60), domain::ShiftKind::kOvertime);
        }
      }
    }
  }
  for (int i = 0; i < o.appointments; ++i) {
    const int f = uniform(0, o.offices - 1);
    const int s = uniform(0, o.services - 1);
    domain::Appointment& a = b.Appointment(
        absl::StrFormat("a%06d", i), absl::StrCat("o", f), absl::StrCat("s", s),
        absl::StrCat("2026-01-27T", absl::StrFormat("%02d:%02d", 8 + i % 8, (i * 7) % 60)));
    a.priority = chance(0.2) ? uniform(2, 10) : 1;
    a.cases = chance(0.05) ? uniform(2, 6) : 1;
    if (chance(o.multi_office_share) && o.offices > 1) {
      a.allowed_offices = {a.office_id, absl::StrCat("o", (f + 1) % o.offices)};
    }
    int earliest_day = 0;
    if (chance(0.1)) {
      earliest_day = uniform(0, 2);
      a.earliest_start = Local(at(earliest_day, 10 * 60));
    }
    if (chance(o.deadline_share)) {
      a.deadline = Local(at(uniform(earliest_day + 1, calendar_days), 16 * 60));
    }
    if (chance(o.unavailable_share)) {
      const int d = uniform(0, 3);
      a.unavailable.push_back({Local(at(d, 8 * 60)), Local(at(d, 12 * 60))});
    }
  }
  return b.Build();
}

}  // namespace rebook::solver::testing
