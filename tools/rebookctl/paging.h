// Paging of rebookctl's list commands: every list follows next_page_token to the end, unless
// --limit cuts it. One helper so that no list stops at the server's first page.
//
//   v1::ListOutagesResponse all;
//   grpc::Status s = ListAll(req, limit,
//       [&](const auto& r, auto* page) { return stub->ListOutages(ctx().get(), r, page); },
//       [](auto* resp) { return resp->mutable_outages(); }, &all);
#ifndef REBOOK_TOOLS_REBOOKCTL_PAGING_H_
#define REBOOK_TOOLS_REBOOKCTL_PAGING_H_

#include <algorithm>
#include <string>
#include <utility>

#include "grpcpp/support/status.h"

namespace rebook::ctl {

// --limit's default: no limit, list everything.
inline constexpr int kNoLimit = 0;

// The page size asked for: the limit when it is smaller than a page.
inline int PageSize(int limit) { return limit > 0 ? std::min(limit, 1000) : 1000; }

// Calls `call(req, &page)` page by page, moving each page's rows (`items(&page)`, a repeated
// field) into `*all`, until the server has no next page or `limit` rows are there (kNoLimit:
// none). The first page's other fields (e.g. total_size) are kept in `*all`.
template <typename Req, typename Resp, typename Call, typename Items>
grpc::Status ListAll(Req req, int limit, Call call, Items items, Resp* all) {
  req.set_page_size(PageSize(limit));
  bool first = true;
  while (true) {
    Resp page;
    grpc::Status s = call(req, &page);
    if (!s.ok()) return s;
    auto rows = std::move(*items(&page));
    items(&page)->Clear();
    const std::string next = page.next_page_token();
    if (first) {
      page.clear_next_page_token();
      all->MergeFrom(page);
      first = false;
    }
    for (auto& row : rows) {
      if (limit > 0 && items(all)->size() >= limit) break;
      *items(all)->Add() = std::move(row);
    }
    if (next.empty() || (limit > 0 && items(all)->size() >= limit)) break;
    req.set_page_token(next);
  }
  return grpc::Status::OK;
}

}  // namespace rebook::ctl

#endif  // REBOOK_TOOLS_REBOOKCTL_PAGING_H_
