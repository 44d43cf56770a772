// The SQLite implementation of storage::Transaction.
//
// Every method maps SQLiteCpp exceptions to a status at this edge (see errors.h). A method that
// meets a busy database marks the transaction for retry: the runner in sqlite_store.cc then
// rolls back and re-runs the caller's function, so SQLITE_BUSY never reaches a caller.
// Every write runs inside a savepoint, so a failed call (e.g. PutClerk or LeaseMessages, which
// write several rows) leaves the transaction as it was; the bulk writes (InsertAppointments,
// UpdateAppointments, PutOffers, InsertMessages, AddMessageEvents) keep a savepoint for their
// first 64 rows only and mark the transaction broken if they fail after that (see
// WriteInChunks).
#ifndef REBOOK_STORAGE_SQLITE_INTERNAL_SQLITE_TRANSACTION_H_
#define REBOOK_STORAGE_SQLITE_INTERNAL_SQLITE_TRANSACTION_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "storage/sqlite/internal/connection.h"
#include "storage/sqlite/internal/sql_filter.h"
#include "storage/sqlite/internal/statement_text.h"
#include "storage/store.h"

namespace rebook::storage::sqlite_internal {

class SqliteTransaction final : public Transaction {
 public:
  enum class Mode { kRead, kWrite };

  SqliteTransaction(Connection& connection, Mode mode, SteadyTime deadline,
                    WriteScope scope = WriteScope::kAll)
      : connection_(connection), mode_(mode), deadline_(deadline), scope_(scope) {}

  // True if a statement met a busy database; the transaction must be rolled back and re-run.
  bool needs_retry() const { return needs_retry_; }
  // Not OK if the transaction is unusable (a savepoint could not be rolled back); the runner
  // rolls back and returns this instead of committing.
  const absl::Status& broken() const { return broken_; }

  absl::StatusOr<StoredRequest> FindRequest(const std::string& request_id) override;
  absl::Status SaveRequest(const StoredRequest& request) override;

  absl::StatusOr<domain::Office> GetOffice(const std::string& id) override;
  absl::StatusOr<Page<domain::Office>> ListOffices(const PageRequest& page) override;
  absl::Status PutOffice(const domain::Office& office) override;
  absl::Status PutOffices(std::span<const domain::Office> offices) override;
  absl::Status DeleteOffice(const std::string& id) override;

  absl::StatusOr<domain::Service> GetService(const std::string& id) override;
  absl::StatusOr<Page<domain::Service>> ListServices(const PageRequest& page) override;
  absl::Status PutService(const domain::Service& service) override;
  absl::Status PutServices(std::span<const domain::Service> services) override;
  absl::Status DeleteService(const std::string& id) override;

  absl::StatusOr<domain::Clerk> GetClerk(const std::string& id) override;
  absl::StatusOr<Page<domain::Clerk>> ListClerks(const ClerkFilter& filter,
                                                 const PageRequest& page) override;
  absl::Status PutClerk(const domain::Clerk& clerk) override;
  absl::Status PutClerks(std::span<const domain::Clerk> clerks) override;
  absl::Status DeleteClerk(const std::string& id) override;

  absl::StatusOr<domain::Shift> GetShift(const std::string& office_id,
                                         const std::string& id) override;
  absl::StatusOr<Page<domain::Shift>> ListShifts(const ShiftFilter& filter,
                                                 const PageRequest& page) override;
  absl::Status PutShift(const domain::Shift& shift) override;
  absl::Status PutShifts(std::span<const domain::Shift> shifts) override;
  absl::Status DeleteShift(const std::string& office_id, const std::string& id) override;

  absl::StatusOr<std::vector<domain::Closure>> ListClosures(
      const std::optional<std::vector<std::string>>& office_ids) override;
  absl::StatusOr<Page<domain::Closure>> ListClosures(
      const std::optional<std::vector<std::string>>& office_ids, const PageRequest& page) override;
  absl::Status PutClosure(const domain::Closure& closure) override;
  absl::Status DeleteClosure(const std::string& office_id, domain::LocalDate date) override;

  absl::StatusOr<domain::StandingBooking> GetStandingBooking(const std::string& office_id,
                                                             const std::string& id) override;
  absl::StatusOr<Page<domain::StandingBooking>> ListStandingBookings(
      const ShiftFilter& filter, const PageRequest& page) override;
  absl::Status PutStandingBooking(const domain::StandingBooking& booking) override;
  absl::Status PutStandingBookings(std::span<const domain::StandingBooking> bookings) override;
  absl::Status DeleteStandingBooking(const std::string& office_id, const std::string& id) override;

