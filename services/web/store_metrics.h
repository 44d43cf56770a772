// Scrape-time metrics of the store: rows by state (one aggregate read per scrape,
// storage::StoreMaintenance::CountByState) and the lock-wait totals.
//
//   rebook_outbox_messages{channel,state}              outbox messages
//   rebook_outbox_oldest_unsent_age_seconds            age of the oldest pending/leased message
//   rebook_offers{state}                               offers
//   rebook_outages_open                                active outages
//   rebook_sqlite_busy_waits_total, _seconds_total     waits for another connection's lock
//   rebook_sqlite_writer_queue_waits_total, _seconds_total  writes queued behind a write
//   rebook_store_count_seconds                         what the last scrape's read took
//   rebook_store_count_errors_total                    scrapes whose read failed (the gauges
//                                                      then keep their last values)
//
// Labels hold channel and state names only. The read waits at most `wait` for the store.
#ifndef REBOOK_SERVICES_WEB_STORE_METRICS_H_
#define REBOOK_SERVICES_WEB_STORE_METRICS_H_

#include <chrono>

#include "services/common/clock.h"
#include "services/metrics/registry.h"
#include "storage/store_maintenance.h"

namespace rebook::web {

// Adds the families and a collector to `registry`. Pointers must outlive the registry.
void AddStoreMetrics(metrics::Registry* registry, storage::StoreMaintenance* store,
                     const Clock* clock, std::chrono::milliseconds wait = std::chrono::seconds(5));

}  // namespace rebook::web

#endif  // REBOOK_SERVICES_WEB_STORE_METRICS_H_
