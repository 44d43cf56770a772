// The audit log end to end: a real server on a real SQLite file (or PostgreSQL database, see
// testing/rebookd/test_database.h) records reads and changes of personal data and privileged
// actions, only the auditor may read the log, the chain verifies, and no personal value of a
// citizen reaches the audit table. The tables are read and broken behind the server's back with
// each backend's own client library.
#include <algorithm>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "SQLiteCpp/Database.h"
#include "SQLiteCpp/Statement.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "pqxx/pqxx"
#include "rebook/v1/audit.grpc.pb.h"
#include "rebook/v1/offers.grpc.pb.h"
#include "tests/support/test_server.h"

namespace rebook::testing {
namespace {

namespace v1 = ::rebook::v1;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

// Personal values that must never appear in the audit table.
const std::vector<std::string> kCanaries = {"Zebrafinch", "canary.zebrafinch@example.org",
                                            "+49 345 99887766", "Kanarienweg 77"};

// Every value of every row of `table` in the server's database, one row a line.
std::string TableText(const TestServer& server, const std::string& table) {
  std::string text;
  if (server.postgres()) {
    pqxx::connection c(server.db());
    for (const pqxx::row& row : pqxx::nontransaction(c).exec("SELECT * FROM " + table)) {
      for (const pqxx::field& f : row) absl::StrAppend(&text, f.c_str(), "\n");
    }
    return text;
  }
  SQLite::Database db(server.db_path(), SQLite::OPEN_READONLY);
  SQLite::Statement rows(db, "SELECT * FROM " + table);
  while (rows.executeStep()) {
    for (int c = 0; c < rows.getColumnCount(); ++c) {
      absl::StrAppend(&text, rows.getColumn(c).getString(), "\n");
    }
  }
  return text;
}

// Runs `sql` on the server's database directly; throws what the backend's library throws.
void ExecBehindTheServer(const TestServer& server, const std::string& sql) {
  if (server.postgres()) {
    pqxx::connection c(server.db());
    pqxx::nontransaction(c).exec(sql);
    return;
  }
  SQLite::Database db(server.db_path(), SQLite::OPEN_READWRITE);
  db.exec(sql);
}

class AuditTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_.SeedCapacity();
    v1::ImportAppointmentsRequest req;
    req.set_request_id("imp-1");
    for (const char* id : {"c-1", "c-2"}) {
      v1::Appointment a = MakeAppointment("A", id, 30);
      a.mutable_contact()->set_name("Erika Zebrafinch");
      a.mutable_contact()->set_email("canary.zebrafinch@example.org");
      a.mutable_contact()->set_phone("+49 345 99887766");
      a.mutable_contact()->set_postal_address("Kanarienweg 77\n06108 Halle");
      *req.add_appointments() = a;
    }
    v1::ImportAppointmentsResponse resp;
    auto ctx = server_.Context("admin");
    auto writer = appointments_->ImportAppointments(ctx.get(), &resp);
    ASSERT_TRUE(writer->Write(req));
    writer->WritesDone();
    grpc::Status s = writer->Finish();
    ASSERT_TRUE(s.ok()) << s.error_message();
  }

  std::vector<v1::AuditEntry> List(v1::ListAuditEntriesRequest req) {
    std::vector<v1::AuditEntry> all;
    for (int pages = 0; pages < 100; ++pages) {
      v1::ListAuditEntriesResponse resp;
      grpc::Status s = audit_->ListAuditEntries(server_.Context("auditor").get(), req, &resp);
      EXPECT_TRUE(s.ok()) << s.error_message();
      all.insert(all.end(), resp.entries().begin(), resp.entries().end());
      if (!s.ok() || resp.next_page_token().empty()) break;
      req.set_page_token(resp.next_page_token());
    }
    return all;
  }

  static std::vector<std::string> Methods(const std::vector<v1::AuditEntry>& entries) {
    std::vector<std::string> out;
    for (const auto& e : entries) out.push_back(e.method());
    return out;
  }

