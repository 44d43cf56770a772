#include "services/rebooking/capacity.h"

#include <map>
#include <optional>
#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/common/status_macros.h"

namespace rebook::rebooking {
namespace {

enum class Mode { kCreate, kUpdate, kUpsert };

// Stores `record` after its rules passed, following the Create/Update/Upsert contract, and
// counts what happened. `get` reads the current record (NOT_FOUND if none); `put` writes.
template <typename T, typename Get, typename Put>
absl::StatusOr<T> Store(const T& record, const std::string& what, const std::string& key, Mode mode,
                        Get get, Put put, UpsertCounts* counts = nullptr) {
  absl::StatusOr<T> current = get();
  if (!current.ok() && current.status().code() != absl::StatusCode::kNotFound) {
    return current.status();
  }
  bool exists = current.ok();
  if (exists && *current == record) {
    if (counts) ++counts->unchanged;
    return *current;
  }
  if (exists && mode == Mode::kCreate) {
    return absl::AlreadyExistsError(
        absl::StrCat(what, " \"", key, "\" already exists with other content"));
  }
  if (!exists && mode == Mode::kUpdate) {
    return absl::NotFoundError(absl::StrCat(what, " \"", key, "\" not found"));
  }
  REBOOK_RETURN_IF_ERROR(put());
  if (counts) ++(exists ? counts->updated : counts->created);
  return record;
}

// The stored shifts or standing bookings at the offices of a large import, read in one paged
// scan before it writes, so that the import does not look each record up on its own (a region
// has 30,000 shifts and 90,000 standing bookings). Records the import writes are added.
template <typename T>
class Existing {
 public:
  // Below this many records, one lookup per record reads less than the offices' records.
  static constexpr std::size_t kFrom = 256;

  // `list(filter, page)` lists the records (ListShifts or ListStandingBookings).
  template <typename List>
  static absl::StatusOr<Existing> Load(const std::vector<T>& records, List list) {
    Existing e;
    std::set<std::string> offices;
    for (const T& r : records) offices.insert(r.office_id);
    storage::ShiftFilter filter;
    filter.office_ids = std::vector<std::string>(offices.begin(), offices.end());
    storage::PageRequest page{1000, ""};
    do {
      REBOOK_ASSIGN_OR_RETURN(auto result, list(filter, page));
      for (T& r : result.items) {
        std::pair<std::string, std::string> key{r.office_id, r.id};
        e.records_.insert_or_assign(std::move(key), std::move(r));
      }
      page.page_token = result.next_page_token;
    } while (!page.page_token.empty());
    return e;
  }

  // The stored record with the key of `r`; NOT_FOUND if there is none.
  absl::StatusOr<T> Get(const T& r) const {
    auto it = records_.find({r.office_id, r.id});
    if (it == records_.end()) return absl::NotFoundError("not stored");
    return it->second;
  }
  void Stored(const T& r) { records_.insert_or_assign({r.office_id, r.id}, r); }

