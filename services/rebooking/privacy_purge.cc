#include "services/rebooking/privacy_purge.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "services/common/status_macros.h"

namespace rebook::rebooking {
namespace {

absl::StatusOr<int> RetentionDays(storage::Transaction& tx, const std::string& office_id,
                                  const RetentionPolicy& policy) {
  REBOOK_ASSIGN_OR_RETURN(std::optional<storage::RetentionSetting> s,
                          tx.GetRetentionSetting(office_id));
  return s.has_value() ? s->retention_days : policy.default_days;
}

}  // namespace

absl::StatusOr<RetentionView> GetRetention(storage::Transaction& tx, const std::string& office_id,
                                           const RetentionPolicy& policy) {
  REBOOK_RETURN_IF_ERROR(tx.GetOffice(office_id).status());
  REBOOK_ASSIGN_OR_RETURN(std::optional<storage::RetentionSetting> s,
                          tx.GetRetentionSetting(office_id));
  if (!s.has_value())
    return RetentionView{.office_id = office_id, .retention_days = policy.default_days};
  return RetentionView{.office_id = office_id,
                       .retention_days = s->retention_days,
                       .is_default = false,
                       .update_time = s->update_time};
}

absl::StatusOr<RetentionView> SetRetention(storage::Transaction& tx, const std::string& office_id,
                                           int days, Instant now, const RetentionPolicy& policy) {
  if (days < kMinRetentionDays || days > kMaxRetentionDays) {
    return absl::InvalidArgumentError(
        absl::StrCat("retention must be ", kMinRetentionDays, " to ", kMaxRetentionDays, " days"));
  }
  REBOOK_RETURN_IF_ERROR(tx.GetOffice(office_id).status());
  REBOOK_RETURN_IF_ERROR(
      tx.PutRetentionSetting({.office_id = office_id, .retention_days = days, .update_time = now}));
  return GetRetention(tx, office_id, policy);
}

absl::StatusOr<PurgeResult> PurgeExpiredBatch(
    storage::Transaction& tx, const std::optional<std::vector<std::string>>& office_ids,
    const RetentionPolicy& policy, const ErasureContext& ctx) {
  PurgeResult result;
  int budget = std::max(1, policy.batch_size);
  storage::OutageFilter filter;
  filter.office_ids = office_ids;
  filter.state = domain::OutageState::kClosed;
  storage::PageRequest page{.page_size = 1000};
  do {
    REBOOK_ASSIGN_OR_RETURN(storage::Page<domain::Outage> outages, tx.ListOutages(filter, page));
    for (const domain::Outage& outage : outages.items) {
      if (!outage.close_time.has_value()) continue;
      bool due = false;
      for (const std::string& office_id : outage.office_ids) {
        if (!OfficeInScope(office_ids, office_id)) continue;
        REBOOK_ASSIGN_OR_RETURN(int days, RetentionDays(tx, office_id, policy));
        if (ctx.now < *outage.close_time + std::chrono::days(days)) continue;
        due = true;
        REBOOK_ASSIGN_OR_RETURN(std::vector<std::string> ids,
                                tx.ListUnerasedAppointments(outage.id, office_id, budget));
        for (const std::string& id : ids) {
          REBOOK_ASSIGN_OR_RETURN(
              ErasureCounts c, EraseAppointmentData(tx, {office_id, id}, kErasedByRetention, ctx));
          result.erased += c;
        }
        budget -= static_cast<int>(ids.size());
        if (budget <= 0) {
          result.complete = false;
          break;
        }
      }
      if (due) ++result.outages_due;
      if (!result.complete) return result;
    }
    page.page_token = outages.next_page_token;
  } while (!page.page_token.empty());
  return result;
}

absl::StatusOr<PurgeResult> RunPurge(storage::Store& store,
                                     const std::optional<std::vector<std::string>>& office_ids,
                                     const RetentionPolicy& policy, const ErasureContext& ctx,
                                     const storage::TransactionOptions& options) {
  PurgeResult total;
  for (int batch = 0; batch < std::max(1, policy.max_batches); ++batch) {
    PurgeResult r;
    REBOOK_RETURN_IF_ERROR(store.Write(options, [&](storage::Transaction& tx) -> absl::Status {
      REBOOK_ASSIGN_OR_RETURN(r, PurgeExpiredBatch(tx, office_ids, policy, ctx));
      return absl::OkStatus();
    }));
    total.erased += r.erased;
    total.outages_due = std::max(total.outages_due, r.outages_due);
    total.complete = r.complete;
    if (r.complete) break;
  }
  if (total.erased.appointments > 0) REBOOK_RETURN_IF_ERROR(store.FlushErasures(options));
  return total;
}

}  // namespace rebook::rebooking
