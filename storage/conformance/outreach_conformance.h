// Builders and comparisons for the conformance tests of plans, offers and the outbox
// (storage/outreach_store.h). Part of rebook::storage_conformance_support.
#ifndef REBOOK_STORAGE_CONFORMANCE_OUTREACH_CONFORMANCE_H_
#define REBOOK_STORAGE_CONFORMANCE_OUTREACH_CONFORMANCE_H_

#include <string>
#include <vector>

#include "services/domain/outreach.h"
#include "services/domain/plan.h"

namespace rebook::storage::conformance {

// Records with every field set to a non-default value: optional fields present, lists
// non-empty, doubles that do not print exactly in few digits, a seed above INT64_MAX.
domain::PlanRecord MakePlan(const std::string& outage_id, const std::string& id,
                            Instant create_time);
domain::Assignment MakeAssigned(const std::string& appointment_id, const std::string& office_id,
                                Instant start);
domain::Assignment MakeUnassigned(const std::string& appointment_id);
domain::Offer MakeOffer(const std::string& appointment_id, int version,
                        const std::string& office_id);
// Idempotency key from the other fields; state PENDING, due at `next_attempt`.
domain::OutboxMessage MakeMessage(const std::string& id, const std::string& appointment_id,
                                  const std::string& channel, Instant next_attempt);

// Every field equal; failures name the differing field.
void ExpectSamePlan(const domain::PlanRecord& actual, const domain::PlanRecord& expected);
void ExpectSameOffer(const domain::Offer& actual, const domain::Offer& expected);
void ExpectSameMessage(const domain::OutboxMessage& actual, const domain::OutboxMessage& expected);
void ExpectSameEvents(const std::vector<domain::MessageEvent>& actual,
                      const std::vector<domain::MessageEvent>& expected);

// Keys in listing order, for comparing listings.
std::vector<std::string> OfferKeys(const std::vector<domain::Offer>& offers);  // "appt/v"
std::vector<std::string> AppointmentIds(const std::vector<domain::Assignment>& assignments);

}  // namespace rebook::storage::conformance

#endif  // REBOOK_STORAGE_CONFORMANCE_OUTREACH_CONFORMANCE_H_
