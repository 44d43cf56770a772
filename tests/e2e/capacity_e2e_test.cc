// Capacity over gRPC: CRUD with field masks, referential integrity, absences, bulk import.
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/test_server.h"

namespace rebook::testing {
namespace {

namespace v1 = ::rebook::v1;
using ::testing::ElementsAre;

class CapacityTest : public ::testing::Test {
 protected:
  void SetUp() override { server_.SeedCapacity(); }

  grpc::Status ImportCapacity(const v1::ImportCapacityRequest& req,
                              v1::ImportCapacityResponse* resp) {
    auto ctx = server_.Context("admin");
    auto w = stub_->ImportCapacity(ctx.get(), resp);
    w->Write(req);
    w->WritesDone();
    return w->Finish();
  }

  std::int64_t At(int hours) { return kOutageStart.time_since_epoch().count() + 3600 * hours; }

  TestServer server_;
  std::unique_ptr<v1::CapacityService::Stub> stub_ =
      v1::CapacityService::NewStub(server_.channel());
};

TEST_F(CapacityTest, OfficeRoundTripAndMaskedUpdate) {
  v1::CreateOfficeRequest create;
  create.set_office_id("HAL-SUED");
  create.mutable_office()->set_display_name("Bürgerservice Süd");
  create.mutable_office()->set_state("DE-ST");
  create.mutable_office()->set_address("Südstadtring 90\n06128 Halle (Saale)");
  v1::Office o;
  ASSERT_TRUE(stub_->CreateOffice(server_.Context("admin").get(), create, &o).ok());
  EXPECT_EQ(o.name(), "offices/HAL-SUED");
  EXPECT_EQ(o.time_zone(), "Europe/Berlin");
  EXPECT_EQ(o.offer_ttl().seconds(), 48 * 3600);
  // Creating it again identically is fine; with other content it is not.
  ASSERT_TRUE(stub_->CreateOffice(server_.Context("admin").get(), create, &o).ok());
  create.mutable_office()->set_state("DE-SN");
  EXPECT_EQ(stub_->CreateOffice(server_.Context("admin").get(), create, &o).error_code(),
            grpc::StatusCode::ALREADY_EXISTS);

  v1::UpdateOfficeRequest update;
  update.mutable_office()->set_name("offices/HAL-SUED");
  update.mutable_office()->mutable_offer_ttl()->set_seconds(72 * 3600);
  update.mutable_office()->set_state("XX");  // not in the mask
  update.mutable_update_mask()->add_paths("offer_ttl");
  ASSERT_TRUE(stub_->UpdateOffice(server_.Context("admin").get(), update, &o).ok());
  EXPECT_EQ(o.offer_ttl().seconds(), 72 * 3600);
  EXPECT_EQ(o.state(), "DE-ST");
}

TEST_F(CapacityTest, BadValuesAreFieldViolations) {
  v1::CreateOfficeRequest create;
  create.set_office_id("X");
  create.mutable_office()->set_display_name("X");
  create.mutable_office()->set_state("Sachsen");
  create.mutable_office()->set_time_zone("Europe/Halle");
  v1::Office o;
  grpc::Status s = stub_->CreateOffice(server_.Context("admin").get(), create, &o);
  ASSERT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolationFields(s), ElementsAre("office.state", "office.time_zone"));
}

TEST_F(CapacityTest, ReferencedRecordsCannotBeDeleted) {
  v1::DeleteOfficeRequest del;
  del.set_name("offices/A");
  google::protobuf::Empty e;
  EXPECT_EQ(stub_->DeleteOffice(server_.Context("admin").get(), del, &e).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  v1::DeleteServiceTypeRequest ds;
  ds.set_name("serviceTypes/kfz");
  EXPECT_EQ(stub_->DeleteServiceType(server_.Context("admin").get(), ds, &e).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  v1::DeleteShiftRequest dsh;
  dsh.set_name("offices/A/shifts/nope");
  EXPECT_EQ(stub_->DeleteShift(server_.Context("admin").get(), dsh, &e).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST_F(CapacityTest, OverlappingShiftOfOneClerkIsRefused) {
  v1::CreateShiftRequest req;
  req.set_parent("offices/B");
  req.mutable_shift()->set_clerk("clerks/ka");
  req.mutable_shift()->mutable_interval()->mutable_start_time()->set_seconds(At(26));
  req.mutable_shift()->mutable_interval()->mutable_end_time()->set_seconds(At(28));
  v1::Shift s;
  grpc::Status st = stub_->CreateShift(server_.Context("admin").get(), req, &s);
  ASSERT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolationFields(st), ElementsAre("shift.interval"));
  req.mutable_shift()->mutable_interval()->mutable_start_time()->set_seconds(At(40));
  req.mutable_shift()->mutable_interval()->mutable_end_time()->set_seconds(At(44));
  ASSERT_TRUE(stub_->CreateShift(server_.Context("admin").get(), req, &s).ok());
  EXPECT_EQ(s.time_zone(), "Europe/Berlin");
}

TEST_F(CapacityTest, AbsenceCutsAndSplitsShifts) {
  v1::ReportClerkAbsenceRequest req;
  req.set_clerk("clerks/ka");
  req.mutable_interval()->mutable_start_time()->set_seconds(At(26));
  req.mutable_interval()->mutable_end_time()->set_seconds(At(28));
  v1::ReportClerkAbsenceResponse resp;
  ASSERT_TRUE(stub_->ReportClerkAbsence(server_.Context("admin-a").get(), req, &resp).ok());
  ASSERT_EQ(resp.affected_shifts_size(), 1);
  v1::ListShiftsRequest list;
  list.set_parent("offices/A");
  v1::ListShiftsResponse shifts;
  ASSERT_TRUE(stub_->ListShifts(server_.Context("admin").get(), list, &shifts).ok());
  ASSERT_EQ(shifts.shifts_size(), 2);
  EXPECT_EQ(shifts.shifts(0).interval().end_time().seconds(), At(26));
  EXPECT_EQ(shifts.shifts(1).interval().start_time().seconds(), At(28));
  EXPECT_EQ(shifts.shifts(1).interval().end_time().seconds(), At(32));
}

TEST_F(CapacityTest, ImportIsAtomicAndIdempotent) {
  v1::ImportCapacityRequest req;
  req.set_request_id("cap-1");
  v1::Closure* c = req.add_closures();
  c->set_name("offices/A/closures/2026-02-03");
  c->mutable_date()->set_year(2026);
  c->mutable_date()->set_month(2);
  c->mutable_date()->set_day(3);
  c->set_reason("Personalversammlung");
  v1::StandingBooking* b = req.add_standing_bookings();
  b->set_name("offices/B/standingBookings/sb1");
  b->set_clerk("clerks/kb");
  b->mutable_interval()->mutable_start_time()->set_seconds(At(25));
  b->mutable_interval()->mutable_end_time()->set_seconds(At(25) + 900);
  v1::Shift* bad = req.add_shifts();
  bad->set_name("offices/A/shifts/s2");
  bad->set_clerk("clerks/nobody");
  bad->mutable_interval()->mutable_start_time()->set_seconds(At(50));
  bad->mutable_interval()->mutable_end_time()->set_seconds(At(51));
  v1::ImportCapacityResponse resp;
  grpc::Status s = ImportCapacity(req, &resp);
  ASSERT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolationFields(s), ElementsAre("shifts[0].clerk"));
  v1::ListClosuresRequest lc;
  lc.set_parent("offices/A");
  v1::ListClosuresResponse closures;
  ASSERT_TRUE(stub_->ListClosures(server_.Context("admin").get(), lc, &closures).ok());
  EXPECT_EQ(closures.closures_size(), 0);

  req.mutable_shifts(0)->set_clerk("clerks/ka");
  req.set_request_id("cap-2");
  ASSERT_TRUE(ImportCapacity(req, &resp).ok());
  EXPECT_EQ(resp.created_count(), 3);
  req.set_request_id("cap-3");
  ASSERT_TRUE(ImportCapacity(req, &resp).ok());
  EXPECT_EQ(resp.created_count(), 0);
  EXPECT_EQ(resp.unchanged_count(), 3);
  ASSERT_TRUE(stub_->ListClosures(server_.Context("admin").get(), lc, &closures).ok());
  ASSERT_EQ(closures.closures_size(), 1);
  EXPECT_EQ(closures.closures(0).reason(), "Personalversammlung");
}

// Issue 18: ListClosures honours page_size and page_token (it used to return everything and
// ignore the token).
TEST_F(CapacityTest, ClosuresPageOneByOne) {
  v1::ImportCapacityRequest req;
  req.set_request_id("closures-paged");
  for (int day : {5, 3, 4}) {
    for (const char* office : {"A", "B"}) {
      v1::Closure* c = req.add_closures();
      c->set_name(absl::StrCat("offices/", office, "/closures/2026-02-0", day));
      c->mutable_date()->set_year(2026);
      c->mutable_date()->set_month(2);
      c->mutable_date()->set_day(day);
      c->set_reason(absl::StrCat("Tag ", day));
    }
  }
  v1::ImportCapacityResponse imported;
  ASSERT_TRUE(ImportCapacity(req, &imported).ok());
  for (const char* parent : {"offices/A", "offices/-"}) {
    SCOPED_TRACE(parent);
    v1::ListClosuresRequest list;
    list.set_parent(parent);
    list.set_page_size(1);
    std::vector<std::string> names;
    for (int pages = 0; pages < 20; ++pages) {
      v1::ListClosuresResponse page;
      ASSERT_TRUE(stub_->ListClosures(server_.Context("admin").get(), list, &page).ok());
      ASSERT_LE(page.closures_size(), 1);
      for (const v1::Closure& c : page.closures()) names.push_back(c.name());
      if (page.next_page_token().empty()) break;
      list.set_page_token(page.next_page_token());
    }
    std::vector<std::string> a = {"offices/A/closures/2026-02-03", "offices/A/closures/2026-02-04",
                                  "offices/A/closures/2026-02-05"};
    if (std::string(parent) == "offices/A") {
      EXPECT_EQ(names, a);
    } else {
      a.insert(a.end(), {"offices/B/closures/2026-02-03", "offices/B/closures/2026-02-04",
                         "offices/B/closures/2026-02-05"});
      EXPECT_EQ(names, a);
    }
  }
  v1::ListClosuresRequest bad;
  bad.set_parent("offices/A");
  bad.set_page_token("not a token");
  v1::ListClosuresResponse none;
  EXPECT_EQ(stub_->ListClosures(server_.Context("admin").get(), bad, &none).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

}  // namespace
}  // namespace rebook::testing
