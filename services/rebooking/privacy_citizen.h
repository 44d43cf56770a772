// One citizen's data: the right of access (GDPR Art. 15) and the right to erasure (Art. 17).
//
// A citizen is identified, within the caller's offices, by one of:
// - an appointment id: that appointment (the booking system's id is what a citizen can quote
//   from their confirmation);
// - an e-mail address: every appointment whose contact e-mail equals it, ignoring case and
//   surrounding blanks;
// - a phone number: every appointment whose contact phone has the same digits, where a
//   leading "+49" or "0049" counts as "0" ("+49 345 123" matches "0345/123").
// Names alone identify nobody (many people share one) and are not accepted.
//
//   REBOOK_ASSIGN_OR_RETURN(CitizenData data, ExportCitizenData(tx, offices, key));
//   REBOOK_ASSIGN_OR_RETURN(CitizenErasure erased, EraseCitizenData(tx, offices, key, ctx));
//   REBOOK_RETURN_IF_ERROR(store.FlushErasures({}));  // then it is gone from the file
//
// Both run inside the caller's transaction (export: any; erase: a write transaction).
#ifndef REBOOK_SERVICES_REBOOKING_PRIVACY_CITIZEN_H_
#define REBOOK_SERVICES_REBOOKING_PRIVACY_CITIZEN_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/domain/model.h"
#include "services/domain/outreach.h"
#include "services/rebooking/privacy_erasure.h"
#include "storage/store.h"

namespace rebook::rebooking {

struct CitizenKey {
  enum class Kind { kAppointment, kEmail, kPhone };
  Kind kind = Kind::kAppointment;
  std::string value;      // the appointment id, e-mail address or phone number as given
  std::string office_id;  // kAppointment: the appointment's office (ids are unique per office)
};

// The digits of a phone number with a German country prefix read as the trunk prefix "0";
// "" if it has fewer than 5 digits (too short to identify anyone).
std::string PhoneDigits(const std::string& phone);
// True if `contact` belongs to the citizen of an e-mail or phone key.
bool ContactMatches(const domain::Contact& contact, const CitizenKey& key);

// Everything stored about one citizen.
struct CitizenData {
  std::vector<domain::Appointment> appointments;
  std::vector<domain::Offer> offers;
  std::vector<domain::OutboxMessage> messages;
  std::map<std::string, std::vector<domain::MessageEvent>> events;  // by message id
  std::vector<storage::ErasureRecord> erasures;
};

// The citizen's appointments of `office_ids` (nullopt: all offices) with their offers, messages
// (and their histories) and erasure records, in appointment id order. NOT_FOUND if nothing is
// stored about the citizen there (as for an appointment of another office). Reads the
// appointments of the caller's offices one by one for e-mail and phone keys.
absl::StatusOr<CitizenData> ExportCitizenData(
    storage::Transaction& tx, const std::optional<std::vector<std::string>>& office_ids,
    const CitizenKey& key);

struct CitizenErasure {
  std::vector<domain::Appointment> appointments;  // as stored afterwards
  ErasureCounts counts;
};

// Erases the personal data of every appointment the key finds (see privacy_erasure.h) with
// reason kErasedOnRequest. NOT_FOUND as for ExportCitizenData. An appointment erased before is
// found again by its id and left as it is.
absl::StatusOr<CitizenErasure> EraseCitizenData(
    storage::Transaction& tx, const std::optional<std::vector<std::string>>& office_ids,
    const CitizenKey& key, const ErasureContext& ctx);

}  // namespace rebook::rebooking

#endif  // REBOOK_SERVICES_REBOOKING_PRIVACY_CITIZEN_H_
