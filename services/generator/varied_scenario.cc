#include "services/generator/varied_scenario.h"

#include <algorithm>
#include <array>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "services/generator/internal/local_days.h"
#include "services/generator/internal/people.h"
#include "services/generator/internal/random.h"

namespace rebook::generator {
namespace {

using internal::LocalClock;
using internal::Rng;

struct StructureName {
  std::string_view name;
  unsigned bit;
};
constexpr std::array<StructureName, 5> kStructureNames = {{
    {"fragmented", kFragmentedBookings},
    {"small-offices", kSmallOffices},
    {"dealers", kLongDealerJobs},
    {"deadlines", kTightDeadlines},
    {"skills", kMixedSkills},
}};

struct ServiceKind {
  std::string_view name;
  domain::ServiceCategory category;
};
constexpr std::array<ServiceKind, 6> kServiceKinds = {{
    {"Meldeangelegenheiten", domain::ServiceCategory::kResidents},
    {"Kfz-Zulassung", domain::ServiceCategory::kVehicleRegistration},
    {"Aufenthaltstitel", domain::ServiceCategory::kImmigration},
    {"Personalausweis und Reisepass", domain::ServiceCategory::kResidents},
    {"Beurkundungen", domain::ServiceCategory::kRegistryOffice},
    {"Einbürgerung", domain::ServiceCategory::kCitizenship},
}};

// The shape of one instance, drawn once per seed (the defaults of the old solver fixture).
struct Shape {
  int days = 2;  // working days from Monday 2 Feb 2026; Saturday has overtime
  int offices = 1;
  int services = 2;
  double booked_share = 0.3;
  int booking_length = 15;
  double dealer_share = 0;
  double deadline_share = 0;
  int deadline_slack_days = 0;  // days between the earliest start's day and the deadline's
  double skill_share = 0.5;
  bool home_skill_by_index = true;  // clerk c's first skill is service c % services
  double multi_office_share = 0;
  double unavailable_share = 0;
  double reserve_share = 0;
  double load = 1;  // demand over free capacity, roughly: above 1 some must stay unassigned
};

double Between(Rng& rng, double lo, double hi) { return lo + (hi - lo) * rng.Real(); }

Shape DrawShape(Rng& rng, unsigned structures) {
  Shape s;
  s.days = static_cast<int>(rng.Uniform(2, 4));
  s.offices = static_cast<int>(rng.Uniform(1, 6));
  s.services = static_cast<int>(rng.Uniform(2, 6));
  s.booked_share = Between(rng, 0.1, 0.7);
  s.booking_length = std::array{10, 15, 20, 30, 45}[rng.Index(5)];
  s.dealer_share = Between(rng, 0, 0.25);
  s.deadline_share = Between(rng, 0, 0.7);
  s.deadline_slack_days = static_cast<int>(rng.Uniform(0, 2));
  s.skill_share = Between(rng, 0.15, 0.8);
  s.multi_office_share = Between(rng, 0, 0.6);
  s.unavailable_share = Between(rng, 0, 0.3);
  s.reserve_share = static_cast<double>(rng.Uniform(0, 30)) / 100;  // whole percent
  s.load = Between(rng, 0.5, 1.25);
  if (structures & kFragmentedBookings) {
    s.booked_share = Between(rng, 0.5, 0.75);
    s.booking_length = rng.Bernoulli(0.5) ? 10 : 15;
  }
  if (structures & kSmallOffices) {
    s.offices = static_cast<int>(rng.Uniform(6, 12));
    s.multi_office_share = Between(rng, 0.3, 0.7);
  }
  if (structures & kLongDealerJobs) s.dealer_share = Between(rng, 0.2, 0.4);
  if (structures & kTightDeadlines) {
    s.deadline_share = Between(rng, 0.6, 0.85);
    s.deadline_slack_days = 0;
    s.load = Between(rng, 0.5, 0.9);  // the deadlines bind, not the total capacity
  }
  if (structures & kMixedSkills) {
    s.services = static_cast<int>(rng.Uniform(4, 6));
    s.skill_share = Between(rng, 0.05, 0.25);
    s.home_skill_by_index = false;
  }
  if (s.offices == 1) s.multi_office_share = 0;
  return s;
}

struct Window {
  Instant start;
  Instant end;
};

class VariedBuilder {
 public:
  VariedBuilder(const VariedOptions& o, unsigned structures)
      : o_(o),
        root_(o.seed),
        shape_rng_(root_.Fork(1)),
        staff_rng_(root_.Fork(2)),
        appointment_rng_(root_.Fork(3)),
        names_rng_(root_.Fork(4)),
        structures_(structures),
        shape_(DrawShape(shape_rng_, structures)),
        locality_(internal::GenericLocality("Musterstadt", "3456", 39100, 6)),
        contacts_(&locality_) {}

