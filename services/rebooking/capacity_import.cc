// ImportCapacity: a whole region's capacity (a region has 30,000 shifts and 90,000 standing
// bookings) checked in memory and written in bulk.
//
// Shifts and standing bookings are checked record by record, in batch order, exactly as
// CreateShift and CreateStandingBooking would check them one after the other, but against what
// three paged scans read before (the records stored at the batch's offices, and the shifts of
// its clerks in its time span) plus what the records before them in the batch changed. The
// changed ones are then written by one PutShifts and one PutStandingBookings call. Before, each
// record cost a lookup, an overlap query and a write of its own: on PostgreSQL five statements
// a record (measured with log_statement=all).
#include <algorithm>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "absl/strings/str_cat.h"
#include "services/common/status_macros.h"
#include "services/rebooking/capacity.h"
#include "services/rebooking/capacity_internal.h"

namespace rebook::rebooking {
namespace {

using capacity_internal::Mode;
using capacity_internal::Store;
using Key = std::pair<std::string, std::string>;  // (office_id, id)

// Reads every page of `list(filter, page)` (ListShifts or ListStandingBookings) into `fn`.
template <typename List, typename Fn>
absl::Status ScanAll(const storage::ShiftFilter& filter, List list, Fn fn) {
  storage::PageRequest page{1000, ""};
  do {
    REBOOK_ASSIGN_OR_RETURN(auto result, list(filter, page));
    for (auto& r : result.items) fn(std::move(r));
    page.page_token = result.next_page_token;
  } while (!page.page_token.empty());
  return absl::OkStatus();
}

// The stored shifts or standing bookings at the offices of a large import, read in one paged
// scan before it writes, so that the import does not look each record up on its own. Records
// the import writes are added. Small imports look each record up (`get`).
template <typename T>
class Existing {
 public:
  // Below this many records, one lookup per record reads less than the offices' records.
  static constexpr std::size_t kFrom = 256;

  // `list(filter, page)` lists the records; `get(office_id, id)` reads one.
  template <typename List, typename Get>
  static absl::StatusOr<Existing> Load(const std::vector<T>& records, List list, Get get) {
    Existing e;
    e.get_ = get;
    if (records.size() < kFrom) return e;
    e.loaded_ = true;
    std::set<std::string> offices;
    for (const T& r : records) offices.insert(r.office_id);
    storage::ShiftFilter filter;
    filter.office_ids = std::vector<std::string>(offices.begin(), offices.end());
    REBOOK_RETURN_IF_ERROR(ScanAll(filter, list, [&](T r) {
      Key key{r.office_id, r.id};
      e.records_.insert_or_assign(std::move(key), std::move(r));
    }));
    return e;
  }

  // The stored record with the key of `r`; NOT_FOUND if there is none.
  absl::StatusOr<T> Get(const T& r) const {
    auto it = records_.find({r.office_id, r.id});
    if (it != records_.end()) return it->second;
    if (loaded_) return absl::NotFoundError("not stored");
    return get_(r.office_id, r.id);
  }
  void Stored(const T& r) { records_.insert_or_assign({r.office_id, r.id}, r); }

 private:
  bool loaded_ = false;
  std::function<absl::StatusOr<T>(const std::string&, const std::string&)> get_;
  std::map<Key, T> records_;
};

// The shifts of the batch's clerks within its time span, per clerk in (office_id, id) order:
// what CheckShift's overlap query would find, as the batch is written record by record.
class ClerkTimelines {
 public:
  static absl::StatusOr<ClerkTimelines> Load(storage::Transaction& tx,
                                             const std::vector<domain::Shift>& shifts) {
    ClerkTimelines t;
    std::set<std::string> clerks;
    std::optional<domain::TimeInterval> span;
    for (const domain::Shift& s : shifts) {
      if (s.time.end <= s.time.start) continue;  // refused before its overlaps matter
      clerks.insert(s.clerk_id);
      span = span ? domain::TimeInterval{std::min(span->start, s.time.start),
                                         std::max(span->end, s.time.end)}
                  : s.time;
    }
    if (!span) return t;
    // Chunks keep a backend's statement small (SQLite binds the list as one JSON text).
    constexpr std::size_t kClerksPerScan = 500;
    std::vector<std::string> all(clerks.begin(), clerks.end());
    for (std::size_t i = 0; i < all.size(); i += kClerksPerScan) {
      storage::ShiftFilter filter;
      filter.clerk_ids.emplace(all.begin() + i,
                               all.begin() + std::min(all.size(), i + kClerksPerScan));
      filter.overlapping = span;
      REBOOK_RETURN_IF_ERROR(ScanAll(
          filter, [&](auto&... a) { return tx.ListShifts(a...); },
          [&](domain::Shift s) { t.Put(s); }));
    }
    return t;
  }

