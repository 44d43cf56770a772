#include "services/export/day_list_pdf.h"

#include <cairo.h>

#include <algorithm>
#include <map>
#include <tuple>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "services/common/status_macros.h"
#include "services/domain/local_time.h"
#include "services/pdf/pdf_painter.h"

namespace rebook::exports {
namespace {

using pdf::kMm;
constexpr double kLeft = 15 * kMm;
constexpr double kRight = 15 * kMm;
constexpr double kTop = 20 * kMm;
constexpr double kBottom = 18 * kMm;
constexpr double kWidth = pdf::kA4Width - kLeft - kRight;
constexpr double kLargest = 13;
constexpr double kSmallest = 9;
// Column starts as fractions of the text width: time, citizen, service, cases, language, notes.
constexpr double kColumns[] = {0, 0.17, 0.42, 0.62, 0.69, 0.75};

constexpr const char* kWeekdays[] = {"Sonntag",    "Montag",  "Dienstag", "Mittwoch",
                                     "Donnerstag", "Freitag", "Samstag"};

struct PageKey {
  std::string office_id;
  domain::LocalDate day;
  std::string clerk_name;
  std::string clerk_id;
  bool operator<(const PageKey& o) const {
    return std::tie(office_id, day, clerk_name, clerk_id) <
           std::tie(o.office_id, o.day, o.clerk_name, o.clerk_id);
  }
};

std::string DayText(domain::LocalDate d) {
  const date::weekday wd{date::sys_days(d)};
  return absl::StrFormat("%s, %02u.%02u.%04d", kWeekdays[wd.c_encoding()],
                         static_cast<unsigned>(d.day()), static_cast<unsigned>(d.month()),
                         static_cast<int>(d.year()));
}

std::string Clock(const std::string& tz, Instant t) {
  return date::format("%H:%M", domain::InstantToLocal(tz, t));
}

std::string Notes(const ScheduleEntry& e) {
  const domain::Appointment& a = *e.appointment;
  std::vector<std::string> notes;
  if (a.kind == domain::AppointmentKind::kWalkIn) notes.push_back("ohne Termin");
  if (a.priority > 1) notes.push_back(absl::StrCat("Priorität ", a.priority));
  const std::string& otz = e.original_office->time_zone;
  std::string original = absl::StrCat(
      "urspr. ", date::format("%d.%m. %H:%M", domain::InstantToLocal(otz, a.original_start)));
  if (a.office_id != e.office->id) absl::StrAppend(&original, " in ", e.original_office->name);
  notes.push_back(original);
  if (a.rebooked_slot->confirmed_via == domain::ConfirmationChannel::kPhone) {
    notes.push_back("telefonisch bestätigt");
  } else if (a.rebooked_slot->confirmed_via == domain::ConfirmationChannel::kStaff) {
    notes.push_back("von Mitarbeitenden bestätigt");
  }
  if (!a.contact.phone.empty()) notes.push_back(absl::StrCat("Tel. ", a.contact.phone));
  return absl::StrJoin(notes, "; ");
}

class DayListPainter {
 public:
  DayListPainter(pdf::PdfFile& file, const Schedule& schedule, const DayListOptions& options)
      : file_(file), p_(file.cr(), options.font), schedule_(schedule), options_(options) {}

  void Page(const PageKey& key, const std::vector<const ScheduleEntry*>& rows) {
    const domain::Office& office = *schedule_.FindOffice(key.office_id);
    // The largest size at which the day fits one page.
    double size = kLargest;
    while (size > kSmallest && Header(size) + Rows(rows.size(), size) > Usable()) size -= 0.5;
    size_t next = 0;
    bool continued = false;
    do {
      double y = DrawHeader(office, key, size, continued);
      while (next < rows.size() && y + RowHeight(size) <= pdf::kA4Height - kBottom) {
        DrawRow(*rows[next++], office.time_zone, y, size);
        y += RowHeight(size);
      }
      DrawFooter(office);
      file_.ShowPage();
      continued = true;
    } while (next < rows.size());
  }

  void Empty() {
    p_.Font(kLargest, true);
    p_.Text(kLeft, kTop, absl::StrCat("Tagesliste ", schedule_.data().outage_id));
    p_.Font(kLargest, false);
    p_.Text(kLeft, kTop + 2 * p_.line_height(), "Keine bestätigten Termine.");
    file_.ShowPage();
  }

 private:
  static double Usable() { return pdf::kA4Height - kTop - kBottom; }
  static double RowHeight(double size) { return size * 1.35 * 1.45; }
  static double Header(double size) { return size * 1.35 * 5.5; }
  static double Rows(size_t n, double size) { return n * RowHeight(size); }