  domain::Scenario Build() {
    s_.params.horizon_start = At(0, 0);
    s_.params.horizon_end = At(6, 0);  // Sunday 00:00: the working days and the Saturday
    s_.params.reserve_share = shape_.reserve_share;
    for (int f = 0; f < shape_.offices; ++f) {
      s_.offices.push_back({Office(f), absl::StrCat("Bürgerbüro ", f + 1), "DE-ST", "Europe/Berlin",
                            contacts_.Address(names_rng_)});
    }
    for (int k = 0; k < shape_.services; ++k) {
      const ServiceKind& kind = kServiceKinds[static_cast<std::size_t>(k)];
      duration_.push_back(std::array{10, 15, 20, 30, 45, 60}[shape_rng_.Index(6)]);
      s_.services.push_back(
          {absl::StrCat("s", k), std::string(kind.name), kind.category, duration_.back()});
    }
    windows_.assign(static_cast<std::size_t>(shape_.offices * shape_.services), {});
    AddStaff();
    for (int i = 0; i < o_.appointments; ++i) AddAppointment(i);
    return std::move(s_);
  }

 private:
  static std::string Office(int f) { return absl::StrCat("o", f); }
  Instant At(int day, int minute) const {
    return clock_.At(internal::AddDays(kMonday, day), minute);
  }
  std::vector<Window>& WindowsOf(int office, int service) {
    return windows_[static_cast<std::size_t>(office * shape_.services + service)];
  }

  // Clerks enough for the drawn load, their shifts, standing bookings and Saturday overtime.
  void AddStaff() {
    double mean_duration = 0;
    for (int d : duration_) mean_duration += d;
    mean_duration /= shape_.services;
    // A dealer's job averages 2 cases up to 4 hours, or 2 to 4 hours when they are long.
    const double dealer_minutes = structures_ & kLongDealerJobs ? 180 : 120 + mean_duration;
    mean_duration += shape_.dealer_share * (dealer_minutes - mean_duration);
    const double wanted_minutes = o_.appointments * mean_duration / shape_.load /
                                  (1 - shape_.booked_share * 0.8) / (1 - shape_.reserve_share);
    int clerks = std::max(1, static_cast<int>(wanted_minutes / (shape_.days * 360.0) + 0.5));
    double day_off = 0.15;
    if (clerks < shape_.offices) {  // one clerk per office, working fewer days
      day_off = 1 - (1 - day_off) * clerks / shape_.offices;
      clerks = shape_.offices;
    }
    Rng& rng = staff_rng_;
    for (int c = 0; c < clerks; ++c) {
      const int f = c % shape_.offices;
      const std::string clerk = absl::StrCat("c", c);
      const int home = shape_.home_skill_by_index ? c % shape_.services
                                                  : static_cast<int>(rng.Index(shape_.services));
      std::vector<std::string> skills = {absl::StrCat("s", home)};
      std::vector<int> skill_ids = {home};
      for (int k = 0; k < shape_.services; ++k) {
        if (k != home && rng.Bernoulli(shape_.skill_share)) {
          skills.push_back(absl::StrCat("s", k));
          skill_ids.push_back(k);
        }
      }
      s_.clerks.push_back({clerk,
                           internal::ContactFactory::PersonName(names_rng_, internal::kStaffMix),
                           std::move(skills), Office(f)});
      // Part-time or full-time, with varied shift starts and a 30-minute lunch break.
      const int from = static_cast<int>(rng.Uniform(7 * 4, 9 * 4)) * 15;
      const int lunch = from + static_cast<int>(rng.Uniform(3 * 4, 5 * 4)) * 15;
      const int to = lunch + static_cast<int>(rng.Uniform(0, 4 * 4)) * 15 + 30;
      const int first_day = static_cast<int>(rng.Index(shape_.days));  // never off
      for (int d = 0; d < shape_.days; ++d) {
        if (d != first_day && rng.Bernoulli(day_off)) continue;
        for (auto [start, end] : {std::pair{from, lunch}, std::pair{lunch + 30, to}}) {
          if (end - start < 30) continue;
          // Clerk 0's first morning stays free, so that some long job always fits.
          const bool free = c == 0 && d == first_day && start == from;
          AddShift(rng, c, f, skill_ids, d, start, end, free, domain::ShiftKind::kRegular);
        }
      }
      if (rng.Bernoulli(0.3)) {
        AddShift(rng, c, f, skill_ids, 5, 9 * 60, 9 * 60 + static_cast<int>(rng.Uniform(2, 5)) * 60,
                 true, domain::ShiftKind::kOvertime);
      }
    }
  }

