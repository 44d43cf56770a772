#include "storage/conformance/outreach_conformance.h"

#include <optional>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "services/domain/local_time.h"
#include "storage/conformance/store_conformance.h"

namespace rebook::storage::conformance {
namespace {

using date::March;

void ExpectSameSlot(const domain::OfferSlot& actual, const domain::OfferSlot& expected) {
  EXPECT_EQ(actual.office_id, expected.office_id);
  EXPECT_EQ(actual.clerk_id, expected.clerk_id);
  EXPECT_EQ(UtcText(actual.time.start), UtcText(expected.time.start));
  EXPECT_EQ(UtcText(actual.time.end), UtcText(expected.time.end));
  EXPECT_EQ(actual.cost, expected.cost);
}

}  // namespace

domain::PlanRecord MakePlan(const std::string& outage_id, const std::string& id,
                            Instant create_time) {
  domain::PlanRecord p;
  p.outage_id = outage_id;
  p.id = id;
  p.state = domain::PlanState::kCommitted;
  p.params = {.horizon_start = At(3, 6),
              .horizon_end = At(20, 18),
              .reserve_share = 0.15,
              .w_unassigned = 123456.75,
              .w_office_change = 0.1 + 0.2,
              .w_overtime_min = 1.0 / 3.0};
  p.seed = 0xFEDCBA9876543210ull;
  p.time_limit_seconds = 12.5;
  domain::PlanSummary& m = p.summary;
  m.objective = 98765.4321;
  m.parts = {.delay = 1.0 / 7.0, .office_change = 96.0, .overtime = 12.25, .unassigned = 1e-300};
  m.assigned = 4321;
  m.unassigned = 17;
  m.mean_delay_minutes = 2880.0 / 7.0;
  m.max_delay_minutes = 20160.5;
  m.office_changes = 42;
  m.overtime_minutes = 315;
  m.solve_seconds = 9.87654321;
  m.lower_bound = 90000.125;
  m.gap = 0.0887;
  m.fcfs_inversions = 3;
  m.shortfall = {{"o1", "s1", date::year(2026) / March / 4, 90, 4},
                 {"o,2\"", "s2", date::year(2026) / March / 31, 15, 1}};
  m.suggested_shifts = {{"o1", "s1", date::year(2026) / March / 4, 240, 1234.5678},
                        {"o3", "s2", date::year(2027) / 1 / 2, 60, 2.0 / 3.0}};
  p.create_time = create_time;
  p.commit_time = create_time + std::chrono::minutes(5);
  p.base_plan_id = "plan-0 ✓";
  p.failure_reason = "none — yet";
  return p;
}

domain::Assignment MakeAssigned(const std::string& appointment_id, const std::string& office_id,
                                Instant start) {
  return {.appointment_id = appointment_id,
          .status = domain::AssignmentStatus::kAssigned,
          .office_id = office_id,
          .clerk_id = "c1",
          .time = {start, start + std::chrono::minutes(50)},
          .cost = 0.1 * 3,
          .reason = ""};
}

domain::Assignment MakeUnassigned(const std::string& appointment_id) {
  return {.appointment_id = appointment_id,
          .status = domain::AssignmentStatus::kUnassigned,
          .cost = 700000.0,
          .reason = "no qualified capacity before deadline ⏰"};
}

domain::Offer MakeOffer(const std::string& appointment_id, int version,
                        const std::string& office_id) {
  domain::Offer o;
  o.appointment_id = appointment_id;
  o.office_id = office_id;
  o.version = version;
  o.outage_id = "out-1";
  o.plan_id = "plan-1";
  o.state = domain::OfferState::kAccepted;
  o.slot = {office_id, "c1", {At(5, 9), At(5, 9, 50)}, 1.0 / 3.0};
  o.alternatives = {{"o,2\\x", "c2", {At(6, 10), At(6, 10, 25)}, 2.5},
                    {"o3", "", {At(7, 14), At(7, 15)}, 1e-9}};
  o.token = absl::StrCat("tok-", appointment_id, "-", version, "_-AZaz09");
  o.create_time = At(4, 12);
  o.expire_time = At(6, 12);
  o.reminder_time = At(5, 12);
  o.respond_time = At(5, 13, 7);
  o.response_channel = "link";
  o.accepted_alternative = 1;
  o.explanation = "Ihr Termin fiel wegen eines Stromausfalls aus — neuer Vorschlag.";
  return o;
}

domain::OutboxMessage MakeMessage(const std::string& id, const std::string& appointment_id,
                                  const std::string& channel, Instant next_attempt) {
  domain::OutboxMessage m;
  m.id = id;
  m.office_id = "o1";
  m.outage_id = "out-1";
  m.appointment_id = appointment_id;
  m.offer_version = 2;
  m.kind = domain::MessageKind::kConfirmation;
  m.channel = channel;
  m.language = "de-DE";
  m.idempotency_key = domain::MessageIdempotencyKey(m.outage_id, m.appointment_key(),
                                                    m.offer_version, m.kind, channel);
  m.state = domain::MessageState::kPending;
  m.attempts = 0;
  m.next_attempt_time = next_attempt;
  m.fallback_from = "";
  m.explanation = "Der bestätigte Termin wurde verlegt.";
  m.create_time = At(4, 8);
  m.update_time = At(4, 8, 1);
  return m;
}

void ExpectSamePlan(const domain::PlanRecord& actual, const domain::PlanRecord& expected) {
  SCOPED_TRACE(absl::StrCat("plan ", expected.outage_id, "/", expected.id));
  EXPECT_EQ(actual.outage_id, expected.outage_id);
  EXPECT_EQ(actual.id, expected.id);
  EXPECT_EQ(actual.state, expected.state);
  EXPECT_EQ(UtcText(actual.params.horizon_start), UtcText(expected.params.horizon_start));
  EXPECT_EQ(UtcText(actual.params.horizon_end), UtcText(expected.params.horizon_end));
  EXPECT_EQ(actual.params.reserve_share, expected.params.reserve_share);
  EXPECT_EQ(actual.params.w_unassigned, expected.params.w_unassigned);
  EXPECT_EQ(actual.params.w_office_change, expected.params.w_office_change);
  EXPECT_EQ(actual.params.w_overtime_min, expected.params.w_overtime_min);
  EXPECT_EQ(actual.seed, expected.seed);
  EXPECT_EQ(actual.time_limit_seconds, expected.time_limit_seconds);
  EXPECT_EQ(actual.summary, expected.summary);  // PlanSummary has operator==
  EXPECT_EQ(actual.summary.shortfall, expected.summary.shortfall);
  EXPECT_EQ(actual.summary.suggested_shifts, expected.summary.suggested_shifts);
  EXPECT_EQ(actual.summary.lower_bound, expected.summary.lower_bound);
  EXPECT_EQ(actual.summary.gap, expected.summary.gap);
  EXPECT_EQ(UtcText(actual.create_time), UtcText(expected.create_time));
  EXPECT_EQ(UtcText(actual.commit_time), UtcText(expected.commit_time));
  EXPECT_EQ(actual.base_plan_id, expected.base_plan_id);
  EXPECT_EQ(actual.failure_reason, expected.failure_reason);
}

void ExpectSameOffer(const domain::Offer& actual, const domain::Offer& expected) {
  SCOPED_TRACE(absl::StrCat("offer ", expected.appointment_id, "/v", expected.version));
  EXPECT_EQ(actual.appointment_id, expected.appointment_id);
  EXPECT_EQ(actual.office_id, expected.office_id);
  EXPECT_EQ(actual.version, expected.version);
  EXPECT_EQ(actual.outage_id, expected.outage_id);
  EXPECT_EQ(actual.plan_id, expected.plan_id);
  EXPECT_EQ(actual.state, expected.state);
  ExpectSameSlot(actual.slot, expected.slot);
  EXPECT_EQ(actual.alternatives.size(), expected.alternatives.size());
  if (actual.alternatives.size() == expected.alternatives.size()) {
    for (std::size_t i = 0; i < actual.alternatives.size(); ++i) {
      SCOPED_TRACE(absl::StrCat("alternative ", i));
      ExpectSameSlot(actual.alternatives[i], expected.alternatives[i]);
    }
  }
  EXPECT_EQ(actual.token, expected.token);
  EXPECT_EQ(UtcText(actual.create_time), UtcText(expected.create_time));
  EXPECT_EQ(UtcText(actual.expire_time), UtcText(expected.expire_time));
  EXPECT_EQ(UtcText(actual.reminder_time), UtcText(expected.reminder_time));
  EXPECT_EQ(UtcText(actual.respond_time), UtcText(expected.respond_time));
  EXPECT_EQ(actual.response_channel, expected.response_channel);
  EXPECT_EQ(actual.accepted_alternative, expected.accepted_alternative);
  EXPECT_EQ(actual.explanation, expected.explanation);
}

void ExpectSameMessage(const domain::OutboxMessage& actual, const domain::OutboxMessage& expected) {
  SCOPED_TRACE(absl::StrCat("message ", expected.id));
  EXPECT_EQ(actual.id, expected.id);
  EXPECT_EQ(actual.office_id, expected.office_id);
  EXPECT_EQ(actual.outage_id, expected.outage_id);
  EXPECT_EQ(actual.appointment_id, expected.appointment_id);
  EXPECT_EQ(actual.offer_version, expected.offer_version);
  EXPECT_EQ(actual.kind, expected.kind);
  EXPECT_EQ(actual.channel, expected.channel);
  EXPECT_EQ(actual.language, expected.language);
  EXPECT_EQ(actual.idempotency_key, expected.idempotency_key);
  EXPECT_EQ(actual.state, expected.state);
  EXPECT_EQ(actual.attempts, expected.attempts);
  EXPECT_EQ(UtcText(actual.next_attempt_time), UtcText(expected.next_attempt_time));
  EXPECT_EQ(UtcText(actual.lease_expire_time), UtcText(expected.lease_expire_time));
  EXPECT_EQ(actual.lease_token, expected.lease_token);
  EXPECT_EQ(actual.leased_by, expected.leased_by);
  EXPECT_EQ(actual.last_error, expected.last_error);
  EXPECT_EQ(actual.provider_message_id, expected.provider_message_id);
  EXPECT_EQ(actual.fallback_from, expected.fallback_from);
  EXPECT_EQ(actual.explanation, expected.explanation);
  EXPECT_EQ(UtcText(actual.create_time), UtcText(expected.create_time));
  EXPECT_EQ(UtcText(actual.update_time), UtcText(expected.update_time));
}

void ExpectSameEvents(const std::vector<domain::MessageEvent>& actual,
                      const std::vector<domain::MessageEvent>& expected) {
  ASSERT_EQ(actual.size(), expected.size());
  for (std::size_t i = 0; i < actual.size(); ++i) {
    SCOPED_TRACE(absl::StrCat("event ", i));
    EXPECT_EQ(actual[i].message_id, expected[i].message_id);
    EXPECT_EQ(UtcText(actual[i].time), UtcText(expected[i].time));
    EXPECT_EQ(actual[i].from, expected[i].from);
    EXPECT_EQ(actual[i].to, expected[i].to);
    EXPECT_EQ(actual[i].reason, expected[i].reason);
    EXPECT_EQ(actual[i].worker, expected[i].worker);
  }
}

std::vector<std::string> OfferKeys(const std::vector<domain::Offer>& offers) {
  std::vector<std::string> keys;
  for (const domain::Offer& o : offers)
    keys.push_back(absl::StrCat(o.appointment_id, "/", o.version));
  return keys;
}

std::vector<std::string> AppointmentIds(const std::vector<domain::Assignment>& assignments) {
  std::vector<std::string> ids;
  for (const domain::Assignment& a : assignments) ids.push_back(a.appointment_id);
  return ids;
}

}  // namespace rebook::storage::conformance
