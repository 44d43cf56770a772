// The capacity use cases on one record at a time (ImportCapacity is in capacity_import.cc).
#include "services/rebooking/capacity.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/common/status_macros.h"
#include "services/rebooking/capacity_internal.h"

namespace rebook::rebooking {
namespace capacity_internal {

absl::StatusOr<domain::Office> SaveOffice(storage::Transaction& tx, const domain::Office& o,
                                          Mode mode, const std::string& prefix,
                                          UpsertCounts* counts) {
  FieldViolations v;
  REBOOK_RETURN_IF_ERROR(CheckOffice(o, prefix, v));
  REBOOK_RETURN_IF_ERROR(v.ToStatus("invalid office"));
  return Store(
      o, "office", o.id, mode, [&] { return tx.GetOffice(o.id); }, [&] { return tx.PutOffice(o); },
      counts);
}

absl::StatusOr<domain::Service> SaveService(storage::Transaction& tx, const domain::Service& s,
                                            Mode mode, const std::string& prefix,
                                            UpsertCounts* counts) {
  FieldViolations v;
  REBOOK_RETURN_IF_ERROR(CheckService(s, prefix, v));
  REBOOK_RETURN_IF_ERROR(v.ToStatus("invalid service type"));
  return Store(
      s, "service type", s.id, mode, [&] { return tx.GetService(s.id); },
      [&] { return tx.PutService(s); }, counts);
}

absl::StatusOr<domain::Clerk> SaveClerk(storage::Transaction& tx, const domain::Clerk& c, Mode mode,
                                        const std::string& prefix, ReferenceCache& refs,
                                        UpsertCounts* counts) {
  FieldViolations v;
  REBOOK_RETURN_IF_ERROR(CheckClerk(c, prefix, refs, v));
  REBOOK_RETURN_IF_ERROR(v.ToStatus("invalid clerk"));
  return Store(
      c, "clerk", c.id, mode, [&] { return tx.GetClerk(c.id); }, [&] { return tx.PutClerk(c); },
      counts);
}

}  // namespace capacity_internal

namespace {

using capacity_internal::Mode;
using capacity_internal::SaveClerk;
using capacity_internal::SaveClosure;
using capacity_internal::SaveOffice;
using capacity_internal::SaveService;
using capacity_internal::Store;

absl::StatusOr<domain::Shift> SaveShift(storage::Transaction& tx, const domain::Shift& s, Mode mode,
                                        const std::string& prefix, ReferenceCache& refs) {
  FieldViolations v;
  REBOOK_RETURN_IF_ERROR(CheckShift(tx, s, prefix, refs, v));
  REBOOK_RETURN_IF_ERROR(v.ToStatus("invalid shift"));
  return Store(
      s, "shift", s.office_id + "/" + s.id, mode, [&] { return tx.GetShift(s.office_id, s.id); },
      [&] { return tx.PutShift(s); });
}

absl::StatusOr<domain::StandingBooking> SaveBooking(storage::Transaction& tx,
                                                    const domain::StandingBooking& b, Mode mode,
                                                    const std::string& prefix,
                                                    ReferenceCache& refs) {
  FieldViolations v;
  REBOOK_RETURN_IF_ERROR(CheckStandingBooking(b, prefix, refs, v));
  REBOOK_RETURN_IF_ERROR(v.ToStatus("invalid standing booking"));
  return Store(
      b, "standing booking", b.office_id + "/" + b.id, mode,
      [&] { return tx.GetStandingBooking(b.office_id, b.id); },
      [&] { return tx.PutStandingBooking(b); });
}

absl::StatusOr<domain::Closure> FindClosure(storage::Transaction& tx, const domain::Closure& c) {
  REBOOK_ASSIGN_OR_RETURN(auto all, tx.ListClosures(std::vector<std::string>{c.office_id}));
  for (auto& existing : all) {
    if (existing.date == c.date) return existing;
  }
  return absl::NotFoundError("closure not found");
}

}  // namespace

namespace capacity_internal {

absl::StatusOr<domain::Closure> SaveClosure(storage::Transaction& tx, const domain::Closure& c,
                                            Mode mode, const std::string& prefix,
                                            ReferenceCache& refs, UpsertCounts* counts) {
  FieldViolations v;
  REBOOK_RETURN_IF_ERROR(CheckClosure(c, prefix, refs, v));
  REBOOK_RETURN_IF_ERROR(v.ToStatus("invalid closure"));
  return Store(
      c, "closure", c.office_id, mode, [&] { return FindClosure(tx, c); },
      [&] { return tx.PutClosure(c); }, counts);
}

}  // namespace capacity_internal

absl::Status DeleteOffice(storage::Transaction& tx, const std::string& office_id) {
  REBOOK_RETURN_IF_ERROR(tx.GetOffice(office_id).status());
  const std::vector<std::string> office{office_id};
  const storage::PageRequest one{1, ""};
  std::vector<std::string> referrers;
  storage::AppointmentFilter appointments;
  appointments.office_ids = office;
  REBOOK_ASSIGN_OR_RETURN(std::int64_t appointment_count, tx.CountAppointments(appointments));
  if (appointment_count > 0) referrers.push_back("appointments");
  REBOOK_ASSIGN_OR_RETURN(auto outages, tx.ListOutages({.office_ids = office}, one));
  if (!outages.items.empty()) referrers.push_back("outages");
  REBOOK_ASSIGN_OR_RETURN(auto shifts, tx.ListShifts({.office_ids = office}, one));
  if (!shifts.items.empty()) referrers.push_back("shifts");
  REBOOK_ASSIGN_OR_RETURN(auto closures, tx.ListClosures(office));
  if (!closures.empty()) referrers.push_back("closures");
  REBOOK_ASSIGN_OR_RETURN(auto bookings, tx.ListStandingBookings({.office_ids = office}, one));
  if (!bookings.items.empty()) referrers.push_back("standing bookings");
  bool home_clerks = false;
  storage::PageRequest page{1000, ""};
  while (!home_clerks) {
    REBOOK_ASSIGN_OR_RETURN(auto clerks, tx.ListClerks({.office_ids = office}, page));
    for (const domain::Clerk& c : clerks.items) {
      home_clerks = home_clerks || c.home_office_id == office_id;
    }
    if (clerks.next_page_token.empty()) break;
    page.page_token = clerks.next_page_token;
  }
  if (home_clerks) referrers.push_back("clerks (home office)");
  if (!referrers.empty()) {
    return absl::FailedPreconditionError(absl::StrCat("office \"", office_id, "\" still has ",
                                                      absl::StrJoin(referrers, ", "),
                                                      "; delete or move them first"));
  }
  absl::Status deleted = tx.DeleteOffice(office_id);
  if (deleted.code() == absl::StatusCode::kFailedPrecondition) {
    return absl::FailedPreconditionError(
        absl::StrCat("office \"", office_id, "\" is still referred to by other records"));
  }
  return deleted;
}

absl::StatusOr<domain::Office> CreateOffice(storage::Transaction& tx, const domain::Office& o) {
  return SaveOffice(tx, o, Mode::kCreate, "office");
}
absl::StatusOr<domain::Office> UpdateOffice(storage::Transaction& tx, const domain::Office& o) {
  return SaveOffice(tx, o, Mode::kUpdate, "office");
}
absl::StatusOr<domain::Service> CreateService(storage::Transaction& tx, const domain::Service& s) {
  return SaveService(tx, s, Mode::kCreate, "service_type");
}
absl::StatusOr<domain::Service> UpdateService(storage::Transaction& tx, const domain::Service& s) {
  return SaveService(tx, s, Mode::kUpdate, "service_type");
}
absl::StatusOr<domain::Clerk> CreateClerk(storage::Transaction& tx, const domain::Clerk& c) {
  ReferenceCache refs(tx);
  return SaveClerk(tx, c, Mode::kCreate, "clerk", refs);
}
absl::StatusOr<domain::Clerk> UpdateClerk(storage::Transaction& tx, const domain::Clerk& c) {
  ReferenceCache refs(tx);
  return SaveClerk(tx, c, Mode::kUpdate, "clerk", refs);
}
absl::StatusOr<domain::Shift> CreateShift(storage::Transaction& tx, const domain::Shift& s) {
  ReferenceCache refs(tx);
  return SaveShift(tx, s, Mode::kCreate, "shift", refs);
}
absl::StatusOr<domain::Closure> CreateClosure(storage::Transaction& tx, const domain::Closure& c) {
  ReferenceCache refs(tx);
  return SaveClosure(tx, c, Mode::kCreate, "closure", refs);
}
absl::StatusOr<domain::StandingBooking> CreateStandingBooking(storage::Transaction& tx,
                                                              const domain::StandingBooking& b) {
  ReferenceCache refs(tx);
  return SaveBooking(tx, b, Mode::kCreate, "standing_booking", refs);
}

absl::StatusOr<std::vector<domain::Shift>> ReportClerkAbsence(storage::Transaction& tx,
                                                              const std::string& clerk_id,
                                                              const domain::TimeInterval& absence) {
  if (absence.end <= absence.start) {
    return InvalidField("interval.end_time", "must be after start_time", "EMPTY_INTERVAL");
  }
  REBOOK_RETURN_IF_ERROR(tx.GetClerk(clerk_id).status());
  storage::ShiftFilter filter;
  filter.clerk_id = clerk_id;
  filter.overlapping = absence;
  std::vector<domain::Shift> affected;
  storage::PageRequest page{1000, ""};
  do {
    REBOOK_ASSIGN_OR_RETURN(auto result, tx.ListShifts(filter, page));
    for (auto& s : result.items) affected.push_back(std::move(s));
    page.page_token = result.next_page_token;
  } while (!page.page_token.empty());

  for (const domain::Shift& s : affected) {
    REBOOK_RETURN_IF_ERROR(tx.DeleteShift(s.office_id, s.id));
    if (s.time.start < absence.start) {
      domain::Shift before = s;
      before.time.end = absence.start;
      REBOOK_RETURN_IF_ERROR(tx.PutShift(before));
    }
    if (absence.end < s.time.end) {
      domain::Shift after = s;
      after.id = s.time.start < absence.start ? s.id + "~2" : s.id;
      after.time.start = absence.end;
      REBOOK_RETURN_IF_ERROR(tx.PutShift(after));
    }
  }
  return affected;
}

}  // namespace rebook::rebooking