  // A shift with standing bookings on a grid of the booking length; records the free gaps.
  void AddShift(Rng& rng, int c, int f, const std::vector<int>& skills, int day, int start, int end,
                bool free, domain::ShiftKind kind) {
    const std::string clerk = absl::StrCat("c", c);
    s_.shifts.push_back({absl::StrCat(clerk, "-d", day, "-", start),
                         clerk,
                         Office(f),
                         {At(day, start), At(day, end)},
                         kind});
    int gap_start = start;
    auto close_gap = [&](int gap_end) {
      if (gap_end <= gap_start) return;
      for (int k : skills) WindowsOf(f, k).push_back({At(day, gap_start), At(day, gap_end)});
    };
    const int len = shape_.booking_length;
    for (int t = start; !free && t + len <= end; t += len) {
      if (!rng.Bernoulli(shape_.booked_share)) continue;
      s_.bookings.push_back({absl::StrCat("b", s_.bookings.size() + 1),
                             clerk,
                             Office(f),
                             {At(day, t), At(day, t + len)}});
      close_gap(t);
      gap_start = t + len;
    }
    close_gap(end);
  }

  // The longest free gap for `service` at `office`, in minutes, starting no earlier than `from`.
  int LongestGap(int office, int service, Instant from) {
    std::chrono::seconds longest{0};
    for (const Window& w : WindowsOf(office, service)) {
      if (w.end > from) longest = std::max(longest, w.end - std::max(w.start, from));
    }
    return static_cast<int>(longest.count() / 60);
  }
  bool Fits(const domain::Appointment& a, int service, Instant from) {
    const int needed = a.cases * duration_[static_cast<std::size_t>(service)];
    for (const std::string& office : a.EffectiveAllowedOffices()) {
      const int f = std::stoi(office.substr(1));
      if (LongestGap(f, service, from) >= needed) return true;
    }
    return false;
  }

