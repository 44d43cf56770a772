#include "tests/offers/halle_fixture.h"

#include <set>

#include "absl/strings/str_cat.h"
#include "services/common/status_macros.h"
#include "services/generator/scenario_generator.h"
#include "services/rebooking/planning.h"
#include "services/solver/plan_checker.h"
#include "tools/rebookctl/bundle_import.h"

namespace rebook::testing {
namespace {

using domain::AppointmentStatus;
using domain::OfferState;

// 2026-01-27 11:50 to 16:30 in Halle.
constexpr std::int64_t kWindowStart = 1769511000;
constexpr std::int64_t kWindowEnd = 1769527800;

}  // namespace

api::ServerOptions HalleServerOptions() {
  api::ServerOptions o;
  // A short search keeps the suite fast (also under ASan); the plans stay feasible.
  o.plans.improve_effort = 0.3;
  return o;
}

HalleTest::HalleTest(api::ServerOptions options)
    : server_(std::move(options)),
      offers_(v1::OfferService::NewStub(server_.channel())),
      plans_(v1::PlanService::NewStub(server_.channel())),
      appointments_(v1::AppointmentService::NewStub(server_.channel())),
      capacity_(v1::CapacityService::NewStub(server_.channel())),
      outages_(v1::OutageService::NewStub(server_.channel())) {}

void HalleTest::SetUp() {
  absl::StatusOr<domain::Scenario> s = generator::GenerateScenario({"halle", 1});
  ASSERT_TRUE(s.ok()) << s.status();
  first_params_ = s->params;
  ctl::BundleImport import = ctl::ToImport(*s);
  v1::ImportBundleRequest req;
  *req.mutable_capacity() = import.capacity;
  for (const auto& a : import.appointments) *req.mutable_appointments()->add_appointments() = a;
  v1::ImportBundleResponse resp;
  auto ctx = server_.Context("admin");
  auto writer = appointments_->ImportBundle(ctx.get(), &resp);
  ASSERT_TRUE(writer->Write(req));
  writer->WritesDone();
  grpc::Status st = writer->Finish();
  ASSERT_TRUE(st.ok()) << st.error_message();

  v1::DeclareOutageRequest declare;
  declare.set_outage_id(kOutage);
  for (const domain::Office& o : s->offices)
    declare.mutable_outage()->add_offices("offices/" + o.id);
  declare.mutable_outage()->mutable_window()->mutable_start_time()->set_seconds(kWindowStart);
  declare.mutable_outage()->mutable_window()->mutable_end_time()->set_seconds(kWindowEnd);
  declare.mutable_outage()->set_cause("Strom- und IT-Ausfall");
  v1::Outage outage;
  st = outages_->DeclareOutage(server_.Context("admin").get(), declare, &outage);
  ASSERT_TRUE(st.ok()) << st.error_message();
  ASSERT_GT(outage.cancelled_appointment_count(), 400);
}

std::string HalleTest::SolvePlan() {
  v1::CreatePlanRequest req;
  req.set_parent(absl::StrCat("outages/", kOutage));
  v1::PlanParameters* p = req.mutable_parameters();
  p->mutable_horizon()->mutable_start_time()->set_seconds(
      first_params_.horizon_start.time_since_epoch().count());
  p->mutable_horizon()->mutable_end_time()->set_seconds(
      first_params_.horizon_end.time_since_epoch().count());
  p->set_reserve_share(first_params_.reserve_share);
  p->mutable_time_limit()->set_seconds(4);
  p->set_seed(1);
  auto ctx = server_.Context("planner");
  auto reader = plans_->CreatePlan(ctx.get(), req);
  v1::CreatePlanResponse msg;
  v1::Plan plan;
  while (reader->Read(&msg)) {
    if (msg.has_plan()) plan = msg.plan();
  }
  grpc::Status s = reader->Finish();
  EXPECT_TRUE(s.ok()) << s.error_message();
  return plan.name();
}

std::string HalleTest::PlanAndCommit() {
  v1::CommitPlanRequest commit;
  commit.set_name(SolvePlan());
  v1::Plan committed;
  grpc::Status s = plans_->CommitPlan(server_.Context("planner").get(), commit, &committed);
  EXPECT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(committed.state(), v1::Plan::COMMITTED);
  return committed.name();
}

std::vector<domain::Offer> HalleTest::Offers() {
  std::vector<domain::Offer> out;
  EXPECT_TRUE(server_.store()
                  .Read({},
                        [&](storage::Transaction& tx) {
                          storage::OfferFilter f;
                          f.outage_id = kOutage;
                          return tx.ScanOffers(f,
                                               [&](const domain::Offer& o) { out.push_back(o); });
                        })
                  .ok());
  return out;
}

std::vector<domain::Offer> HalleTest::Offers(domain::OfferState state) {
  std::vector<domain::Offer> out = Offers();
  std::erase_if(out, [&](const domain::Offer& o) { return o.state != state; });
  return out;
}

domain::Appointment HalleTest::Appointment(const std::string& id) {
  domain::Appointment a;
  EXPECT_TRUE(
      server_.store()
          .Read({},
                [&](storage::Transaction& tx) -> absl::Status {
                  // The Halle scenario's ids are distinct across its offices.
                  bool found = false;
                  REBOOK_RETURN_IF_ERROR(tx.ScanAppointments({}, [&](const domain::Appointment& x) {
                    if (x.id == id) a = x, found = true;
                  }));
                  return found ? absl::OkStatus() : absl::NotFoundError("no appointment " + id);
                })
          .ok());
  return a;
}

std::vector<domain::OutboxMessage> HalleTest::Messages(const std::string& appointment_id) {
  std::vector<domain::OutboxMessage> out;
  EXPECT_TRUE(server_.store()
                  .Read({},
                        [&](storage::Transaction& tx) {
                          return tx.ScanMessages({}, [&](const domain::OutboxMessage& m) {
                            if (m.appointment_id == appointment_id) out.push_back(m);
                          });
                        })
                  .ok());
  return out;
}

grpc::Status HalleTest::Respond(const std::string& token, v1::OfferResponse response,
                                v1::PublicOffer* out, int alternative,
                                std::vector<std::pair<Instant, Instant>> unavailable) {
  v1::RespondToOfferRequest req;
  req.set_token(token);
  req.set_response(response);
  if (alternative >= 0) req.set_alternative_index(alternative);
  for (const auto& [start, end] : unavailable) {
    v1::TimeInterval* t = req.add_unavailable();
    t->mutable_start_time()->set_seconds(start.time_since_epoch().count());
    t->mutable_end_time()->set_seconds(end.time_since_epoch().count());
  }
  v1::PublicOffer ignored;
  auto ctx = server_.Context("");  // citizens carry no bearer token
  return offers_->RespondToOffer(ctx.get(), req, out != nullptr ? out : &ignored);
}

grpc::Status HalleTest::Replan(v1::Plan* out) {
  v1::ReplanOutageRequest req;
  req.set_outage(absl::StrCat("outages/", kOutage));
  v1::Plan ignored;
  return plans_->ReplanOutage(server_.Context("planner").get(), req,
                              out != nullptr ? out : &ignored);
}

grpc::Status HalleTest::ProcessExpiries(v1::ProcessExpiriesResponse* out) {
  v1::ProcessExpiriesResponse ignored;
  return offers_->ProcessExpiries(server_.Context("planner").get(), {},
                                  out != nullptr ? out : &ignored);
}

void HalleTest::RememberConfirmed() {
  confirmed_.clear();
  for (const domain::Offer& o : Offers(OfferState::kAccepted)) {
    confirmed_[o.appointment_id] = o.HeldSlot();
  }
}

void HalleTest::CheckInvariants(const std::string& step) {
  SCOPED_TRACE(step);
  absl::Status s = server_.store().Read({}, [&](storage::Transaction& tx) -> absl::Status {
    // Holding offers of every outage: one per citizen, no clerk double-booked.
    std::map<std::string, const domain::Offer*> by_appointment;
    std::map<std::string, std::vector<domain::TimeInterval>> by_clerk;
    std::vector<domain::Offer> holding;
    storage::OfferFilter f;
    f.states = {OfferState::kOpen, OfferState::kAccepted};
    REBOOK_RETURN_IF_ERROR(tx.ScanOffers(f, [&](const domain::Offer& o) { holding.push_back(o); }));
    for (const domain::Offer& o : holding) {
      EXPECT_TRUE(by_appointment.emplace(o.appointment_id, &o).second)
          << o.appointment_id << " holds two slots";
      for (const domain::TimeInterval& t : by_clerk[o.HeldSlot().clerk_id]) {
        EXPECT_FALSE(t.Overlaps(o.HeldSlot().time))
            << "clerk " << o.HeldSlot().clerk_id << " double-booked (" << o.appointment_id << ")";
      }
      by_clerk[o.HeldSlot().clerk_id].push_back(o.HeldSlot().time);
    }

    // Every rule of the spec holds for the held slots, on the scenario the server plans with.
    REBOOK_ASSIGN_OR_RETURN(domain::Outage outage, tx.GetOutage(kOutage));
    REBOOK_ASSIGN_OR_RETURN(rebooking::PlanningInput in,
                            rebooking::LoadPlanningInput(tx, outage, first_params_,
                                                         rebooking::PlanScope::kOpenAndHeld));
    std::map<std::string, domain::Assignment> held;
    for (const auto& h : in.held) held[h.appointment_id] = h;
    std::vector<domain::Assignment> rows;
    for (const domain::Appointment& a : in.scenario.appointments) {
      auto it = held.find(a.id);
      domain::Assignment x;
      x.appointment_id = a.id;
      rows.push_back(it != held.end() ? it->second : x);
    }
    REBOOK_ASSIGN_OR_RETURN(solver::CheckReport report, solver::CheckPlan(in.scenario, rows));
    for (std::size_t i = 0; i < report.violations.size() && i < 5; ++i) {
      ADD_FAILURE() << report.violations[i].message;
    }
    EXPECT_EQ(held.size(), holding.size()) << "held slots outside the outage's scenario";

    // Every citizen in exactly one state, and the offers agree with it.
    storage::AppointmentFilter mine;
    mine.outage_id = kOutage;
    std::int64_t citizens = 0;
    REBOOK_RETURN_IF_ERROR(tx.ScanAppointments(mine, [&](const domain::Appointment& a) {
      ++citizens;
      auto h = by_appointment.find(a.id);
      const domain::Offer* o = h == by_appointment.end() ? nullptr : h->second;
      switch (a.status) {
        case AppointmentStatus::kOffered:
          EXPECT_TRUE(o != nullptr && o->state == OfferState::kOpen) << a.id;
          break;
        case AppointmentStatus::kConfirmed:
          EXPECT_TRUE(o != nullptr && o->state == OfferState::kAccepted) << a.id;
          break;
        case AppointmentStatus::kCancelled:
        case AppointmentStatus::kDeclined:
        case AppointmentStatus::kSelfRebooked:
        case AppointmentStatus::kUnreachable:
        case AppointmentStatus::kClosed:
          EXPECT_EQ(o, nullptr) << a.id << " is " << domain::ToString(a.status)
                                << " but holds a slot";
          break;
        case AppointmentStatus::kBooked:
          ADD_FAILURE() << a.id << " of the outage is BOOKED";
      }
    }));
    EXPECT_EQ(citizens, outage.cancelled_appointments);

    // No confirmed appointment moved, unless a capacity change broke its slot.
    for (const auto& [id, slot] : confirmed_) {
      if (allowed_to_move_.count(id)) continue;
      auto h = by_appointment.find(id);
      if (h == by_appointment.end()) {
        ADD_FAILURE() << "confirmed " << id << " lost its slot";
        continue;
      }
      EXPECT_EQ(h->second->state, OfferState::kAccepted) << id;
      EXPECT_EQ(h->second->HeldSlot(), slot) << "confirmed " << id << " moved";
    }
    return absl::OkStatus();
  });
  EXPECT_TRUE(s.ok()) << s;
}

}  // namespace rebook::testing
