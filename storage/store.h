// The storage interface of rebook: every durable fact goes through it.
//
// A `Store` runs functions inside transactions. Everything one request changes happens in one
// transaction: if the function returns an error, or the store fails, nothing is written.
//
//   absl::Status s = store.Write(options, [&](Transaction& tx) -> absl::Status {
//     REBOOK_ASSIGN_OR_RETURN(domain::Outage outage, tx.GetOutage(id));
//     outage.state = domain::OutageState::kClosed;
//     return tx.PutOutage(outage);
//   });
//
// Contract for every backend (checked by the conformance suite in storage/conformance/):
// - Write transactions are serialisable. Contention is handled inside the store: a busy
//   database makes the call wait (and may re-run the function from the start, so the function
//   must have no side effects outside `tx`) until `options.deadline`; then it fails with
//   DEADLINE_EXCEEDED. Backend-specific errors never reach callers; they are mapped to
//   UNAVAILABLE (I/O), ALREADY_EXISTS / FAILED_PRECONDITION (constraints) or INTERNAL.
// - Read transactions see one consistent snapshot.
// - Errors are absl::Status; no exception leaves a Store or Transaction method.
// - Thread-safe: any number of threads may call Read and Write at once. A Transaction object
//   belongs to the thread running the function and must not outlive it.
// - Storage holds no business rules: it stores, finds and filters what it is given. What an
//   outage cancels, what an import accepts and so on is decided in services/rebooking.
#ifndef REBOOK_STORAGE_STORE_H_
#define REBOOK_STORAGE_STORE_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "services/domain/model.h"
#include "storage/change_feed_store.h"
#include "storage/outreach_store.h"
#include "storage/paging.h"
#include "storage/privacy_store.h"

namespace rebook::storage {

// What a committed write survives.
enum class Durability {
  // A power cut or kernel crash: the commit is on stable storage when Write returns. Default.
  kFull,
  // A crash of the process, but a power cut or kernel crash soon after may undo it. Commits are
  // never reordered: the next kFull commit (or a checkpoint) makes every earlier one durable.
  // Only for writes whose loss the system already handles as a recognisable repeat, such as a
  // notifier's delivery report (the message is sent again under the same idempotency key, as
  // after a worker crash). Read transactions ignore it.
  kProcessCrash,
};

// Which writes a write transaction may make; lets a backend with several writers (PostgreSQL)
// queue writes of disjoint kinds apart. Read transactions ignore it; SQLite (one writer) too.
enum class WriteScope {
  // Any table. Default.
  kAll,
  // Reads anything; writes anything but the tables whose writes make change events
  // (appointments: insert, update, delete, status; erasures), e.g. outbox messages and their
  // events, offers (a fallback's hold), stored requests. For leases and delivery reports: on
  // PostgreSQL they run side by side, with each other and beside plan commits and imports, at
  // READ COMMITTED with row locks on what they change (each read sees the latest commit, not
  // one snapshot; docs/deployment-postgres.md). A write the scope does not allow fails with
  // FAILED_PRECONDITION and leaves the transaction usable.
  kOutbox,
};

// For backends: OK if a write call named `what` (the backends' names: "insert appointments",
// "update appointment(s)", "delete appointment", "set appointment status", "put erasure" are
// the change-feed writers) is allowed in `scope`.
inline absl::Status CheckWriteScope(WriteScope scope, std::string_view what) {
  if (scope == WriteScope::kAll) return absl::OkStatus();
  const bool feed = what.find("appointment") != std::string_view::npos || what == "put erasure";
  if (!feed) return absl::OkStatus();
  return absl::FailedPreconditionError(
      absl::StrCat(std::string(what),
                   ": not allowed in an outbox-scoped transaction (it writes the change "
                   "feed; see WriteScope)"));
}

struct TransactionOptions {
  // When to give up waiting for a busy database. Default: 30 s from the call.
  std::optional<std::chrono::steady_clock::time_point> deadline;
  // Writes only: the last moment to commit. A write whose function returns OK after it is
  // rolled back instead and fails with DEADLINE_EXCEEDED, so that DEADLINE_EXCEEDED always
  // means "nothing was written" (the caller's client has given up; its retry must find nothing
  // done). Checked right before COMMIT. Unset: no limit.
  std::optional<std::chrono::steady_clock::time_point> commit_deadline;
  Durability durability = Durability::kFull;
  WriteScope scope = WriteScope::kAll;
};

// A recorded idempotent request: what it was and what it answered.
struct StoredRequest {
  std::string request_id;
  std::string method;       // e.g. "rebook.v1.OutageService/DeclareOutage"
  std::string fingerprint;  // a digest of the request's content, minus the request id
  std::string response;     // the serialized answer
};

// Appointment filters. Unset members do not filter. Results are ordered by
// (original_start, id, office_id); with any slot_* member set, by (slot start, id, office_id).
// An appointment's slot is its rebooked slot or its held slot (at most one is set, see
// Transaction::UpdateAppointment).
struct AppointmentFilter {
  // nullopt: all offices. Otherwise only these original offices (an empty list matches none).
  std::optional<std::vector<std::string>> office_ids;
  std::optional<std::string> service_id;
  std::vector<domain::AppointmentStatus> statuses;  // empty: any
  std::optional<std::string> outage_id;             // "": appointments not tied to any outage
  std::optional<domain::AppointmentKind> kind;
  // Only appointments whose original start lies in [start, end).
  std::optional<domain::TimeInterval> original_start_in;
  // Only appointments with a slot at this office, with this clerk, starting in [start, end).
  std::optional<std::string> slot_office_id;
  std::optional<std::string> slot_clerk_id;
  std::optional<domain::TimeInterval> slot_start_in;

