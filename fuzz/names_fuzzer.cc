// Fuzzes the resource-name parsers of API v1 (services/api/names.h), which read every name a
// client sends: the input is one name, given to every parser. Invariants: a name that parses
// is canonical (formatting its parts gives the same name back) and its ids are valid ids.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz/fuzz_check.h"
#include "services/api/names.h"
#include "services/domain/model.h"

namespace {

namespace api = rebook::api;
using rebook::domain::IsValidId;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string name(rebook::fuzz::AsText(data, size));
  const std::string field = "name";
  for (const char* collection : {"offices", "serviceTypes", "clerks", "outages", "x"}) {
    if (auto id = api::ParseTopLevelName(name, collection, field); id.ok()) {
      REBOOK_FUZZ_CHECK(IsValidId(*id), name);
      REBOOK_FUZZ_CHECK(std::string(collection) + "/" + *id == name, name);
    }
  }
  for (bool wildcard : {false, true}) {
    if (auto id = api::ParseOfficeName(name, field, wildcard); id.ok()) {
      REBOOK_FUZZ_CHECK(IsValidId(*id) || (wildcard && *id == api::kAnyOffice), name);
      REBOOK_FUZZ_CHECK(api::OfficeName(*id) == name, name);
    }
  }
  if (auto id = api::ParseServiceTypeName(name, field); id.ok()) {
    REBOOK_FUZZ_CHECK(api::ServiceTypeName(*id) == name, name);
  }
  if (auto id = api::ParseClerkName(name, field); id.ok()) {
    REBOOK_FUZZ_CHECK(api::ClerkName(*id) == name, name);
  }
  if (auto id = api::ParseOutageName(name, field); id.ok()) {
    REBOOK_FUZZ_CHECK(api::OutageName(*id) == name, name);
  }
  if (auto n = api::ParseAppointmentName(name, field); n.ok()) {
    REBOOK_FUZZ_CHECK(IsValidId(n->office_id) && IsValidId(n->appointment_id), name);
    REBOOK_FUZZ_CHECK(api::AppointmentResourceName(n->office_id, n->appointment_id) == name, name);
  }
  for (const char* collection : {"shifts", "closures", "standingBookings", "messages"}) {
    if (auto n = api::ParseOfficeChildName(name, collection, field); n.ok()) {
      REBOOK_FUZZ_CHECK(IsValidId(n->office_id) && IsValidId(n->child_id), name);
      REBOOK_FUZZ_CHECK(api::OfficeChildResourceName(n->office_id, collection, n->child_id) == name,
                        name);
    }
  }
  if (auto n = api::ParsePlanName(name, field); n.ok()) {
    REBOOK_FUZZ_CHECK(api::PlanResourceName(n->outage_id, n->plan_id) == name, name);
  }
  if (auto n = api::ParseOfferName(name, field); n.ok()) {
    REBOOK_FUZZ_CHECK(n->version >= 1, name);
    REBOOK_FUZZ_CHECK(IsValidId(n->office_id) && IsValidId(n->appointment_id), name);
    REBOOK_FUZZ_CHECK(api::OfferResourceName(n->office_id, n->appointment_id, n->version) == name,
                      name);
  }
  return 0;
}
