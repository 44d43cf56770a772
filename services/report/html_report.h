// The outage report as one self-contained HTML page: inline CSS and SVG, no scripts, no
// external assets (fonts, images, links to other sites), so it works offline, in a mail
// attachment and printed on A4. German, for the offices' staff.
//
// Sections (element ids): "summary" (key figures), "status" (citizens per office, offers,
// messages by channel, who to call), "backlog" (burn-down), "load" (heatmap), "delay" (delays
// in days and working days), "shortfall" (missing capacity and the extra shifts that pay off
// most) and "schedule" (a Gantt chart per office-day). Never shows the solver's objective.
//
//   std::string html = RenderHtmlReport(input);   // write it to a file or an HTTP answer
#ifndef REBOOK_SERVICES_REPORT_HTML_REPORT_H_
#define REBOOK_SERVICES_REPORT_HTML_REPORT_H_

#include <string>

#include "services/report/report_input.h"

namespace rebook::report {

std::string RenderHtmlReport(const ReportInput& input);

// German name of a citizen state, e.g. "wartet" for kCancelled.
const char* CitizenStateName(CitizenState state);

}  // namespace rebook::report

#endif  // REBOOK_SERVICES_REPORT_HTML_REPORT_H_
