#include "services/report/html_report.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "services/domain/local_time.h"
#include "services/report/charts.h"
#include "services/report/report_model.h"
#include "services/report/svg.h"

namespace rebook::report {
namespace {

constexpr const char* kStyle = R"css(
@page { size: A4; margin: 12mm; }
* { box-sizing: border-box; }
body { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; color: #222;
       margin: 0 auto; padding: 16px; max-width: 1100px; font-size: 14px; line-height: 1.4; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 17px; margin: 28px 0 8px; border-bottom: 2px solid #0072B2; padding-bottom: 2px; }
h3 { font-size: 14px; margin: 16px 0 4px; }
.meta { color: #555; margin: 0 0 12px; }
.cards { display: flex; flex-wrap: wrap; gap: 10px; }
.card { flex: 1 1 200px; border: 1px solid #ccd; border-radius: 6px; padding: 8px 12px;
        background: #f7f9fc; }
.card b { display: block; font-size: 22px; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; margin: 6px 0; font-size: 13px; }
th, td { border: 1px solid #ccc; padding: 3px 8px; text-align: right; }
th:first-child, td:first-child { text-align: left; }
th { background: #eef2f6; }
svg.chart { width: 100%; height: auto; display: block; max-width: 100%; }
figure { margin: 8px 0; break-inside: avoid; }
figcaption { font-size: 12px; color: #555; }
.legend span { display: inline-block; margin-right: 12px; font-size: 12px; }
.legend i { display: inline-block; width: 10px; height: 10px; margin-right: 4px; }
.best { border-left: 4px solid #009E73; padding-left: 8px; }
.ids { font-family: "DejaVu Sans Mono", monospace; font-size: 12px; word-break: break-all; }
footer { margin-top: 24px; color: #777; font-size: 11px; }
@media print { body { padding: 0; max-width: none; font-size: 11px; }
  h2 { break-after: avoid; } .scroll { overflow: visible; } table { font-size: 10px; } }
)css";

std::string LocalText(const std::string& tz, Instant t) {
  const domain::LocalDateTime local = domain::InstantToLocal(tz, t);
  const domain::LocalDate day{date::floor<date::days>(local)};
  const auto hm = date::make_time(local - date::floor<date::days>(local));
  return absl::StrFormat("%02u.%02u.%04d %02d:%02d", static_cast<unsigned>(day.day()),
                         static_cast<unsigned>(day.month()), static_cast<int>(day.year()),
                         hm.hours().count(), hm.minutes().count());
}

std::string ServiceName(const ReportInput& in, const std::string& id) {
  for (const ServiceInfo& s : in.services) {
    if (s.id == id) return s.display_name.empty() ? s.id : s.display_name;
  }
  return id;
}

std::string Decimal(double v) {  // German decimal comma
  std::string s = absl::StrFormat("%.1f", v);
  std::replace(s.begin(), s.end(), '.', ',');
  return s;
}

std::string Hours(std::int64_t minutes) { return Decimal(static_cast<double>(minutes) / 60.0); }

void Card(std::string& out, const std::string& value, const std::string& label) {
  absl::StrAppend(&out, "<div class=\"card\"><b>", HtmlEscape(value), "</b>", HtmlEscape(label),
                  "</div>\n");
}

void Summary(const ReportInput& in, const ReportModel& m, std::string& out) {
  const DelayStats& d = m.delays;
  out += "<section id=\"summary\"><div class=\"cards\">\n";
  Card(out, absl::StrCat(d.within_5_working_days, " von ", d.total),
       "innerhalb von 5 Arbeitstagen untergebracht");
  Card(out, absl::StrCat(d.placed, " von ", d.total), "haben einen neuen Termin im Plan");
  Card(out, absl::StrCat(Decimal(d.mean_days), " Tage"),
       absl::StrCat("mittlere Verschiebung (", Decimal(d.mean_working_days), " Arbeitstage)"));
  Card(out, absl::StrCat(d.max_days, " Tage"),
       absl::StrCat("längste Verschiebung (", d.max_working_days, " Arbeitstage)"));
  Card(out, absl::StrCat(m.offers_open),
       absl::StrCat("Angebote offen, ", m.offers_expiring_24h, " laufen in 24 Std. ab"));
  Card(out, absl::StrCat(m.to_call.size()), "Bürger:innen telefonisch erreichen");
  out += "</div></section>\n";
  (void)in;
}

void StatusBoard(const ReportInput& in, const ReportModel& m, std::string& out) {
  out +=
      "<section id=\"status\"><h2>Stand je Amt</h2><div class=\"scroll\"><table><tr><th>Amt</th>";
  for (int s = 0; s < kCitizenStateCount; ++s) {
    absl::StrAppend(&out, "<th>", CitizenStateName(static_cast<CitizenState>(s)), "</th>");
  }
  out += "<th>gesamt</th></tr>\n";
  std::array<int, kCitizenStateCount> total{};
  for (const auto& [office, counts] : m.status_by_office) {
    absl::StrAppend(&out, "<tr><td>", HtmlEscape(OfficeDisplayName(in, office)), "</td>");
    int sum = 0;
    for (int s = 0; s < kCitizenStateCount; ++s) {
      absl::StrAppend(&out, "<td>", counts[s], "</td>");
      sum += counts[s];
      total[s] += counts[s];
    }
    absl::StrAppend(&out, "<td>", sum, "</td></tr>\n");
  }
  out += "<tr><th>alle</th>";
  int sum = 0;
  for (int v : total) absl::StrAppend(&out, "<th>", v, "</th>"), sum += v;
  absl::StrAppend(&out, "<th>", sum, "</th></tr></table></div>\n");
  absl::StrAppend(&out, "<p>Angebote: ", m.offers_open, " offen, davon ", m.offers_expiring_24h,
                  " mit Ablauf in den nächsten 24 Stunden; ", m.offers_expired,
                  " abgelaufen.</p>\n");
  out += "<h3>Nachrichten je Kanal</h3>";
  if (m.channels.empty()) {
    out += "<p>Noch keine Nachrichten.</p>\n";
  } else {
    static constexpr const char* kStates[] = {"PENDING",   "LEASED", "SENT",
                                              "DELIVERED", "FAILED", "DEAD"};
    static constexpr const char* kStateNames[] = {"wartet",
                                                  "in Arbeit",
                                                  "versandt",
                                                  "zugestellt",
                                                  "Fehler, neuer Versuch",
                                                  "endgültig fehlgeschlagen"};
    out += "<div class=\"scroll\"><table><tr><th>Kanal</th>";
    for (const char* s : kStateNames) absl::StrAppend(&out, "<th>", s, "</th>");
    out += "</tr>\n";
    for (const ChannelRow& row : m.channels) {
      absl::StrAppend(&out, "<tr><td>", HtmlEscape(row.channel), "</td>");
      for (const char* s : kStates) {
        auto it = row.by_state.find(s);
        absl::StrAppend(&out, "<td>", it == row.by_state.end() ? 0 : it->second, "</td>");
      }
      out += "</tr>\n";
    }
    out += "</table></div>\n";
  }
  absl::StrAppend(&out, "<h3>Anrufen (", m.to_call.size(), ")</h3>");
  if (m.to_call.empty()) {
    out += "<p>Niemand: alle sind auf einem anderen Weg erreichbar.</p>\n";
  } else {
    out +=
        "<p>Nicht erreichbar oder nur telefonisch erreichbar (Telefonnummern in der "
        "Anrufliste <code>calls.csv</code>):</p><p class=\"ids\">";
    const std::size_t shown = std::min<std::size_t>(m.to_call.size(), 300);
    for (std::size_t i = 0; i < shown; ++i) {
      absl::StrAppend(&out, i ? ", " : "", HtmlEscape(m.to_call[i]));
    }
    if (shown < m.to_call.size())
      absl::StrAppend(&out, " … und ", m.to_call.size() - shown, " weitere");
    out += "</p>\n";
  }
  out += "</section>\n";
}

void Shortfall(const ReportInput& in, std::string& out) {
  out += "<section id=\"shortfall\"><h2>Fehlende Kapazität und Zusatzschichten</h2>\n";
  if (!in.plan.has_value()) {
    out += "<p>Noch kein Plan berechnet.</p></section>\n";
    return;
  }
  const PlanInfo& p = *in.plan;
  if (p.shortfall.empty()) {
    out += "<p>Der Plan bringt alle Bürger:innen in der vorhandenen Kapazität unter.</p>\n";
  } else {
    out +=
        "<p>Um alle rechtzeitig unterzubringen, fehlen qualifizierte Stunden:</p><div "
        "class=\"scroll\"><table><tr><th>Amt</th><th>Dienstleistung</th><th>bis</th>"
        "<th>fehlende Stunden</th><th>nicht untergebracht</th></tr>\n";
    for (const ShortfallInfo& s : p.shortfall) {
      absl::StrAppend(&out, "<tr><td>", HtmlEscape(OfficeDisplayName(in, s.office_id)), "</td><td>",
                      HtmlEscape(ServiceName(in, s.service_id)), "</td><td>", ShortDay(s.by_day),
                      "</td><td>", Hours(s.missing_minutes), "</td><td>", s.unplaced_count,
                      "</td></tr>\n");
    }
    out += "</table></div>\n";
  }
  if (!p.suggested_shifts.empty()) {
    out += "<h3>Die drei Zusatzschichten, die am meisten bringen</h3><ol class=\"best\">\n";
    for (std::size_t i = 0; i < p.suggested_shifts.size() && i < 3; ++i) {
      const SuggestedShiftInfo& s = p.suggested_shifts[i];
      absl::StrAppend(&out, "<li><b>", HtmlEscape(OfficeDisplayName(in, s.office_id)), ", ",
                      ShortDay(s.day), "</b>: ", Hours(s.minutes), " Std. mit ",
                      HtmlEscape(ServiceName(in, s.service_id)));
      if (s.placed_count > 0) absl::StrAppend(&out, " – bringt ", s.placed_count, " Termine unter");
      if (s.effect.has_value()) {
        const ShiftEffect& e = *s.effect;
        absl::StrAppend(
            &out, "<br><span class=\"effect\">Neu gerechnet: ", e.placed_after, " statt ",
            e.placed_before, " untergebracht, ", e.within_5_after, " statt ", e.within_5_before,
            " innerhalb von 5 Arbeitstagen, "
            "mittlere Verschiebung ",
            Decimal(e.mean_days_after), " statt ", Decimal(e.mean_days_before), " Tage</span>");
      }
      out += "</li>\n";
    }
    out += "</ol>\n";
    if (p.suggested_shifts.size() > 3) {
      out +=
          "<div class=\"scroll\"><table><tr><th>Amt</th><th>Tag</th><th>Dienstleistung</th>"
          "<th>Stunden</th></tr>\n";
      for (std::size_t i = 3; i < p.suggested_shifts.size(); ++i) {
        const SuggestedShiftInfo& s = p.suggested_shifts[i];
        absl::StrAppend(&out, "<tr><td>", HtmlEscape(OfficeDisplayName(in, s.office_id)),
                        "</td><td>", ShortDay(s.day), "</td><td>",
                        HtmlEscape(ServiceName(in, s.service_id)), "</td><td>", Hours(s.minutes),
                        "</td></tr>\n");
      }
      out += "</table></div>\n";
    }
  }
  out += "</section>\n";
}

void Schedule(const ReportInput& in, const ReportModel& m, std::string& out) {
  out += "<section id=\"schedule\"><h2>Belegung je Amt und Tag</h2><p class=\"legend\">";
  for (std::size_t i = 0; i < in.services.size(); ++i) {
    absl::StrAppend(&out, "<span><i style=\"background:", ServiceColour(static_cast<int>(i)),
                    "\"></i>", HtmlEscape(ServiceName(in, in.services[i].id)), "</span>");
  }
  out +=
      "<span><i style=\"background:#eef2f6\"></i>Schicht</span><span><i "
      "style=\"background:#fde9d9\"></i>Mehrarbeit</span></p>\n";
  if (m.gantt.empty()) out += "<p>Keine umgebuchten Termine im Plan.</p>\n";
  for (std::size_t i = 0; i < m.gantt.size(); ++i) {
    const GanttDay& g = m.gantt[i];
    absl::StrAppend(&out, "<figure><figcaption>", HtmlEscape(OfficeDisplayName(in, g.office_id)),
                    ", ", ShortDay(g.day), domain::FormatLocalDate(g.day).substr(0, 4), ": ",
                    g.bars.size(), " Termine</figcaption>\n",
                    GanttChart(g, in, static_cast<int>(i)), "</figure>\n");
  }
  out += "</section>\n";
}

}  // namespace

const char* CitizenStateName(CitizenState state) {
  switch (state) {
    case CitizenState::kCancelled:
      return "wartet auf Angebot";
    case CitizenState::kOffered:
      return "Angebot offen";
    case CitizenState::kConfirmed:
      return "bestätigt";
    case CitizenState::kDeclined:
      return "abgelehnt";
    case CitizenState::kSelfRebooked:
      return "selbst umgebucht";
    case CitizenState::kUnreachable:
      return "nicht erreichbar";
    case CitizenState::kClosed:
      return "abgeschlossen";
  }
  return "";
}

std::string RenderHtmlReport(const ReportInput& in) {
  const ReportModel m = BuildReportModel(in);
  const std::string tz = in.offices.empty() ? "Europe/Berlin" : in.offices[0].time_zone;
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"de\"><head><meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  absl::StrAppend(&out, "<title>Ausfallbericht ", HtmlEscape(in.outage_id), "</title>\n<style>",
                  kStyle, "</style></head><body>\n");
  absl::StrAppend(&out, "<header><h1>Ausfallbericht ", HtmlEscape(in.outage_id), "</h1>\n",
                  "<p class=\"meta\">", HtmlEscape(in.cause.empty() ? "Ausfall" : in.cause),
                  " – ausgefallen ", LocalText(tz, in.window_start), " bis ",
                  LocalText(tz, in.window_end), ". Stand ", LocalText(tz, in.generated_at));
  if (in.plan.has_value()) {
    absl::StrAppend(&out, "; Plan ", HtmlEscape(in.plan->id), " (",
                    in.plan->state == "committed" ? "freigegeben" : "Entwurf", ", Reserve ",
                    static_cast<int>(std::lround(100 * in.plan->reserve_share)), " %)");
  }
  out += ".</p></header>\n";
  Summary(in, m, out);
  StatusBoard(in, m, out);
  absl::StrAppend(&out, "<section id=\"backlog\"><h2>Rückstand im Zeitverlauf</h2><figure>",
                  BurnDownChart(m.burn_down, tz),
                  "<figcaption>Seit der Ausfallmeldung: wer bestätigt hat, wem ein Angebot "
                  "vorliegt und wer noch auf eines wartet (auch nach Ablehnung oder "
                  "Ablauf).</figcaption></figure></section>\n");
  absl::StrAppend(&out, "<section id=\"load\"><h2>Auslastung je Amt und Tag</h2><figure>",
                  HeatmapChart(m, in),
                  "<figcaption>Umgebuchte Minuten in Prozent der Zeit, die nach der Reserve für "
                  "neue Buchungen frei ist (Schichten minus feste Termine minus Reserve, plus "
                  "Mehrarbeit). Grau: das Amt arbeitet nicht.</figcaption></figure></section>\n");
  const DelayStats& d = m.delays;
  absl::StrAppend(&out, "<section id=\"delay\"><h2>Verschiebung</h2><p>", d.within_5_working_days,
                  " von ", d.total,
                  " Bürger:innen haben einen Termin innerhalb von 5 Arbeitstagen nach dem "
                  "ausgefallenen Termin; ",
                  d.placed, " haben einen neuen Termin im Plan. Im Mittel ", Decimal(d.mean_days),
                  " Tage (", Decimal(d.mean_working_days), " Arbeitstage) später, ",
                  "die Hälfte höchstens ", d.median_days, " Tage, längstens ", d.max_days,
                  " Tage (", d.max_working_days, " Arbeitstage).</p><figure>", DelayChart(d),
                  "</figure></section>\n");
  Shortfall(in, out);
  Schedule(in, m, out);
  absl::StrAppend(&out, "<footer>Erstellt von rebook am ", LocalText(tz, in.generated_at),
                  ". Enthält keine Namen oder Kontaktdaten; Terminnummern sind die des "
                  "Buchungssystems.</footer>\n</body></html>\n");
  return out;
}

}  // namespace rebook::report
