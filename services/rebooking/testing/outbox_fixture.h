// Test fixture for the outbox: a real store (testing::OpenStoreFile, the default backend) in a
// fresh folder with two offices, one service, and helpers that write appointments and offers
// straight through the storage interface (plan commit is tested elsewhere). It sees only
// storage::Store: the backend is chosen in testing/store, so rebooking includes none.
#ifndef REBOOK_SERVICES_REBOOKING_TESTING_OUTBOX_FIXTURE_H_
#define REBOOK_SERVICES_REBOOKING_TESTING_OUTBOX_FIXTURE_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "services/common/clock.h"
#include "services/common/ids.h"
#include "services/common/status_macros.h"
#include "services/rebooking/outbox.h"
#include "services/rebooking/slots.h"
#include "storage/store.h"
#include "testing/files.h"
#include "testing/store/temp_store.h"

namespace rebook::rebooking::testing {

// 2026-01-27T10:50:00Z, when the power failed in Halle.
inline const Instant kT0{std::chrono::seconds(1769511000)};

class OutboxTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_.emplace("rebook-outbox");
    auto store = ::rebook::testing::OpenStoreFile(dir_->File("rebook.db"));
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = std::move(*store);
    ASSERT_TRUE(Write([](storage::Transaction& tx) -> absl::Status {
                  for (const char* id : {"A", "B"}) {
                    REBOOK_RETURN_IF_ERROR(tx.PutOffice({.id = id,
                                                         .name = absl::StrCat("Bürgerbüro ", id),
                                                         .state = "DE-ST",
                                                         .address = "Marktplatz 1\n06108 Halle"}));
                  }
                  return tx.PutService({.id = "kfz", .name = "Kfz-Zulassung"});
                }).ok());
  }
  // Starts over with an empty store, fresh ids and the clock at kT0.
  void Fresh() {
    TearDown();
    ids_ = std::make_unique<SequentialIdGenerator>();
    clock_.Set(kT0);
    SetUp();
  }
  void TearDown() override {
    if (store_ != nullptr) ExpectSlotsMatchStatus();
    store_.reset();
    dir_.reset();
  }

  // The lifecycle invariant every use case keeps (services/rebooking/slots.h): CONFIRMED
  // exactly with a rebooked slot, OFFERED exactly with a held slot. Checked after every test.
  void ExpectSlotsMatchStatus() {
    EXPECT_TRUE(store_
                    ->Read({},
                           [](storage::Transaction& tx) {
                             return tx.ScanAppointments({}, [](const domain::Appointment& a) {
                               const absl::Status s = CheckSlotsMatchStatus(a);
                               EXPECT_TRUE(s.ok()) << s;
                             });
                           })
                    .ok());
  }

  absl::Status Write(absl::FunctionRef<absl::Status(storage::Transaction&)> fn) {
    return store_->Write({}, fn);
  }

  // An appointment of office A with the given contact, cancelled by outage "out-1", and its
  // open offer v1 for a slot at office B. Written to the store.
  std::pair<domain::Appointment, domain::Offer> Seed(const std::string& id,
                                                     domain::Contact contact) {
    domain::Appointment a;
    a.id = id;
    a.office_id = "A";
    a.service_id = "kfz";
    a.original_start = kT0;
    a.contact = std::move(contact);
    a.status = domain::AppointmentStatus::kOffered;
    a.outage_id = "out-1";
    domain::Offer o;
    o.appointment_id = id;
    o.office_id = "A";
    o.version = 1;
    o.outage_id = "out-1";
    o.plan_id = "p-1";
    o.slot = {.office_id = "B",
              .clerk_id = "kb",
              .time = {kT0 + std::chrono::hours(48),
                       kT0 + std::chrono::hours(48) + std::chrono::minutes(15)}};
    o.token = absl::StrCat("tok_", id, "_0123456789abcdef");
    o.create_time = kT0;
    o.expire_time = kT0 + std::chrono::hours(48);
    HoldSlot(a, o);
    EXPECT_TRUE(Write([&](storage::Transaction& tx) -> absl::Status {
                  REBOOK_RETURN_IF_ERROR(tx.InsertAppointments({&a, 1}));
                  return tx.PutOffer(o);
                }).ok());
    return {a, o};
  }

  static domain::Contact Email(std::string preferred = "") {
    return {.name = "Erika Mustermann",
            .email = "erika@example.org",
            .language = "de",
            .channel = std::move(preferred)};
  }
  static domain::Contact EmailSmsLetter(std::string preferred = "") {
    return {.name = "Erika Mustermann",
            .phone = "0151 23456789",
            .email = "erika@example.org",
            .postal_address = "Ringstr. 1\n06108 Halle",
            .language = "en",
            .channel = std::move(preferred)};
  }

  absl::Status Queue(const domain::Appointment& a, const domain::Offer& o,
                     domain::MessageKind kind = domain::MessageKind::kOffer) {
    return Write([&](storage::Transaction& tx) {
      return QueueMessage(tx, policy_, a, o, kind, "", clock_.Now(), *ids_);
    });
  }

  std::vector<domain::OutboxMessage> Messages() {
    std::vector<domain::OutboxMessage> out;
    EXPECT_TRUE(store_
                    ->Read({},
                           [&](storage::Transaction& tx) {
                             return tx.ScanMessages(
                                 {}, [&](const domain::OutboxMessage& m) { out.push_back(m); });
                           })
                    .ok());
    return out;
  }
  domain::OutboxMessage Get(const std::string& id) {
    domain::OutboxMessage m;
    EXPECT_TRUE(store_
                    ->Read({},
                           [&](storage::Transaction& tx) -> absl::Status {
                             REBOOK_ASSIGN_OR_RETURN(m, tx.GetMessage(id));
                             return absl::OkStatus();
                           })
                    .ok());
    return m;
  }
  std::vector<domain::MessageEvent> History(const std::string& id) {
    std::vector<domain::MessageEvent> events;
    EXPECT_TRUE(store_
                    ->Read({},
                           [&](storage::Transaction& tx) -> absl::Status {
                             REBOOK_ASSIGN_OR_RETURN(events, tx.ListMessageEvents(id));
                             return absl::OkStatus();
                           })
                    .ok());
    return events;
  }

  absl::StatusOr<std::vector<OutboxLease>> Lease(std::vector<std::string> channels, int max = 10,
                                                 OutboxLimits* limits = nullptr,
                                                 const std::string& worker = "w1") {
    std::vector<OutboxLease> out;
    absl::Status s = Write([&](storage::Transaction& tx) -> absl::Status {
      REBOOK_ASSIGN_OR_RETURN(out, LeaseMessages(tx, policy_,
                                                 {.channels = std::move(channels),
                                                  .max_messages = max,
                                                  .lease_duration = std::chrono::seconds(60),
                                                  .worker = worker},
                                                 limits, clock_.Now(), *ids_));
      return absl::OkStatus();
    });
    if (!s.ok()) return s;
    return out;
  }

  absl::StatusOr<domain::OutboxMessage> Report(const domain::OutboxMessage& leased,
                                               notify::DeliveryState outcome,
                                               const std::string& reason = "",
                                               const std::string& token = "") {
    domain::OutboxMessage out;
    absl::Status s = Write([&](storage::Transaction& tx) -> absl::Status {
      REBOOK_ASSIGN_OR_RETURN(
          out, ReportDelivery(tx, policy_,
                              {.message_id = leased.id,
                               .lease_token = token.empty() ? leased.lease_token : token,
                               .outcome = outcome,
                               .provider_message_id = "prov-1",
                               .reason = reason,
                               .worker = "w1"},
                              clock_.Now(), *ids_));
      return absl::OkStatus();
    });
    if (!s.ok()) return s;
    return out;
  }

  std::optional<::rebook::testing::ScopedTempDir> dir_;
  std::unique_ptr<storage::Store> store_;
  FakeClock clock_{kT0};
  // Replaced by Fresh(), so that a test can replay a scenario with the same ids.
  std::unique_ptr<SequentialIdGenerator> ids_ = std::make_unique<SequentialIdGenerator>();
  OutboxPolicy policy_;
};

}  // namespace rebook::rebooking::testing

#endif  // REBOOK_SERVICES_REBOOKING_TESTING_OUTBOX_FIXTURE_H_
