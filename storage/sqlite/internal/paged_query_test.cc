#include "storage/sqlite/internal/paged_query.h"

#include <chrono>
#include <memory>
#include <tuple>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace rebook::storage::sqlite_internal {
namespace {

// A row of the test table: keyed by (n, id), in group `grp`.
struct Item {
  std::int64_t n = 0;
  std::string id;
  std::string grp;
};

absl::StatusOr<Item> ReadItem(SQLite::Statement& q) {
  return Item{q.getColumn(0).getInt64(), q.getColumn(1).getString(), q.getColumn(2).getString()};
}

PageKey KeyOf(const Item& item) { return PageKey{item.n, item.id}; }

std::string Name(const Item& item) { return absl::StrCat(item.n, "/", item.id); }

const PagedQuery& Ascending() {
  static const PagedQuery* query =
      new PagedQuery{.listing = "items",
                     .select = "SELECT n, id, grp FROM items",
                     .key = {{"n", KeyType::kInteger}, {"id", KeyType::kText}}};
  return *query;
}

const PagedQuery& Descending() {
  static const PagedQuery* query =
      new PagedQuery{.listing = "items",
                     .select = "SELECT n, id, grp FROM items",
                     .key = {{"n", KeyType::kInteger}, {"id", KeyType::kText}},
                     .descending = true};
  return *query;
}

SqlFilter InGroup(const std::string& grp) {
  SqlFilter where;
  where.Add("grp = ?", {grp});
  return where;
}

class PagedQueryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<Connection>> opened = Connection::Open(
        ":memory:", Connection::Role::kWriter, true, std::chrono::steady_clock::now());
    ASSERT_TRUE(opened.ok()) << opened.status();
    connection_ = *std::move(opened);
    connection_->db().exec(
        "CREATE TABLE items (n INTEGER, id TEXT, grp TEXT, PRIMARY KEY (n, id))");
  }

  void Insert(std::int64_t n, const std::string& id, const std::string& grp = "a") {
    SQLite::Statement q(connection_->db(), "INSERT INTO items (n, id, grp) VALUES (?, ?, ?)");
    q.bind(1, n);
    q.bind(2, id);
    q.bind(3, grp);
    q.exec();
  }

  absl::StatusOr<Page<Item>> List(const PagedQuery& query, SqlFilter where,
                                  const PageRequest& request) {
    return ReadPage<Item>(*connection_, query, std::move(where), request, ReadItem, KeyOf);
  }

  // Every page of `query` under `filter`, as each page's item names.
  std::vector<std::vector<std::string>> Walk(const PagedQuery& query, int page_size,
                                             const SqlFilter& filter = SqlFilter()) {
    std::vector<std::vector<std::string>> pages;
    PageRequest request{.page_size = page_size};
    do {
      absl::StatusOr<Page<Item>> page = List(query, filter, request);
      if (!page.ok()) {
        ADD_FAILURE() << page.status();
        break;
      }
      std::vector<std::string>& names = pages.emplace_back();
      for (const Item& item : page->items) names.push_back(Name(item));
      request.page_token = page->next_page_token;
    } while (!request.page_token.empty() && pages.size() < 100);
    return pages;
  }

  std::unique_ptr<Connection> connection_;
};

using Pages = std::vector<std::vector<std::string>>;

TEST_F(PagedQueryTest, PagesOfOneVisitEveryRowOnceInKeyOrder) {
  // Ties on n are broken by id; n is an integer column, so 9 comes before 10.
  for (auto [n, id] : {std::pair{10, "b"}, {9, "z"}, {10, "a"}, {-1, "m"}}) Insert(n, id);
  EXPECT_EQ(Walk(Ascending(), 1), (Pages{{"-1/m"}, {"9/z"}, {"10/a"}, {"10/b"}}));
  EXPECT_EQ(Walk(Ascending(), 3), (Pages{{"-1/m", "9/z", "10/a"}, {"10/b"}}));
}

TEST_F(PagedQueryTest, AnExactMultipleEndsWithoutAnEmptyPage) {
  for (int n = 1; n <= 6; ++n) Insert(n, "x");
  EXPECT_EQ(Walk(Ascending(), 3), (Pages{{"1/x", "2/x", "3/x"}, {"4/x", "5/x", "6/x"}}));
  EXPECT_EQ(Walk(Ascending(), 6), (Pages{{"1/x", "2/x", "3/x", "4/x", "5/x", "6/x"}}));
}

TEST_F(PagedQueryTest, AnEmptyListingIsOnePageWithoutToken) {
  absl::StatusOr<Page<Item>> page = List(Ascending(), SqlFilter(), {.page_size = 5});
  ASSERT_TRUE(page.ok()) << page.status();
  EXPECT_TRUE(page->items.empty());
  EXPECT_EQ(page->next_page_token, "");
}

