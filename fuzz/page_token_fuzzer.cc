// Fuzzes the page tokens of the SQLite store's listings (storage/sqlite/internal/paged_query.h):
// every List* call hands the client's page_token to PlanPage. The first input byte picks the
// listing: bits 0-1 its key's columns (1 + value % 3), bits 2-4 which of them are integers
// (else text), bit 6 a filter on office_id, bit 7 descending order. The rest is the token.
// Invariants: a token that decodes names exactly the key's columns, and the token of any key
// (NextPageToken) plans a page again with that same key.
#include <cstddef>
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "fuzz/fuzz_check.h"
#include "storage/sqlite/internal/paged_query.h"

namespace {

using namespace rebook::storage::sqlite_internal;  // NOLINT: one small target

PagedQuery QueryOf(std::uint8_t shape) {
  PagedQuery q{.listing = "fuzz", .select = "SELECT a, b, c FROM fuzz"};
  const char* names[] = {"a", "b", "c"};
  const int columns = 1 + (shape & 3) % 3;
  for (int i = 0; i < columns; ++i) {
    q.key.push_back({names[i], (shape >> (2 + i)) & 1 ? KeyType::kInteger : KeyType::kText});
  }
  q.descending = (shape & 0x80) != 0;
  return q;
}

SqlFilter FilterOf(std::uint8_t shape) {
  SqlFilter where;
  if (shape & 0x40) where.Add("office_id = ?", {std::string("HAL")});
  return where;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const std::uint8_t shape = data[0];
  const PagedQuery query = QueryOf(shape);
  const std::string token(rebook::fuzz::AsText(data + 1, size - 1));

  // The client's token, as every paged List* call reads it.
  SqlFilter where = FilterOf(shape);
  const std::uint64_t digest = where.Digest(query.listing);
  absl::StatusOr<std::vector<std::string>> key = DecodePageToken(token, digest, query.key.size());
  if (key.ok()) REBOOK_FUZZ_CHECK(key->size() == query.key.size(), token);
  rebook::storage::PageRequest request;
  request.page_size = static_cast<int>(shape) - 100;
  request.page_token = token;
  absl::StatusOr<PagePlan> plan = PlanPage(query, where, request);
  if (plan.ok()) {
    REBOOK_FUZZ_CHECK(plan->limit >= 1 && plan->limit <= 1000, token);
    REBOOK_FUZZ_CHECK(plan->digest == digest, token);
  }

  // The same bytes as a key: the next page's token must lead back to it.
  PageKey last;
  for (std::size_t i = 0; i < query.key.size(); ++i) {
    if (query.key[i].type == KeyType::kInteger) {
      std::int64_t v = 0;
      for (std::size_t k = 0; k < 8 && k < token.size(); ++k) {
        v = static_cast<std::int64_t>((static_cast<std::uint64_t>(v) << 8) |
                                      static_cast<unsigned char>(token[(k + i) % token.size()]));
      }
      last.emplace_back(std::in_place_type<std::int64_t>, v);
    } else {
      last.emplace_back(std::in_place_type<std::string>, token.substr(0, token.size() / (i + 1)));
    }
  }
  SqlFilter fresh = FilterOf(shape);
  PagePlan first;
  first.digest = fresh.Digest(query.listing);
  const std::string next = NextPageToken(first, last);
  absl::StatusOr<std::vector<std::string>> parts =
      DecodePageToken(next, first.digest, query.key.size());
  REBOOK_FUZZ_CHECK(parts.ok(), parts.status().ToString());
  rebook::storage::PageRequest again;
  again.page_token = next;
  absl::StatusOr<PagePlan> replanned = PlanPage(query, fresh, again);
  REBOOK_FUZZ_CHECK(replanned.ok(), replanned.status().ToString());
  return 0;
}
