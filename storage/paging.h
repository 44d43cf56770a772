// Paged listings of the storage interface: a page of results and the request for one.
//
//   PageRequest request{.page_size = 50};
//   do {
//     REBOOK_ASSIGN_OR_RETURN(Page<domain::Office> page, tx.ListOffices(request));
//     ...
//     request.page_token = page.next_page_token;
//   } while (!request.page_token.empty());
#ifndef REBOOK_STORAGE_PAGING_H_
#define REBOOK_STORAGE_PAGING_H_

#include <string>
#include <vector>

namespace rebook::storage {

// A page of a listing. `next_page_token` is empty on the last page. Tokens are opaque and only
// valid for the same filter; any other token is INVALID_ARGUMENT. Each listing states its
// order; listings of storage/store.h other than appointments are ordered by their key: id,
// (office_id, id) or (office_id, date).
template <typename T>
struct Page {
  std::vector<T> items;
  std::string next_page_token;
};

struct PageRequest {
  int page_size = 100;  // 1..1000; the store clamps it
  std::string page_token;
};

}  // namespace rebook::storage

#endif  // REBOOK_STORAGE_PAGING_H_
