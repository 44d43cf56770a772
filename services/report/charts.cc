#include "services/report/charts.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "services/domain/local_time.h"
#include "services/report/report_model.h"
#include "services/report/svg.h"

namespace rebook::report {
namespace {

constexpr const char* kWeekdays[] = {"So", "Mo", "Di", "Mi", "Do", "Fr", "Sa"};

// A "nice" tick step for an axis from 0 to `max` with about `ticks` ticks.
int TickStep(int max, int ticks) {
  const int raw = std::max(1, (max + ticks - 1) / ticks);
  for (int step : {1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000}) {
    if (step >= raw) return step;
  }
  return raw;
}

// Heat colour: pale to dark blue up to 100 %, orange to red above (the reserve is being used).
std::string HeatColour(double u) {
  if (u <= 1.0) {
    const double t = std::clamp(u, 0.0, 1.0);
    const int r = static_cast<int>(std::lround(235 - t * (235 - 8)));
    const int g = static_cast<int>(std::lround(243 - t * (243 - 69)));
    const int b = static_cast<int>(std::lround(251 - t * (251 - 148)));
    return absl::StrFormat("#%02x%02x%02x", r, g, b);
  }
  return u <= 1.25 ? "#f28e2b" : "#c0392b";
}

}  // namespace

const char* ServiceColour(int index) {
  static constexpr const char* kPalette[] = {"#0072B2", "#E69F00", "#009E73", "#CC79A7",
                                             "#56B4E9", "#D55E00", "#8c6d31", "#6b6ecf"};
  if (index < 0) return "#888888";
  return kPalette[index % 8];
}

std::string ShortDay(domain::LocalDate day) {
  const date::weekday wd{date::local_days(day)};
  return absl::StrFormat("%s %02u.%02u.", kWeekdays[wd.c_encoding()],
                         static_cast<unsigned>(day.day()), static_cast<unsigned>(day.month()));
}

std::string BurnDownChart(const std::vector<BurnPoint>& points, const std::string& time_zone) {
  const double w = 720, h = 260, left = 48, right = 12, top = 14, bottom = 56;
  Svg svg("burn-down", w, h, "Rückstand im Zeitverlauf");
  int max = 1;
  for (const BurnPoint& p : points) {
    max = std::max({max, p.waiting + p.offered + p.confirmed, p.expired});
  }
  const int step = TickStep(max, 5);
  const int top_value = (max + step - 1) / step * step;
  const double pw = w - left - right, ph = h - top - bottom;
  auto x = [&](std::size_t i) {
    return left + (points.size() < 2 ? 0 : pw * static_cast<double>(i) / (points.size() - 1));
  };
  auto y = [&](double v) { return top + ph - ph * v / top_value; };
  for (int v = 0; v <= top_value; v += step) {
    svg.Line(left, y(v), w - right, y(v), "#ddd");
    svg.Text(left - 4, y(v) + 4, absl::StrCat(v), {.anchor = "end", .size = 10});
  }
  // Stacked bands: confirmed at the bottom, then offered, then waiting.
  auto band = [&](auto lower, auto upper, const char* fill) {
    std::string d;
    for (std::size_t i = 0; i < points.size(); ++i) {
      absl::StrAppend(&d, i == 0 ? "M" : " L", Num(x(i)), " ", Num(y(upper(points[i]))));
    }
    for (std::size_t i = points.size(); i-- > 0;) {
      absl::StrAppend(&d, " L", Num(x(i)), " ", Num(y(lower(points[i]))));
    }
    svg.Path(d + " Z", fill, "none");
  };
  if (!points.empty()) {
    band([](const BurnPoint&) { return 0; }, [](const BurnPoint& p) { return p.confirmed; },
         "#009E73");
    band([](const BurnPoint& p) { return p.confirmed; },
         [](const BurnPoint& p) { return p.confirmed + p.offered; }, "#56B4E9");
    band([](const BurnPoint& p) { return p.confirmed + p.offered; },
         [](const BurnPoint& p) { return p.confirmed + p.offered + p.waiting; }, "#E69F00");
    std::string d;
    for (std::size_t i = 0; i < points.size(); ++i) {
      absl::StrAppend(&d, i == 0 ? "M" : " L", Num(x(i)), " ", Num(y(points[i].expired)));
    }
    svg.Path(d, "none", "#c0392b", 2);
    // Time labels at five points.
    for (int k = 0; k <= 4; ++k) {
      const std::size_t i = (points.size() - 1) * k / 4;
      const domain::LocalDateTime t = domain::InstantToLocal(time_zone, points[i].time);
      const domain::LocalDate d0{date::floor<date::days>(t)};
      const auto hm = date::make_time(t - date::floor<date::days>(t));
      svg.Text(x(i), h - bottom + 14, ShortDay(d0),
               {.anchor = k == 0 ? "start" : (k == 4 ? "end" : "middle"), .size = 10});
      svg.Text(x(i), h - bottom + 26,
               absl::StrFormat("%02d:%02d", hm.hours().count(), hm.minutes().count()),
               {.anchor = k == 0 ? "start" : (k == 4 ? "end" : "middle"), .size = 10});
    }
  }
  svg.Line(left, top + ph, w - right, top + ph, "#555");
  const double ly = h - 12;
  svg.Rect(left, ly - 9, 10, 10, "#009E73");
  svg.Text(left + 14, ly, "bestätigt", {.size = 10});
  svg.Rect(left + 90, ly - 9, 10, 10, "#56B4E9");
  svg.Text(left + 104, ly, "Angebot offen", {.size = 10});
  svg.Rect(left + 200, ly - 9, 10, 10, "#E69F00");
  svg.Text(left + 214, ly, "wartet auf Angebot", {.size = 10});
  svg.Line(left + 330, ly - 4, left + 350, ly - 4, "#c0392b", 2);
  svg.Text(left + 354, ly, "abgelaufene Angebote (Summe)", {.size = 10});
  return std::move(svg).Finish();
}

std::string HeatmapChart(const ReportModel& m, const ReportInput& in) {
  const std::size_t rows = in.offices.size(), cols = m.days.size();
  const double label_w = 130, cell_w = 34, cell_h = 26, top = 34;
  const double w = label_w + cell_w * static_cast<double>(std::max<std::size_t>(cols, 1)) + 8;
  const double h = top + cell_h * static_cast<double>(std::max<std::size_t>(rows, 1)) + 40;
  Svg svg("heatmap", w, h, "Auslastung je Amt und Tag");
  for (std::size_t c = 0; c < cols; ++c) {
    const std::string day = ShortDay(m.days[c]);
    const double cx = label_w + cell_w * static_cast<double>(c) + cell_w / 2;
    svg.Text(cx, 13, day.substr(0, 2), {.anchor = "middle", .size = 9});
    svg.Text(cx, 26, day.substr(3, 3), {.anchor = "middle", .size = 9});
  }
  for (std::size_t r = 0; r < rows; ++r) {
    const double y = top + cell_h * static_cast<double>(r);
    std::string name = OfficeDisplayName(in, in.offices[r].id);
    if (name.size() > 20) name = name.substr(0, 19) + "…";
    svg.Text(label_w - 6, y + cell_h / 2 + 4, name, {.anchor = "end", .size = 10});
    for (std::size_t c = 0; c < cols; ++c) {
      const OfficeDayLoad& l = m.loads[r * cols + c];
      const double x = label_w + cell_w * static_cast<double>(c);
      if (!l.works && l.rebooked_minutes == 0) {
        svg.Rect(x + 1, y + 1, cell_w - 2, cell_h - 2, "#f1f1f1",
                 absl::StrCat(name, " ", ShortDay(l.day), ": geschlossen"));
        continue;
      }
      const double u = l.Utilisation();
      const std::string title = absl::StrFormat(
          "%s %s: %d min umgebucht von %d min frei (Reserve %d min, Mehrarbeit %d min)", name,
          ShortDay(l.day), l.rebooked_minutes,
          l.regular_minutes - l.reserve_minutes + l.overtime_minutes, l.reserve_minutes,
          l.overtime_minutes);
      svg.Rect(x + 1, y + 1, cell_w - 2, cell_h - 2, HeatColour(u), title);
      svg.Text(x + cell_w / 2, y + cell_h / 2 + 4,
               absl::StrCat(static_cast<int>(std::lround(100 * std::min(u, 9.99)))),
               {.anchor = "middle", .size = 9, .fill = u > 0.55 ? "#fff" : "#222"});
    }
  }
  const double ly = h - 14;
  const double steps[] = {0.0, 0.25, 0.5, 0.75, 1.0, 1.2, 1.5};
  for (int i = 0; i < 7; ++i) svg.Rect(label_w + 24.0 * i, ly - 10, 22, 12, HeatColour(steps[i]));
  svg.Text(label_w + 24 * 7 + 4, ly, "% der freien Zeit nach Reserve; rot: Reserve angegriffen",
           {.size = 9});
  return std::move(svg).Finish();
}

std::string DelayChart(const DelayStats& d) {
  const double w = 420, h = 180, left = 36, bottom = 34, top = 12;
  Svg svg("delays", w, h, "Verschiebung in Arbeitstagen");
  int max = 1;
  for (int v : d.by_working_days) max = std::max(max, v);
  const int step = TickStep(max, 4);
  const int top_value = (max + step - 1) / step * step;
  const double pw = w - left - 8, ph = h - top - bottom, bw = pw / 12;
  for (int v = 0; v <= top_value; v += step) {
    const double y = top + ph - ph * v / top_value;
    svg.Line(left, y, w - 8, y, "#ddd");
    svg.Text(left - 4, y + 4, absl::StrCat(v), {.anchor = "end", .size = 9});
  }
  for (int i = 0; i < 12; ++i) {
    const double bh = ph * d.by_working_days[i] / top_value;
    const double x = left + bw * i;
    svg.Rect(x + 2, top + ph - bh, bw - 4, bh, i <= 5 ? "#009E73" : "#E69F00",
             absl::StrCat(d.by_working_days[i], " Termine mit ",
                          i == 11 ? "mehr als 10" : absl::StrCat(i), " Arbeitstagen Verschiebung"));
    svg.Text(x + bw / 2, top + ph + 12, i == 11 ? ">10" : absl::StrCat(i),
             {.anchor = "middle", .size = 9});
  }
  svg.Line(left + bw * 6, top, left + bw * 6, top + ph, "#555", 1, "stroke-dasharray=\"4 3\"");
  svg.Text(left + pw / 2, h - 6, "Arbeitstage später als der ausgefallene Termin",
           {.anchor = "middle", .size = 10});
  return std::move(svg).Finish();
}

std::string GanttChart(const GanttDay& g, const ReportInput& in, int index) {
  std::int64_t from = 24 * 60, to = 0;
  for (const GanttShift& s : g.shifts)
    from = std::min(from, s.start_min), to = std::max(to, s.end_min);
  for (const GanttBar& b : g.bars) from = std::min(from, b.start_min), to = std::max(to, b.end_min);
  from = from / 60 * 60;
  to = std::max(from + 60, (to + 59) / 60 * 60);
  const double label_w = 110, row_h = 18, top = 18, right = 8;
  const double w = 720;
  const double h = top + row_h * static_cast<double>(std::max<std::size_t>(g.clerks.size(), 1)) + 6;
  Svg svg(absl::StrCat("gantt-", index), w, h,
          absl::StrCat("Belegung ", OfficeDisplayName(in, g.office_id), " ", ShortDay(g.day)));
  const double pw = w - label_w - right;
  auto x = [&](std::int64_t minute) {
    return label_w + pw * static_cast<double>(minute - from) / static_cast<double>(to - from);
  };
  for (std::int64_t m = from; m <= to; m += 60) {
    svg.Line(x(m), top - 4, x(m), h - 4, "#e3e3e3");
    svg.Text(x(m), top - 6, absl::StrFormat("%02d", m / 60),
             {.anchor = "middle", .size = 9, .fill = "#666"});
  }
  for (std::size_t r = 0; r < g.clerks.size(); ++r) {
    svg.Text(label_w - 6, top + row_h * static_cast<double>(r) + 12, g.clerks[r],
             {.anchor = "end", .size = 9});
  }
  for (const GanttShift& s : g.shifts) {
    svg.Rect(x(s.start_min), top + row_h * s.row + 1, x(s.end_min) - x(s.start_min), row_h - 2,
             s.overtime ? "#fde9d9" : "#eef2f6", s.overtime ? "Mehrarbeit" : "Schicht");
  }
  for (const GanttBar& b : g.bars) {
    std::string service = b.service >= 0 ? in.services[b.service].display_name : "";
    if (service.empty() && b.service >= 0) service = in.services[b.service].id;
    svg.Rect(x(b.start_min), top + row_h * b.row + 3,
             std::max(1.0, x(b.end_min) - x(b.start_min) - 0.5), row_h - 6,
             ServiceColour(b.service),
             absl::StrFormat("%s %02d:%02d–%02d:%02d %s", b.appointment_id, b.start_min / 60,
                             b.start_min % 60, b.end_min / 60, b.end_min % 60, service));
  }
  return std::move(svg).Finish();
}

}  // namespace rebook::report