  TestServer server_;
  std::unique_ptr<v1::AppointmentService::Stub> appointments_ =
      v1::AppointmentService::NewStub(server_.channel());
  std::unique_ptr<v1::OutageService::Stub> outages_ = v1::OutageService::NewStub(server_.channel());
  std::unique_ptr<v1::OfferService::Stub> offers_ = v1::OfferService::NewStub(server_.channel());
  std::unique_ptr<v1::AuditService::Stub> audit_ = v1::AuditService::NewStub(server_.channel());
};

TEST_F(AuditTest, RecordsReadsChangesAndPrivilegedCallsWithoutPersonalData) {
  v1::GetAppointmentRequest get;
  get.set_name("offices/A/appointments/c-1");
  v1::Appointment appointment;
  ASSERT_TRUE(
      appointments_->GetAppointment(server_.Context("clerk-a").get(), get, &appointment).ok());
  EXPECT_EQ(appointments_->GetAppointment(server_.Context("clerk-b").get(), get, &appointment)
                .error_code(),
            grpc::StatusCode::NOT_FOUND);
  v1::ListAppointmentsRequest list;
  list.set_parent("offices/A");
  v1::ListAppointmentsResponse listed;
  ASSERT_TRUE(
      appointments_->ListAppointments(server_.Context("clerk-a").get(), list, &listed).ok());
  ASSERT_EQ(listed.appointments_size(), 2);

  v1::DeclareOutageRequest declare;
  declare.set_request_id("decl-1");
  declare.mutable_outage()->add_offices("offices/A");
  declare.mutable_outage()->set_cause("Strom- und IT-Ausfall");
  auto* w = declare.mutable_outage()->mutable_window();
  w->mutable_start_time()->set_seconds(kOutageStart.time_since_epoch().count());
  w->mutable_end_time()->set_seconds(kOutageStart.time_since_epoch().count() + 280 * 60);
  v1::Outage outage;
  ASSERT_TRUE(outages_->DeclareOutage(server_.Context("planner").get(), declare, &outage).ok());
  // Reference data: not audited.
  v1::GetOutageRequest get_outage;
  get_outage.set_name(outage.name());
  ASSERT_TRUE(outages_->GetOutage(server_.Context("clerk-a").get(), get_outage, &outage).ok());
  // A citizen's token (a wrong one here) is recorded by a digest prefix only.
  v1::GetPublicOfferRequest public_offer;
  public_offer.set_token("wrong-token-Zebrafinch-0123456789");
  v1::PublicOffer offer;
  EXPECT_FALSE(offers_->GetPublicOffer(server_.Context("").get(), public_offer, &offer).ok());
  // Without a valid token nothing is read, and nothing is recorded.
  EXPECT_EQ(appointments_->GetAppointment(server_.Context("no-such-token").get(), get, &appointment)
                .error_code(),
            grpc::StatusCode::UNAUTHENTICATED);

  std::vector<v1::AuditEntry> entries = List({});
  ASSERT_THAT(Methods(entries), ElementsAre("rebook.v1.CapacityService/ImportCapacity",
                                            "rebook.v1.AppointmentService/ImportAppointments",
                                            "rebook.v1.AppointmentService/GetAppointment",
                                            "rebook.v1.AppointmentService/GetAppointment",
                                            "rebook.v1.AppointmentService/ListAppointments",
                                            "rebook.v1.OutageService/DeclareOutage",
                                            "rebook.v1.OfferService/GetPublicOffer"));
  // SeedCapacity's import, a privileged change.
  EXPECT_EQ(entries[0].category(), "privileged");
  EXPECT_EQ(entries[0].sequence(), 1);
  EXPECT_TRUE(entries[0].previous_hash().empty());
  EXPECT_GT(entries[0].record_count(), 1);
  entries.erase(entries.begin());

  const v1::AuditEntry& import = entries[0];
  EXPECT_EQ(import.principal(), "admin");
  EXPECT_EQ(import.role(), "admin");
  EXPECT_THAT(import.offices(), ElementsAre("*"));
  EXPECT_EQ(import.category(), "personal_data_change");
  EXPECT_EQ(import.record_count(), 2);
  EXPECT_EQ(import.outcome(), "OK");
  EXPECT_EQ(import.request_id(), "imp-1");
  EXPECT_THAT(import.resources(),
              ElementsAre("offices/A/appointments/c-1", "offices/A/appointments/c-2"));
  EXPECT_EQ(import.sequence(), 2);

  const v1::AuditEntry& read = entries[1];
  EXPECT_EQ(read.principal(), "clerk-a");
  EXPECT_EQ(read.role(), "clerk");
  EXPECT_THAT(read.offices(), ElementsAre("A"));
  EXPECT_EQ(read.category(), "personal_data_read");
  EXPECT_THAT(read.resources(), ElementsAre("offices/A/appointments/c-1"));
  EXPECT_EQ(read.record_count(), 1);
  EXPECT_EQ(read.previous_hash(), import.hash());

  const v1::AuditEntry& foreign = entries[2];
  EXPECT_EQ(foreign.principal(), "clerk-b");
  EXPECT_EQ(foreign.outcome(), "NOT_FOUND");
  EXPECT_EQ(foreign.record_count(), 0);

  EXPECT_EQ(entries[3].record_count(), 2);
  EXPECT_THAT(entries[3].resources(),
              ElementsAre("offices/A", "offices/A/appointments/c-1", "offices/A/appointments/c-2"));

  const v1::AuditEntry& declared = entries[4];
  EXPECT_EQ(declared.principal(), "planner");
  EXPECT_EQ(declared.category(), "privileged");
  EXPECT_EQ(declared.request_id(), "decl-1");
  EXPECT_THAT(declared.resources(), ElementsAre("offices/A", outage.name()));

  const v1::AuditEntry& token_use = entries[5];
  EXPECT_EQ(token_use.principal(), "public");
  ASSERT_EQ(token_use.resources_size(), 1);
  EXPECT_EQ(token_use.resources(0).rfind("offer-tokens/", 0), 0u);
  EXPECT_NE(token_use.outcome(), "OK");

  // Filters.
  v1::ListAuditEntriesRequest by_principal;
  by_principal.set_principal("clerk-a");
  EXPECT_EQ(List(by_principal).size(), 2u);
  v1::ListAuditEntriesRequest by_method;
  by_method.set_method("rebook.v1.OutageService/DeclareOutage");
  EXPECT_EQ(List(by_method).size(), 1u);
  v1::ListAuditEntriesRequest by_office;
  by_office.set_office("offices/B");
  // clerk-b's entry, and those of principals of every office (admin, planner). Listing is
  // itself recorded, so count only what came before.
  std::vector<v1::AuditEntry> office_b = List(by_office);
  EXPECT_EQ(std::count_if(office_b.begin(), office_b.end(),
                          [](const v1::AuditEntry& e) { return e.principal() == "clerk-a"; }),
            0);
  v1::ListAuditEntriesRequest paged;
  paged.set_page_size(2);
  EXPECT_GE(List(paged).size(), 7u);

  v1::VerifyAuditChainResponse verdict;
  ASSERT_TRUE(audit_->VerifyAuditChain(server_.Context("auditor").get(), {}, &verdict).ok());
  EXPECT_TRUE(verdict.ok()) << verdict.reason();
  EXPECT_GE(verdict.verified_entries(), 7);
  EXPECT_EQ(verdict.last_sequence(), verdict.verified_entries());

  // No canary in the audit table, which is all text: read every column of every row. The
  // canaries are in the appointments table of the same file, so the check can fail.
  const std::string audit_text = TableText(server_, "audit_entries");
  const std::string appointment_text = TableText(server_, "appointments");
  ASSERT_FALSE(audit_text.empty());
  for (const std::string& canary : kCanaries) {
    EXPECT_NE(appointment_text.find(canary), std::string::npos) << canary;
    EXPECT_EQ(audit_text.find(canary), std::string::npos) << canary << " leaked into the audit log";
  }
  EXPECT_EQ(audit_text.find("wrong-token"), std::string::npos);
  EXPECT_EQ(audit_text.find("no-such-token"), std::string::npos);
}