  absl::StatusOr<domain::Outage> GetOutage(const std::string& id) override;
  absl::StatusOr<Page<domain::Outage>> ListOutages(const OutageFilter& filter,
                                                   const PageRequest& page) override;
  absl::Status PutOutage(const domain::Outage& outage) override;

  absl::StatusOr<domain::Appointment> GetAppointment(const std::string& office_id,
                                                     const std::string& id) override;
  absl::StatusOr<std::vector<domain::Appointment>> FindAppointments(
      std::span<const domain::AppointmentKey> keys) override;
  absl::Status InsertAppointments(std::span<const domain::Appointment> appointments) override;
  absl::Status UpdateAppointment(const domain::Appointment& appointment) override;
  absl::Status UpdateAppointments(std::span<const domain::Appointment> appointments) override;
  absl::Status DeleteAppointment(const std::string& office_id, const std::string& id) override;
  absl::StatusOr<Page<domain::Appointment>> ListAppointments(const AppointmentFilter& filter,
                                                             const PageRequest& page) override;
  absl::StatusOr<std::int64_t> CountAppointments(const AppointmentFilter& filter) override;
  absl::Status ScanAppointments(const AppointmentFilter& filter,
                                const std::function<void(const domain::Appointment&)>& fn) override;
  absl::StatusOr<std::int64_t> SetAppointmentStatus(const AppointmentFilter& filter,
                                                    domain::AppointmentStatus status,
                                                    const std::string& outage_id,
                                                    const std::string& status_reason,
                                                    Instant update_time) override;

  // PlanTables (plan_queries.cc).
  absl::StatusOr<domain::PlanRecord> GetPlan(const std::string& outage_id,
                                             const std::string& plan_id) override;
  absl::StatusOr<Page<domain::PlanRecord>> ListPlans(const std::string& outage_id,
                                                     const PageRequest& page) override;
  absl::Status PutPlan(const domain::PlanRecord& plan) override;
  absl::Status InsertAssignments(const std::string& outage_id, const std::string& plan_id,
                                 std::span<const domain::Assignment> assignments) override;
  absl::StatusOr<Page<domain::Assignment>> ListAssignments(const std::string& outage_id,
                                                           const std::string& plan_id,
                                                           const AssignmentFilter& filter,
                                                           const PageRequest& page) override;
  absl::Status ScanAssignments(const std::string& outage_id, const std::string& plan_id,
                               const std::function<void(const domain::Assignment&)>& fn) override;

  // OfferTables (offer_queries.cc).
  absl::StatusOr<domain::Offer> GetOffer(const domain::AppointmentKey& appointment,
                                         int version) override;
  absl::StatusOr<std::vector<domain::Offer>> FindOffers(std::span<const OfferKey> keys) override;
  absl::StatusOr<domain::Offer> FindOfferByToken(const std::string& token) override;
  absl::Status PutOffer(const domain::Offer& offer) override;
  absl::Status PutOffers(std::span<const domain::Offer> offers) override;
  absl::StatusOr<Page<domain::Offer>> ListOffers(const OfferFilter& filter,
                                                 const PageRequest& page) override;
  absl::Status ScanOffers(const OfferFilter& filter,
                          const std::function<void(const domain::Offer&)>& fn) override;

  // OutboxTables (message_queries.cc, lease_queries.cc).
  absl::Status InsertMessages(std::span<const domain::OutboxMessage> messages) override;
  absl::StatusOr<domain::OutboxMessage> GetMessage(const std::string& id) override;
  absl::StatusOr<std::vector<domain::OutboxMessage>> GetMessages(
      std::span<const std::string> ids) override;
  absl::Status UpdateMessagesDelivery(std::span<const domain::OutboxMessage> messages) override;
  absl::Status UpdateMessage(const domain::OutboxMessage& message) override;
  absl::Status UpdateMessageDelivery(const domain::OutboxMessage& message) override;
  absl::StatusOr<Page<domain::OutboxMessage>> ListMessages(const MessageFilter& filter,
                                                           const PageRequest& page) override;
  absl::Status ScanMessages(const MessageFilter& filter,
                            const std::function<void(const domain::OutboxMessage&)>& fn) override;
  absl::StatusOr<std::vector<LeasedMessage>> LeaseMessages(const LeaseRequest& lease) override;
  absl::Status AddMessageEvents(std::span<const domain::MessageEvent> events) override;
  absl::StatusOr<std::vector<domain::MessageEvent>> ListMessageEvents(
      const std::string& message_id) override;

