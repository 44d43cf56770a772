// The privacy end-to-end tests' world: a TestServer on simulated time with offices A and B, one
// citizen of office A cancelled by outage o1, a committed plan (an offer and an e-mail message
// to the citizen), and a failed delivery whose reason repeats the citizen's address, as real
// SMTP replies do. Helpers call PrivacyService and read the database files' raw bytes.
#ifndef REBOOK_TESTS_PRIVACY_PRIVACY_FIXTURE_H_
#define REBOOK_TESTS_PRIVACY_PRIVACY_FIXTURE_H_

#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "rebook/v1/appointments.grpc.pb.h"
#include "rebook/v1/notifications.grpc.pb.h"
#include "rebook/v1/outages.grpc.pb.h"
#include "rebook/v1/plans.grpc.pb.h"
#include "rebook/v1/privacy.grpc.pb.h"
#include "rebook/v1/simulation.grpc.pb.h"
#include "tests/support/test_server.h"

namespace rebook::testing {

namespace v1 = ::rebook::v1;

class PrivacyTest : public ::testing::Test {
 protected:
  PrivacyTest();
  void SetUp() override;

  // Creates appointment `id` of office A (with a request id, so that its response is stored)
  // 30 minutes into the outage window, with this contact.
  void CreateCitizen(const std::string& id, const v1::Contact& contact);
  // Declares o1 on office A, plans and commits; leases the e-mail messages as the notifier and
  // reports each as a temporary failure naming `rejected_address`.
  void DeclarePlanCommitAndFailOnce(const std::string& rejected_address);
  // Closes o1 (forced: citizens may still wait).
  void CloseOutage();
  void AdvanceDays(int days);

  grpc::Status Purge(const std::string& token, v1::PurgeExpiredDataResponse* out,
                     const std::string& parent = "offices/-");
  grpc::Status Export(const std::string& token, const std::string& citizen, v1::CitizenData* out,
                      const std::string& parent = "offices/-");
  grpc::Status Erase(const std::string& token, const std::string& citizen,
                     v1::EraseCitizenDataResponse* out, const std::string& parent = "offices/-");

  TestServer server_;
  std::unique_ptr<v1::AppointmentService::Stub> appointments_;
  std::unique_ptr<v1::OutageService::Stub> outages_;
  std::unique_ptr<v1::PlanService::Stub> plans_;
  std::unique_ptr<v1::NotificationService::Stub> notifications_;
  std::unique_ptr<v1::PrivacyService::Stub> privacy_;
  std::unique_ptr<v1::SimulationService::Stub> simulation_;
};

// The bytes of a file ("" if it does not exist).
std::string ReadBytes(const std::string& path);
// Every row of the PostgreSQL database `url` (pg_dump --data-only); on failure, the error.
std::string DumpRows(const std::string& url);
// Copies the live database `from` to `to` with SQLite's online backup API, as a backup job
// would. Empty on success, else SQLite's error.
std::string BackupDatabase(const std::string& from, const std::string& to);

}  // namespace rebook::testing

#endif  // REBOOK_TESTS_PRIVACY_PRIVACY_FIXTURE_H_
