// The CSV exports of a schedule (RFC 4180, UTF-8, LF line ends; columns in docs/exports.md):
//
//   schedule.csv  one row per rebooked (confirmed) appointment: what a booking system imports;
//   blocks.csv    one row per slot rebook holds (open offer) or has filled (confirmed), ordered
//                 by clerk and start, so that the booking system blocks them for online booking.
//
//   std::string csv = ScheduleCsv(schedule);
#ifndef REBOOK_SERVICES_EXPORT_SCHEDULE_CSV_H_
#define REBOOK_SERVICES_EXPORT_SCHEDULE_CSV_H_

#include <string>
#include <vector>

#include "services/export/schedule.h"

namespace rebook::exports {

std::vector<std::string> ScheduleCsvColumns();
std::string ScheduleCsv(const Schedule& schedule);

std::vector<std::string> BlocksCsvColumns();
std::string BlocksCsv(const Schedule& schedule);

}  // namespace rebook::exports

#endif  // REBOOK_SERVICES_EXPORT_SCHEDULE_CSV_H_
