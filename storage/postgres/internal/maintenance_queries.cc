// Aggregate counts for the metrics endpoint (StoreMaintenance::CountByState).
#include "absl/strings/str_cat.h"
#include "storage/postgres/internal/pg_transaction.h"

namespace rebook::storage::postgres_internal {

absl::Status PgTransaction::CountByState(OperationalCounts& counts) {
  return Guard("count rows by state", [&](pqxx::dbtransaction& tx) -> absl::Status {
    for (const pqxx::row& r :
         tx.exec("SELECT channel, state, COUNT(*) FROM outbox_messages GROUP BY state, channel")) {
      REBOOK_ASSIGN_OR_RETURN(domain::MessageState state,
                              Decode(domain::ParseMessageState(Str(r[1])), "message state", r[1]));
      counts.messages.push_back({.channel = Str(r[0]), .state = state, .count = Int(r[2])});
    }
    // One index seek per state (outbox_messages_by_state_age).
    const pqxx::result oldest = tx.exec_params(
        absl::StrCat("SELECT ", Ts("MIN(t)"),
                     " FROM (SELECT MIN(create_time) AS t FROM outbox_messages WHERE state = $1 "
                     "UNION ALL SELECT MIN(create_time) FROM outbox_messages WHERE state = $2) u"),
        std::string(domain::ToString(domain::MessageState::kPending)),
        std::string(domain::ToString(domain::MessageState::kLeased)));
    counts.oldest_unsent_create_time = OptTime(oldest[0][0]);
    for (const pqxx::row& r : tx.exec("SELECT state, COUNT(*) FROM offers GROUP BY state")) {
      REBOOK_ASSIGN_OR_RETURN(domain::OfferState state,
                              Decode(domain::ParseOfferState(Str(r[0])), "offer state", r[0]));
      counts.offers.emplace_back(state, Int(r[1]));
    }
    counts.open_outages =
        Int(tx.exec_params("SELECT COUNT(*) FROM outages WHERE state = $1",
                           std::string(domain::ToString(domain::OutageState::kActive)))[0][0]);
    return absl::OkStatus();
  });
}

}  // namespace rebook::storage::postgres_internal
