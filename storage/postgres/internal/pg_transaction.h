// The PostgreSQL implementation of storage::Transaction, over one libpqxx transaction
// (SERIALIZABLE for writes, REPEATABLE READ READ ONLY for reads; see pg_store.h).
//
// Every method maps libpqxx exceptions to a status at this edge (see errors.h). Every write
// runs inside a savepoint (pqxx::subtransaction), so a failed call leaves the transaction as
// it was and the caller may go on and commit. A serialization failure or deadlock marks the
// transaction for retry: the runner in pg_store.cc rolls back and runs the caller's function
// again, so SQLSTATE 40001 never reaches a caller before the deadline. Any other error outside
// a savepoint leaves the transaction unusable (broken()); the runner then rolls back.
#ifndef REBOOK_STORAGE_POSTGRES_INTERNAL_PG_TRANSACTION_H_
#define REBOOK_STORAGE_POSTGRES_INTERNAL_PG_TRANSACTION_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "pqxx/pqxx"
#include "storage/postgres/internal/sql.h"
#include "storage/postgres/internal/statistics_keeper.h"
#include "storage/store.h"
#include "storage/store_maintenance.h"

namespace rebook::storage::postgres_internal {

class PgTransaction final : public Transaction {
 public:
  enum class Mode { kRead, kWrite };

  PgTransaction(pqxx::dbtransaction& tx, Mode mode, WriteScope scope = WriteScope::kAll)
      : tx_(tx), mode_(mode), scope_(scope) {}

  // The row locks that stand in for SERIALIZABLE where outbox-scoped writes (READ COMMITTED,
  // see pg_store.h) meet other writes:
  //  - an outbox-scoped write locks what it reads to change: GetMessage(s) and GetOffer read
  //    FOR NO KEY UPDATE (the latest committed row, held until commit), and LeaseMessages
  //    claims with FOR NO KEY UPDATE SKIP LOCKED, so a check of a message's lease or an
  //    offer's state and the write that follows it are atomic;
  //  - a write of the default scope (SERIALIZABLE) that reads one appointment's messages
  //    (ScanMessages with MessageFilter::appointment) first locks all of that appointment's
  //    messages FOR SHARE: a lease or report that changed one of them since its snapshot makes
  //    it fail with 40001 and run again (it then sees the change), and one that comes later
  //    skips or waits for them. A report adds a message (a fallback) only while it holds a
  //    message of the same appointment, so no message appears unseen either.
  bool outbox_scoped() const { return mode_ == Mode::kWrite && scope_ == WriteScope::kOutbox; }

  // True if a statement met a serialization failure or deadlock; roll back and run again.
  bool needs_retry() const { return needs_retry_; }
  // Not OK if a statement failed outside a savepoint: the transaction must be rolled back.
  const absl::Status& broken() const { return broken_; }
  // Rows this transaction's bulk writes (the span methods and SetAppointmentStatus) wrote per
  // table, the change feed's rows that appointment triggers add included; PgStore hands them
  // to its StatisticsKeeper after the commit.
  const WrittenRows& written() const { return written_; }

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

  // OutboxTables (message_queries.cc).
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

  // The aggregate counts of StoreMaintenance::CountByState (maintenance_queries.cc).
  absl::Status CountByState(OperationalCounts& counts);

 private:
  // Runs `body(tx)` and returns its result, or the status a thrown exception maps to.
  template <typename Body>
  auto Guard(const char* what, Body&& body)
      -> decltype(body(std::declval<pqxx::dbtransaction&>())) {
    try {
      return body(tx_);
    } catch (...) {
      return OnException(what, /*in_savepoint=*/false);
    }
  }
  // Like Guard, inside a savepoint that is rolled back if `body` fails, and released (by the
  // next write call or the commit) if it returns OK. FAILED_PRECONDITION on a read transaction.
  absl::Status WriteAtomically(const char* what,
                               const std::function<absl::Status(pqxx::dbtransaction&)>& body);
  absl::Status CheckWritable(const char* what) const;
  absl::Status OnException(const char* what, bool in_savepoint);
  // Runs a DELETE/UPDATE; NOT_FOUND naming `what` and `key` if it changed no row.
  absl::Status ExecExpectingRow(const char* what, const std::string& key, const std::string& sql,
                                const Params& params);

  // The next WriteAtomically call (or, from inside a body, the call running) writes `rows` rows
  // of `table`: added to written() if it succeeds.
  void CountNextWrite(const char* table, std::size_t rows) { counted_ = {table, rows}; }
  void AddWritten(const char* table, std::size_t rows);

  static Filter ShiftFilterSql(const ShiftFilter& filter);
  static Filter MessageFilterSql(const MessageFilter& filter);

  pqxx::dbtransaction& tx_;
  Mode mode_;
  WriteScope scope_;  // checked by CheckWritable
  bool needs_retry_ = false;
  absl::Status broken_;
  // WriteAtomically: a write call's savepoint is still open (the next call releases it).
  bool savepoint_held_ = false;
  int write_depth_ = 0;  // write calls running (a body may make another)
  WrittenRows written_;
  struct Counted {
    const char* table = nullptr;
    std::size_t rows = 0;
  } counted_;  // CountNextWrite's, taken by WriteAtomically
};

}  // namespace rebook::storage::postgres_internal

#endif  // REBOOK_STORAGE_POSTGRES_INTERNAL_PG_TRANSACTION_H_