TEST_F(AuditTest, OnlyTheAuditorReadsTheLog) {
  for (const char* token : {"admin", "planner", "clerk-a", "admin-a", "notifier"}) {
    v1::ListAuditEntriesResponse list;
    EXPECT_EQ(audit_->ListAuditEntries(server_.Context(token).get(), {}, &list).error_code(),
              grpc::StatusCode::PERMISSION_DENIED)
        << token;
    v1::VerifyAuditChainResponse verdict;
    EXPECT_EQ(audit_->VerifyAuditChain(server_.Context(token).get(), {}, &verdict).error_code(),
              grpc::StatusCode::PERMISSION_DENIED)
        << token;
  }
  v1::ListAuditEntriesResponse list;
  EXPECT_EQ(audit_->ListAuditEntries(server_.Context("").get(), {}, &list).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  // The attempts are in the log, as privileged calls that were refused.
  v1::ListAuditEntriesRequest req;
  req.set_method("rebook.v1.AuditService/ListAuditEntries");
  std::vector<v1::AuditEntry> attempts = List(req);
  ASSERT_GE(attempts.size(), 5u);
  EXPECT_EQ(attempts[0].principal(), "admin");
  EXPECT_EQ(attempts[0].outcome(), "PERMISSION_DENIED");
  EXPECT_EQ(attempts[0].category(), "privileged");
  // The auditor may do nothing else.
  v1::GetAppointmentRequest get;
  get.set_name("offices/A/appointments/c-1");
  v1::Appointment appointment;
  EXPECT_EQ(appointments_->GetAppointment(server_.Context("auditor").get(), get, &appointment)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(AuditTest, BadFiltersAreInvalidArgumentWithBadRequest) {
  v1::ListAuditEntriesRequest req;
  req.set_office("not-an-office");
  req.set_principal("has space");
  v1::ListAuditEntriesResponse resp;
  grpc::Status s = audit_->ListAuditEntries(server_.Context("auditor").get(), req, &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolationFields(s), ElementsAre("principal", "office"));
  v1::ListAuditEntriesRequest token;
  token.set_page_token("garbage");
  s = audit_->ListAuditEntries(server_.Context("auditor").get(), token, &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolationFields(s), ElementsAre("page_token"));
}

TEST_F(AuditTest, FailsClosedWhenTheEntryCannotBeWritten) {
  // The audit log breaks; the rest of the database works.
  ExecBehindTheServer(server_, "DROP TABLE audit_entries");
  v1::GetAppointmentRequest get;
  get.set_name("offices/A/appointments/c-1");
  v1::Appointment appointment;
  grpc::Status s =
      appointments_->GetAppointment(server_.Context("clerk-a").get(), get, &appointment);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_THAT(s.error_message(), ::testing::HasSubstr("audit log"));
  EXPECT_EQ(appointment.contact().email(), "") << "personal data left without an entry";
  // Calls that are not audited still work.
  v1::GetOfficeRequest office_req;
  office_req.set_name("offices/A");
  v1::Office office;
  auto capacity = v1::CapacityService::NewStub(server_.channel());
  EXPECT_TRUE(capacity->GetOffice(server_.Context("clerk-a").get(), office_req, &office).ok());
}

TEST_F(AuditTest, AppendOnlyTriggersHoldOnTheServersDatabase) {
  EXPECT_THROW(ExecBehindTheServer(server_, "UPDATE audit_entries SET principal = 'x'"),
               std::exception);
  EXPECT_THROW(ExecBehindTheServer(server_, "DELETE FROM audit_entries"), std::exception);
  if (server_.postgres()) {
    EXPECT_THROW(ExecBehindTheServer(server_, "TRUNCATE audit_entries"), std::exception);
  }
  EXPECT_FALSE(TableText(server_, "audit_entries").empty());
}

}  // namespace
}  // namespace rebook::testing
