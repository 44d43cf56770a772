// The citizens' HTTP endpoint over loopback: GET shows and never changes anything, POST acts,
// a repeated POST has no second effect, unknown and expired links are answered clearly.
#include <curl/curl.h>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "services/web/offer_web_server.h"
#include "tests/offers/halle_fixture.h"

namespace rebook::testing {
namespace {

using domain::OfferState;
using ::testing::HasSubstr;
using ::testing::Not;

struct HttpReply {
  long code = 0;
  std::string body;
  std::string headers;
};

std::size_t Append(char* data, std::size_t size, std::size_t n, void* out) {
  static_cast<std::string*>(out)->append(data, size * n);
  return size * n;
}

// GET, or POST of `form`; with `content_type`, POST of the raw `raw_body` with that type.
HttpReply Http(const std::string& url, const std::string* form = nullptr,
               const char* content_type = nullptr, const std::string& raw_body = "") {
  HttpReply r;
  CURL* c = curl_easy_init();
  curl_slist* headers = nullptr;
  if (content_type != nullptr) {
    headers = curl_slist_append(headers, absl::StrCat("Content-Type: ", content_type).c_str());
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, static_cast<long>(raw_body.size()));
    curl_easy_setopt(c, CURLOPT_COPYPOSTFIELDS, raw_body.data());
  }
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, &Append);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &r.body);
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, &Append);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, &r.headers);
  curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
  if (form != nullptr && content_type == nullptr) {
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, static_cast<long>(form->size()));
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, form->data());
  }
  if (curl_easy_perform(c) == CURLE_OK) curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r.code);
  curl_easy_cleanup(c);
  curl_slist_free_all(headers);
  return r;
}

class WebTest : public HalleTest {
 protected:
  void SetUp() override {
    HalleTest::SetUp();
    auto web = web::OfferWebServer::Start({}, &server_.store(), &server_.clock(), &ids_, &outbox_,
                                          &policy_);
    ASSERT_TRUE(web.ok()) << web.status();
    web_ = std::move(*web);
    base_ = "http://127.0.0.1:" + std::to_string(web_->port());
  }
  std::string Url(const domain::Offer& o, const std::string& action = "") {
    return base_ + "/r/" + o.token + (action.empty() ? "" : "/" + action) + "?lang=de";
  }

  RandomIdGenerator ids_{7};
  rebooking::OutboxPolicy outbox_;
  rebooking::OfferPolicy policy_;
  std::unique_ptr<web::OfferWebServer> web_;
  std::string base_;
};

