// Outbox messages and their events (storage/outreach_store.h, OutboxTables); leasing is in
// lease_conformance.cc.
#include <algorithm>
#include <tuple>

#include "services/common/status_macros.h"
#include "storage/conformance/outreach_conformance.h"
#include "storage/conformance/store_conformance.h"

namespace rebook::storage::conformance {
namespace {

using absl::StatusCode;
using ::testing::IsEmpty;
using IdList = std::vector<std::string>;
using MS = domain::MessageState;

TEST_P(StoreConformanceTest, MessageRoundTripAndUpdate) {
  domain::OutboxMessage m = MakeMessage("m1", "a1", "email", At(4, 9));
  domain::OutboxMessage full = MakeMessage("m2", "a2", "sms", At(4, 10));
  full.kind = domain::MessageKind::kReminder;
  full.state = MS::kLeased;
  full.attempts = 3;
  full.lease_expire_time = At(4, 10, 5);
  full.lease_token = "lease-7";
  full.leased_by = "worker-a";
  full.last_error = "421 try again later";
  full.provider_message_id = "prov-1";
  full.fallback_from = "m0";
  REBOOK_ASSERT_OK(Write([&](Transaction& tx) {
    return tx.InsertMessages(std::vector<domain::OutboxMessage>{m, full});
  }));
  REBOOK_EXPECT_OK(Read([&](Transaction& tx) -> absl::Status {
    REBOOK_ASSIGN_OR_RETURN(domain::OutboxMessage got, tx.GetMessage("m1"));
    ExpectSameMessage(got, m);
    REBOOK_ASSIGN_OR_RETURN(got, tx.GetMessage("m2"));
    ExpectSameMessage(got, full);
    EXPECT_THAT(tx.GetMessage("m3"), StatusIs(StatusCode::kNotFound));
    return absl::OkStatus();
  }));

  // Every field but the id can change; optional ones can go away.
  domain::OutboxMessage changed = MakeMessage("m2", "a9", "letter", At(8, 8));
  changed.office_id = "o3";
  changed.outage_id = "out-2";
  changed.offer_version = 5;
  changed.kind = domain::MessageKind::kCancellation;
  changed.language = "tr";
  changed.state = MS::kDead;
  changed.attempts = 9;
  changed.last_error = "mailbox unavailable";
  changed.create_time = At(1, 1);
  changed.update_time = At(9, 9);
  REBOOK_ASSERT_OK(Write([&](Transaction& tx) { return tx.UpdateMessage(changed); }));
  domain::OutboxMessage unknown = MakeMessage("m3", "a3", "sms", At(4, 9));
  EXPECT_THAT(Write([&](Transaction& tx) { return tx.UpdateMessage(unknown); }),
              StatusIs(StatusCode::kNotFound));
  // An idempotency key stays with one message.
  domain::OutboxMessage stealing = m;
  stealing.idempotency_key = changed.idempotency_key;
  stealing.attempts = 1;
  EXPECT_THAT(Write([&](Transaction& tx) { return tx.UpdateMessage(stealing); }),
              StatusIs(StatusCode::kAlreadyExists));
  REBOOK_EXPECT_OK(Read([&](Transaction& tx) -> absl::Status {
    REBOOK_ASSIGN_OR_RETURN(domain::OutboxMessage got, tx.GetMessage("m2"));
    ExpectSameMessage(got, changed);
    REBOOK_ASSIGN_OR_RETURN(got, tx.GetMessage("m1"));
    ExpectSameMessage(got, m);
    EXPECT_THAT(tx.GetMessage("m3"), StatusIs(StatusCode::kNotFound));
    return absl::OkStatus();
  }));
}

TEST_P(StoreConformanceTest, UpdateMessageDeliveryWritesOnlyTheDeliveryFields) {
  const domain::OutboxMessage stored = MakeMessage("m1", "a1", "email", At(4, 9));
  REBOOK_ASSERT_OK(Write([&](Transaction& tx) { return tx.InsertMessages({&stored, 1}); }));

  domain::OutboxMessage report = stored;
  report.state = MS::kFailed;
  report.attempts = 2;
  report.next_attempt_time = At(4, 9, 30);
  report.lease_expire_time = At(4, 9, 5);
  report.lease_token = "lease-3";
  report.leased_by = "worker-b";
  report.last_error = "451 try again";
  report.provider_message_id = "prov-9";
  report.update_time = At(4, 9, 1);
  // Identity, routing and content are not the delivery's to change: they stay as stored.
  domain::OutboxMessage attempt = report;
  attempt.idempotency_key = "other-key";
  attempt.office_id = "o9";
  attempt.channel = "sms";
  attempt.language = "en";
  attempt.explanation = "changed";
  attempt.fallback_from = "m0";
  attempt.create_time = At(1, 1);
  REBOOK_ASSERT_OK(Write([&](Transaction& tx) { return tx.UpdateMessageDelivery(attempt); }));
  REBOOK_EXPECT_OK(Read([&](Transaction& tx) -> absl::Status {
    REBOOK_ASSIGN_OR_RETURN(domain::OutboxMessage got, tx.GetMessage("m1"));
    ExpectSameMessage(got, report);
    return absl::OkStatus();
  }));

  // Optional fields can go away; an unknown message is NOT_FOUND and changes nothing.
  report.lease_expire_time.reset();
  report.lease_token.clear();
  report.state = MS::kSent;
  REBOOK_ASSERT_OK(Write([&](Transaction& tx) { return tx.UpdateMessageDelivery(report); }));
  domain::OutboxMessage unknown = MakeMessage("m2", "a2", "sms", At(4, 9));
  EXPECT_THAT(Write([&](Transaction& tx) { return tx.UpdateMessageDelivery(unknown); }),
              StatusIs(StatusCode::kNotFound));
  REBOOK_EXPECT_OK(Read([&](Transaction& tx) -> absl::Status {
    REBOOK_ASSIGN_OR_RETURN(domain::OutboxMessage got, tx.GetMessage("m1"));
    ExpectSameMessage(got, report);
    EXPECT_THAT(tx.GetMessage("m2"), StatusIs(StatusCode::kNotFound));
    return absl::OkStatus();
  }));
}

TEST_P(StoreConformanceTest, DuplicateMessageIdsOrKeysInsertNothing) {
  const domain::OutboxMessage existing = MakeMessage("m1", "a1", "email", At(4, 9));
  REBOOK_ASSERT_OK(Write([&](Transaction& tx) { return tx.InsertMessages({&existing, 1}); }));
  domain::OutboxMessage same_id = MakeMessage("m1", "a2", "email", At(4, 9));
  domain::OutboxMessage same_key = MakeMessage("m9", "a1", "email", At(4, 9));
  const domain::OutboxMessage fresh = MakeMessage("m2", "a3", "email", At(4, 9));
  domain::OutboxMessage fresh_twice = MakeMessage("m3", "a4", "email", At(4, 9));
  domain::OutboxMessage key_twice = fresh_twice;
  key_twice.id = "m4";
  REBOOK_ASSERT_OK(Write([&](Transaction& tx) {
    // Each failing batch inserts none of its messages; the transaction commits.
    for (const std::vector<domain::OutboxMessage>& batch :
         {std::vector{fresh, same_id}, std::vector{fresh, same_key},
          std::vector{fresh_twice, fresh_twice}, std::vector{fresh_twice, key_twice}}) {
      EXPECT_THAT(tx.InsertMessages(batch), StatusIs(StatusCode::kAlreadyExists));
    }
    return absl::OkStatus();
  }));
  REBOOK_EXPECT_OK(Read([&](Transaction& tx) -> absl::Status {
    REBOOK_ASSIGN_OR_RETURN(Page<domain::OutboxMessage> page, tx.ListMessages({}, {}));
    EXPECT_EQ(Ids(page.items), IdList{"m1"});
    ExpectSameMessage(page.items.at(0), existing);
    return absl::OkStatus();
  }));
}

TEST_P(StoreConformanceTest, MessageFilterFields) {
  auto message = [](const std::string& id, const std::string& office, const std::string& outage,
                    const std::string& appointment, MS state, const std::string& channel) {
    domain::OutboxMessage m = MakeMessage(id, appointment, channel, At(4, 9));
    m.office_id = office;
    m.outage_id = outage;
    m.state = state;
    m.idempotency_key = "key-" + id;
    return m;
  };
  REBOOK_ASSERT_OK(Write([&](Transaction& tx) {
    return tx.InsertMessages(std::vector<domain::OutboxMessage>{
        message("m1", "o1", "out-1", "a1", MS::kPending, "email"),
        message("m2", "o1", "out-1", "a1", MS::kSent, "sms"),
        message("m3", "o2", "out-1", "a2", MS::kFailed, "email"),
        message("m4", "o2", "out-2", "a3", MS::kDelivered, "letter"),
        message("m5", "o3", "out-2", "a4", MS::kDead, "email")});
  }));
  auto listed = [&](const MessageFilter& filter) {
    IdList ids;
    IdList scanned;
    EXPECT_TRUE(Read([&](Transaction& tx) -> absl::Status {
                  REBOOK_ASSIGN_OR_RETURN(Page<domain::OutboxMessage> page,
                                          tx.ListMessages(filter, {}));
                  ids = Ids(page.items);
                  return tx.ScanMessages(
                      filter, [&](const domain::OutboxMessage& m) { scanned.push_back(m.id); });
                }).ok());
    EXPECT_EQ(scanned, ids);
    return ids;
  };
  EXPECT_EQ(listed({}), (IdList{"m1", "m2", "m3", "m4", "m5"}));
  EXPECT_EQ(listed({.office_ids = IdList{"o2"}}), (IdList{"m3", "m4"}));
  EXPECT_EQ(listed({.office_ids = IdList{"o3", "o1"}}), (IdList{"m1", "m2", "m5"}));
  EXPECT_EQ(listed({.office_ids = IdList{}}), IdList{});
  EXPECT_EQ(listed({.outage_id = "out-2"}), (IdList{"m4", "m5"}));
  EXPECT_EQ(listed({.appointment = domain::AppointmentKey{"o1", "a1"}}), (IdList{"m1", "m2"}));
  EXPECT_EQ(listed({.states = {MS::kFailed, MS::kDead}}), (IdList{"m3", "m5"}));
  EXPECT_EQ(listed({.states = {MS::kLeased}}), IdList{});
  EXPECT_EQ(listed({.channel = "email"}), (IdList{"m1", "m3", "m5"}));
  EXPECT_EQ(listed({.office_ids = IdList{"o1", "o2"}, .outage_id = "out-1", .channel = "email"}),
            (IdList{"m1", "m3"}));
  EXPECT_EQ(listed({.appointment = domain::AppointmentKey{"o1", "a1"}, .states = {MS::kSent}}),
            IdList{"m2"});
}

TEST_P(StoreConformanceTest, MessagePagesVisitEveryRowOnceByCreateTime) {
  std::vector<domain::OutboxMessage> all;
  for (int i = 0; i < 17; ++i) {
    domain::OutboxMessage m =
        MakeMessage("m-" + std::to_string((i * 5) % 17 + 10), "a" + std::to_string(i),
                    i % 2 ? "sms" : "email", At(4, 9));
    m.create_time = At(3, 8 + i % 4);  // many ties, broken by id
    all.push_back(m);
  }
  REBOOK_ASSERT_OK(Write([&](Transaction& tx) { return tx.InsertMessages(all); }));
  std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) {
    return std::tie(a.create_time, a.id) < std::tie(b.create_time, b.id);
  });
  IdList sms;
  for (const auto& m : all) {
    if (m.channel == "sms") sms.push_back(m.id);
  }
  for (int size : {1, 3, 17}) {
    SCOPED_TRACE(size);
    EXPECT_EQ(Ids(WalkPages<domain::OutboxMessage>(
                  store(), size,
                  [](Transaction& tx, const PageRequest& p) { return tx.ListMessages({}, p); })),
              Ids(all));
    EXPECT_EQ(Ids(WalkPages<domain::OutboxMessage>(store(), size,
                                                   [](Transaction& tx, const PageRequest& p) {
                                                     return tx.ListMessages({.channel = "sms"}, p);
                                                   })),
              sms);
  }
  REBOOK_EXPECT_OK(Read([&](Transaction& tx) {
    const std::string token = tx.ListMessages({}, {.page_size = 2}).value().next_page_token;
    EXPECT_THAT(tx.ListMessages({.channel = "sms"}, {.page_size = 2, .page_token = token}),
                StatusIs(StatusCode::kInvalidArgument));
    return absl::OkStatus();
  }));
}

