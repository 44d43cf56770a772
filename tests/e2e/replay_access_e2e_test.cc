// Replays across offices (issue 18, side door 1): a principal of office B resends office A's
// idempotent requests, with A's request ids and A's content. Each must be answered like a new
// call of B (denied), never with A's stored answer; and request ids are one namespace per
// principal and method, so B may use A's ids for its own requests.
#include <functional>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"
#include "rebook/v1/offers.grpc.pb.h"
#include "rebook/v1/plans.grpc.pb.h"
#include "tests/support/test_server.h"

namespace rebook::testing {
namespace {

namespace v1 = ::rebook::v1;
using google::protobuf::Message;

// 2026-01-28T07:00 Berlin.
constexpr std::int64_t kReplayHorizonStart = 1769580000;
constexpr std::int64_t kDaySeconds = 86400;

v1::TimeInterval Interval(std::int64_t start, std::int64_t end) {
  v1::TimeInterval t;
  t.mutable_start_time()->set_seconds(start);
  t.mutable_end_time()->set_seconds(end);
  return t;
}

// One idempotent RPC sent as `token`, filling `resp`.
using Send = std::function<grpc::Status(const std::string& token, Message* resp)>;

struct Replayable {
  std::string rpc;
  Send send;
  std::function<std::unique_ptr<Message>()> new_response;
};

template <typename Resp>
std::function<std::unique_ptr<Message>()> Make() {
  return [] { return std::make_unique<Resp>(); };
}

class ReplayAccessTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    server_.SeedCapacity();
    v1::ImportBundleRequest bundle;
    for (int day = 0; day < 3; ++day) {
      for (const auto& [office, clerk] : {std::pair{"A", "ka"}, std::pair{"B", "kb"}}) {
        v1::Shift* s = bundle.mutable_capacity()->add_shifts();
        s->set_name(absl::StrCat("offices/", office, "/shifts/d", day));
        s->set_clerk(absl::StrCat("clerks/", clerk));
        *s->mutable_interval() = Interval(kReplayHorizonStart + day * kDaySeconds + 3600,
                                          kReplayHorizonStart + day * kDaySeconds + 3 * 3600);
      }
    }
    auto* appts = bundle.mutable_appointments();
    for (int i = 0; i < 4; ++i)
      *appts->add_appointments() = MakeAppointment("A", "p" + std::to_string(i), 5 * i);
    // After the outage: for the appointment RPCs.
    for (const char* id : {"u1", "u2", "u3", "u4"}) {
      *appts->add_appointments() = MakeAppointment("A", id, 600);
    }
    for (const char* id : {"b1", "b2"}) *appts->add_appointments() = MakeAppointment("B", id, 600);
    v1::ImportBundleResponse imported;
    auto ctx = server_.Context("admin");
    auto w = appointments_->ImportBundle(ctx.get(), &imported);
    w->Write(bundle);
    w->WritesDone();
    grpc::Status s = w->Finish();
    ASSERT_TRUE(s.ok()) << s.error_message();
    const std::int64_t start = kOutageStart.time_since_epoch().count();
    Declare("o1", start, start + 5 * 3600);
    Declare("o2", start + 20 * 3600, start + 21 * 3600);
  }

  void Declare(const std::string& id, std::int64_t start, std::int64_t end) {
    v1::DeclareOutageRequest declare;
    declare.set_outage_id(id);
    declare.mutable_outage()->add_offices("offices/A");
    *declare.mutable_outage()->mutable_window() = Interval(start, end);
    v1::Outage o;
    grpc::Status s = outages_->DeclareOutage(server_.Context("admin").get(), declare, &o);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }

  std::string CreatePlan(const std::string& token, const std::string& request_id,
                         grpc::Status* status) {
    v1::CreatePlanRequest req;
    req.set_parent("outages/o1");
    req.set_request_id(request_id);
    v1::PlanParameters* p = req.mutable_parameters();
    *p->mutable_horizon() = Interval(kReplayHorizonStart, kReplayHorizonStart + 7 * kDaySeconds);
    p->mutable_time_limit()->set_seconds(2);
    p->set_seed(1);
    auto ctx = server_.Context(token);
    auto reader = plans_->CreatePlan(ctx.get(), req);
    v1::CreatePlanResponse msg;
    std::string name;
    while (reader->Read(&msg)) {
      if (msg.has_plan()) name = msg.plan().name();
    }
    *status = reader->Finish();
    return name;
  }