TEST_F(WebTest, GetShowsPostActsWrongAndExpiredLinksAreRefused) {
  PlanAndCommit();
  std::vector<domain::Offer> open = Offers(OfferState::kOpen);
  ASSERT_GT(open.size(), 10u);

  // GET: the page with every choice; the link of one choice only shows its button. Nothing
  // changes, however often link scanners fetch it.
  HttpReply page = Http(Url(open[0]));
  EXPECT_EQ(page.code, 200);
  EXPECT_THAT(page.body, HasSubstr("Ihr neuer Termin"));
  EXPECT_THAT(page.body, HasSubstr("Bürgerservicezentrum"));
  EXPECT_THAT(page.body, HasSubstr("action=\"/r/" + open[0].token + "/accept\""));
  EXPECT_THAT(page.body, HasSubstr("method=\"post\""));
  EXPECT_THAT(page.headers, HasSubstr("Cache-Control: no-store"));
  EXPECT_THAT(page.headers, HasSubstr("Referrer-Policy: no-referrer"));
  HttpReply accept_page = Http(Url(open[0], "accept"));
  EXPECT_EQ(accept_page.code, 200);
  EXPECT_THAT(accept_page.body, Not(HasSubstr("/decline\"")));
  EXPECT_EQ(Http(Url(open[0], "decline")).code, 200);
  EXPECT_EQ(Offers(OfferState::kOpen).size(), open.size()) << "a GET changed something";
  EXPECT_THAT(Http(base_ + "/r/" + open[0].token + "?lang=en").body,
              HasSubstr("Your new appointment"));
  // "Why this slot?", short, for the citizen: Halle's first days are full, so offers past them
  // say why nothing earlier was free.
  int explained = 0;
  for (std::size_t i = 1; i < open.size() && i < 12; ++i) {
    const std::string body = Http(Url(open[i])).body;
    if (body.find("<p class=\"note\" id=\"why\">Früher war kein Termin frei, weil ") !=
        std::string::npos) {
      ++explained;
    }
  }
  EXPECT_GT(explained, 0);

  // POST acts, once.
  std::string empty;
  HttpReply accepted = Http(Url(open[0], "accept"), &empty);
  EXPECT_EQ(accepted.code, 200);
  EXPECT_EQ(Appointment(open[0].appointment_id).status, domain::AppointmentStatus::kConfirmed);
  HttpReply again = Http(Url(open[0], "accept"), &empty);
  EXPECT_EQ(again.code, 200);
  EXPECT_THAT(again.body, HasSubstr("bereits"));
  EXPECT_EQ(Http(Url(open[0], "decline"), &empty).code, 409);

  // An alternative from the "other time" form.
  const domain::Offer* with_alt = nullptr;
  for (const auto& o : open) {
    if (o.appointment_id != open[0].appointment_id && !o.alternatives.empty()) with_alt = &o;
  }
  ASSERT_NE(with_alt, nullptr);
  std::string pick = "alternative=0";
  EXPECT_EQ(Http(Url(*with_alt, "other"), &pick).code, 200);
  for (const auto& o : Offers(OfferState::kAccepted)) {
    if (o.appointment_id == with_alt->appointment_id) {
      EXPECT_EQ(o.HeldSlot(), o.alternatives[0]);
    }
  }

  // Other time with the citizen's unavailable times (office-local date-times).
  std::string form = "from1=2026-02-02T00%3A00&to1=2026-02-03T00%3A00";
  EXPECT_EQ(Http(Url(open[2], "other"), &form).code, 200);
  domain::Appointment other = Appointment(open[2].appointment_id);
  EXPECT_EQ(other.status, domain::AppointmentStatus::kDeclined);
  ASSERT_FALSE(other.unavailable.empty());
  std::string half = "from1=2026-02-02T00%3A00";
  EXPECT_EQ(Http(Url(open[3], "other"), &half).code, 400);
  EXPECT_EQ(Appointment(open[3].appointment_id).status, domain::AppointmentStatus::kOffered);

  // A body that is not one of our forms is refused, not read as "accept" (issue 18).
  for (const std::string& garbage :
       {std::string("\x01\x02garbage"), std::string("decision=decline"),
        std::string("alternative=0&accept=yes")}) {
    HttpReply refused = Http(Url(open[6], "accept"), &garbage);
    EXPECT_EQ(refused.code, 400) << garbage;
  }
  HttpReply binary = Http(Url(open[6], "accept"), &empty, "application/octet-stream", "\x7f\x00!");
  EXPECT_EQ(binary.code, 400);
  EXPECT_EQ(Appointment(open[6].appointment_id).status, domain::AppointmentStatus::kOffered);

  // Wrong tokens, wrong methods, expired offers.
  EXPECT_EQ(Http(base_ + "/r/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA").code, 404);
  EXPECT_EQ(Http(base_ + "/r/AAAAAAAAAAAAAAAAAAAAAAAAA/accept", &empty).code, 404);
  EXPECT_EQ(Http(base_ + "/elsewhere").code, 404);
  EXPECT_EQ(Http(Url(open[4]), &empty).code, 405);
  EXPECT_EQ(Http(base_ + "/healthz").body, "ok\n");
  // Past every hold: 48 h on digital channels, 7 days for letters.
  server_.clock().Advance(std::chrono::hours(7 * 24 + 1));
  HttpReply late = Http(Url(open[5], "accept"), &empty);
  EXPECT_EQ(late.code, 409);
  // In the page's language (German here), not the server's English status message.
  EXPECT_THAT(late.body, HasSubstr("abgelaufen"));
  EXPECT_THAT(late.body, Not(HasSubstr("expired")));
  EXPECT_EQ(Appointment(open[5].appointment_id).status, domain::AppointmentStatus::kOffered);
  CheckInvariants("web answers");
}

}  // namespace
}  // namespace rebook::testing