  // The first shift (by office and id) of `s`'s clerk overlapping `s`, other than `s` itself.
  std::optional<domain::Shift> FirstOverlap(const domain::Shift& s) const {
    auto clerk = by_clerk_.find(s.clerk_id);
    if (clerk == by_clerk_.end()) return std::nullopt;
    for (const auto& [key, time] : clerk->second) {
      if (key.first == s.office_id && key.second == s.id) continue;
      if (time.start < s.time.end && time.end > s.time.start) {
        return domain::Shift{.id = key.second, .clerk_id = s.clerk_id, .office_id = key.first};
      }
    }
    return std::nullopt;
  }

  // `s` replaced `before` (nullopt: `s` is new).
  void Replace(const std::optional<domain::Shift>& before, const domain::Shift& s) {
    if (before) {
      auto clerk = by_clerk_.find(before->clerk_id);
      if (clerk != by_clerk_.end()) clerk->second.erase({before->office_id, before->id});
    }
    Put(s);
  }

 private:
  void Put(const domain::Shift& s) { by_clerk_[s.clerk_id][{s.office_id, s.id}] = s.time; }

  std::unordered_map<std::string, std::map<Key, domain::TimeInterval>> by_clerk_;
};

absl::Status ImportShifts(storage::Transaction& tx, const std::vector<domain::Shift>& shifts,
                          ReferenceCache& refs, UpsertCounts& counts) {
  if (shifts.empty()) return absl::OkStatus();
  REBOOK_ASSIGN_OR_RETURN(auto existing,
                          Existing<domain::Shift>::Load(
                              shifts, [&](auto&... a) { return tx.ListShifts(a...); },
                              [&](const std::string& office, const std::string& id) {
                                return tx.GetShift(office, id);
                              }));
  REBOOK_ASSIGN_OR_RETURN(ClerkTimelines timelines, ClerkTimelines::Load(tx, shifts));
  std::vector<domain::Shift> changed;
  for (std::size_t i = 0; i < shifts.size(); ++i) {
    const domain::Shift& s = shifts[i];
    const std::string prefix = absl::StrCat("shifts[", i, "]");
    FieldViolations v;
    REBOOK_RETURN_IF_ERROR(capacity_internal::CheckShiftFields(s, prefix, refs, v));
    if (s.time.start < s.time.end) {
      if (std::optional<domain::Shift> other = timelines.FirstOverlap(s)) {
        capacity_internal::AddOverlap(*other, prefix, v);
      }
    }
    REBOOK_RETURN_IF_ERROR(v.ToStatus("invalid shift"));
    std::optional<domain::Shift> before;
    REBOOK_RETURN_IF_ERROR(Store(
                               s, "shift", s.office_id + "/" + s.id, Mode::kUpsert,
                               [&]() -> absl::StatusOr<domain::Shift> {
                                 absl::StatusOr<domain::Shift> stored = existing.Get(s);
                                 if (stored.ok()) before = *stored;
                                 return stored;
                               },
                               [&] {
                                 changed.push_back(s);
                                 existing.Stored(s);
                                 timelines.Replace(before, s);
                                 return absl::OkStatus();
                               },
                               &counts)
                               .status());
  }
  return tx.PutShifts(changed);
}

absl::Status ImportBookings(storage::Transaction& tx,
                            const std::vector<domain::StandingBooking>& bookings,
                            ReferenceCache& refs, UpsertCounts& counts) {
  if (bookings.empty()) return absl::OkStatus();
  REBOOK_ASSIGN_OR_RETURN(auto existing,
                          Existing<domain::StandingBooking>::Load(
                              bookings, [&](auto&... a) { return tx.ListStandingBookings(a...); },
                              [&](const std::string& office, const std::string& id) {
                                return tx.GetStandingBooking(office, id);
                              }));
  std::vector<domain::StandingBooking> changed;
  for (std::size_t i = 0; i < bookings.size(); ++i) {
    const domain::StandingBooking& b = bookings[i];
    FieldViolations v;
    REBOOK_RETURN_IF_ERROR(
        CheckStandingBooking(b, absl::StrCat("standing_bookings[", i, "]"), refs, v));
    REBOOK_RETURN_IF_ERROR(v.ToStatus("invalid standing booking"));
    REBOOK_RETURN_IF_ERROR(Store(
                               b, "standing booking", b.office_id + "/" + b.id, Mode::kUpsert,
                               [&] { return existing.Get(b); },
                               [&] {
                                 changed.push_back(b);
                                 existing.Stored(b);
                                 return absl::OkStatus();
                               },
                               &counts)
                               .status());
  }
  return tx.PutStandingBookings(changed);
}

// Offices, service types or clerks: each checked (`check(record, prefix, v)`) and counted in
// batch order, as SaveOffice, SaveService and SaveClerk would one after the other, against what
// `refs` knows (`find(id)`); the changed ones are then written by one `put_all` call.
template <typename T, typename Check, typename Find, typename PutAll>
absl::Status ImportRecords(const std::vector<T>& records, const char* name, const char* what,
                           const char* invalid, ReferenceCache& refs, UpsertCounts& counts,
                           Check check, Find find, PutAll put_all) {
  std::vector<T> changed;
  for (std::size_t i = 0; i < records.size(); ++i) {
    const T& r = records[i];
    FieldViolations v;
    REBOOK_RETURN_IF_ERROR(check(r, absl::StrCat(name, "[", i, "]"), v));
    REBOOK_RETURN_IF_ERROR(v.ToStatus(invalid));
    REBOOK_RETURN_IF_ERROR(Store(
                               r, what, r.id, Mode::kUpsert,
                               [&]() -> absl::StatusOr<T> {
                                 REBOOK_ASSIGN_OR_RETURN(const T* stored, find(r.id));
                                 if (stored == nullptr) return absl::NotFoundError("not stored");
                                 return *stored;
                               },
                               [&] {
                                 changed.push_back(r);
                                 refs.Remember(r);
                                 return absl::OkStatus();
                               },
                               &counts)
                               .status());
  }
  if (changed.empty()) return absl::OkStatus();
  return put_all(std::span<const T>(changed));
}

// Whether `b` refers to enough offices, services and clerks that reading all of them at once
// costs less than a lookup each.
bool ManyReferences(const CapacityBatch& b) {
  std::set<std::string_view> clerks;
  for (const domain::Shift& s : b.shifts) clerks.insert(s.clerk_id);
  for (const domain::StandingBooking& x : b.bookings) clerks.insert(x.clerk_id);
  return b.offices.size() + b.services.size() + b.clerks.size() + clerks.size() >=
         Existing<domain::Shift>::kFrom;
}

}  // namespace

absl::StatusOr<UpsertCounts> ImportCapacity(storage::Transaction& tx, const CapacityBatch& b) {
  UpsertCounts counts;
  // The offices, services and clerks the records refer to are read once per import (all at
  // once for a large one), not once per record; what the import writes is remembered.
  ReferenceCache refs(tx);
  if (ManyReferences(b)) REBOOK_RETURN_IF_ERROR(refs.ReadAll());
  REBOOK_RETURN_IF_ERROR(ImportRecords(
      b.offices, "offices", "office", "invalid office", refs, counts,
      [](const domain::Office& o, const std::string& prefix, FieldViolations& v) {
        return CheckOffice(o, prefix, v);
      },
      [&](const std::string& id) { return refs.FindOffice(id); },
      [&](std::span<const domain::Office> all) { return tx.PutOffices(all); }));
  REBOOK_RETURN_IF_ERROR(ImportRecords(
      b.services, "service_types", "service type", "invalid service type", refs, counts,
      [](const domain::Service& s, const std::string& prefix, FieldViolations& v) {
        return CheckService(s, prefix, v);
      },
      [&](const std::string& id) { return refs.FindService(id); },
      [&](std::span<const domain::Service> all) { return tx.PutServices(all); }));
  REBOOK_RETURN_IF_ERROR(ImportRecords(
      b.clerks, "clerks", "clerk", "invalid clerk", refs, counts,
      [&](const domain::Clerk& c, const std::string& prefix, FieldViolations& v) {
        return CheckClerk(c, prefix, refs, v);
      },
      [&](const std::string& id) { return refs.FindClerk(id); },
      [&](std::span<const domain::Clerk> all) { return tx.PutClerks(all); }));
  REBOOK_RETURN_IF_ERROR(ImportShifts(tx, b.shifts, refs, counts));
  for (std::size_t i = 0; i < b.closures.size(); ++i) {
    REBOOK_RETURN_IF_ERROR(capacity_internal::SaveClosure(tx, b.closures[i], Mode::kUpsert,
                                                          absl::StrCat("closures[", i, "]"), refs,
                                                          &counts)
                               .status());
  }
  REBOOK_RETURN_IF_ERROR(ImportBookings(tx, b.bookings, refs, counts));
  return counts;
}

}  // namespace rebook::rebooking
