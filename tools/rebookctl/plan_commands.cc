// rebookctl plan create|list|show|assignments|compare|commit (whatif: plan_whatif.cc)
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
#include "tools/rebookctl/proto_text.h"
#include "tools/rebookctl/table.h"

namespace rebook::ctl {
namespace {

namespace v1 = ::rebook::v1;

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
    case v1::Plan::WHAT_IF:
      return "what-if (not committable)";
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

// "Tue 2026-02-03": staff plan by weekdays.
std::string DayText(const v1::Date& d) {
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  const date::weekday wd{date::sys_days(date::year(d.year()) / d.month() / d.day())};
  return absl::StrCat(kDays[wd.c_encoding()], " ", DateText(d));
}

std::string Days(double minutes) { return absl::StrFormat("%.1f", minutes / (24 * 60)); }

// The summary in the words staff use; the solver's objective, its parts and the FCFS count
// are in --json.
void PrintSummary(const v1::PlanSummary& s) {
  const std::int64_t total = s.assigned_count() + s.unassigned_count();
  std::cout << absl::StrFormat("  placed          %d of %d citizens", s.assigned_count(), total);
  if (s.unassigned_count() > 0) {
    std::cout << absl::StrFormat(" (%d without a slot: see the shortfall)", s.unassigned_count());
  }
  std::cout << "\n";
  std::cout << absl::StrFormat(
      "  waiting         %s days on average, %s days at most (from the earliest possible "
      "start)\n",
      Days(s.mean_delay_minutes()), Days(s.max_delay_minutes()));
  std::cout << absl::StrFormat("  overtime        %.1f hours\n", s.overtime_minutes() / 60.0);
  if (s.lower_bound() > 0 && s.gap() >= 0) {
    std::cout << absl::StrFormat(
        "  plan quality    at most %.1f %% from the best possible plan (proven)\n", 100 * s.gap());
  }
  std::cout << absl::StrFormat("  solved in       %.1f s\n",
                               s.solve_duration().seconds() + s.solve_duration().nanos() / 1e9);
  if (s.shortfall_size() > 0) {
    std::cout << "\nMissing qualified capacity (to place everyone in time):\n";
    Table t({"office", "service", "needed by", "missing hours", "citizens without a slot"});
    for (const auto& x : s.shortfall()) {
      t.AddRow({NameTail(x.office()), NameTail(x.service_type()), DayText(x.date()),
                absl::StrFormat("%.1f", x.missing_minutes() / 60.0),
                absl::StrCat(x.unplaced_count())});
    }
    t.Print(std::cout);
  }
  if (s.suggested_shifts_size() > 0) {
    std::cout << "\nExtra shifts that would help most, best first (on days the office works):\n";
    Table t({"", "office", "day", "clerk able to do", "hours"});
    int rank = 0;
    for (const auto& x : s.suggested_shifts()) {
      t.AddRow({absl::StrCat(++rank), NameTail(x.office()), DayText(x.date()),
                x.service_types_size() ? NameTail(x.service_types(0)) : "",
                absl::StrFormat("%.1f", x.minutes() / 60.0)});
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
    ProgressBar bar("% of the search time", 100);
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
    bar.Finish(s.ok() ? "plan ready" : "failed");
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
    Table t({"plan", "state", "placed", "without slot", "mean wait (days)", "created"});
    for (const auto& p : resp.plans()) {
      t.AddRow(
          {NameTail(p.name()), StateText(p.state()), absl::StrCat(p.summary().assigned_count()),
           absl::StrCat(p.summary().unassigned_count()), Days(p.summary().mean_delay_minutes()),
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
      t.AddRow({NameTail(a.appointment()), a.assigned() ? NameTail(a.office()) : "-",
                a.assigned() ? NameTail(a.clerk()) : "-",
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
    const auto& a = resp.summary_a();
    const auto& b = resp.summary_b();
    Table t({"", "plan A", "plan B"});
    t.AddRow(
        {"citizens placed", absl::StrCat(a.assigned_count()), absl::StrCat(b.assigned_count())});
    t.AddRow({"mean wait (days)", Days(a.mean_delay_minutes()), Days(b.mean_delay_minutes())});
    t.AddRow({"longest wait (days)", Days(a.max_delay_minutes()), Days(b.max_delay_minutes())});
    t.AddRow({"overtime (hours)", absl::StrFormat("%.1f", a.overtime_minutes() / 60.0),
              absl::StrFormat("%.1f", b.overtime_minutes() / 60.0)});
    t.AddRow({"within 5 working days", absl::StrCat(resp.staff_a().placed_within_5_working_days()),
              absl::StrCat(resp.staff_b().placed_within_5_working_days())});
    t.Print(std::cout);
    std::cout << absl::StrFormat(
        "%d citizens get a different slot in B (%d placed only in A, %d only in B)\n",
        resp.changed_count(), resp.assigned_only_in_a(), resp.assigned_only_in_b());
  });

  AddPlanWhatIfCommand(*plan, global, exit_code);

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
        timeout, req.request_id(), "plan commit",
        [&](grpc::ClientContext* ctx) { return stub->CommitPlan(ctx, req, &resp); });
    if (!s.ok()) return void(*exit_code = ReportError(s));
    if (global.json) return PrintJson(resp);
    std::cout << "Committed " << resp.name() << ": " << resp.summary().assigned_count()
              << " offers made\n";
  });
}

}  // namespace rebook::ctl
