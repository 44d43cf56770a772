// FetchAll(fetch, out): appends every item of a paged Store listing to `out`, 1,000 at a time,
// following next_page_token until it is empty; the first error ends it (`out` then holds the
// pages read so far). `fetch(PageRequest)` returns absl::StatusOr<storage::Page<T>>, e.g.
//   REBOOK_RETURN_IF_ERROR(FetchAll<domain::Shift>(
//       [&](const storage::PageRequest& p) { return tx.ListShifts(filter, p); }, shifts));
#ifndef REBOOK_SERVICES_REBOOKING_FETCH_ALL_H_
#define REBOOK_SERVICES_REBOOKING_FETCH_ALL_H_

#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "services/common/status_macros.h"
#include "storage/store.h"

namespace rebook::rebooking {

template <typename T, typename Fetch>
absl::Status FetchAll(Fetch fetch, std::vector<T>& out) {
  storage::PageRequest page{1000, ""};
  do {
    REBOOK_ASSIGN_OR_RETURN(auto result, fetch(page));
    for (auto& item : result.items) out.push_back(std::move(item));
    page.page_token = result.next_page_token;
  } while (!page.page_token.empty());
  return absl::OkStatus();
}

}  // namespace rebook::rebooking

#endif  // REBOOK_SERVICES_REBOOKING_FETCH_ALL_H_
