// Invariants shared by the importer fuzz targets (zms_import, csv_profile): what a scenario
// read from another booking system's export must satisfy before `rebookctl import` sends it.
// Every text is valid UTF-8 (protobuf refuses anything else, so a bad byte must be refused by
// the reader, naming file and position, not by the server), every id is non-empty, and every
// reference points at a record of the same scenario where the reader produced both.
// Header-only, like fuzz_check.h; aborts through REBOOK_FUZZ_CHECK.
#ifndef REBOOK_FUZZ_INTEROP_CHECK_H_
#define REBOOK_FUZZ_INTEROP_CHECK_H_

#include <set>
#include <string>

#include "fuzz/fuzz_check.h"
#include "services/domain/model.h"

namespace rebook::fuzz {

inline void CheckText(const std::string& text, const std::string& what) {
  REBOOK_FUZZ_CHECK(IsUtf8(text), what + " is not UTF-8");
}

inline void CheckAppointments(const domain::Scenario& s) {
  for (const domain::Appointment& a : s.appointments) {
    REBOOK_FUZZ_CHECK(!a.id.empty() && !a.office_id.empty() && !a.service_id.empty(), a.id);
    CheckText(a.id, "appointment id");
    CheckText(a.office_id, "office of " + a.id);
    CheckText(a.service_id, "service of " + a.id);
    CheckText(a.contact.name, "contact name of " + a.id);
    CheckText(a.contact.phone, "phone of " + a.id);
    CheckText(a.contact.email, "e-mail of " + a.id);
    CheckText(a.contact.postal_address, "address of " + a.id);
    CheckText(a.contact.language, "language of " + a.id);
    CheckText(a.contact.channel, "channel of " + a.id);
    REBOOK_FUZZ_CHECK(a.cases >= 1, a.id);
  }
}

// For readers that produce the capacity too (ZMS): references resolve, intervals are forward.
inline void CheckCapacity(const domain::Scenario& s) {
  std::set<std::string> offices, services, clerks;
  for (const domain::Office& o : s.offices) {
    REBOOK_FUZZ_CHECK(!o.id.empty(), "office without id");
    CheckText(o.id, "office id");
    CheckText(o.name, "name of office " + o.id);
    CheckText(o.address, "address of office " + o.id);
    REBOOK_FUZZ_CHECK(offices.insert(o.id).second, "office twice: " + o.id);
  }
  for (const domain::Service& v : s.services) {
    CheckText(v.id, "service id");
    CheckText(v.name, "name of service " + v.id);
    REBOOK_FUZZ_CHECK(v.duration_min > 0, "duration of service " + v.id);
    REBOOK_FUZZ_CHECK(services.insert(v.id).second, "service twice: " + v.id);
  }
  for (const domain::Clerk& c : s.clerks) {
    CheckText(c.id, "clerk id");
    CheckText(c.name, "name of clerk " + c.id);
    REBOOK_FUZZ_CHECK(c.home_office_id.empty() || offices.count(c.home_office_id) == 1,
                      "home office of clerk " + c.id);
    REBOOK_FUZZ_CHECK(clerks.insert(c.id).second, "clerk twice: " + c.id);
  }
  for (const domain::Shift& sh : s.shifts) {
    REBOOK_FUZZ_CHECK(clerks.count(sh.clerk_id) == 1, "clerk of shift " + sh.id);
    REBOOK_FUZZ_CHECK(offices.count(sh.office_id) == 1, "office of shift " + sh.id);
    REBOOK_FUZZ_CHECK(sh.time.start < sh.time.end, "shift " + sh.id + " ends before it starts");
  }
  for (const domain::StandingBooking& b : s.bookings) {
    REBOOK_FUZZ_CHECK(clerks.count(b.clerk_id) == 1, "clerk of booking " + b.id);
    REBOOK_FUZZ_CHECK(b.time.start < b.time.end, "booking " + b.id + " ends before it starts");
  }
  for (const domain::Appointment& a : s.appointments) {
    REBOOK_FUZZ_CHECK(offices.count(a.office_id) == 1, "office of appointment " + a.id);
    REBOOK_FUZZ_CHECK(services.count(a.service_id) == 1, "service of appointment " + a.id);
  }
}

}  // namespace rebook::fuzz

#endif  // REBOOK_FUZZ_INTEROP_CHECK_H_
