#include "services/report/html_report.h"

#include <regex>

#include "gtest/gtest.h"
#include "services/domain/local_time.h"

namespace rebook::report {
namespace {

Instant BerlinAt(const char* local) {
  return *domain::LocalToInstant("Europe/Berlin", *domain::ParseLocalDateTime(local));
}

ReportInput Example() {
  ReportInput in;
  in.outage_id = "outage-1";
  in.cause = "Strom <und> IT";
  in.window_start = BerlinAt("2026-01-27T11:50");
  in.window_end = BerlinAt("2026-01-27T16:30");
  in.declared = BerlinAt("2026-01-27T12:00");
  in.generated_at = BerlinAt("2026-01-28T12:00");
  in.offices = {{"A", "Bürgeramt Mitte", "Europe/Berlin", "DE-ST"}};
  in.services = {{"kfz", "Kfz-Zulassung"}};
  in.shifts.push_back(
      {"A", "c1", BerlinAt("2026-01-28T08:00"), BerlinAt("2026-01-28T12:00"), false});
  Citizen c{.appointment_id = "a1",
            .office_id = "A",
            .service_id = "kfz",
            .state = CitizenState::kOffered,
            .original_start = BerlinAt("2026-01-27T12:00"),
            .placed = true,
            .slot_office_id = "A",
            .clerk_id = "c1",
            .slot_start = BerlinAt("2026-01-28T08:00"),
            .slot_end = BerlinAt("2026-01-28T08:30")};
  in.citizens.push_back(c);
  in.offers.push_back({"a1", OfferState::kOpen, BerlinAt("2026-01-27T18:00"),
                       BerlinAt("2026-01-28T20:00"), std::nullopt});
  in.plan = PlanInfo{.id = "p1",
                     .state = "committed",
                     .reserve_share = 0.2,
                     .horizon_start = BerlinAt("2026-01-28T07:00"),
                     .horizon_end = BerlinAt("2026-02-04T07:00")};
  in.plan->shortfall.push_back({"A", "kfz", *domain::ParseLocalDate("2026-02-03"), 90, 3});
  for (int i = 0; i < 4; ++i) {
    in.plan->suggested_shifts.push_back(
        {"A", "kfz", *domain::ParseLocalDate("2026-02-02"), 240 - 30 * i, 4 - i});
  }
  return in;
}

TEST(HtmlReportTest, SelfContainedWithEveryChart) {
  const std::string html = RenderHtmlReport(Example());
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  for (const char* id : {"summary", "status", "backlog", "load", "delay", "shortfall", "schedule",
                         "burn-down", "heatmap", "delays", "gantt-0"}) {
    EXPECT_NE(html.find(std::string("id=\"") + id + "\""), std::string::npos) << id;
  }
  // Nothing loads from elsewhere and nothing runs.
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("<img"), std::string::npos);
  EXPECT_EQ(html.find("<link"), std::string::npos);
  EXPECT_EQ(html.find("url("), std::string::npos);
  EXPECT_EQ(html.find("@import"), std::string::npos);
  const std::regex external(R"((src|href)\s*=)");
  EXPECT_FALSE(std::regex_search(html, external));
  // The only URL is the SVG namespace.
  std::size_t at = 0;
  while ((at = html.find("http", at)) != std::string::npos) {
    EXPECT_EQ(html.compare(at, 26, "http://www.w3.org/2000/svg"), 0) << html.substr(at, 40);
    ++at;
  }
  EXPECT_NE(html.find("@page { size: A4"), std::string::npos);
}

TEST(HtmlReportTest, SpeaksStaffLanguageNotTheSolvers) {
  const std::string html = RenderHtmlReport(Example());
  EXPECT_NE(html.find("1 von 1</b>innerhalb von 5 Arbeitstagen"), std::string::npos);
  EXPECT_NE(html.find("Strom &lt;und&gt; IT"), std::string::npos);
  EXPECT_EQ(html.find("Strom <und>"), std::string::npos);
  for (const char* word : {"objective", "Objective", "FCFS", "inversion", "solved"}) {
    EXPECT_EQ(html.find(word), std::string::npos) << word;
  }
  EXPECT_NE(html.find("27.01.2026 11:50"), std::string::npos);
  EXPECT_NE(html.find("1 laufen in 24 Std. ab"), std::string::npos);
  // The best three extra shifts first, the fourth in the table below.
  EXPECT_NE(html.find("<b>Bürgeramt Mitte, Mo 02.02.</b>: 4,0 Std. mit Kfz-Zulassung – bringt 4"),
            std::string::npos);
  EXPECT_NE(html.find("<td>Mo 02.02.</td><td>Kfz-Zulassung</td><td>2,5</td>"), std::string::npos);
}

TEST(HtmlReportTest, TheBestShiftsShowTheirMeasuredEffect) {
  ReportInput in = Example();
  in.plan->suggested_shifts[0].effect = ShiftEffect{40, 46, 30, 38, 4.2, 3.1};
  const std::string html = RenderHtmlReport(in);
  EXPECT_NE(html.find("Neu gerechnet: 46 statt 40 untergebracht, 38 statt 30 innerhalb von 5 "
                      "Arbeitstagen, mittlere Verschiebung 3,1 statt 4,2 Tage"),
            std::string::npos);
  EXPECT_EQ(html.find("Neu gerechnet", html.find("Neu gerechnet") + 1), std::string::npos);
}

TEST(HtmlReportTest, WithoutPlanOrCitizens) {
  ReportInput in;
  in.outage_id = "empty";
  const std::string html = RenderHtmlReport(in);
  EXPECT_NE(html.find("Noch kein Plan berechnet."), std::string::npos);
  EXPECT_NE(html.find("0 von 0"), std::string::npos);
  EXPECT_NE(html.find("id=\"heatmap\""), std::string::npos);
}

}  // namespace
}  // namespace rebook::report
