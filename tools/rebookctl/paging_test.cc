#include "tools/rebookctl/paging.h"

#include <string>

#include "gtest/gtest.h"
#include "rebook/v1/outages.pb.h"

namespace rebook::ctl {
namespace {

namespace v1 = ::rebook::v1;

// A server holding `n` outages that answers pages of at most `server_max` rows.
struct FakeServer {
  int n = 0;
  int server_max = 50;
  int calls = 0;
  int last_page_size = 0;
  grpc::Status List(const v1::ListOutagesRequest& req, v1::ListOutagesResponse* page) {
    ++calls;
    last_page_size = req.page_size();
    int start = req.page_token().empty() ? 0 : std::stoi(req.page_token());
    int end = std::min(n, start + std::min(req.page_size(), server_max));
    for (int i = start; i < end; ++i) page->add_outages()->set_name("outages/" + std::to_string(i));
    if (end < n) page->set_next_page_token(std::to_string(end));
    return grpc::Status::OK;
  }
};

v1::ListOutagesResponse ListFrom(FakeServer& server, int limit, grpc::Status* status = nullptr) {
  v1::ListOutagesResponse all;
  grpc::Status s = ListAll(
      v1::ListOutagesRequest(), limit,
      [&](const v1::ListOutagesRequest& r, v1::ListOutagesResponse* p) {
        return server.List(r, p);
      },
      [](v1::ListOutagesResponse* r) { return r->mutable_outages(); }, &all);
  if (status != nullptr) *status = s;
  return all;
}

TEST(PagingTest, FollowsEveryPageWithoutALimit) {
  FakeServer server{.n = 123, .server_max = 50};
  v1::ListOutagesResponse all = ListFrom(server, kNoLimit);
  ASSERT_EQ(all.outages_size(), 123);
  EXPECT_EQ(all.outages(0).name(), "outages/0");
  EXPECT_EQ(all.outages(122).name(), "outages/122");
  EXPECT_TRUE(all.next_page_token().empty());
  EXPECT_EQ(server.calls, 3);
}

TEST(PagingTest, TheLimitCutsAcrossPages) {
  FakeServer server{.n = 123, .server_max = 50};
  EXPECT_EQ(ListFrom(server, 70).outages_size(), 70);
  EXPECT_EQ(server.calls, 2);
  FakeServer small{.n = 123, .server_max = 50};
  EXPECT_EQ(ListFrom(small, 5).outages_size(), 5);
  EXPECT_EQ(small.calls, 1);
  EXPECT_EQ(small.last_page_size, 5);
  FakeServer few{.n = 3};
  EXPECT_EQ(ListFrom(few, 10).outages_size(), 3);
  FakeServer none{.n = 0};
  EXPECT_EQ(ListFrom(none, kNoLimit).outages_size(), 0);
}

TEST(PagingTest, AFailedPageIsReturned) {
  v1::ListOutagesResponse all;
  grpc::Status s = ListAll(
      v1::ListOutagesRequest(), kNoLimit,
      [](const v1::ListOutagesRequest&, v1::ListOutagesResponse*) {
        return grpc::Status(grpc::StatusCode::NOT_FOUND, "gone");
      },
      [](v1::ListOutagesResponse* r) { return r->mutable_outages(); }, &all);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND);
}

}  // namespace
}  // namespace rebook::ctl
