#include "services/report/report_model.h"

#include <algorithm>
#include <set>
#include <tuple>
#include <unordered_map>

#include "services/domain/local_time.h"

namespace rebook::report {
namespace {

using domain::LocalDate;

std::int64_t DayNumber(LocalDate d) { return date::local_days(d).time_since_epoch().count(); }
LocalDate FromDayNumber(std::int64_t n) { return LocalDate(date::local_days(date::days(n))); }

const OfficeInfo* FindOffice(const ReportInput& in, const std::string& id) {
  for (const OfficeInfo& o : in.offices) {
    if (o.id == id) return &o;
  }
  return nullptr;
}

std::string ZoneOf(const ReportInput& in, const std::string& office_id) {
  const OfficeInfo* o = FindOffice(in, office_id);
  return o != nullptr && !o->time_zone.empty() ? o->time_zone : "Europe/Berlin";
}

std::int64_t MinutesOfDay(const std::string& tz, Instant t) {
  const domain::LocalDateTime local = domain::InstantToLocal(tz, t);
  const auto midnight = date::floor<date::days>(local);
  return std::chrono::duration_cast<std::chrono::minutes>(local - midnight).count();
}

// The days of the heatmap: the plan's horizon, else the days that have slots.
std::vector<LocalDate> HeatmapDays(const ReportInput& in) {
  std::set<std::int64_t> numbers;
  if (in.plan.has_value() && in.plan->horizon_end > in.plan->horizon_start) {
    const std::string tz = in.offices.empty() ? "Europe/Berlin" : in.offices[0].time_zone;
    const std::int64_t first = DayNumber(domain::LocalDateOf(tz, in.plan->horizon_start));
    const std::int64_t last =
        DayNumber(domain::LocalDateOf(tz, in.plan->horizon_end - std::chrono::seconds(1)));
    for (std::int64_t n = first; n <= last && n - first < 366; ++n) numbers.insert(n);
  }
  for (const Citizen& c : in.citizens) {
    if (c.placed) {
      numbers.insert(DayNumber(domain::LocalDateOf(ZoneOf(in, c.slot_office_id), c.slot_start)));
    }
  }
  std::vector<LocalDate> days;
  for (std::int64_t n : numbers) days.push_back(FromDayNumber(n));
  return days;
}

void AddLoads(const ReportInput& in, WorkingDays& working, ReportModel& m) {
  m.days = HeatmapDays(in);
  std::unordered_map<std::string, std::size_t> column;
  for (std::size_t i = 0; i < m.days.size(); ++i) column[domain::FormatLocalDate(m.days[i])] = i;
  std::vector<std::string> offices;
  for (const OfficeInfo& o : in.offices) offices.push_back(o.id);
  std::unordered_map<std::string, std::size_t> row;
  for (std::size_t i = 0; i < offices.size(); ++i) row[offices[i]] = i;
  m.loads.assign(offices.size() * m.days.size(), OfficeDayLoad{});
  for (std::size_t r = 0; r < offices.size(); ++r) {
    for (std::size_t c = 0; c < m.days.size(); ++c) {
      OfficeDayLoad& l = m.loads[r * m.days.size() + c];
      l.office_id = offices[r];
      l.day = m.days[c];
    }
  }
  auto cell = [&](const std::string& office, Instant t) -> OfficeDayLoad* {
    auto r = row.find(office);
    if (r == row.end()) return nullptr;
    auto c = column.find(domain::FormatLocalDate(domain::LocalDateOf(ZoneOf(in, office), t)));
    if (c == column.end()) return nullptr;
    return &m.loads[r->second * m.days.size() + c->second];
  };
  auto minutes = [](Instant a, Instant b) {
    return std::chrono::duration_cast<std::chrono::minutes>(b - a).count();
  };
  for (const ShiftInfo& s : in.shifts) {
    OfficeDayLoad* l = cell(s.office_id, s.start);
    if (l == nullptr) continue;
    const bool holiday = !s.overtime && !working.IsWorkingDay(s.office_id, l->day) &&
                         date::weekday(date::local_days(l->day)) != date::Saturday &&
                         date::weekday(date::local_days(l->day)) != date::Sunday;
    if (holiday) continue;  // a shift on a public holiday is not usable
    l->works = true;
    (s.overtime ? l->overtime_minutes : l->regular_minutes) += minutes(s.start, s.end);
  }
  for (const BookingInfo& b : in.bookings) {
    OfficeDayLoad* l = cell(b.office_id, b.start);
    if (l != nullptr) l->regular_minutes -= minutes(b.start, b.end);
  }
  const double reserve = in.plan.has_value() ? in.plan->reserve_share : 0.0;
  for (OfficeDayLoad& l : m.loads) {
    l.regular_minutes = std::max<std::int64_t>(0, l.regular_minutes);
    l.reserve_minutes = static_cast<std::int64_t>(reserve * static_cast<double>(l.regular_minutes));
  }
  for (const Citizen& c : in.citizens) {
    if (!c.placed) continue;
    OfficeDayLoad* l = cell(c.slot_office_id, c.slot_start);
    if (l != nullptr) l->rebooked_minutes += minutes(c.slot_start, c.slot_end);
  }
}

void AddGantt(const ReportInput& in, ReportModel& m) {
  std::unordered_map<std::string, int> service_index;
  for (std::size_t i = 0; i < in.services.size(); ++i) {
    service_index[in.services[i].id] = static_cast<int>(i);
  }
  std::map<std::pair<std::string, std::int64_t>, GanttDay> days;  // (office, day number)
  auto row_of = [](GanttDay& g, const std::string& clerk) {
    auto it = std::find(g.clerks.begin(), g.clerks.end(), clerk);
    if (it != g.clerks.end()) return static_cast<int>(it - g.clerks.begin());
    g.clerks.push_back(clerk);
    return static_cast<int>(g.clerks.size()) - 1;
  };
  for (const Citizen& c : in.citizens) {
    if (!c.placed) continue;
    const std::string tz = ZoneOf(in, c.slot_office_id);
    const LocalDate day = domain::LocalDateOf(tz, c.slot_start);
    GanttDay& g = days[{c.slot_office_id, DayNumber(day)}];
    g.office_id = c.slot_office_id;
    g.day = day;
    auto s = service_index.find(c.service_id);
    const std::int64_t start = MinutesOfDay(tz, c.slot_start);
    g.bars.push_back(
        {row_of(g, c.clerk_id), start,
         start +
             std::chrono::duration_cast<std::chrono::minutes>(c.slot_end - c.slot_start).count(),
         s == service_index.end() ? -1 : s->second, c.appointment_id});
  }
  for (const ShiftInfo& s : in.shifts) {
    const std::string tz = ZoneOf(in, s.office_id);
    auto it = days.find({s.office_id, DayNumber(domain::LocalDateOf(tz, s.start))});
    if (it == days.end()) continue;  // only office-days with slots get a chart
    const std::int64_t start = MinutesOfDay(tz, s.start);
    it->second.shifts.push_back(
        {row_of(it->second, s.clerk_id), start,
         start + std::chrono::duration_cast<std::chrono::minutes>(s.end - s.start).count(),
         s.overtime});
  }
  for (auto& [key, g] : days) {
    // Clerks in name order; bars and shifts follow their rows.
    std::vector<std::string> sorted = g.clerks;
    std::sort(sorted.begin(), sorted.end());
    std::vector<int> to(g.clerks.size());
    for (std::size_t i = 0; i < g.clerks.size(); ++i) {
      to[i] =
          static_cast<int>(std::find(sorted.begin(), sorted.end(), g.clerks[i]) - sorted.begin());
    }
    for (GanttBar& b : g.bars) b.row = to[b.row];
    for (GanttShift& s : g.shifts) s.row = to[s.row];
    g.clerks = std::move(sorted);
    m.gantt.push_back(std::move(g));
  }
}

}  // namespace

WorkingDays::WorkingDays(const std::vector<OfficeInfo>& offices) {
  for (const OfficeInfo& o : offices) state_of_[o.id] = o.state;
}

bool WorkingDays::IsWorkingDay(const std::string& office_id, LocalDate day) {
  const date::weekday wd{date::local_days(day)};
  if (wd == date::Saturday || wd == date::Sunday) return false;
  auto it = state_of_.find(office_id);
  return it == state_of_.end() || it->second.empty() || !holidays_.IsHoliday(it->second, day);
}

int WorkingDays::Between(const std::string& office_id, LocalDate from, LocalDate to) {
  int n = 0;
  for (std::int64_t d = DayNumber(from) + 1; d <= DayNumber(to); ++d) {
    n += IsWorkingDay(office_id, FromDayNumber(d)) ? 1 : 0;
  }
  return n;
}

double OfficeDayLoad::Utilisation() const {
  const std::int64_t open = regular_minutes - reserve_minutes + overtime_minutes;
  if (open <= 0) return rebooked_minutes > 0 ? 2.0 : 0.0;
  return static_cast<double>(rebooked_minutes) / static_cast<double>(open);
}

ReportModel BuildReportModel(const ReportInput& in) {
  ReportModel m;
  WorkingDays working(in.offices);
  for (const OfficeInfo& o : in.offices) m.status_by_office.push_back({o.id, {}});
  std::vector<int> delays_days;
  for (const Citizen& c : in.citizens) {
    for (auto& [office, counts] : m.status_by_office) {
      if (office == c.office_id) ++counts[static_cast<int>(c.state)];
    }
    ++m.delays.total;
    if (c.state == CitizenState::kUnreachable) m.to_call.push_back(c.appointment_id);
    if (!c.placed) continue;
    ++m.delays.placed;
    const LocalDate from = domain::LocalDateOf(ZoneOf(in, c.office_id), c.original_start);
    const LocalDate to = domain::LocalDateOf(ZoneOf(in, c.slot_office_id), c.slot_start);
    const int days = static_cast<int>(std::max<std::int64_t>(0, DayNumber(to) - DayNumber(from)));
    const int work = working.Between(c.office_id, from, to);
    delays_days.push_back(days);
    m.delays.mean_days += days;
    m.delays.mean_working_days += work;
    m.delays.max_days = std::max(m.delays.max_days, days);
    m.delays.max_working_days = std::max(m.delays.max_working_days, work);
    m.delays.within_5_working_days += work <= 5 ? 1 : 0;
    ++m.delays.by_working_days[std::min(work, 11)];
  }
  if (m.delays.placed > 0) {
    m.delays.mean_days /= m.delays.placed;
    m.delays.mean_working_days /= m.delays.placed;
    std::sort(delays_days.begin(), delays_days.end());
    m.delays.median_days = delays_days[delays_days.size() / 2];
  }
  for (const OfferInfo& o : in.offers) {
    if (o.state == OfferState::kOpen) {
      ++m.offers_open;
      m.offers_expiring_24h += o.expires <= in.generated_at + std::chrono::hours(24) ? 1 : 0;
    }
    m.offers_expired += o.state == OfferState::kExpired ? 1 : 0;
  }
  std::map<std::string, ChannelRow> channels;
  std::set<std::string> calls(m.to_call.begin(), m.to_call.end());
  for (const MessageInfo& msg : in.messages) {
    ChannelRow& row = channels[msg.channel];
    row.channel = msg.channel;
    ++row.by_state[msg.state];
    const bool open = msg.state != "DELIVERED" && msg.state != "DEAD";
    if (msg.channel == "phone" && open && calls.insert(msg.appointment_id).second) {
      m.to_call.push_back(msg.appointment_id);
    }
  }
  for (auto& [name, row] : channels) m.channels.push_back(std::move(row));
  std::sort(m.to_call.begin(), m.to_call.end());
  m.burn_down = BurnDown(in);
  AddLoads(in, working, m);
  AddGantt(in, m);
  return m;
}

std::string OfficeDisplayName(const ReportInput& input, const std::string& id) {
  for (const OfficeInfo& o : input.offices) {
    if (o.id == id) return o.display_name.empty() ? o.id : o.display_name;
  }
  return id;
}

}  // namespace rebook::report