  // PrivacyTables (privacy_queries.cc).
  absl::StatusOr<std::optional<RetentionSetting>> GetRetentionSetting(
      const std::string& office_id) override;
  absl::Status PutRetentionSetting(const RetentionSetting& setting) override;
  absl::StatusOr<std::optional<ErasureRecord>> GetErasure(
      const domain::AppointmentKey& appointment) override;
  absl::Status PutErasure(const ErasureRecord& record) override;
  absl::StatusOr<std::vector<std::string>> ListUnerasedAppointments(const std::string& outage_id,
                                                                    const std::string& office_id,
                                                                    int limit) override;
  absl::StatusOr<std::int64_t> ScrubMessageText(const domain::AppointmentKey& appointment,
                                                const std::string& replacement) override;
  absl::StatusOr<std::int64_t> ScrubOffers(const domain::AppointmentKey& appointment) override;
  absl::StatusOr<std::int64_t> ForgetStoredResponses(std::span<const std::string> needles) override;

  // ChangeFeedTables (change_feed_queries.cc).
  absl::StatusOr<ChangeFeedPage> ListChangeEvents(const ChangeFeedQuery& query) override;
  absl::StatusOr<std::int64_t> PruneChangeEvents(Instant before, int limit) override;

 private:
  // Runs `body` (which may throw SQLite::Exception) and returns its result, or the status the
  // exception maps to. `what` names the operation in error messages.
  template <typename Body>
  auto Guard(const char* what, Body&& body) -> decltype(body()) {
    try {
      return body();
    } catch (...) {
      return OnException(what);
    }
  }
  // Like Guard, for a body returning absl::Status, inside a savepoint that is rolled back if
  // the body fails or throws. Fails with FAILED_PRECONDITION on a read transaction.
  absl::Status WriteAtomically(const char* what, const std::function<absl::Status()>& body);
  // A bulk write of `count` rows: `write(begin, end)` runs on consecutive chunks of at most
  // MultiRowInsert::kMaxRows rows; only the first chunk runs in a savepoint. Why: SQLite walks
  // its in-memory sub-journal from the start each time a statement inside a savepoint ends, so
  // savepoints around all rows cost a region commit a large share of its CPU (memjrnlTruncate,
  // sqlite3PagerSavepoint). A call that fails in its first chunk leaves the transaction as it
  // was (the store's contract, storage/conformance); one that fails later, or after which
  // SQLite ended the transaction, marks the transaction broken, so the runner rolls it back and
  // no part of the call can ever commit. Each statement is atomic on its own either way.
  absl::Status WriteInChunks(const char* what, std::size_t count,
                             const std::function<absl::Status(std::size_t, std::size_t)>& write);
  // Rows [begin, end) of a bulk insert through `shape`'s multi-row statements (at most 64 rows
  // each): `bind(statement, row, base)` binds row `row` at parameter base `base`. If a
  // statement fails on a constraint, it changed nothing; its rows are then tried one by one
  // inside a savepoint (rolled back afterwards), and `constraint(e, row)` names the offending
  // row's error (it rethrows what it does not map).
  absl::Status InsertRows(
      const MultiRowInsert& shape, std::size_t begin, std::size_t end,
      const std::function<void(SQLite::Statement&, std::size_t, int)>& bind,
      const std::function<absl::Status(const SQLite::Exception&, std::size_t)>& constraint);
  // FAILED_PRECONDITION on a read transaction.
  absl::Status CheckWritable(const char* what) const;
  absl::Status OnException(const char* what);

  StatementLease Prepare(const std::string& sql) { return connection_.Prepare(sql); }
  // Runs a DELETE/UPDATE bound by `bind`; NOT_FOUND naming `what` if it changed no row.
  absl::Status ExecExpectingRow(const char* what, const std::string& key, const char* sql,
                                const std::function<void(SQLite::Statement&)>& bind);

  static SqlFilter ShiftSqlFilter(const ShiftFilter& filter);
  static SqlFilter AssignmentSqlFilter(const std::string& outage_id, const std::string& plan_id,
                                       const AssignmentFilter& filter);
  static SqlFilter MessageSqlFilter(const MessageFilter& filter);

  Connection& connection_;
  Mode mode_;
  SteadyTime deadline_;
  WriteScope scope_;  // checked by CheckWritable
  bool needs_retry_ = false;
  absl::Status broken_;
};

}  // namespace rebook::storage::sqlite_internal

#endif  // REBOOK_STORAGE_SQLITE_INTERNAL_SQLITE_TRANSACTION_H_
