#include "services/web/store_metrics.h"

#include <algorithm>
#include <string>

#include "services/common/log.h"

namespace rebook::web {
namespace {

// Raises a counter to `total` (the store keeps the running totals).
void RaiseTo(metrics::Counter& c, double total) {
  if (total > c.value()) c.Increment(total - c.value());
}

}  // namespace

void AddStoreMetrics(metrics::Registry* r, storage::StoreMaintenance* store, const Clock* clock,
                     std::chrono::milliseconds wait) {
  auto& messages = r->AddGauge("rebook_outbox_messages", "Outbox messages by channel and state.",
                               {"channel", "state"});
  auto& oldest = r->AddGauge("rebook_outbox_oldest_unsent_age_seconds",
                             "Age of the oldest outbox message not yet sent (pending or "
                             "leased); 0 when there is none.");
  auto& offers = r->AddGauge("rebook_offers", "Offers by state.", {"state"});
  auto& outages = r->AddGauge("rebook_outages_open", "Outages that are active (not closed).");
  auto& busy = r->AddCounter("rebook_sqlite_busy_waits_total",
                             "Times a statement waited for a lock held by another connection or "
                             "process (SQLite's busy handler).");
  auto& busy_s = r->AddCounter("rebook_sqlite_busy_wait_seconds_total",
                               "Time spent in SQLite's busy handler, seconds.");
  auto& queued = r->AddCounter("rebook_sqlite_writer_queue_waits_total",
                               "Write transactions that queued behind another write.");
  auto& queued_s = r->AddCounter("rebook_sqlite_writer_queue_wait_seconds_total",
                                 "Time write transactions queued behind another write, seconds.");
  auto& read_s = r->AddGauge("rebook_store_count_seconds",
                             "Time the last scrape's counts by state took, seconds.");
  auto& errors = r->AddCounter("rebook_store_count_errors_total",
                               "Scrapes whose counts by state could not be read.");
  errors.WithLabels({});
  r->AddCollector([=, &messages, &oldest, &offers, &outages, &busy, &busy_s, &queued, &queued_s,
                   &read_s, &errors] {
    const storage::LockWaitTotals waits = store->lock_waits();
    RaiseTo(busy.WithLabels({}), static_cast<double>(waits.busy_waits));
    RaiseTo(busy_s.WithLabels({}), waits.busy_wait_seconds);
    RaiseTo(queued.WithLabels({}), static_cast<double>(waits.writer_queue_waits));
    RaiseTo(queued_s.WithLabels({}), waits.writer_queue_wait_seconds);

    const auto start = std::chrono::steady_clock::now();
    storage::TransactionOptions options;
    options.deadline = start + wait;
    absl::StatusOr<storage::OperationalCounts> counts = store->CountByState(options);
    read_s.WithLabels({}).Set(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    if (!counts.ok()) {
      errors.WithLabels({}).Increment();
      Log(LogLevel::kWarning, "metrics_count_failed",
          {{"error", std::string(counts.status().message())}});
      return;
    }
    messages.Clear();
    for (const auto& m : counts->messages) {
      messages.WithLabels({m.channel, std::string(domain::ToString(m.state))})
          .Set(static_cast<double>(m.count));
    }
    const double age =
        counts->oldest_unsent_create_time.has_value()
            ? static_cast<double>((clock->Now() - *counts->oldest_unsent_create_time).count())
            : 0.0;
    oldest.WithLabels({}).Set(std::max(0.0, age));
    offers.Clear();
    for (const auto& [state, n] : counts->offers) {
      offers.WithLabels({std::string(domain::ToString(state))}).Set(static_cast<double>(n));
    }
    outages.WithLabels({}).Set(static_cast<double>(counts->open_outages));
  });
}

}  // namespace rebook::web