  bool FiltersSlots() const { return slot_office_id || slot_clerk_id || slot_start_in; }
};

struct OutageFilter {
  std::optional<std::vector<std::string>> office_ids;  // outages touching any of them
  std::optional<domain::OutageState> state;
};

struct ShiftFilter {
  std::optional<std::vector<std::string>> office_ids;
  std::optional<std::string> clerk_id;
  // Only these clerks' records (an empty list matches none); combines with clerk_id by AND.
  std::optional<std::vector<std::string>> clerk_ids;
  std::optional<domain::TimeInterval> overlapping;
};

struct ClerkFilter {
  // Clerks managed by (home office) or with a shift at any of these offices.
  std::optional<std::vector<std::string>> office_ids;
};

// Everything a request may read or write, inside one transaction: the records below, plans,
// offers and the outbox (the facets of storage/outreach_store.h), the personal-data
// lifecycle (storage/privacy_store.h) and the change feed (storage/change_feed_store.h). Methods on
// a read transaction that write fail with FAILED_PRECONDITION.
class Transaction : public PlanTables,
                    public OfferTables,
                    public OutboxTables,
                    public PrivacyTables,
                    public ChangeFeedTables {
 public:
  ~Transaction() override = default;

  // Idempotency records. NOT_FOUND if `request_id` was never saved.
  virtual absl::StatusOr<StoredRequest> FindRequest(const std::string& request_id) = 0;
  // ALREADY_EXISTS if `request_id` is saved already.
  virtual absl::Status SaveRequest(const StoredRequest& request) = 0;

  // Offices. Put* inserts or replaces by id. Delete* is NOT_FOUND for unknown ids and
  // FAILED_PRECONDITION while other records refer to the record.
  // The references a store enforces are an appointment's office and service, a shift's office
  // and clerk, a clerk's skills (services), a closure's office, a standing booking's office
  // (unless empty) and an outage's offices: writing a record whose reference is missing is
  // FAILED_PRECONDITION, and so is deleting a record they refer to. Other ids (home offices,
  // allowed offices, and every id in plans, offers and messages) are stored as given.
  virtual absl::StatusOr<domain::Office> GetOffice(const std::string& id) = 0;
  virtual absl::StatusOr<Page<domain::Office>> ListOffices(const PageRequest& page) = 0;
  virtual absl::Status PutOffice(const domain::Office& office) = 0;
  // PutOffice, PutService and PutClerk for many records in one call (an import's hundreds): in
  // order, so a later record with the id of an earlier one replaces it. All of them, or on error
  // (FAILED_PRECONDITION for a clerk's unknown skill) none, even if the transaction goes on and
  // commits.
  virtual absl::Status PutOffices(std::span<const domain::Office> offices) = 0;
  virtual absl::Status DeleteOffice(const std::string& id) = 0;

  virtual absl::StatusOr<domain::Service> GetService(const std::string& id) = 0;
  virtual absl::StatusOr<Page<domain::Service>> ListServices(const PageRequest& page) = 0;
  virtual absl::Status PutService(const domain::Service& service) = 0;
  virtual absl::Status PutServices(std::span<const domain::Service> services) = 0;
  virtual absl::Status DeleteService(const std::string& id) = 0;

  virtual absl::StatusOr<domain::Clerk> GetClerk(const std::string& id) = 0;
  virtual absl::StatusOr<Page<domain::Clerk>> ListClerks(const ClerkFilter& filter,
                                                         const PageRequest& page) = 0;
  virtual absl::Status PutClerk(const domain::Clerk& clerk) = 0;
  virtual absl::Status PutClerks(std::span<const domain::Clerk> clerks) = 0;
  virtual absl::Status DeleteClerk(const std::string& id) = 0;

  // Shifts are keyed by (office_id, id).
  virtual absl::StatusOr<domain::Shift> GetShift(const std::string& office_id,
                                                 const std::string& id) = 0;
  virtual absl::StatusOr<Page<domain::Shift>> ListShifts(const ShiftFilter& filter,
                                                         const PageRequest& page) = 0;
  virtual absl::Status PutShift(const domain::Shift& shift) = 0;
  // PutShift for many shifts in one call (an import's thousands): in order, so a later shift
  // with the key of an earlier one replaces it. All of them, or on error (FAILED_PRECONDITION
  // for a missing office or clerk) none, even if the transaction goes on and commits.
  virtual absl::Status PutShifts(std::span<const domain::Shift> shifts) = 0;
  virtual absl::Status DeleteShift(const std::string& office_id, const std::string& id) = 0;

  // Closures are keyed by (office_id, date). The first form lists them all (for planning); the
  // second one page of them, for callers that page (ListClosures of the API).
  virtual absl::StatusOr<std::vector<domain::Closure>> ListClosures(
      const std::optional<std::vector<std::string>>& office_ids) = 0;
  virtual absl::StatusOr<Page<domain::Closure>> ListClosures(
      const std::optional<std::vector<std::string>>& office_ids, const PageRequest& page) = 0;
  virtual absl::Status PutClosure(const domain::Closure& closure) = 0;
  virtual absl::Status DeleteClosure(const std::string& office_id, domain::LocalDate date) = 0;

  // Standing bookings are keyed by (office_id, id). NOT_FOUND if absent.
  virtual absl::StatusOr<domain::StandingBooking> GetStandingBooking(const std::string& office_id,
                                                                     const std::string& id) = 0;
  virtual absl::StatusOr<Page<domain::StandingBooking>> ListStandingBookings(
      const ShiftFilter& filter, const PageRequest& page) = 0;
  virtual absl::Status PutStandingBooking(const domain::StandingBooking& booking) = 0;
  // PutStandingBooking for many bookings, as PutShifts: in order, all of them or none.
  virtual absl::Status PutStandingBookings(std::span<const domain::StandingBooking> bookings) = 0;
  virtual absl::Status DeleteStandingBooking(const std::string& office_id,
                                             const std::string& id) = 0;

  virtual absl::StatusOr<domain::Outage> GetOutage(const std::string& id) = 0;
  virtual absl::StatusOr<Page<domain::Outage>> ListOutages(const OutageFilter& filter,
                                                           const PageRequest& page) = 0;
  // Inserts or replaces by id.
  virtual absl::Status PutOutage(const domain::Outage& outage) = 0;

  // Appointments are keyed by (office_id, id): ids are unique per office only, and the same id
  // in two offices is two appointments.
  virtual absl::StatusOr<domain::Appointment> GetAppointment(const std::string& office_id,
                                                             const std::string& id) = 0;
  // The appointments among `keys` that exist, in no particular order.
  virtual absl::StatusOr<std::vector<domain::Appointment>> FindAppointments(
      std::span<const domain::AppointmentKey> keys) = 0;
  // Inserts new appointments. ALREADY_EXISTS (naming office and id) if one exists. A failed
  // call inserts none of them, even if the transaction goes on and commits.
  virtual absl::Status InsertAppointments(std::span<const domain::Appointment> appointments) = 0;
  // Replaces the existing appointment with the same key. NOT_FOUND if it does not exist.
  // Writes (here and in InsertAppointments) store an appointment's slots with its status:
  // `held_slot` only while it is OFFERED, `rebooked_slot` only while CONFIRMED; a slot that
  // does not match the status is not stored (and reads back unset).
  virtual absl::Status UpdateAppointment(const domain::Appointment& appointment) = 0;
  // UpdateAppointment for many appointments at once: all of them, or on error (NOT_FOUND
  // naming the first missing one) none.
  virtual absl::Status UpdateAppointments(std::span<const domain::Appointment> appointments) = 0;
  virtual absl::Status DeleteAppointment(const std::string& office_id, const std::string& id) = 0;
  virtual absl::StatusOr<Page<domain::Appointment>> ListAppointments(
      const AppointmentFilter& filter, const PageRequest& page) = 0;
  virtual absl::StatusOr<std::int64_t> CountAppointments(const AppointmentFilter& filter) = 0;
  // Calls `fn` for every matching appointment, in order, without paging.
  virtual absl::Status ScanAppointments(
      const AppointmentFilter& filter,
      const std::function<void(const domain::Appointment&)>& fn) = 0;
  // Sets status, outage id, status reason and update time of every matching appointment;
  // returns how many changed. Slots that do not match the new status are cleared.
  virtual absl::StatusOr<std::int64_t> SetAppointmentStatus(const AppointmentFilter& filter,
                                                            domain::AppointmentStatus status,
                                                            const std::string& outage_id,
                                                            const std::string& status_reason,
                                                            Instant update_time) = 0;
};

class Store {
 public:
  virtual ~Store() = default;

  // Runs `fn` in a read-only transaction.
  virtual absl::Status Read(const TransactionOptions& options,
                            absl::FunctionRef<absl::Status(Transaction&)> fn) = 0;
  // Runs `fn` in a write transaction and commits it if `fn` returns OK; otherwise rolls back
  // and returns fn's status. `fn` may be run more than once (see the file comment).
  virtual absl::Status Write(const TransactionOptions& options,
                             absl::FunctionRef<absl::Status(Transaction&)> fn) = 0;
  // Makes data that committed writes overwrote or deleted unrecoverable from the store's files
  // (GDPR Art. 17, 32): the backend's logs and free space no longer hold it once this returns
  // OK. Call it after erasing personal data. DEADLINE_EXCEEDED if readers keep old data alive
  // past `options.deadline`.
  virtual absl::Status FlushErasures(const TransactionOptions& options) = 0;
};

}  // namespace rebook::storage

#endif  // REBOOK_STORAGE_STORE_H_
