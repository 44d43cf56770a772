#include "services/web/offer_request.h"

#include <string>

#include "gtest/gtest.h"

namespace rebook::web {
namespace {

TEST(ParseRouteTest, ReadsTokenAndAction) {
  Route show = ParseRoute("/r/AbCd_-1234");
  EXPECT_TRUE(show.ok);
  EXPECT_EQ(show.token, "AbCd_-1234");
  EXPECT_EQ(show.action, Action::kShow);
  EXPECT_EQ(ParseRoute("/r/AbCd_-1234/accept").action, Action::kAccept);
  EXPECT_EQ(ParseRoute("/r/AbCd_-1234/decline").action, Action::kDecline);
  EXPECT_EQ(ParseRoute("/r/AbCd_-1234/other").action, Action::kOtherTime);
}

TEST(ParseRouteTest, RefusesOtherPaths) {
  for (const char* path : {"", "/", "/r/", "/r/short", "/x/AbCd_-1234", "/r/AbCd.1234",
                           "/r/AbCd_-1234/", "/r/AbCd_-1234/accept/", "/r/AbCd_-1234/other/x"}) {
    EXPECT_FALSE(ParseRoute(path).ok) << path;
  }
  EXPECT_FALSE(ParseRoute("/r/" + std::string(129, 'a')).ok);
  EXPECT_TRUE(ParseRoute("/r/" + std::string(128, 'a')).ok);
}

ResponseForm Form(std::initializer_list<std::pair<const char*, const char*>> fields) {
  ResponseForm form;
  for (const auto& [key, value] : fields) {
    form.body_bytes += 1;
    EXPECT_TRUE(AddFormPiece(form, key, value));
  }
  return form;
}

TEST(ReadResponseTest, EmptyFormAcceptsTheOffer) {
  absl::StatusOr<rebooking::OfferResponse> r = ReadResponse(Action::kAccept, ResponseForm{});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->kind, rebooking::ResponseKind::kAccept);
  EXPECT_EQ(r->channel, "link");
  EXPECT_FALSE(r->alternative_index.has_value());
}

TEST(ReadResponseTest, ReadsAlternativeExceptForDecline) {
  ResponseForm form = Form({{"alternative", "2"}});
  EXPECT_EQ(ReadResponse(Action::kAccept, form)->alternative_index, 2);
  EXPECT_FALSE(ReadResponse(Action::kDecline, form)->alternative_index.has_value());
  EXPECT_EQ(ReadResponse(Action::kAccept, Form({{"alternative", "two"}})).status().message(),
            "the chosen alternative is not valid");
}

TEST(ReadResponseTest, RefusesUnknownFieldsUnreadableAndLargeBodies) {
  EXPECT_FALSE(ReadResponse(Action::kAccept, Form({{"accept", "1"}})).ok());
  ResponseForm unreadable;
  unreadable.body_bytes = 10;
  EXPECT_FALSE(ReadResponse(Action::kAccept, unreadable).ok());
  ResponseForm large;
  EXPECT_FALSE(AddFormPiece(large, "from1", std::string(ResponseForm::kMaxFormBytes, '1')));
  EXPECT_TRUE(large.too_large);
  EXPECT_EQ(ReadResponse(Action::kAccept, large).status().message(), "the form is too large");
}

TEST(ReadUnavailableTest, ReadsLocalTimesInTheOfficeZone) {
  ResponseForm form = Form({{"from1", "2026-03-02T08:00"}, {"to1", "2026-03-02T12:00"}});
  rebooking::OfferResponse r;
  ASSERT_TRUE(ReadUnavailable(form, "Europe/Berlin", r).ok());
  ASSERT_EQ(r.unavailable.size(), 1u);
  EXPECT_EQ(r.unavailable[0].start.time_since_epoch().count(), 1772434800);  // 07:00 UTC
  EXPECT_EQ((r.unavailable[0].end - r.unavailable[0].start).count(), 4 * 3600);
}

TEST(ReadUnavailableTest, RefusesHalfIntervalsAndBadTimes) {
  rebooking::OfferResponse r;
  EXPECT_FALSE(ReadUnavailable(Form({{"from1", "2026-03-02T08:00"}}), "UTC", r).ok());
  EXPECT_FALSE(
      ReadUnavailable(Form({{"from2", "tomorrow"}, {"to2", "2026-03-02T12:00"}}), "UTC", r).ok());
  EXPECT_TRUE(r.unavailable.empty());
}

}  // namespace
}  // namespace rebook::web
