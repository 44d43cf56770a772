// rebookctl report OUTAGE --html FILE: the outage report (services/report) as one HTML file.
#include <chrono>
#include <fstream>
#include <iostream>

#include "absl/strings/str_format.h"
#include "services/report/html_report.h"
#include "tools/common/exit_codes.h"
#include "tools/rebookctl/commands.h"
#include "tools/rebookctl/report_gather.h"
#include "tools/rebookctl/what_if_client.h"

namespace rebook::ctl {

void AddReportCommand(CLI::App& app, const GlobalOptions& global, int* exit_code) {
  struct Args {
    std::string outage, html, plan;
    double shift_effects = 3;
  };
  auto args = std::make_shared<Args>();
  CLI::App* report = app.add_subcommand(
      "report", "Write an outage's report: status, backlog, load, delays, extra shifts (HTML)");
  report->add_option("outage", args->outage, "outage id or name")->required();
  report->add_option("--html", args->html, "the HTML file to write (self-contained, prints on A4)")
      ->required();
  report->add_option("--plan", args->plan,
                     "plan id to show (default: the committed plan, else the newest ready one)");
  report
      ->add_option("--shift-effects", args->shift_effects,
                   "seconds to re-solve with each of the best three extra shifts, to show their "
                   "effect (what-if plans, never committable; needs a planning role; 0: off)")
      ->capture_default_str();
  report->callback([=, &global] {
    const auto started = std::chrono::steady_clock::now();
    auto client = Client::Connect(global);
    if (!client.ok()) return void(*exit_code = ReportError(client.status()));
    absl::StatusOr<report::ReportInput> in = GatherReportInput(*client, args->outage, args->plan);
    if (!in.ok()) return void(*exit_code = ReportError(in.status()));
    AddShiftEffects(*client, args->shift_effects, *in);
    const std::string html = report::RenderHtmlReport(*in);
    std::ofstream out(args->html, std::ios::binary | std::ios::trunc);
    out << html;
    out.close();
    if (!out) {
      std::cerr << "error: cannot write " << args->html << "\n";
      return void(*exit_code = cli::kExitFailed);
    }
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    std::cout << absl::StrFormat("Wrote %s (%.0f kB, %d citizens, %.1f s)\n", args->html,
                                 static_cast<double>(html.size()) / 1024.0,
                                 static_cast<int>(in->citizens.size()), seconds);
  });
}

}  // namespace rebook::ctl
