// The statement that claims due outbox messages (PgTransaction::LeaseMessages), apart so that
// lease_plan_test can EXPLAIN it.
//
// One statement: expired leases and ready messages (PENDING or FAILED, due) are each chosen in
// (next_attempt_time, id) order, LIMIT max_messages, FOR NO KEY UPDATE SKIP LOCKED; the first
// max_messages of both, in that order, are set LEASED and returned with their previous state
// (column 21, after the message's columns). Ready messages come from the partial index
// outbox_messages_ready (next_attempt_time, id) WHERE state IN ('pending', 'failed'), read in
// order and stopped at the LIMIT, instead of every due row of the channels being read and sorted
// per lease (the (state, channel, ...) index gives one ordered run per state and channel, which
// PostgreSQL 15 cannot merge under a row lock). Expired leases are LEASED rows, at most the
// batches in flight, found by state in outbox_messages_due. Rows skipped because another
// transaction holds them are simply not taken; rows a concurrent lease committed meanwhile are
// re-checked on their new version (READ COMMITTED) and dropped. Up to max_messages ready rows
// may be locked without being taken (when expired leases fill the batch); they are free again
// at commit. `lease.channels` must not be empty.
#ifndef REBOOK_STORAGE_POSTGRES_INTERNAL_LEASE_SQL_H_
#define REBOOK_STORAGE_POSTGRES_INTERNAL_LEASE_SQL_H_

#include <string>

#include "storage/outreach_store.h"
#include "storage/postgres/internal/sql.h"

namespace rebook::storage::postgres_internal {

std::string LeaseSql(Params& p, const LeaseRequest& lease);

}  // namespace rebook::storage::postgres_internal

#endif  // REBOOK_STORAGE_POSTGRES_INTERNAL_LEASE_SQL_H_