  void AddAppointment(int i) {
    Rng& rng = appointment_rng_;
    int f = static_cast<int>(rng.Index(shape_.offices));
    int k = static_cast<int>(rng.Index(shape_.services));
    const Instant start = s_.params.horizon_start;
    if (LongestGap(f, k, start) < duration_[static_cast<std::size_t>(k)]) {
      // Nobody can serve this service here: draw among the pairs that can be served.
      std::vector<std::pair<int, int>> servable;
      for (int g = 0; g < shape_.offices; ++g) {
        for (int l = 0; l < shape_.services; ++l) {
          if (LongestGap(g, l, start) >= duration_[static_cast<std::size_t>(l)]) {
            servable.push_back({g, l});
          }
        }
      }
      std::tie(f, k) = servable[rng.Index(servable.size())];  // clerk 0's free morning
    }
    const int duration = duration_[static_cast<std::size_t>(k)];
    domain::Appointment a;
    a.id = absl::StrCat("a", i + 1);
    a.office_id = Office(f);
    a.service_id = absl::StrCat("s", k);
    a.original_start = clock_.At(internal::Ymd(2026, 1, 27), (8 + i % 8) * 60 + (i * 7) % 60);
    a.status = domain::AppointmentStatus::kCancelled;
    a.outage_id = "varied-outage";
    a.priority = rng.Bernoulli(0.25) ? static_cast<int>(rng.Uniform(2, 10)) : 1;
    if (rng.Bernoulli(shape_.dealer_share)) {
      const int most = std::max(1, LongestGap(f, k, start) / duration);
      const bool long_job = structures_ & kLongDealerJobs;
      const int lo = std::min(most, long_job ? (120 + duration - 1) / duration : 2);
      const int hi = long_job ? most : std::min(most, std::max(2, 240 / duration));
      a.cases = static_cast<int>(rng.Uniform(lo, std::max(lo, hi)));
    }
    if (rng.Bernoulli(shape_.multi_office_share)) {
      for (int g = 0; g < shape_.offices; ++g) {
        if (g == f || rng.Bernoulli(0.5)) a.allowed_offices.push_back(Office(g));
      }
    }
    int earliest_day = 0;
    if (rng.Bernoulli(0.15)) {
      const int day = static_cast<int>(rng.Index(shape_.days));
      const Instant earliest = At(day, static_cast<int>(rng.Uniform(8, 13)) * 60);
      if (Fits(a, k, earliest)) {  // else the citizen may come any time
        a.earliest_start = earliest;
        earliest_day = day;
      }
    }
    if (rng.Bernoulli(shape_.deadline_share)) {
      const int day = std::min(shape_.days - 1, earliest_day + shape_.deadline_slack_days);
      a.deadline = At(day, static_cast<int>(rng.Uniform(11, 17)) * 60);
      // Due after the earliest start leaves room for the job (tight, but not void).
      const auto needed = std::chrono::minutes(a.cases * duration);
      if (a.earliest_start && *a.deadline < *a.earliest_start + needed) {
        a.deadline = *a.earliest_start + needed;
      }
    }
    if (rng.Bernoulli(shape_.unavailable_share)) {
      const int day = static_cast<int>(rng.Index(shape_.days));
      const int from = static_cast<int>(rng.Uniform(8, 14)) * 60;
      a.unavailable.push_back(
          {At(day, from), At(day, from + static_cast<int>(rng.Uniform(1, 4)) * 60)});
    }
    a.contact = a.cases > 1 ? contacts_.Dealer(names_rng_)
                            : contacts_.Citizen(names_rng_, internal::kResidentsMix,
                                                internal::ContactContext::kResidents);
    s_.appointments.push_back(std::move(a));
  }

  static constexpr domain::LocalDate kMonday = domain::LocalDate(date::year(2026) / 2 / 2);

  const VariedOptions& o_;
  Rng root_;
  Rng shape_rng_;
  Rng staff_rng_;
  Rng appointment_rng_;
  Rng names_rng_;
  unsigned structures_;
  Shape shape_;
  internal::Locality locality_;
  internal::ContactFactory contacts_;
  LocalClock clock_;
  domain::Scenario s_;
  std::vector<int> duration_;
  std::vector<std::vector<Window>> windows_;  // free gaps per (office, service)
};

}  // namespace

unsigned VariedStructuresOf(std::uint64_t seed) {
  const std::uint64_t turn = seed % 6;
  return turn == 0 ? 0u : kStructureNames[turn - 1].bit;
}

absl::StatusOr<unsigned> ParseVariedStructures(std::string_view list) {
  unsigned out = 0;
  for (absl::string_view item : absl::StrSplit(absl::string_view(list.data(), list.size()), ',')) {
    item = absl::StripAsciiWhitespace(item);
    if (item == "none") continue;
    if (item == "all") {
      out |= kAllVariedStructures;
      continue;
    }
    auto it =
        std::find_if(kStructureNames.begin(), kStructureNames.end(), [&](const StructureName& n) {
          return n.name == std::string_view(item.data(), item.size());
        });
    if (it == kStructureNames.end()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "unknown structure \"", item,
          "\"; expected fragmented, small-offices, dealers, deadlines, skills, none or all"));
    }
    out |= it->bit;
  }
  return out;
}

std::string FormatVariedStructures(unsigned structures) {
  std::vector<std::string> names;
  for (const StructureName& n : kStructureNames) {
    if (structures & n.bit) names.emplace_back(n.name);
  }
  return names.empty() ? "none" : absl::StrJoin(names, ",");
}

domain::Scenario GenerateVaried(const VariedOptions& options) {
  VariedOptions o = options;
  o.appointments = std::max(1, o.appointments);
  return VariedBuilder(o, o.structures.value_or(VariedStructuresOf(o.seed))).Build();
}

}  // namespace rebook::generator
