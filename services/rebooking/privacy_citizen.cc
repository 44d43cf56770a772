#include "services/rebooking/privacy_citizen.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "services/common/status_macros.h"

namespace rebook::rebooking {
namespace {

constexpr std::size_t kMinPhoneDigits = 5;

absl::Status NothingStored() {
  return absl::NotFoundError("nothing is stored about this citizen in the offices you may see");
}

absl::StatusOr<std::vector<domain::Appointment>> FindAppointments(
    storage::Transaction& tx, const std::optional<std::vector<std::string>>& office_ids,
    const CitizenKey& key) {
  std::vector<domain::Appointment> found;
  if (key.kind == CitizenKey::Kind::kAppointment) {
    absl::StatusOr<domain::Appointment> a = tx.GetAppointment(key.office_id, key.value);
    if (absl::IsNotFound(a.status())) return NothingStored();
    REBOOK_RETURN_IF_ERROR(a.status());
    if (!OfficeInScope(office_ids, a->office_id)) return NothingStored();
    found.push_back(*std::move(a));
    return found;
  }
  storage::AppointmentFilter filter;
  filter.office_ids = office_ids;
  REBOOK_RETURN_IF_ERROR(tx.ScanAppointments(filter, [&](const domain::Appointment& a) {
    if (ContactMatches(a.contact, key)) found.push_back(a);
  }));
  if (found.empty()) return NothingStored();
  std::sort(
      found.begin(), found.end(),
      [](const domain::Appointment& a, const domain::Appointment& b) { return a.Key() < b.Key(); });
  return found;
}

}  // namespace

std::string PhoneDigits(const std::string& phone) {
  std::string digits;
  for (char c : phone) {
    if (absl::ascii_isdigit(static_cast<unsigned char>(c))) digits.push_back(c);
  }
  const std::string trimmed(absl::StripLeadingAsciiWhitespace(phone));
  if (absl::StartsWith(trimmed, "+49")) {
    digits = "0" + digits.substr(2);
  } else if (absl::StartsWith(digits, "0049")) {
    digits = "0" + digits.substr(4);
  }
  return digits.size() < kMinPhoneDigits ? std::string() : digits;
}

bool ContactMatches(const domain::Contact& contact, const CitizenKey& key) {
  switch (key.kind) {
    case CitizenKey::Kind::kEmail: {
      const absl::string_view want = absl::StripAsciiWhitespace(key.value);
      return !want.empty() &&
             absl::EqualsIgnoreCase(absl::StripAsciiWhitespace(contact.email), want);
    }
    case CitizenKey::Kind::kPhone: {
      const std::string want = PhoneDigits(key.value);
      return !want.empty() && PhoneDigits(contact.phone) == want;
    }
    case CitizenKey::Kind::kAppointment:
      return false;
  }
  return false;
}

absl::StatusOr<CitizenData> ExportCitizenData(
    storage::Transaction& tx, const std::optional<std::vector<std::string>>& office_ids,
    const CitizenKey& key) {
  CitizenData data;
  REBOOK_ASSIGN_OR_RETURN(data.appointments, FindAppointments(tx, office_ids, key));
  for (const domain::Appointment& a : data.appointments) {
    storage::OfferFilter offers;
    offers.appointment = a.Key();
    REBOOK_RETURN_IF_ERROR(
        tx.ScanOffers(offers, [&](const domain::Offer& o) { data.offers.push_back(o); }));
    storage::MessageFilter messages;
    messages.appointment = a.Key();
    REBOOK_RETURN_IF_ERROR(tx.ScanMessages(
        messages, [&](const domain::OutboxMessage& m) { data.messages.push_back(m); }));
    REBOOK_ASSIGN_OR_RETURN(std::optional<storage::ErasureRecord> erasure, tx.GetErasure(a.Key()));
    if (erasure.has_value()) data.erasures.push_back(*std::move(erasure));
  }
  for (const domain::OutboxMessage& m : data.messages) {
    REBOOK_ASSIGN_OR_RETURN(data.events[m.id], tx.ListMessageEvents(m.id));
  }
  return data;
}

absl::StatusOr<CitizenErasure> EraseCitizenData(
    storage::Transaction& tx, const std::optional<std::vector<std::string>>& office_ids,
    const CitizenKey& key, const ErasureContext& ctx) {
  REBOOK_ASSIGN_OR_RETURN(std::vector<domain::Appointment> found,
                          FindAppointments(tx, office_ids, key));
  CitizenErasure result;
  for (const domain::Appointment& a : found) {
    REBOOK_ASSIGN_OR_RETURN(ErasureCounts c,
                            EraseAppointmentData(tx, a.Key(), kErasedOnRequest, ctx));
    result.counts += c;
    REBOOK_ASSIGN_OR_RETURN(domain::Appointment after, tx.GetAppointment(a.office_id, a.id));
    result.appointments.push_back(std::move(after));
  }
  return result;
}

}  // namespace rebook::rebooking
