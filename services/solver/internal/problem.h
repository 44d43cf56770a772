// The solver's indexed view of a scenario: integer minutes since the horizon start, windows of
// free clerk time, jobs, and the reserve capacity of each office-day. Built once per solve.
#ifndef REBOOK_SERVICES_SOLVER_INTERNAL_PROBLEM_H_
#define REBOOK_SERVICES_SOLVER_INTERNAL_PROBLEM_H_

#include <cstdint>
#include <limits>
#include <string>
#include <unordered_map>
#include <vector>

#include "absl/status/statusor.h"
#include "services/domain/calendar.h"
#include "services/domain/model.h"

namespace rebook::solver::internal {

constexpr int kInfinity = std::numeric_limits<int>::max() / 4;

struct Span {
  int start = 0;
  int end = 0;  // exclusive, minutes
};

// Free time of one clerk in one usable shift (between standing bookings), clipped to the horizon.
struct Window {
  int clerk = 0;
  int office = 0;
  int shift = 0;
  int office_day = 0;  // index into Problem::office_days
  bool overtime = false;
  int start = 0;
  int end = 0;
};

struct Job {
  int appointment = 0;  // index into Scenario::appointments
  int service = 0;
  int office = 0;  // original office
  int duration = 0;
  int release = 0;      // earliest start, minutes
  int due = kInfinity;  // latest end, minutes (the deadline or the horizon's end)
  int priority = 1;
  double weight = 0;  // objective per minute of delay: priority / 60
  double unassigned_cost = 0;
  int offices_begin = 0, offices_end = 0;  // allowed offices, in Problem::job_offices
  int blocked_begin = 0, blocked_end = 0;  // sorted times it may not overlap, in Problem::blocked
  int clerk_bans_begin = 0, clerk_bans_end = 0;  // in Problem::clerk_bans
  std::int64_t fcfs_group = 0;  // equal for the same service, original office and priority
  Instant original_start{};
};

// A forbidden slot that applies to one clerk or office only.
struct ClerkBan {
  int clerk = -1;   // -1: any clerk
  int office = -1;  // -1: any office
  Span time;
};

struct OfficeDayCap {
  int office = 0;
  domain::LocalDate day;
  int regular_cap = 0;  // rebooked regular minutes allowed (rule 6)
};

struct ProblemOptions {
  // Extra forbidden slots per appointment index (incremental re-solve).
  std::unordered_map<int, std::vector<ClerkBan>> bans;
};

struct Problem {
  const domain::Scenario* scenario = nullptr;
  Instant epoch{};  // the horizon start; minute m is epoch + m * 60 s
  int horizon_end = 0;
  double w_office_change = 0, w_overtime = 0;
  int service_count = 0, office_count = 0, clerk_count = 0;
  std::vector<Window> windows;  // sorted by (clerk, start)
  std::vector<Job> jobs;        // one per appointment, same order
  std::vector<int> job_offices;
  std::vector<Span> blocked;
  std::vector<ClerkBan> clerk_bans;
  std::vector<OfficeDayCap> office_days;
  std::vector<std::uint8_t> skill;  // clerk * service_count + service
  // Candidate windows of (office, service), sorted by start: lists[office * service_count + s].
  std::vector<std::vector<int>> lists;
  std::vector<int> list_max_length;  // longest window in each list
  std::vector<int> min_duration_of_service;

  Instant ToInstant(int minute) const { return epoch + std::chrono::minutes(minute); }
  bool Qualified(int clerk, int service) const { return skill[clerk * service_count + service]; }
  int ListIndex(int office, int service) const { return office * service_count + service; }
};

absl::StatusOr<Problem> BuildProblem(const domain::Scenario& scenario,
                                     const domain::ShiftCalendar& calendar,
                                     const ProblemOptions& options);

}  // namespace rebook::solver::internal

#endif  // REBOOK_SERVICES_SOLVER_INTERNAL_PROBLEM_H_
