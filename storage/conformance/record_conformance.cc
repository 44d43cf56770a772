// Round trips, NOT_FOUND, replace-by-id and referential integrity of the non-appointment
// records.
#include "services/common/status_macros.h"
#include "storage/conformance/store_conformance.h"

namespace rebook::storage::conformance {
namespace {

using absl::StatusCode;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

TEST_P(StoreConformanceTest, OfficeRoundTripReplaceAndDelete) {
  domain::Office office = MakeOffice("o-1");
  REBOOK_ASSERT_OK(Write([&](Transaction& tx) { return tx.PutOffice(office); }));
  REBOOK_ASSERT_OK(Read([&](Transaction& tx) -> absl::Status {
    REBOOK_ASSIGN_OR_RETURN(domain::Office got, tx.GetOffice("o-1"));
    EXPECT_EQ(got, office);
    return absl::OkStatus();
  }));

  office.name = "Standesamt Mitte";
  office.state = "DE-BE";
  office.time_zone = "Europe/Vienna";
  office.address = "";
  office.offer_ttl = std::chrono::hours(72);
  REBOOK_ASSERT_OK(Write([&](Transaction& tx) { return tx.PutOffice(office); }));
  REBOOK_ASSERT_OK(Read([&](Transaction& tx) -> absl::Status {
    EXPECT_EQ(tx.GetOffice("o-1").value(), office);
    REBOOK_ASSIGN_OR_RETURN(Page<domain::Office> page, tx.ListOffices({}));
    EXPECT_EQ(page.items, std::vector<domain::Office>{office});
    EXPECT_EQ(page.next_page_token, "");
    return absl::OkStatus();
  }));

  REBOOK_ASSERT_OK(Write([&](Transaction& tx) { return tx.DeleteOffice("o-1"); }));
  REBOOK_EXPECT_OK(Read([&](Transaction& tx) {
    EXPECT_THAT(tx.GetOffice("o-1"), StatusIs(StatusCode::kNotFound));
    return absl::OkStatus();
  }));
  EXPECT_THAT(Write([&](Transaction& tx) { return tx.DeleteOffice("o-1"); }),
              StatusIs(StatusCode::kNotFound));
}

TEST_P(StoreConformanceTest, ServiceRoundTripReplaceAndDelete) {
  domain::Service service = MakeService("s-1");
  REBOOK_ASSERT_OK(Write([&](Transaction& tx) { return tx.PutService(service); }));
  REBOOK_EXPECT_OK(Read([&](Transaction& tx) {
    EXPECT_EQ(tx.GetService("s-1").value(), service);
    return absl::OkStatus();
  }));
  for (domain::ServiceCategory c :
       {domain::ServiceCategory::kRegistryOffice, domain::ServiceCategory::kImmigration,
        domain::ServiceCategory::kCitizenship, domain::ServiceCategory::kResidents,
        domain::ServiceCategory::kOther}) {
    service.category = c;
    service.duration_min += 5;
    REBOOK_ASSERT_OK(Write([&](Transaction& tx) { return tx.PutService(service); }));
    REBOOK_EXPECT_OK(Read([&](Transaction& tx) {
      EXPECT_EQ(tx.GetService("s-1").value(), service);
      return absl::OkStatus();
    }));
  }
  REBOOK_ASSERT_OK(Write([&](Transaction& tx) { return tx.DeleteService("s-1"); }));
  EXPECT_THAT(Write([&](Transaction& tx) { return tx.DeleteService("s-1"); }),
              StatusIs(StatusCode::kNotFound));
  REBOOK_EXPECT_OK(Read([&](Transaction& tx) {
    EXPECT_THAT(tx.GetService("s-1"), StatusIs(StatusCode::kNotFound));
    return absl::OkStatus();
  }));
}

TEST_P(StoreConformanceTest, ClerkRoundTripKeepsSkillOrderAndReplacesSkills) {
  SeedWorld();
  domain::Clerk clerk = MakeClerk("c-9", "o2", {"s2", "s1"});
  REBOOK_ASSERT_OK(Write([&](Transaction& tx) { return tx.PutClerk(clerk); }));
  REBOOK_EXPECT_OK(Read([&](Transaction& tx) {
    EXPECT_EQ(tx.GetClerk("c-9").value(), clerk);
    return absl::OkStatus();
  }));

  clerk.skills = {"s1"};
  clerk.home_office_id = "";  // optional
  clerk.name = "渡辺";
  REBOOK_ASSERT_OK(Write([&](Transaction& tx) { return tx.PutClerk(clerk); }));
  REBOOK_EXPECT_OK(Read([&](Transaction& tx) {
    EXPECT_EQ(tx.GetClerk("c-9").value(), clerk);
    return absl::OkStatus();
  }));

  clerk.skills.clear();
  REBOOK_ASSERT_OK(Write([&](Transaction& tx) { return tx.PutClerk(clerk); }));
  REBOOK_EXPECT_OK(Read([&](Transaction& tx) {
    EXPECT_EQ(tx.GetClerk("c-9").value(), clerk);
    return absl::OkStatus();
  }));

  REBOOK_ASSERT_OK(Write([&](Transaction& tx) { return tx.DeleteClerk("c-9"); }));
  EXPECT_THAT(Write([&](Transaction& tx) { return tx.DeleteClerk("c-9"); }),
              StatusIs(StatusCode::kNotFound));
  REBOOK_EXPECT_OK(Read([&](Transaction& tx) {
    EXPECT_THAT(tx.GetClerk("c-9"), StatusIs(StatusCode::kNotFound));
    return absl::OkStatus();
  }));
}

TEST_P(StoreConformanceTest, ShiftIsKeyedByOfficeAndId) {
  SeedWorld();
  domain::Shift a = MakeShift("o1", "morning", "c1", At(2, 8), At(2, 12));
  domain::Shift b = MakeShift("o2", "morning", "c2", At(2, 9), At(2, 13));
  b.kind = domain::ShiftKind::kRegular;
  REBOOK_ASSERT_OK(Write([&](Transaction& tx) -> absl::Status {
    REBOOK_RETURN_IF_ERROR(tx.PutShift(a));
    return tx.PutShift(b);
  }));
  REBOOK_EXPECT_OK(Read([&](Transaction& tx) {
    EXPECT_EQ(tx.GetShift("o1", "morning").value(), a);
    EXPECT_EQ(tx.GetShift("o2", "morning").value(), b);
    EXPECT_THAT(tx.GetShift("o3", "morning"), StatusIs(StatusCode::kNotFound));
    return absl::OkStatus();
  }));

  a.clerk_id = "c2";
  a.time = {At(3, 7), At(3, 15, 30)};
  a.kind = domain::ShiftKind::kRegular;
  REBOOK_ASSERT_OK(Write([&](Transaction& tx) { return tx.PutShift(a); }));
  REBOOK_ASSERT_OK(Write([&](Transaction& tx) { return tx.DeleteShift("o2", "morning"); }));
  EXPECT_THAT(Write([&](Transaction& tx) { return tx.DeleteShift("o2", "morning"); }),
              StatusIs(StatusCode::kNotFound));
  REBOOK_EXPECT_OK(Read([&](Transaction& tx) {
    EXPECT_EQ(tx.GetShift("o1", "morning").value(), a);
    EXPECT_THAT(tx.GetShift("o2", "morning"), StatusIs(StatusCode::kNotFound));
    return absl::OkStatus();
  }));
}

TEST_P(StoreConformanceTest, ClosuresAreKeyedByOfficeAndDate) {
  SeedWorld();
  using date::March;
  domain::Closure first{"o1", date::year(2026) / March / 3, "Betriebsausflug 🚌"};
  domain::Closure second{"o1", date::year(2026) / March / 4, ""};
  domain::Closure other{"o2", date::year(2026) / March / 3, "Inventur"};
  REBOOK_ASSERT_OK(Write([&](Transaction& tx) -> absl::Status {
    REBOOK_RETURN_IF_ERROR(tx.PutClosure(second));
    REBOOK_RETURN_IF_ERROR(tx.PutClosure(other));
    return tx.PutClosure(first);
  }));
  first.reason = "verschoben";
  REBOOK_ASSERT_OK(Write([&](Transaction& tx) { return tx.PutClosure(first); }));
  REBOOK_EXPECT_OK(Read([&](Transaction& tx) {
    // Ordered by (office_id, date).
    EXPECT_THAT(tx.ListClosures(std::nullopt).value(), ElementsAre(first, second, other));
    EXPECT_THAT(tx.ListClosures(std::vector<std::string>{"o2"}).value(), ElementsAre(other));
    EXPECT_THAT(tx.ListClosures(std::vector<std::string>{}).value(), IsEmpty());
    return absl::OkStatus();
  }));
  REBOOK_ASSERT_OK(Write([&](Transaction& tx) { return tx.DeleteClosure("o1", second.date); }));
  EXPECT_THAT(Write([&](Transaction& tx) { return tx.DeleteClosure("o1", second.date); }),
              StatusIs(StatusCode::kNotFound));
  REBOOK_EXPECT_OK(Read([&](Transaction& tx) {
    EXPECT_THAT(tx.ListClosures(std::nullopt).value(), ElementsAre(first, other));
    return absl::OkStatus();
  }));
}

TEST_P(StoreConformanceTest, StandingBookingsRoundTripWithAndWithoutOffice) {
  SeedWorld();
  domain::StandingBooking in_shift{"b1", "c1", "o1", {At(2, 9), At(2, 9, 30)}};
  domain::StandingBooking no_shift{"b1", "c2", "", {At(2, 10), At(2, 10, 15)}};
  REBOOK_ASSERT_OK(Write([&](Transaction& tx) -> absl::Status {
    REBOOK_RETURN_IF_ERROR(tx.PutStandingBooking(in_shift));
    return tx.PutStandingBooking(no_shift);
  }));
  in_shift.time = {At(2, 11), At(2, 12)};
  in_shift.clerk_id = "c2";
  REBOOK_ASSERT_OK(Write([&](Transaction& tx) { return tx.PutStandingBooking(in_shift); }));
  REBOOK_EXPECT_OK(Read([&](Transaction& tx) {
    EXPECT_THAT(tx.ListStandingBookings({}, {}).value().items, ElementsAre(no_shift, in_shift));
    return absl::OkStatus();
  }));
  REBOOK_ASSERT_OK(Write([&](Transaction& tx) { return tx.DeleteStandingBooking("", "b1"); }));
  EXPECT_THAT(Write([&](Transaction& tx) { return tx.DeleteStandingBooking("", "b1"); }),
              StatusIs(StatusCode::kNotFound));
  REBOOK_EXPECT_OK(Read([&](Transaction& tx) {
    EXPECT_THAT(tx.ListStandingBookings({}, {}).value().items, ElementsAre(in_shift));
    return absl::OkStatus();
  }));
}

TEST_P(StoreConformanceTest, OutageRoundTripAndReplace) {
  SeedWorld();
  domain::Outage outage = MakeOutage("out-1", {"o3", "o1"});
  REBOOK_ASSERT_OK(Write([&](Transaction& tx) { return tx.PutOutage(outage); }));
  REBOOK_EXPECT_OK(Read([&](Transaction& tx) {
    EXPECT_THAT(tx.GetOutage("out-1").value(), OutageEq(outage));
    EXPECT_THAT(tx.GetOutage("out-2"), StatusIs(StatusCode::kNotFound));
    return absl::OkStatus();
  }));

  // Back to active: the optional close time goes away, the office list shrinks.
  outage.state = domain::OutageState::kActive;
  outage.close_time.reset();
  outage.close_reason = "";
  outage.office_ids = {"o2"};
  outage.cancelled_appointments = 0;
  REBOOK_ASSERT_OK(Write([&](Transaction& tx) { return tx.PutOutage(outage); }));
  REBOOK_EXPECT_OK(Read([&](Transaction& tx) {
    EXPECT_THAT(tx.GetOutage("out-1").value(), OutageEq(outage));
    return absl::OkStatus();
  }));
}

TEST_P(StoreConformanceTest, RequestsAreSavedOnceAndKeepBytes) {
  const std::string response("\x00\x01binary\xffproto\x00", 15);
  StoredRequest request{"req-1", "rebook.v1.OutageService/DeclareOutage",
                        std::string("\x12\x34\x00\x56", 4), response};
  REBOOK_EXPECT_OK(Read([&](Transaction& tx) {
    EXPECT_THAT(tx.FindRequest("req-1"), StatusIs(StatusCode::kNotFound));
    return absl::OkStatus();
  }));
  REBOOK_ASSERT_OK(Write([&](Transaction& tx) { return tx.SaveRequest(request); }));
  StoredRequest again = request;
  again.response = "different";
  EXPECT_THAT(Write([&](Transaction& tx) { return tx.SaveRequest(again); }),
              StatusIs(StatusCode::kAlreadyExists));
  REBOOK_EXPECT_OK(Read([&](Transaction& tx) -> absl::Status {
    REBOOK_ASSIGN_OR_RETURN(StoredRequest got, tx.FindRequest("req-1"));
    EXPECT_EQ(got.request_id, request.request_id);
    EXPECT_EQ(got.method, request.method);
    EXPECT_EQ(got.fingerprint, request.fingerprint);
    EXPECT_EQ(got.response, request.response);
    return absl::OkStatus();
  }));
  // An empty response is a valid answer.
  REBOOK_ASSERT_OK(Write([&](Transaction& tx) { return tx.SaveRequest({"req-2", "m", "", ""}); }));
  REBOOK_EXPECT_OK(Read([&](Transaction& tx) {
    EXPECT_EQ(tx.FindRequest("req-2").value().response, "");
    return absl::OkStatus();
  }));
}

TEST_P(StoreConformanceTest, DeletingReferencedRecordsFailsWithFailedPrecondition) {
  SeedWorld();  // c1 has skills s1, s2; c2 has s2
  REBOOK_ASSERT_OK(Write([&](Transaction& tx) -> absl::Status {
    REBOOK_RETURN_IF_ERROR(tx.PutShift(MakeShift("o1", "sh", "c1", At(2, 8), At(2, 12))));
    domain::Appointment a = MakeAppointment("a1", "o2", "s2", At(2, 9));
    return tx.InsertAppointments({&a, 1});
  }));
  EXPECT_THAT(Write([](Transaction& tx) { return tx.DeleteOffice("o1"); }),  // shift
              StatusIs(StatusCode::kFailedPrecondition));
  EXPECT_THAT(Write([](Transaction& tx) { return tx.DeleteOffice("o2"); }),  // appointment
              StatusIs(StatusCode::kFailedPrecondition));
  EXPECT_THAT(Write([](Transaction& tx) { return tx.DeleteService("s2"); }),
              StatusIs(StatusCode::kFailedPrecondition));
  EXPECT_THAT(Write([](Transaction& tx) { return tx.DeleteService("s1"); }),  // c1's skill
              StatusIs(StatusCode::kFailedPrecondition));
  EXPECT_THAT(Write([](Transaction& tx) { return tx.DeleteClerk("c1"); }),
              StatusIs(StatusCode::kFailedPrecondition));
  // Unreferenced ones go; a clerk takes its skills along.
  REBOOK_EXPECT_OK(Write([](Transaction& tx) -> absl::Status {
    REBOOK_RETURN_IF_ERROR(tx.DeleteOffice("o3"));
    return tx.DeleteClerk("c2");
  }));
  // Once the references are gone, so can the records be.
  REBOOK_EXPECT_OK(Write([](Transaction& tx) -> absl::Status {
    REBOOK_RETURN_IF_ERROR(tx.DeleteShift("o1", "sh"));
    REBOOK_RETURN_IF_ERROR(tx.DeleteAppointment("o2", "a1"));
    REBOOK_RETURN_IF_ERROR(tx.DeleteOffice("o1"));
    REBOOK_RETURN_IF_ERROR(tx.DeleteOffice("o2"));
    REBOOK_RETURN_IF_ERROR(tx.DeleteClerk("c1"));
    REBOOK_RETURN_IF_ERROR(tx.DeleteService("s1"));
    return tx.DeleteService("s2");
  }));
}

TEST_P(StoreConformanceTest, ReferencesToMissingRecordsFailWithFailedPrecondition) {
  SeedWorld();
  EXPECT_THAT(Write([](Transaction& tx) {
                return tx.PutShift(MakeShift("nowhere", "sh", "c1", At(2, 8), At(2, 12)));
              }),
              StatusIs(StatusCode::kFailedPrecondition));
  EXPECT_THAT(Write([](Transaction& tx) {
                return tx.PutShift(MakeShift("o1", "sh", "nobody", At(2, 8), At(2, 12)));
              }),
              StatusIs(StatusCode::kFailedPrecondition));
  for (auto [office, service] : {std::pair{"nowhere", "s1"}, std::pair{"o1", "nothing"}}) {
    domain::Appointment a = MakeAppointment("a1", office, service, At(2, 9));
    EXPECT_THAT(Write([&](Transaction& tx) {
                  return tx.InsertAppointments({&a, 1});
                }),
                StatusIs(StatusCode::kFailedPrecondition))
        << office << " " << service;
  }
}

}  // namespace
}  // namespace rebook::storage::conformance
