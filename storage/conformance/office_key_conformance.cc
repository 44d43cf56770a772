// Appointment ids are unique per office only: the same id at two offices is two appointments,
// and so are their offers, plan rows and messages. No call on one of them reads, changes or
// collides with the other.
#include <vector>

#include "services/common/status_macros.h"
#include "storage/conformance/outreach_conformance.h"
#include "storage/conformance/store_conformance.h"

namespace rebook::storage::conformance {
namespace {

using absl::StatusCode;
using ::testing::ElementsAre;

TEST_P(StoreConformanceTest, TheSameAppointmentIdAtTwoOfficesIsTwoAppointments) {
  SeedWorld();
  const domain::Appointment at_o1 = MakeAppointment("1001", "o1", "s1", At(2, 9));
  domain::Appointment at_o2 = MakeAppointment("1001", "o2", "s2", At(2, 10));
  at_o2.contact.name = "Someone else";
  InsertOrDie({at_o1});
  InsertOrDie({at_o2});  // no ALREADY_EXISTS: another office's id does not collide
  // Inserting one of them again still collides.
  EXPECT_THAT(Write([&](Transaction& tx) {
                return tx.InsertAppointments({&at_o2, 1});
              }),
              StatusIs(StatusCode::kAlreadyExists));

  REBOOK_EXPECT_OK(Read([&](Transaction& tx) {
    EXPECT_THAT(tx.GetAppointment("o1", "1001").value(), AppointmentEq(at_o1));
    EXPECT_THAT(tx.GetAppointment("o2", "1001").value(), AppointmentEq(at_o2));
    EXPECT_THAT(tx.GetAppointment("o3", "1001"), StatusIs(StatusCode::kNotFound));
    EXPECT_EQ(tx.CountAppointments({}).value(), 2);
    // Listed in (original_start, id, office_id) order.
    Page<domain::Appointment> page = tx.ListAppointments({}, {}).value();
    EXPECT_THAT(page.items, ElementsAre(AppointmentEq(at_o1), AppointmentEq(at_o2)));
    std::vector<domain::AppointmentKey> keys = {{"o2", "1001"}};
    EXPECT_THAT(tx.FindAppointments(keys).value(), ElementsAre(AppointmentEq(at_o2)));
    return absl::OkStatus();
  }));

  // Updating one leaves the other alone, and cannot move it to the other's key.
  domain::Appointment changed = at_o2;
  changed.priority = 9;
  REBOOK_ASSERT_OK(Write([&](Transaction& tx) { return tx.UpdateAppointment(changed); }));
  domain::Appointment moved = MakeAppointment("1001", "o3", "s1", At(2, 9));
  EXPECT_THAT(Write([&](Transaction& tx) { return tx.UpdateAppointment(moved); }),
              StatusIs(StatusCode::kNotFound));
  REBOOK_ASSERT_OK(Write([&](Transaction& tx) { return tx.DeleteAppointment("o1", "1001"); }));
  REBOOK_EXPECT_OK(Read([&](Transaction& tx) {
    EXPECT_THAT(tx.GetAppointment("o1", "1001"), StatusIs(StatusCode::kNotFound));
    EXPECT_THAT(tx.GetAppointment("o2", "1001").value(), AppointmentEq(changed));
    return absl::OkStatus();
  }));
  EXPECT_THAT(Write([&](Transaction& tx) { return tx.DeleteAppointment("o1", "1001"); }),
              StatusIs(StatusCode::kNotFound));
}

TEST_P(StoreConformanceTest, OffersPlanRowsAndMessagesAreKeyedByTheAppointmentsOffice) {
  domain::Offer at_o1 = MakeOffer("1001", 1, "o1");
  domain::Offer at_o2 = MakeOffer("1001", 1, "o2");
  at_o2.token = "tok-other";
  domain::Assignment row_o1 = MakeAssigned("1001", "o1", At(5, 9));
  row_o1.appointment_office_id = "o1";
  domain::Assignment row_o2 = MakeUnassigned("1001");
  row_o2.appointment_office_id = "o2";
  domain::OutboxMessage m1 = MakeMessage("m1", "1001", "email", At(4, 8));  // office o1
  domain::OutboxMessage m2 = MakeMessage("m2", "1001", "email", At(4, 8));
  m2.office_id = "o2";
  m2.idempotency_key = domain::MessageIdempotencyKey(m2.outage_id, m2.appointment_key(),
                                                     m2.offer_version, m2.kind, m2.channel);
  REBOOK_ASSERT_OK(Write([&](Transaction& tx) -> absl::Status {
    REBOOK_RETURN_IF_ERROR(tx.PutOffer(at_o1));
    REBOOK_RETURN_IF_ERROR(tx.PutOffer(at_o2));
    const std::vector<domain::Assignment> rows = {row_o1, row_o2};
    REBOOK_RETURN_IF_ERROR(tx.InsertAssignments("out-1", "plan-1", rows));
    return tx.InsertMessages(std::vector<domain::OutboxMessage>{m1, m2});
  }));
  EXPECT_NE(m1.idempotency_key, m2.idempotency_key);
  REBOOK_EXPECT_OK(Read([&](Transaction& tx) {
    EXPECT_EQ(tx.GetOffer({"o1", "1001"}, 1).value().token, at_o1.token);
    EXPECT_EQ(tx.GetOffer({"o2", "1001"}, 1).value().token, "tok-other");
    EXPECT_THAT(tx.GetOffer({"o3", "1001"}, 1), StatusIs(StatusCode::kNotFound));
    OfferFilter offers;
    offers.appointment = domain::AppointmentKey{"o2", "1001"};
    EXPECT_EQ(tx.ListOffers(offers, {}).value().items.size(), 1u);
    EXPECT_EQ(tx.ListOffers({}, {}).value().items.size(), 2u);

    Page<domain::Assignment> page = tx.ListAssignments("out-1", "plan-1", {}, {}).value();
    EXPECT_THAT(page.items, ElementsAre(row_o1, row_o2));  // by id, then office
    AssignmentFilter from_o2;
    from_o2.office_ids = std::vector<std::string>{"o2"};
    EXPECT_THAT(tx.ListAssignments("out-1", "plan-1", from_o2, {}).value().items,
                ElementsAre(row_o2));

    MessageFilter messages;
    messages.appointment = domain::AppointmentKey{"o2", "1001"};
    std::vector<std::string> ids;
    REBOOK_RETURN_IF_ERROR(
        tx.ScanMessages(messages, [&](const domain::OutboxMessage& m) { ids.push_back(m.id); }));
    EXPECT_EQ(ids, std::vector<std::string>{"m2"});
    return absl::OkStatus();
  }));
  // The same key twice in one plan still collides.
  EXPECT_THAT(Write([&](Transaction& tx) {
                return tx.InsertAssignments("out-1", "plan-1", {&row_o2, 1});
              }),
              StatusIs(StatusCode::kAlreadyExists));
}

}  // namespace
}  // namespace rebook::storage::conformance