TEST_F(PagedQueryTest, DescendingKeysWalkNewestFirst) {
  for (auto [n, id] : {std::pair{1, "a"}, {2, "a"}, {2, "b"}, {3, "a"}}) Insert(n, id);
  EXPECT_EQ(Walk(Descending(), 1), (Pages{{"3/a"}, {"2/b"}, {"2/a"}, {"1/a"}}));
  EXPECT_EQ(Walk(Descending(), 3), (Pages{{"3/a", "2/b", "2/a"}, {"1/a"}}));
}

TEST_F(PagedQueryTest, FiltersNarrowEveryPageAndBindTheirTokens) {
  for (int n = 1; n <= 5; ++n) Insert(n, "x", n % 2 ? "odd" : "even");
  EXPECT_EQ(Walk(Ascending(), 2, InGroup("odd")), (Pages{{"1/x", "3/x"}, {"5/x"}}));
  EXPECT_EQ(Walk(Ascending(), 1, InGroup("even")), (Pages{{"2/x"}, {"4/x"}}));

  const std::string token = List(Ascending(), InGroup("odd"), {.page_size = 1})->next_page_token;
  ASSERT_NE(token, "");
  EXPECT_TRUE(List(Ascending(), InGroup("odd"), {.page_size = 1, .page_token = token}).ok());
  EXPECT_EQ(
      List(Ascending(), InGroup("even"), {.page_size = 1, .page_token = token}).status().code(),
      absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(List(Ascending(), SqlFilter(), {.page_size = 1, .page_token = token}).status().code(),
            absl::StatusCode::kInvalidArgument);
  PagedQuery other_listing = Ascending();
  other_listing.listing = "other_items";
  EXPECT_EQ(
      List(other_listing, InGroup("odd"), {.page_size = 1, .page_token = token}).status().code(),
      absl::StatusCode::kInvalidArgument);
}

// A list filter on the first key column is cut to the ids from the page key on (SqlFilter::
// NarrowIn): every row still comes once, in key order, both ways.
TEST_F(PagedQueryTest, AListOnTheFirstKeyColumnWalksEveryRowOnce) {
  int n = 0;
  for (const char* grp : {"d", "a", "c", "b"}) {
    for (const char* id : {"y", "x"}) Insert(++n, id, grp);
  }
  auto by_group = [](bool descending) {
    return PagedQuery{.listing = "items",
                      .select = "SELECT n, id, grp FROM items",
                      .key = {{"grp", KeyType::kText}, {"id", KeyType::kText}},
                      .descending = descending};
  };
  SqlFilter groups;
  groups.AddIn("grp", {"c", "a", "d"});
  std::vector<std::string> walked;
  PageRequest request{.page_size = 1};
  for (bool descending : {false, true}) {
    request.page_token.clear();
    do {
      absl::StatusOr<Page<Item>> page = ReadPage<Item>(*connection_, by_group(descending), groups,
                                                       request, ReadItem, [](const Item& item) {
                                                         return PageKey{item.grp, item.id};
                                                       });
      ASSERT_TRUE(page.ok()) << page.status();
      for (const Item& item : page->items) walked.push_back(item.grp + item.id);
      request.page_token = page->next_page_token;
    } while (!request.page_token.empty());
  }
  EXPECT_EQ(walked, (std::vector<std::string>{"ax", "ay", "cx", "cy", "dx", "dy", "dy", "dx", "cy",
                                              "cx", "ay", "ax"}));
}

TEST_F(PagedQueryTest, BadTokensAreInvalidArgument) {
  Insert(1, "x");
  Insert(2, "x");
  const std::uint64_t digest = SqlFilter().Digest("items");
  const std::string good = List(Ascending(), SqlFilter(), {.page_size = 1})->next_page_token;
  for (const std::string& bad :
       {std::string("garbage"), std::string("!!!"), good.substr(0, good.size() - 2),
        EncodePageToken(digest, {"1"}),            // too few key parts
        EncodePageToken(digest, {"1", "x", "y"}),  // too many
        EncodePageToken(digest, {"one", "x"}),     // text where the key is an integer
        EncodePageToken(digest + 1, {"1", "x"})}) {
    EXPECT_EQ(List(Ascending(), SqlFilter(), {.page_size = 1, .page_token = bad}).status().code(),
              absl::StatusCode::kInvalidArgument)
        << bad;
  }
  EXPECT_EQ(EncodePageToken(digest, {"1", "x"}), good);
}

TEST_F(PagedQueryTest, ADeletedRowDoesNotBreakTheWalk) {
  for (int n = 1; n <= 4; ++n) Insert(n, "x");
  absl::StatusOr<Page<Item>> first = List(Ascending(), SqlFilter(), {.page_size = 2});
  ASSERT_TRUE(first.ok()) << first.status();
  connection_->db().exec("DELETE FROM items WHERE n IN (2, 3)");
  absl::StatusOr<Page<Item>> second =
      List(Ascending(), SqlFilter(), {.page_size = 2, .page_token = first->next_page_token});
  ASSERT_TRUE(second.ok()) << second.status();
  ASSERT_EQ(second->items.size(), 1u);
  EXPECT_EQ(Name(second->items[0]), "4/x");
  EXPECT_EQ(second->next_page_token, "");
}

TEST_F(PagedQueryTest, PageSizeIsClampedAndARowErrorStopsThePage) {
  for (int n = 1; n <= 3; ++n) Insert(n, "x");
  EXPECT_EQ(Walk(Ascending(), 0).size(), 3u);  // pages of 1
  int reads = 0;
  absl::StatusOr<Page<Item>> page = ReadPage<Item>(
      *connection_, Ascending(), SqlFilter(), {.page_size = 10},
      [&](SQLite::Statement& q) -> absl::StatusOr<Item> {
        if (++reads == 2) return absl::InternalError("corrupt row");
        return ReadItem(q);
      },
      KeyOf);
  EXPECT_EQ(page.status().code(), absl::StatusCode::kInternal);
  EXPECT_EQ(reads, 2);
}

TEST(PlanPageTest, BuildsTheKeysetStatement) {
  const std::uint64_t digest = InGroup("a").Digest("items");
  SqlFilter where = InGroup("a");
  absl::StatusOr<PagePlan> plan = PlanPage(Descending(), where, {.page_size = 5000});
  ASSERT_TRUE(plan.ok()) << plan.status();
  EXPECT_EQ(plan->sql,
            "SELECT n, id, grp FROM items WHERE grp = ? ORDER BY n DESC, id DESC LIMIT ?");
  EXPECT_EQ(plan->limit, 1000);
  EXPECT_EQ(plan->digest, digest);

  plan = PlanPage(Descending(), where, {.page_token = EncodePageToken(digest, {"7", "k"})});
  ASSERT_TRUE(plan.ok()) << plan.status();
  EXPECT_EQ(plan->sql,
            "SELECT n, id, grp FROM items WHERE grp = ? AND (n, id) < (?, ?) "
            "ORDER BY n DESC, id DESC LIMIT ?");
  EXPECT_EQ(plan->digest, digest) << "the digest is of the filter without the key condition";
  EXPECT_EQ(NextPageToken(*plan, PageKey{std::int64_t{7}, std::string("k")}),
            EncodePageToken(digest, {"7", "k"}));

  const PagedQuery by_id = {
      .listing = "t", .select = "SELECT id FROM t", .key = {{"id", KeyType::kText}}};
  SqlFilter none;
  plan = PlanPage(by_id, none,
                  {.page_size = 0, .page_token = EncodePageToken(none.Digest("t"), {"x"})});
  ASSERT_TRUE(plan.ok()) << plan.status();
  EXPECT_EQ(plan->sql, "SELECT id FROM t WHERE id > ? ORDER BY id LIMIT ?");
  EXPECT_EQ(plan->limit, 1);
}

TEST(PageTokenTest, IsTheDigestInHexThenLengthPrefixedPartsInWebSafeBase64) {
  EXPECT_EQ(EncodePageToken(0x1234, {"ab", "", "7"}),
            absl::WebSafeBase64Escape("00000000000012342:ab0:1:7"));
}

TEST(PageTokenTest, RoundTripsKeysWithAnyBytes) {
  const std::vector<std::string> key = {"1767225600", "id:with:colons", "", "Köln"};
  std::string token = EncodePageToken(77, key);
  EXPECT_EQ(token.find_first_of("+/="), std::string::npos) << "web-safe, unpadded: " << token;
  EXPECT_EQ(DecodePageToken(token, 77, 4).value(), key);
}

TEST(PageTokenTest, RejectsOtherDigestsShapesAndGarbage) {
  std::string token = EncodePageToken(77, {"a", "b"});
  EXPECT_EQ(DecodePageToken(token, 78, 2).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(DecodePageToken(token, 77, 1).status().code(), absl::StatusCode::kInvalidArgument);
  for (const char* bad : {"", "!!!", "AAAA", "not-a-token-at-all"}) {
    EXPECT_EQ(DecodePageToken(bad, 77, 2).status().code(), absl::StatusCode::kInvalidArgument)
        << bad;
  }
  // A truncated token does not decode to a shorter key.
  EXPECT_FALSE(DecodePageToken(token.substr(0, token.size() - 2), 77, 2).ok());
}

TEST(ClampPageSizeTest, ClampsTo1Through1000) {
  EXPECT_EQ(ClampPageSize(-1), 1);
  EXPECT_EQ(ClampPageSize(0), 1);
  EXPECT_EQ(ClampPageSize(100), 100);
  EXPECT_EQ(ClampPageSize(1001), 1000);
}

}  // namespace
}  // namespace rebook::storage::sqlite_internal