 private:
  std::map<std::pair<std::string, std::string>, T> records_;
};

absl::StatusOr<domain::Office> SaveOffice(storage::Transaction& tx, const domain::Office& o,
                                          Mode mode, const std::string& prefix,
                                          UpsertCounts* counts = nullptr) {
  FieldViolations v;
  REBOOK_RETURN_IF_ERROR(CheckOffice(o, prefix, v));
  REBOOK_RETURN_IF_ERROR(v.ToStatus("invalid office"));
  return Store(
      o, "office", o.id, mode, [&] { return tx.GetOffice(o.id); }, [&] { return tx.PutOffice(o); },
      counts);
}

absl::StatusOr<domain::Service> SaveService(storage::Transaction& tx, const domain::Service& s,
                                            Mode mode, const std::string& prefix,
                                            UpsertCounts* counts = nullptr) {
  FieldViolations v;
  REBOOK_RETURN_IF_ERROR(CheckService(s, prefix, v));
  REBOOK_RETURN_IF_ERROR(v.ToStatus("invalid service type"));
  return Store(
      s, "service type", s.id, mode, [&] { return tx.GetService(s.id); },
      [&] { return tx.PutService(s); }, counts);
}

absl::StatusOr<domain::Clerk> SaveClerk(storage::Transaction& tx, const domain::Clerk& c, Mode mode,
                                        const std::string& prefix, ReferenceCache& refs,
                                        UpsertCounts* counts = nullptr) {
  FieldViolations v;
  REBOOK_RETURN_IF_ERROR(CheckClerk(c, prefix, refs, v));
  REBOOK_RETURN_IF_ERROR(v.ToStatus("invalid clerk"));
  return Store(
      c, "clerk", c.id, mode, [&] { return tx.GetClerk(c.id); }, [&] { return tx.PutClerk(c); },
      counts);
}

// `existing` (optional): the stored shifts of an import (see Existing).
absl::StatusOr<domain::Shift> SaveShift(storage::Transaction& tx, const domain::Shift& s, Mode mode,
                                        const std::string& prefix, ReferenceCache& refs,
                                        UpsertCounts* counts = nullptr,
                                        Existing<domain::Shift>* existing = nullptr) {
  FieldViolations v;
  REBOOK_RETURN_IF_ERROR(CheckShift(tx, s, prefix, refs, v));
  REBOOK_RETURN_IF_ERROR(v.ToStatus("invalid shift"));
  return Store(
      s, "shift", s.office_id + "/" + s.id, mode,
      [&] { return existing ? existing->Get(s) : tx.GetShift(s.office_id, s.id); },
      [&]() -> absl::Status {
        REBOOK_RETURN_IF_ERROR(tx.PutShift(s));
        if (existing) existing->Stored(s);
        return absl::OkStatus();
      },
      counts);
}

absl::StatusOr<domain::Closure> FindClosure(storage::Transaction& tx, const domain::Closure& c) {
  REBOOK_ASSIGN_OR_RETURN(auto all, tx.ListClosures(std::vector<std::string>{c.office_id}));
  for (auto& existing : all) {
    if (existing.date == c.date) return existing;
  }
  return absl::NotFoundError("closure not found");
}

absl::StatusOr<domain::Closure> SaveClosure(storage::Transaction& tx, const domain::Closure& c,
                                            Mode mode, const std::string& prefix,
                                            ReferenceCache& refs, UpsertCounts* counts = nullptr) {
  FieldViolations v;
  REBOOK_RETURN_IF_ERROR(CheckClosure(c, prefix, refs, v));
  REBOOK_RETURN_IF_ERROR(v.ToStatus("invalid closure"));
  return Store(
      c, "closure", c.office_id, mode, [&] { return FindClosure(tx, c); },
      [&] { return tx.PutClosure(c); }, counts);
}

absl::StatusOr<domain::StandingBooking> SaveBooking(
    storage::Transaction& tx, const domain::StandingBooking& b, Mode mode,
    const std::string& prefix, ReferenceCache& refs, UpsertCounts* counts = nullptr,
    Existing<domain::StandingBooking>* existing = nullptr) {
  FieldViolations v;
  REBOOK_RETURN_IF_ERROR(CheckStandingBooking(b, prefix, refs, v));
  REBOOK_RETURN_IF_ERROR(v.ToStatus("invalid standing booking"));
  return Store(
      b, "standing booking", b.office_id + "/" + b.id, mode,
      [&] { return existing ? existing->Get(b) : tx.GetStandingBooking(b.office_id, b.id); },
      [&]() -> absl::Status {
        REBOOK_RETURN_IF_ERROR(tx.PutStandingBooking(b));
        if (existing) existing->Stored(b);
        return absl::OkStatus();
      },
      counts);
}

}  // namespace

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

absl::StatusOr<UpsertCounts> ImportCapacity(storage::Transaction& tx, const CapacityBatch& b) {
  UpsertCounts counts;
  // The offices, services and clerks the records refer to are read once per import, not once
  // per record (a region has 30,000 shifts and 90,000 standing bookings). The cache forgets
  // them after each kind of record is written, so a record sees those written before it.
  ReferenceCache refs(tx);
  auto each = [&](const auto& records, const char* name, auto save) -> absl::Status {
    for (std::size_t i = 0; i < records.size(); ++i) {
      REBOOK_RETURN_IF_ERROR(
          save(tx, records[i], Mode::kUpsert, absl::StrCat(name, "[", i, "]"), &counts).status());
    }
    refs.Invalidate();
    return absl::OkStatus();
  };
  const auto with_refs = [&](auto save) {
    return [&refs, save](storage::Transaction& t, const auto& record, Mode mode,
                         const std::string& prefix,
                         UpsertCounts* c) { return save(t, record, mode, prefix, refs, c); };
  };
  REBOOK_RETURN_IF_ERROR(each(b.offices, "offices", SaveOffice));
  REBOOK_RETURN_IF_ERROR(each(b.services, "service_types", SaveService));
  REBOOK_RETURN_IF_ERROR(each(b.clerks, "clerks", with_refs(SaveClerk)));
  std::optional<Existing<domain::Shift>> shifts;
  if (b.shifts.size() >= Existing<domain::Shift>::kFrom) {
    REBOOK_ASSIGN_OR_RETURN(shifts, Existing<domain::Shift>::Load(
                                        b.shifts, [&](auto&... a) { return tx.ListShifts(a...); }));
  }
  REBOOK_RETURN_IF_ERROR(each(b.shifts, "shifts",
                              [&](storage::Transaction& t, const domain::Shift& s, Mode mode,
                                  const std::string& prefix, UpsertCounts* c) {
                                return SaveShift(t, s, mode, prefix, refs, c,
                                                 shifts ? &*shifts : nullptr);
                              }));
  REBOOK_RETURN_IF_ERROR(each(b.closures, "closures", with_refs(SaveClosure)));
  std::optional<Existing<domain::StandingBooking>> bookings;
  if (b.bookings.size() >= Existing<domain::StandingBooking>::kFrom) {
    REBOOK_ASSIGN_OR_RETURN(
        bookings, Existing<domain::StandingBooking>::Load(
                      b.bookings, [&](auto&... a) { return tx.ListStandingBookings(a...); }));
  }
  REBOOK_RETURN_IF_ERROR(each(b.bookings, "standing_bookings",
                              [&](storage::Transaction& t, const domain::StandingBooking& r,
                                  Mode mode, const std::string& prefix, UpsertCounts* c) {
                                return SaveBooking(t, r, mode, prefix, refs, c,
                                                   bookings ? &*bookings : nullptr);
                              }));
  return counts;
}

}  // namespace rebook::rebooking