  double DrawHeader(const domain::Office& office, const PageKey& key, double size, bool continued) {
    cairo_set_source_rgb(p_.cr(), 0, 0, 0);
    p_.Font(size * 1.5, true);
    double y = kTop;
    p_.Text(kLeft, y,
            p_.Fit(absl::StrCat("Tagesliste ", key.clerk_name, continued ? " (Fortsetzung)" : ""),
                   kWidth));
    y += p_.line_height();
    p_.Font(size, false);
    p_.Text(kLeft, y, p_.Fit(absl::StrCat(DayText(key.day), " · ", office.name), kWidth));
    y += 2 * p_.line_height();
    p_.Font(size * 0.8, true);
    const char* titles[] = {"Zeit", "Bürger/in", "Leistung", "Fälle", "Spr.", "Hinweise"};
    for (int i = 0; i < 6; ++i) p_.Text(kLeft + kColumns[i] * kWidth, y, titles[i]);
    y += p_.line_height() * 0.4;
    cairo_set_line_width(p_.cr(), 1);
    cairo_move_to(p_.cr(), kLeft, y);
    cairo_line_to(p_.cr(), kLeft + kWidth, y);
    cairo_stroke(p_.cr());
    return y + RowHeight(size) * 0.8;
  }

  void DrawRow(const ScheduleEntry& e, const std::string& tz, double y, double size) {
    const domain::Appointment& a = *e.appointment;
    const std::string cells[] = {
        absl::StrCat(Clock(tz, e.slot->time.start), "–", Clock(tz, e.slot->time.end)),
        a.contact.name.empty() ? a.id : a.contact.name,
        e.service_name,
        absl::StrCat(a.cases),
        a.contact.language,
        Notes(e)};
    for (int i = 0; i < 6; ++i) {
      const double x = kLeft + kColumns[i] * kWidth;
      const double width = (i < 5 ? kColumns[i + 1] * kWidth : kWidth) - kColumns[i] * kWidth;
      p_.Font(i == 5 ? size * 0.72 : size, i == 0);
      if (i == 5) {
        // Notes take two smaller lines in the row.
        std::vector<std::string> lines = p_.Wrap(cells[i], width);
        for (size_t l = 0; l < std::min<size_t>(2, lines.size()); ++l) {
          std::string text = lines[l];
          if (l == 1 && lines.size() > 2) text = p_.Fit(text + " …", width);
          p_.Text(x, y - size * 0.3 + l * size * 0.9, text);
        }
        continue;
      }
      p_.Text(x, y, p_.Fit(cells[i], width - 2 * kMm));
    }
    cairo_set_line_width(p_.cr(), 0.3);
    cairo_move_to(p_.cr(), kLeft, y + RowHeight(size) * 0.45);
    cairo_line_to(p_.cr(), kLeft + kWidth, y + RowHeight(size) * 0.45);
    cairo_stroke(p_.cr());
  }

  void DrawFooter(const domain::Office& office) {
    p_.Font(8, false);
    p_.Text(
        kLeft, pdf::kA4Height - 10 * kMm,
        absl::StrCat("rebook · Ausfall ", schedule_.data().outage_id, " · Stand ",
                     date::format("%d.%m.%Y %H:%M",
                                  domain::InstantToLocal(office.time_zone, options_.printed_at))));
  }

  pdf::PdfFile& file_;
  pdf::PdfPainter p_;
  const Schedule& schedule_;
  const DayListOptions& options_;
};

}  // namespace

absl::StatusOr<int> WriteDayListsPdf(const Schedule& schedule, const std::string& path,
                                     const DayListOptions& options) {
  std::map<PageKey, std::vector<const ScheduleEntry*>> pages;
  for (const ScheduleEntry& e : schedule.rebooked()) {
    const std::string& tz = e.office->time_zone;
    pages[{e.office->id, domain::LocalDateOf(tz, e.slot->time.start), e.clerk_name,
           e.slot->clerk_id}]
        .push_back(&e);
  }
  pdf::PdfFile file(path);
  DayListPainter painter(file, schedule, options);
  for (auto& [key, rows] : pages) {
    std::sort(rows.begin(), rows.end(), [](const ScheduleEntry* a, const ScheduleEntry* b) {
      return std::tie(a->slot->time.start, a->appointment->id) <
             std::tie(b->slot->time.start, b->appointment->id);
    });
    painter.Page(key, rows);
  }
  if (pages.empty()) painter.Empty();
  REBOOK_RETURN_IF_ERROR(file.status());
  const int count = file.pages();
  REBOOK_RETURN_IF_ERROR(file.Finish());
  return count;
}

}  // namespace rebook::exports
