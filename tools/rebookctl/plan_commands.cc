// rebookctl plan create|list|show|assignments|compare|commit
#include <iostream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "rebook/v1/outages.grpc.pb.h"
#include "rebook/v1/plans.grpc.pb.h"
#include "services/api/names.h"
#include "services/domain/local_time.h"
#include "tools/rebookctl/commands.h"
#include "tools/rebookctl/paging.h"
#include "tools/rebookctl/progress_bar.h"
#include "tools/rebookctl/table.h"

namespace rebook::ctl {
namespace {

namespace v1 = ::rebook::v1;

std::string Tail(const std::string& name) { return name.substr(name.rfind('/') + 1); }

std::string DateText(const v1::Date& d) {
  return absl::StrFormat("%04d-%02d-%02d", d.year(), d.month(), d.day());
}

const char* StateText(v1::Plan::State s) {
  switch (s) {
    case v1::Plan::READY:
      return "ready";
    case v1::Plan::COMMITTED:
      return "committed";
    case v1::Plan::SUPERSEDED:
      return "superseded";
    case v1::Plan::FAILED:
      return "failed";
    default:
      return "-";
  }
}

// "outages/X/plans/Y", or "X/Y" for short.
std::string PlanName(const std::string& text) {
  if (text.rfind("outages/", 0) == 0) return text;
  std::size_t slash = text.find('/');
  if (slash == std::string::npos) return text;
  return api::PlanResourceName(text.substr(0, slash), text.substr(slash + 1));
}

void PrintSummary(const v1::PlanSummary& s) {
  std::cout << absl::StrFormat(
      "  objective       %.1f  (delay %.1f, office changes %.1f, overtime %.1f, unassigned "
      "%.1f)\n",
      s.objective(), s.delay_cost(), s.office_change_cost(), s.overtime_cost(),
      s.unassigned_cost());
  std::cout << absl::StrFormat("  assigned        %d, unassigned %d\n", s.assigned_count(),
                               s.unassigned_count());
  std::cout << absl::StrFormat("  delay           mean %.1f h, max %.1f h\n",
                               s.mean_delay_minutes() / 60, s.max_delay_minutes() / 60);
  std::cout << absl::StrFormat("  overtime        %d min\n", s.overtime_minutes());
  if (s.lower_bound() > 0 || s.gap() > 0) {
    std::cout << absl::StrFormat("  lower bound     %.1f (gap %.2f%%)\n", s.lower_bound(),
                                 100 * s.gap());
  }
  std::cout << absl::StrFormat("  FCFS inversions %d\n", s.fcfs_inversions());
  std::cout << absl::StrFormat("  solve time      %.2f s\n",
                               s.solve_duration().seconds() + s.solve_duration().nanos() / 1e9);
  if (s.shortfall_size() > 0) {
    std::cout << "\nMissing qualified capacity (to place everything in time):\n";
    Table t({"office", "service", "by day", "missing hours", "unplaced"});
    for (const auto& x : s.shortfall()) {
      t.AddRow({Tail(x.office()), Tail(x.service_type()), DateText(x.date()),
                absl::StrFormat("%.1f", x.missing_minutes() / 60.0),
                absl::StrCat(x.unplaced_count())});
    }
    t.Print(std::cout);
  }
  if (s.suggested_shifts_size() > 0) {
    std::cout << "\nExtra shifts that would pay off most:\n";
    Table t({"office", "day", "skill", "hours", "objective gain"});
    for (const auto& x : s.suggested_shifts()) {
      t.AddRow({Tail(x.office()), DateText(x.date()),
                x.service_types_size() ? Tail(x.service_types(0)) : "",
                absl::StrFormat("%.1f", x.minutes() / 60.0),
                absl::StrFormat("%.0f", x.objective_gain())});
    }
    t.Print(std::cout);
  }
}

void PrintPlan(const v1::Plan& p) {
  std::cout << p.name() << "  " << StateText(p.state()) << "\n";
  const auto& h = p.parameters().horizon();
  std::cout << "  horizon         " << LocalText("Europe/Berlin", h.start_time().seconds())
            << " to " << LocalText("Europe/Berlin", h.end_time().seconds()) << ", reserve "
            << p.parameters().reserve_share() << "\n";
  PrintSummary(p.summary());
}

struct Create {
  std::string outage, start, end, tz = "Europe/Berlin", id, request_id;
  int days = 21;
  double reserve = 0.2, time_limit = 10;
  std::int64_t seed = 1;
};

// The default horizon: from 07:00 on the day after the outage window ends, for `days` days.
absl::Status FillHorizon(const Client& client, const Create& c, v1::TimeInterval* horizon) {
  auto parse = [&](const std::string& text) -> absl::StatusOr<Instant> {
    auto local = domain::ParseLocalDateTime(text);
    if (!local.ok()) return local.status();
    return domain::LocalToInstant(c.tz, *local);
  };
  absl::StatusOr<Instant> start, end;
  if (!c.start.empty()) {
    start = parse(c.start);
  } else {
    v1::GetOutageRequest req;
    req.set_name(Qualify("outages", c.outage));
    v1::Outage outage;
    grpc::Status s = v1::OutageService::NewStub(client.channel())
                         ->GetOutage(client.Context().get(), req, &outage);
    if (!s.ok())
      return absl::Status(static_cast<absl::StatusCode>(s.error_code()), s.error_message());
    Instant window_end{std::chrono::seconds(outage.window().end_time().seconds())};
    domain::LocalDate day = domain::LocalDateOf(c.tz, window_end);
    date::local_days next = date::local_days(day) + date::days(1);
    start = domain::LocalToInstant(
        c.tz, domain::LocalDateTime(next.time_since_epoch()) + std::chrono::hours(7));
  }
  if (!start.ok()) return start.status();
  end = c.end.empty() ? absl::StatusOr<Instant>(*start + std::chrono::hours(24 * c.days))
                      : parse(c.end);
  if (!end.ok()) return end.status();
  horizon->mutable_start_time()->set_seconds(start->time_since_epoch().count());
  horizon->mutable_end_time()->set_seconds(end->time_since_epoch().count());
  return absl::OkStatus();
}

}  // namespace

void AddPlanCommands(CLI::App& app, const GlobalOptions& global, int* exit_code) {
  CLI::App* plan = app.add_subcommand("plan", "Solve, inspect, compare and commit rebooking plans")
                       ->require_subcommand(1);

  auto c = std::make_shared<Create>();
  CLI::App* create = plan->add_subcommand("create", "Solve a plan for an outage (shows progress)");
  create->add_option("outage", c->outage, "outage id or name")->required();
  create->add_option("--horizon-start", c->start,
                     "local YYYY-MM-DDTHH:MM (default: 07:00 the day after the outage)");
  create->add_option("--horizon-end", c->end, "local end, exclusive (default: start + --days)");
  create->add_option("--days", c->days, "horizon length in days")->capture_default_str();
  create->add_option("--time-zone", c->tz, "zone of the horizon times")->capture_default_str();
  create
      ->add_option("--reserve", c->reserve, "share of free regular capacity kept for new bookings")
      ->capture_default_str();
  create->add_option("--time-limit", c->time_limit, "solver seconds")->capture_default_str();
  create->add_option("--seed", c->seed, "solver seed")->capture_default_str();
  create->add_option("--id", c->id, "plan id (default: generated)");
  create->add_option("--request-id", c->request_id, "idempotency key (default: random)");
  create->callback([=, &global] {
    auto client = Client::Connect(global);
    if (!client.ok()) return void(*exit_code = ReportError(client.status()));
    v1::CreatePlanRequest req;
    req.set_parent(Qualify("outages", c->outage));
    req.set_plan_id(c->id);
    req.set_request_id(c->request_id.empty() ? NewRequestId() : c->request_id);
    v1::PlanParameters* p = req.mutable_parameters();
    absl::Status h = FillHorizon(*client, *c, p->mutable_horizon());
    if (!h.ok()) return void(*exit_code = ReportError(h));
    p->set_reserve_share(c->reserve);
    p->mutable_time_limit()->set_seconds(static_cast<std::int64_t>(c->time_limit));
    p->set_seed(c->seed);
    // The solver's limit, then reading the outage and writing the plan.
    const int timeout = static_cast<int>(c->time_limit) + 120;
    auto stub = v1::PlanService::NewStub(client->channel());
    v1::Plan result;
    ProgressBar bar("% solved", 100);
    grpc::Status s = client->CallWithRetry(timeout, [&](grpc::ClientContext* ctx) {
      auto reader = stub->CreatePlan(ctx, req);
      v1::CreatePlanResponse msg;
      while (reader->Read(&msg)) {
        if (msg.has_progress())
          bar.Update(static_cast<std::int64_t>(100 * msg.progress().fraction()));
        if (msg.has_plan()) result = msg.plan();
      }
      return reader->Finish();
    });
    bar.Finish(s.ok() ? "solved" : "failed");
    if (!s.ok()) return void(*exit_code = ReportError(s));
    if (global.json) return PrintJson(result);
    PrintPlan(result);
  });

  auto list_outage = std::make_shared<std::string>();
  auto list_limit = std::make_shared<int>(kNoLimit);
  CLI::App* list = plan->add_subcommand("list", "Plans of an outage");
  list->add_option("outage", *list_outage, "outage id or name")->required();
  list->add_option("--limit", *list_limit, "at most this many (default: all)");
  list->callback([=, &global] {
    auto client = Client::Connect(global);
    if (!client.ok()) return void(*exit_code = ReportError(client.status()));
    v1::ListPlansRequest req;
    req.set_parent(Qualify("outages", *list_outage));
    v1::ListPlansResponse resp;
    auto stub = v1::PlanService::NewStub(client->channel());
    grpc::Status s = ListAll(
        req, *list_limit,
        [&](const auto& r, auto* page) {
          return stub->ListPlans(client->Context().get(), r, page);
        },
        [](auto* r) { return r->mutable_plans(); }, &resp);
    if (!s.ok()) return void(*exit_code = ReportError(s));
    if (global.json) return PrintJson(resp);
    Table t({"plan", "state", "objective", "assigned", "unassigned", "gap", "created"});
    for (const auto& p : resp.plans()) {
      t.AddRow(
          {Tail(p.name()), StateText(p.state()), absl::StrFormat("%.1f", p.summary().objective()),
           absl::StrCat(p.summary().assigned_count()), absl::StrCat(p.summary().unassigned_count()),
           absl::StrFormat("%.2f%%", 100 * p.summary().gap()),
           LocalText("Europe/Berlin", p.create_time().seconds())});
    }
    t.Print(std::cout);
  });

  auto show_name = std::make_shared<std::string>();
  CLI::App* show = plan->add_subcommand("show", "A plan's summary, shortfall and suggested shifts");
  show->add_option("plan", *show_name, "outages/{outage}/plans/{plan} or OUTAGE/PLAN")->required();
  show->callback([=, &global] {
    auto client = Client::Connect(global);
    if (!client.ok()) return void(*exit_code = ReportError(client.status()));
    v1::GetPlanRequest req;
    req.set_name(PlanName(*show_name));
    v1::Plan resp;
    grpc::Status s =
        v1::PlanService::NewStub(client->channel())->GetPlan(client->Context().get(), req, &resp);
    if (!s.ok()) return void(*exit_code = ReportError(s));
    if (global.json) return PrintJson(resp);
    PrintPlan(resp);
  });

  struct Assignments {
    std::string plan, office;
    bool unassigned = false;
    int limit = kNoLimit;
  };
  auto as = std::make_shared<Assignments>();
  CLI::App* assignments = plan->add_subcommand("assignments", "Where each appointment goes");
  assignments->add_option("plan", as->plan, "outages/{outage}/plans/{plan} or OUTAGE/PLAN")
      ->required();
  assignments->add_option("--office", as->office, "only this office");
  assignments->add_flag("--unassigned", as->unassigned, "only those left out, with the reason");
  assignments->add_option("--limit", as->limit, "at most this many rows (default: all)");
  assignments->callback([=, &global] {
    auto client = Client::Connect(global);
    if (!client.ok()) return void(*exit_code = ReportError(client.status()));
    auto stub = v1::PlanService::NewStub(client->channel());
    v1::ListPlanAssignmentsRequest req;
    req.set_parent(PlanName(as->plan));
    if (!as->office.empty()) req.set_office(Qualify("offices", as->office));
    req.set_unassigned_only(as->unassigned);
    v1::ListPlanAssignmentsResponse all;
    grpc::Status s = ListAll(
        req, as->limit,
        [&](const auto& r, auto* page) {
          return stub->ListPlanAssignments(client->Context().get(), r, page);
        },
        [](auto* r) { return r->mutable_assignments(); }, &all);
    if (!s.ok()) return void(*exit_code = ReportError(s));
    if (global.json) return PrintJson(all);
    Table t({"appointment", "office", "clerk", "start", "end", "cost", "reason"});
    for (const auto& a : all.assignments()) {
      t.AddRow({Tail(a.appointment()), a.assigned() ? Tail(a.office()) : "-",
                a.assigned() ? Tail(a.clerk()) : "-",
                a.assigned() ? LocalText(a.time_zone(), a.interval().start_time().seconds()) : "",
                a.assigned() ? LocalText(a.time_zone(), a.interval().end_time().seconds()) : "",
                absl::StrFormat("%.1f", a.cost()), a.reason()});
    }
    t.Print(std::cout);
  });

  auto cmp_a = std::make_shared<std::string>(), cmp_b = std::make_shared<std::string>();
  CLI::App* compare = plan->add_subcommand("compare", "How two plans of one outage differ");
  compare->add_option("plan_a", *cmp_a, "first plan")->required();
  compare->add_option("plan_b", *cmp_b, "second plan")->required();
  compare->callback([=, &global] {
    auto client = Client::Connect(global);
    if (!client.ok()) return void(*exit_code = ReportError(client.status()));
    v1::ComparePlansRequest req;
    req.set_plan_a(PlanName(*cmp_a));
    req.set_plan_b(PlanName(*cmp_b));
    v1::PlanComparison resp;
    grpc::Status s = v1::PlanService::NewStub(client->channel())
                         ->ComparePlans(client->Context().get(), req, &resp);
    if (!s.ok()) return void(*exit_code = ReportError(s));
    if (global.json) return PrintJson(resp);
    Table t({"", "plan A", "plan B"});
    t.AddRow({"objective", absl::StrFormat("%.1f", resp.summary_a().objective()),
              absl::StrFormat("%.1f", resp.summary_b().objective())});
    t.AddRow({"assigned", absl::StrCat(resp.summary_a().assigned_count()),
              absl::StrCat(resp.summary_b().assigned_count())});
    t.AddRow({"mean delay h", absl::StrFormat("%.1f", resp.summary_a().mean_delay_minutes() / 60),
              absl::StrFormat("%.1f", resp.summary_b().mean_delay_minutes() / 60)});
    t.AddRow({"overtime min", absl::StrCat(resp.summary_a().overtime_minutes()),
              absl::StrCat(resp.summary_b().overtime_minutes())});
    t.Print(std::cout);
    std::cout << absl::StrFormat(
        "objective B - A: %+.1f; %d appointments placed differently (%d assigned only in A, %d "
        "only in B)\n",
        resp.objective_delta(), resp.changed_count(), resp.assigned_only_in_a(),
        resp.assigned_only_in_b());
  });

  auto commit_name = std::make_shared<std::string>(), commit_rid = std::make_shared<std::string>();
  CLI::App* commit = plan->add_subcommand("commit", "Commit a plan: offers and their messages");
  commit->add_option("plan", *commit_name, "outages/{outage}/plans/{plan} or OUTAGE/PLAN")
      ->required();
  commit->add_option("--request-id", *commit_rid, "idempotency key (default: random)");
  commit->callback([=, &global] {
    auto client = Client::Connect(global);
    if (!client.ok()) return void(*exit_code = ReportError(client.status()));
    v1::CommitPlanRequest req;
    req.set_name(PlanName(*commit_name));
    req.set_request_id(commit_rid->empty() ? NewRequestId() : *commit_rid);
    auto stub = v1::PlanService::NewStub(client->channel());
    // The deadline grows with the offers to write (the plan's assignments).
    v1::GetPlanRequest get;
    get.set_name(req.name());
    v1::Plan resp;
    grpc::Status s = stub->GetPlan(client->Context().get(), get, &resp);
    if (!s.ok()) return void(*exit_code = ReportError(s));
    const int timeout = SizedTimeout(resp.summary().assigned_count(), 500);
    s = client->CallWithRetry(
        timeout, [&](grpc::ClientContext* ctx) { return stub->CommitPlan(ctx, req, &resp); });
    if (!s.ok()) return void(*exit_code = ReportError(s));
    if (global.json) return PrintJson(resp);
    std::cout << "Committed " << resp.name() << ": " << resp.summary().assigned_count()
              << " offers made\n";
  });
}

}  // namespace rebook::ctl
