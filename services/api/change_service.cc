#include "services/api/change_service.h"

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "services/api/access.h"
#include "services/api/convert_changes.h"
#include "services/api/names.h"
#include "services/common/field_violations.h"
#include "services/common/status_macros.h"
#include "services/rebooking/change_feed.h"

namespace rebook::api {
namespace {

// A read of a following watch waits at most this long for a busy store; the next poll
// retries.
constexpr std::chrono::seconds kPollStorageWait{10};

// The offices `who` reads the feed of, from the request's `parent` and `after_cursor`; bad
// fields are INVALID_ARGUMENT with their violations.
absl::StatusOr<std::optional<std::vector<std::string>>> FeedScope(const Principal& who,
                                                                  const std::string& parent,
                                                                  std::int64_t after_cursor) {
  FieldViolations v;
  absl::StatusOr<std::string> office = ParseOfficeName(parent, "parent", /*allow_wildcard=*/true);
  if (!office.ok()) v.AddFrom(office.status());
  if (after_cursor < 0) v.Add("after_cursor", "must not be negative", "OUT_OF_RANGE");
  REBOOK_RETURN_IF_ERROR(v.ToStatus("invalid change feed request"));
  return ListScope(who, *office);
}

storage::TransactionOptions PollOptions() {
  return {.deadline = std::chrono::steady_clock::now() + kPollStorageWait};
}

}  // namespace

grpc::Status ChangeServiceImpl::ListChanges(grpc::ServerContext* ctx,
                                            const v1::ListChangesRequest* req,
                                            v1::ListChangesResponse* resp) {
  return env_.Handle(ctx, "ListChanges", *req, [&](const Call& call) -> absl::Status {
    REBOOK_RETURN_IF_ERROR(Require(call.principal, Permission::kReadChanges));
    REBOOK_ASSIGN_OR_RETURN(auto offices,
                            FeedScope(call.principal, req->parent(), req->after_cursor()));
    REBOOK_ASSIGN_OR_RETURN(storage::ChangeFeedPage page,
                            rebooking::ReadChangeFeed(env_.store(),
                                                      {.office_ids = std::move(offices),
                                                       .after_cursor = req->after_cursor(),
                                                       .limit = ClampPageSize(req->page_size())},
                                                      call.tx_options));
    resp->Clear();
    for (const domain::ChangeEvent& e : page.events) ToProto(e, resp->add_changes());
    resp->set_next_cursor(page.next_cursor);
    resp->set_oldest_cursor(page.oldest_cursor);
    return absl::OkStatus();
  });
}

grpc::Status ChangeServiceImpl::WatchChanges(grpc::ServerContext* ctx,
                                             const v1::WatchChangesRequest* req,
                                             grpc::ServerWriter<v1::WatchChangesResponse>* writer) {
  return env_.Handle(ctx, "WatchChanges", *req, [&](const Call& call) -> absl::Status {
    REBOOK_RETURN_IF_ERROR(Require(call.principal, Permission::kReadChanges));
    REBOOK_ASSIGN_OR_RETURN(auto offices,
                            FeedScope(call.principal, req->parent(), req->after_cursor()));
    rebooking::ChangeFeedRead read{.office_ids = std::move(offices),
                                   .after_cursor = req->after_cursor(),
                                   .limit = std::max(options_.watch_batch, 1)};
    // The first read answers at once (the client learns the stream is open, and its cursor),
    // and fails the call if the cursor is out of range.
    bool first = true;
    auto last_sent = std::chrono::steady_clock::now();
    std::uint64_t seen = 0;
    while (!ctx->IsCancelled()) {
      bool caught_up = false;
      absl::StatusOr<storage::ChangeFeedPage> page =
          rebooking::ReadChangeFeed(env_.store(), read, first ? call.tx_options : PollOptions());
      if (!page.ok()) {
        // Pruned while following, or a real error: the client must see it. A busy store only
        // delays this poll.
        if (first || page.status().code() != absl::StatusCode::kDeadlineExceeded) {
          return page.status();
        }
        caught_up = true;
      } else {
        const auto now = std::chrono::steady_clock::now();
        // A scoped watch moving past other offices' events alone sends nothing until the
        // heartbeat, which carries the cursor it has reached.
        if (first || !page->events.empty() || now - last_sent >= options_.heartbeat) {
          v1::WatchChangesResponse resp;
          for (const domain::ChangeEvent& e : page->events) ToProto(e, resp.add_changes());
          resp.set_next_cursor(page->next_cursor);
          if (!writer->Write(resp)) return absl::CancelledError("the client left");
          last_sent = now;
        }
        caught_up = page->next_cursor == read.after_cursor;
        read.after_cursor = page->next_cursor;
        first = false;
      }
      if (!caught_up) continue;
      absl::MutexLock lock(&mu_);
      if (ending_) return absl::OkStatus();
      auto changed = [this, seen]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return version_ != seen; };
      mu_.AwaitWithTimeout(absl::Condition(&changed), absl::FromChrono(options_.poll_interval));
      seen = version_;
      if (ending_) return absl::OkStatus();
    }
    return absl::CancelledError("the client left");
  });
}

void ChangeServiceImpl::Notify() {
  absl::MutexLock lock(&mu_);
  ++version_;
}

void ChangeServiceImpl::EndWatches() {
  absl::MutexLock lock(&mu_);
  ending_ = true;
  ++version_;
}

}  // namespace rebook::api