  // Office A's requests, each with its own request id; committed plan and offer set up first.
  std::vector<Replayable> RequestsOfA() {
    std::vector<Replayable> out;
    auto appointment = [&](const char* rpc, auto build, auto call, auto make) {
      out.push_back({rpc,
                     [this, build, call](const std::string& token, Message* resp) {
                       auto req = build();
                       return call(*appointments_, server_.Context(token).get(), req, resp);
                     },
                     make});
    };
    appointment(
        "CloseAppointment",
        [] {
          v1::CloseAppointmentRequest r;
          r.set_name("offices/A/appointments/u1");
          r.set_reason("done");
          r.set_request_id("close-1");
          return r;
        },
        [](auto& stub, auto* ctx, const auto& req, Message* resp) {
          return stub.CloseAppointment(ctx, req, static_cast<v1::Appointment*>(resp));
        },
        Make<v1::Appointment>());
    appointment(
        "UpdateAppointment",
        [] {
          v1::UpdateAppointmentRequest r;
          r.mutable_appointment()->set_name("offices/A/appointments/u2");
          r.mutable_appointment()->set_priority(9);
          r.mutable_update_mask()->add_paths("priority");
          r.set_request_id("update-1");
          return r;
        },
        [](auto& stub, auto* ctx, const auto& req, Message* resp) {
          return stub.UpdateAppointment(ctx, req, static_cast<v1::Appointment*>(resp));
        },
        Make<v1::Appointment>());
    appointment(
        "MarkSelfRebooked",
        [] {
          v1::MarkSelfRebookedRequest r;
          r.set_name("offices/A/appointments/u3");
          r.set_request_id("self-1");
          return r;
        },
        [](auto& stub, auto* ctx, const auto& req, Message* resp) {
          return stub.MarkSelfRebooked(ctx, req, static_cast<v1::Appointment*>(resp));
        },
        Make<v1::Appointment>());
    appointment(
        "BatchMarkSelfRebooked",
        [] {
          v1::BatchMarkSelfRebookedRequest r;
          r.add_requests()->set_name("offices/A/appointments/u4");
          r.set_request_id("batch-1");
          return r;
        },
        [](auto& stub, auto* ctx, const auto& req, Message* resp) {
          return stub.BatchMarkSelfRebooked(ctx, req,
                                            static_cast<v1::BatchMarkSelfRebookedResponse*>(resp));
        },
        Make<v1::BatchMarkSelfRebookedResponse>());

    v1::CommitPlanRequest commit;
    commit.set_name(plan_);
    commit.set_request_id("commit-1");
    out.push_back({"CommitPlan",
                   [this, commit](const std::string& token, Message* resp) {
                     return plans_->CommitPlan(server_.Context(token).get(), commit,
                                               static_cast<v1::Plan*>(resp));
                   },
                   Make<v1::Plan>()});
    out.push_back({"RecordResponse",
                   [this](const std::string& token, Message* resp) {
                     v1::RecordResponseRequest r;
                     r.set_name(offer_);
                     r.set_response(v1::DECLINE);
                     r.set_response_channel("phone");
                     r.set_request_id("respond-1");
                     return offers_->RecordResponse(server_.Context(token).get(), r,
                                                    static_cast<v1::Offer*>(resp));
                   },
                   Make<v1::Offer>()});
    out.push_back({"CloseOutage",
                   [this](const std::string& token, Message* resp) {
                     v1::CloseOutageRequest r;
                     r.set_name("outages/o2");
                     r.set_request_id("close-outage-1");
                     return outages_->CloseOutage(server_.Context(token).get(), r,
                                                  static_cast<v1::Outage*>(resp));
                   },
                   Make<v1::Outage>()});
    out.push_back({"ReportClerkAbsence",
                   [this](const std::string& token, Message* resp) {
                     v1::ReportClerkAbsenceRequest r;
                     r.set_clerk("clerks/ka");
                     *r.mutable_interval() = Interval(kReplayHorizonStart + 2 * kDaySeconds,
                                                      kReplayHorizonStart + 2 * kDaySeconds + 7200);
                     r.set_reason("sick");
                     r.set_request_id("absence-1");
                     return capacity_->ReportClerkAbsence(
                         server_.Context(token).get(), r,
                         static_cast<v1::ReportClerkAbsenceResponse*>(resp));
                   },
                   Make<v1::ReportClerkAbsenceResponse>()});
    return out;
  }

  // Plans and commits o1 as office A's admin and picks one of its offers; except the commit.
  void PlanAsA() {
    grpc::Status s;
    plan_ = CreatePlan("admin-a", "plan-1", &s);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }

  void FindOffer() {
    v1::ListOffersRequest list;
    list.set_parent("offices/A");
    v1::ListOffersResponse offers;
    ASSERT_TRUE(offers_->ListOffers(server_.Context("admin").get(), list, &offers).ok());
    ASSERT_GT(offers.offers_size(), 0);
    offer_ = offers.offers(0).name();
  }

  static std::string Text(const Message& m) {
    std::string text;
    google::protobuf::TextFormat::PrintToString(m, &text);
    return text;
  }