TEST_P(StoreConformanceTest, MessageEventsAreListedOldestFirst) {
  auto event = [](const std::string& id, Instant time, MS from, MS to, const std::string& why) {
    return domain::MessageEvent{.message_id = id,
                                .time = time,
                                .from = from,
                                .to = to,
                                .reason = why,
                                .worker = why.empty() ? "" : "worker-ü"};
  };
  const domain::MessageEvent leased = event("m1", At(4, 9), MS::kPending, MS::kLeased, "lease");
  const domain::MessageEvent failed = event("m1", At(4, 9, 1), MS::kLeased, MS::kFailed, "421");
  const domain::MessageEvent again = event("m1", At(4, 9, 1), MS::kFailed, MS::kLeased, "");
  const domain::MessageEvent sent = event("m1", At(4, 9, 2), MS::kLeased, MS::kSent, "250 ok");
  const domain::MessageEvent early = event("m1", At(4, 8), MS::kPending, MS::kPending, "queued");
  const domain::MessageEvent other = event("m2", At(4, 9), MS::kPending, MS::kDead, "no address");
  REBOOK_ASSERT_OK(Write([&](Transaction& tx) -> absl::Status {
    REBOOK_RETURN_IF_ERROR(tx.AddMessageEvents(std::vector{leased, failed}));
    return tx.AddMessageEvents(std::vector{other, again});
  }));
  // Added later but older: listed by time; equal times keep the order they were added in.
  REBOOK_ASSERT_OK(Write([&](Transaction& tx) {
    return tx.AddMessageEvents(std::vector{sent, early});
  }));
  REBOOK_EXPECT_OK(Read([&](Transaction& tx) -> absl::Status {
    REBOOK_ASSIGN_OR_RETURN(std::vector<domain::MessageEvent> events, tx.ListMessageEvents("m1"));
    ExpectSameEvents(events, {early, leased, failed, again, sent});
    REBOOK_ASSIGN_OR_RETURN(events, tx.ListMessageEvents("m2"));
    ExpectSameEvents(events, {other});
    EXPECT_THAT(tx.ListMessageEvents("m3").value(), IsEmpty());
    return absl::OkStatus();
  }));
}

}  // namespace
}  // namespace rebook::storage::conformance
