// The report's charts as inline SVG (svg.h), each with a stable element id:
//   "burn-down", "heatmap", "delays" and "gantt-<n>" (n = index into ReportModel::gantt).
// Labels are German, as the report's readers are the offices' staff.
#ifndef REBOOK_SERVICES_REPORT_CHARTS_H_
#define REBOOK_SERVICES_REPORT_CHARTS_H_

#include <string>

#include "services/report/report_input.h"
#include "services/report/report_model.h"

namespace rebook::report {

// Backlog over time: confirmed, offered and waiting stacked; expired offers as a dashed line.
std::string BurnDownChart(const std::vector<BurnPoint>& points, const std::string& time_zone);
// Office x day: rebooked minutes against what is open to rebooking (capacity minus reserve).
std::string HeatmapChart(const ReportModel& model, const ReportInput& input);
// Placed citizens by working days of delay, with the 5-working-day mark.
std::string DelayChart(const DelayStats& delays);
// One office-day: clerks as rows, shifts as light bands, appointments as bars by service.
std::string GanttChart(const GanttDay& day, const ReportInput& input, int index);

// The colour of service `index` (a colour-blind-safe palette); grey for -1.
const char* ServiceColour(int index);
// "Sa 31.01." for a local date.
std::string ShortDay(domain::LocalDate day);

}  // namespace rebook::report

#endif  // REBOOK_SERVICES_REPORT_CHARTS_H_