  TestServer server_;
  std::unique_ptr<v1::OutageService::Stub> outages_ = v1::OutageService::NewStub(server_.channel());
  std::unique_ptr<v1::AppointmentService::Stub> appointments_ =
      v1::AppointmentService::NewStub(server_.channel());
  std::unique_ptr<v1::CapacityService::Stub> capacity_ =
      v1::CapacityService::NewStub(server_.channel());
  std::unique_ptr<v1::PlanService::Stub> plans_ = v1::PlanService::NewStub(server_.channel());
  std::unique_ptr<v1::OfferService::Stub> offers_ = v1::OfferService::NewStub(server_.channel());
  std::string plan_, offer_;
};

TEST_P(ReplayAccessTest, AForeignReplayIsDeniedLikeANewCall) {
  ASSERT_NO_FATAL_FAILURE(PlanAsA());
  std::vector<Replayable> requests = RequestsOfA();
  for (Replayable& r : requests) {
    SCOPED_TRACE(r.rpc);
    if (r.rpc == "RecordResponse") {
      ASSERT_NO_FATAL_FAILURE(FindOffer());
    }
    auto original = r.new_response();
    grpc::Status s = r.send("admin-a", original.get());
    ASSERT_TRUE(s.ok()) << s.error_message();
    auto again = r.new_response();
    ASSERT_TRUE(r.send("admin-a", again.get()).ok()) << "a replay of A's own request";
    EXPECT_EQ(Text(*again), Text(*original));

    auto replayed = r.new_response();
    grpc::Status foreign = r.send(GetParam(), replayed.get());
    EXPECT_THAT(foreign.error_code(),
                ::testing::AnyOf(grpc::StatusCode::NOT_FOUND, grpc::StatusCode::PERMISSION_DENIED))
        << foreign.error_message();
    std::string text = Text(*replayed);
    for (const char* secret : {"Erika", "erika@", "offices/A"}) {
      EXPECT_EQ(text.find(secret), std::string::npos) << "leaked " << secret << ":\n" << text;
    }
    EXPECT_EQ(foreign.error_message().find("Erika"), std::string::npos);
  }
  // CreatePlan checks for a replay itself, before solving.
  grpc::Status s;
  EXPECT_EQ(CreatePlan(GetParam(), "plan-1", &s), "");
  EXPECT_THAT(s.error_code(),
              ::testing::AnyOf(grpc::StatusCode::NOT_FOUND, grpc::StatusCode::PERMISSION_DENIED));
}

INSTANTIATE_TEST_SUITE_P(OfficeBPrincipals, ReplayAccessTest,
                         ::testing::Values("clerk-b", "admin-b"));

TEST_F(ReplayAccessTest, RequestIdsAreOnePrincipalsAndMethods) {
  v1::CloseAppointmentRequest close;
  close.set_name("offices/A/appointments/u1");
  close.set_reason("done");
  close.set_request_id("shared-id");
  v1::Appointment a, b;
  ASSERT_TRUE(appointments_->CloseAppointment(server_.Context("admin-a").get(), close, &a).ok());
  // The same id from office B, for B's own appointment: a new request, not a conflict.
  close.set_name("offices/B/appointments/b1");
  grpc::Status s = appointments_->CloseAppointment(server_.Context("admin-b").get(), close, &b);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(b.name(), "offices/B/appointments/b1");
  // And from another method of the same principal.
  v1::MarkSelfRebookedRequest self;
  self.set_name("offices/B/appointments/b2");
  self.set_request_id("shared-id");
  s = appointments_->MarkSelfRebooked(server_.Context("admin-b").get(), self, &b);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(b.name(), "offices/B/appointments/b2");
  // Within one principal and method, the id still guards against a different request.
  close.set_name("offices/B/appointments/b2");
  EXPECT_EQ(
      appointments_->CloseAppointment(server_.Context("admin-b").get(), close, &b).error_code(),
      grpc::StatusCode::ALREADY_EXISTS);
}

// Issue 18: an offer response out of range says which field is wrong (BadRequest).
TEST_F(ReplayAccessTest, OfferResponseRangeErrorsNameTheField) {
  ASSERT_NO_FATAL_FAILURE(PlanAsA());
  v1::CommitPlanRequest commit;
  commit.set_name(plan_);
  v1::Plan committed;
  ASSERT_TRUE(plans_->CommitPlan(server_.Context("admin-a").get(), commit, &committed).ok());
  ASSERT_NO_FATAL_FAILURE(FindOffer());
  v1::RecordResponseRequest r;
  r.set_name(offer_);
  r.set_response(v1::ACCEPT);
  r.set_alternative_index(99);
  r.set_response_channel("phone");
  v1::Offer offer;
  grpc::Status s = offers_->RecordResponse(server_.Context("admin-a").get(), r, &offer);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolationFields(s), ::testing::ElementsAre("alternative_index"));
}

}  // namespace
}  // namespace rebook::testing
