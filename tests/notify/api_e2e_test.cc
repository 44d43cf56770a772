// NotificationService over gRPC on a real server: validation, roles and office scoping, lease
// content, delivery reports, history, listing filters, statistics, retries and send limits.
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/notify/notify_env.h"
#include "tests/support/test_server.h"

namespace rebook::notify_e2e {
namespace {

using ::rebook::testing::ViolationFields;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;
using ::testing::UnorderedElementsAre;

const domain::Contact kEmail{
    .name = "Erika Mustermann", .email = "erika@example.org", .language = "de"};
const domain::Contact kPhone{.name = "Max Mustermann", .phone = "0151 23456701", .language = "de"};

v1::LeaseMessagesRequest LeaseRequest(std::vector<std::string> channels, int max = 10) {
  v1::LeaseMessagesRequest req;
  for (const auto& c : channels) req.add_channels(c);
  req.set_max_messages(max);
  req.mutable_lease_duration()->set_seconds(30);
  req.set_worker("test-worker");
  return req;
}

grpc::Status Lease(NotifyEnv& env, const std::string& token, const v1::LeaseMessagesRequest& req,
                   v1::LeaseMessagesResponse* resp) {
  return env.Stub()->LeaseMessages(env.Context(token).get(), req, resp);
}

grpc::Status Report(NotifyEnv& env, const v1::LeasedMessage& l,
                    v1::ReportDeliveryRequest::Outcome outcome, v1::Message* out,
                    const std::string& token = "", const std::string& name = "") {
  v1::ReportDeliveryRequest req;
  req.set_name(name.empty() ? l.message().name() : name);
  req.set_lease_token(token.empty() ? l.lease_token() : token);
  req.set_outcome(outcome);
  req.set_provider_message_id("prov-9");
  req.set_reason(outcome == v1::ReportDeliveryRequest::PERMANENT_FAILURE ? "550 no such user" : "");
  return env.Stub()->ReportDelivery(env.Context("notifier").get(), req, out);
}

TEST(NotificationApiTest, LeaseIsValidatedAndNeedsANotifierForEveryOffice) {
  NotifyEnv env({.min_lease = std::chrono::seconds(5)});
  v1::LeaseMessagesResponse resp;
  EXPECT_EQ(Lease(env, "clerk-a", LeaseRequest({"email"}), &resp).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Lease(env, "notifier-a", LeaseRequest({"email"}), &resp).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  v1::LeaseMessagesRequest bad = LeaseRequest({"email", "fax"}, 0);
  bad.mutable_lease_duration()->set_seconds(2);
  grpc::Status s = Lease(env, "notifier", bad, &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolationFields(s),
              UnorderedElementsAre("channels[1]", "max_messages", "lease_duration"));
  EXPECT_THAT(ViolationFields(Lease(env, "notifier", LeaseRequest({}), &resp)),
              UnorderedElementsAre("channels"));
}

TEST(NotificationApiTest, WithoutAPublicBaseUrlNothingIsHandedOut) {
  NotifyEnv env({.public_base_url = ""});
  env.SeedOffer("a1", kEmail);
  v1::LeaseMessagesResponse resp;
  grpc::Status s = Lease(env, "notifier", LeaseRequest({"email"}), &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(s.error_message(), HasSubstr("public_base_url"));
  EXPECT_EQ(env.AllMessages()[0].state(), v1::Message::PENDING);
}

TEST(NotificationApiTest, LeaseCarriesContentAndReportsSettleIt) {
  NotifyEnv env;
  env.SeedOffer("a1", kEmail);
  v1::LeaseMessagesResponse resp;
  ASSERT_TRUE(Lease(env, "notifier", LeaseRequest({"email"}), &resp).ok());
  ASSERT_THAT(resp.messages(), SizeIs(1));
  const v1::LeasedMessage& l = resp.messages(0);
  EXPECT_EQ(l.message().state(), v1::Message::LEASED);
  EXPECT_EQ(l.message().outage(), "outages/out-1");
  EXPECT_EQ(l.message().appointment(), "offices/A/appointments/a1");
  EXPECT_EQ(l.message().offer(), "offices/A/appointments/a1/offers/1");
  EXPECT_EQ(l.message().kind(), v1::OFFER);
  EXPECT_TRUE(l.message().has_lease_expire_time());
  EXPECT_FALSE(l.lease_token().empty());
  const v1::MessageContent& c = l.content();
  EXPECT_EQ(c.recipient().email(), "erika@example.org");
  EXPECT_EQ(c.office(), "offices/B");
  EXPECT_EQ(c.office_display_name(), "Bürgerbüro B");
  EXPECT_EQ(c.time_zone(), "Europe/Berlin");
  EXPECT_EQ(c.service_display_name(), "Kfz-Zulassung");
  EXPECT_EQ(c.accept_url(), "https://termine.example.org/r/tok_a1_Zk3pQ9xW2mV7/accept");
  EXPECT_EQ(c.decline_url(), "https://termine.example.org/r/tok_a1_Zk3pQ9xW2mV7/decline");
  EXPECT_EQ(c.other_time_url(), "https://termine.example.org/r/tok_a1_Zk3pQ9xW2mV7/other");
  EXPECT_EQ(c.respond_url(), "https://termine.example.org/r/tok_a1_Zk3pQ9xW2mV7");
  EXPECT_EQ(c.response_token(), "tok_a1_Zk3pQ9xW2mV7");
  EXPECT_EQ(c.original_start_time().seconds(), 1769511000);
  EXPECT_TRUE(c.has_offer_expire_time());

  v1::Message m;
  // The name must carry the message's own office.
  const std::string foreign = absl::StrCat(
      "offices/B/messages/", l.message().name().substr(l.message().name().rfind('/') + 1));
  EXPECT_EQ(Report(env, l, v1::ReportDeliveryRequest::SENT, &m, "", foreign).error_code(),
            grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(Report(env, l, v1::ReportDeliveryRequest::SENT, &m, "lease-other").error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  ASSERT_TRUE(Report(env, l, v1::ReportDeliveryRequest::SENT, &m).ok());
  EXPECT_EQ(m.state(), v1::Message::SENT);
  EXPECT_EQ(m.provider_message_id(), "prov-9");
  EXPECT_EQ(m.history_size(), 0);  // history only in GetMessage and the citizen history
  // A repeated report (lost answer) is harmless.
  ASSERT_TRUE(Report(env, l, v1::ReportDeliveryRequest::SENT, &m).ok());
  v1::ReportDeliveryRequest empty;
  grpc::Status s = env.Stub()->ReportDelivery(env.Context("notifier").get(), empty, &m);
  EXPECT_THAT(ViolationFields(s), UnorderedElementsAre("name", "lease_token", "outcome"));
}

TEST(NotificationApiTest, ReportDeliveriesSettlesEachWithItsOwnResult) {
  NotifyEnv env;
  env.SeedOffer("a1", kEmail);
  env.SeedOffer("a2", kEmail);
  v1::LeaseMessagesResponse resp;
  ASSERT_TRUE(Lease(env, "notifier", LeaseRequest({"email"}), &resp).ok());
  ASSERT_THAT(resp.messages(), SizeIs(2));
  auto report = [](const v1::LeasedMessage& l, const std::string& token) {
    v1::ReportDeliveryRequest r;
    r.set_name(l.message().name());
    r.set_lease_token(token.empty() ? l.lease_token() : token);
    r.set_outcome(v1::ReportDeliveryRequest::SENT);
    r.set_worker("w-batch");
    return r;
  };
  v1::ReportDeliveriesRequest req;
  *req.add_reports() = report(resp.messages(0), "");
  *req.add_reports() = report(resp.messages(1), "lease-other");
  v1::ReportDeliveriesResponse out;
  auto call = [&](const std::string& token) {
    return env.Stub()->ReportDeliveries(env.Context(token).get(), req, &out);
  };
  EXPECT_EQ(call("clerk-a").error_code(), grpc::StatusCode::PERMISSION_DENIED);
  // A notifier of office A naming a message of office B: the whole call fails, nothing changes.
  v1::ReportDeliveriesRequest foreign = req;
  const std::string& own = resp.messages(0).message().name();
  foreign.mutable_reports(1)->set_name("offices/B/messages/" + own.substr(own.rfind('/') + 1));
  EXPECT_EQ(
      env.Stub()->ReportDeliveries(env.Context("notifier-a").get(), foreign, &out).error_code(),
      grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(env.GetMessage(own).state(), v1::Message::LEASED);
  ASSERT_TRUE(call("notifier").ok());
  ASSERT_THAT(out.results(), SizeIs(2));
  EXPECT_EQ(out.results(0).status().code(), 0);
  EXPECT_EQ(out.results(0).state(), v1::Message::SENT);
  EXPECT_EQ(out.results(1).status().code(),
            static_cast<int>(grpc::StatusCode::FAILED_PRECONDITION));
  EXPECT_EQ(env.GetMessage(resp.messages(0).message().name()).state(), v1::Message::SENT);
  EXPECT_EQ(env.GetMessage(resp.messages(1).message().name()).state(), v1::Message::LEASED);
  // The same call again (a lost answer): the settled report is accepted unchanged.
  ASSERT_TRUE(call("notifier").ok());
  EXPECT_EQ(out.results(0).status().code(), 0);

  v1::ReportDeliveriesRequest bad;
  bad.add_reports();
  *bad.add_reports() = report(resp.messages(0), "");
  grpc::Status s = env.Stub()->ReportDeliveries(env.Context("notifier").get(), bad, &out);
  EXPECT_THAT(ViolationFields(s), UnorderedElementsAre("reports[0].name", "reports[0].lease_token",
                                                       "reports[0].outcome"));
  EXPECT_THAT(ViolationFields(env.Stub()->ReportDeliveries(env.Context("notifier").get(),
                                                           v1::ReportDeliveriesRequest(), &out)),
              UnorderedElementsAre("reports"));
}

TEST(NotificationApiTest, OfficesSeeOnlyTheirMessages) {
  NotifyEnv env;
  env.SeedOffer("a1", kEmail);
  const std::string name = env.AllMessages()[0].name();
  auto get = [&](const std::string& token, const std::string& n) {
    v1::GetMessageRequest req;
    req.set_name(n);
    v1::Message m;
    return env.Stub()->GetMessage(env.Context(token).get(), req, &m);
  };
  EXPECT_TRUE(get("clerk-a", name).ok());
  EXPECT_EQ(get("clerk-b", name).error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(get("clerk-a", "offices/A/messages/nope").error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(get("clerk-a", "messages/x").error_code(), grpc::StatusCode::INVALID_ARGUMENT);

  auto list = [&](const std::string& token, const std::string& parent,
                  v1::ListMessagesResponse* resp) {
    v1::ListMessagesRequest req;
    req.set_parent(parent);
    return env.Stub()->ListMessages(env.Context(token).get(), req, resp);
  };
  v1::ListMessagesResponse resp;
  EXPECT_EQ(list("clerk-b", "offices/A", &resp).error_code(), grpc::StatusCode::NOT_FOUND);
  ASSERT_TRUE(list("clerk-b", "offices/-", &resp).ok());
  EXPECT_THAT(resp.messages(), IsEmpty());
  ASSERT_TRUE(list("clerk-a", "offices/-", &resp).ok());
  EXPECT_THAT(resp.messages(), SizeIs(1));

  v1::GetDeliveryStatsRequest stats_req;
  stats_req.set_outage("outages/out-1");
  v1::DeliveryStats stats;
  EXPECT_EQ(
      env.Stub()->GetDeliveryStats(env.Context("clerk-b").get(), stats_req, &stats).error_code(),
      grpc::StatusCode::NOT_FOUND);
}

TEST(NotificationApiTest, ListFiltersHistoryAndStats) {
  NotifyEnv env;
  env.SeedOffer("a1", kEmail);
  domain::Contact both = kEmail;
  both.phone = "0151 23456702";
  env.SeedOffer("a2", both);  // e-mail first, SMS as its fallback
  env.SeedOffer("a3", kPhone);
  v1::LeaseMessagesResponse leased;
  ASSERT_TRUE(Lease(env, "notifier", LeaseRequest({"email"}), &leased).ok());
  ASSERT_THAT(leased.messages(), SizeIs(2));
  v1::Message m;
  for (const auto& l : leased.messages()) {
    const bool first = l.message().appointment() == "offices/A/appointments/a1";
    ASSERT_TRUE(Report(env, l,
                       first ? v1::ReportDeliveryRequest::DELIVERED
                             : v1::ReportDeliveryRequest::PERMANENT_FAILURE,
                       &m)
                    .ok());
  }
  auto list = [&](auto&& fill) {
    v1::ListMessagesRequest req;
    req.set_parent("offices/A");
    fill(req);
    v1::ListMessagesResponse resp;
    grpc::Status s = env.Stub()->ListMessages(env.Context("clerk-a").get(), req, &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return resp;
  };
  EXPECT_THAT(list([](auto& r) { r.add_states(v1::Message::DEAD); }).messages(), SizeIs(1));
  EXPECT_THAT(list([](auto& r) { r.set_channel("sms"); }).messages(), SizeIs(2));  // a3 + fallback
  EXPECT_THAT(list([](auto& r) { r.set_outage("outages/out-1"); }).messages(), SizeIs(4));
  EXPECT_THAT(list([](auto& r) { r.set_outage("outages/other"); }).messages(), IsEmpty());
  auto paged = list([](auto& r) { r.set_page_size(3); });
  EXPECT_THAT(paged.messages(), SizeIs(3));
  EXPECT_FALSE(paged.next_page_token().empty());
  // One citizen's history: both messages with their state changes.
  auto history = list([](auto& r) { r.set_appointment("offices/A/appointments/a2"); });
  ASSERT_THAT(history.messages(), SizeIs(2));
  for (const v1::Message& h : history.messages()) EXPECT_GE(h.history_size(), 1);
  v1::ListMessagesRequest bad;
  bad.set_parent("offices/B");
  bad.set_appointment("offices/A/appointments/a2");
  bad.set_channel("fax");
  bad.add_states(v1::Message::STATE_UNSPECIFIED);
  v1::ListMessagesResponse ignored;
  EXPECT_THAT(ViolationFields(env.Stub()->ListMessages(env.Context("admin").get(), bad, &ignored)),
              UnorderedElementsAre("appointment", "channel", "states[0]"));

  v1::GetDeliveryStatsRequest stats_req;
  stats_req.set_outage("outages/out-1");
  v1::DeliveryStats stats;
  ASSERT_TRUE(env.Stub()->GetDeliveryStats(env.Context("clerk-a").get(), stats_req, &stats).ok());
  EXPECT_EQ(stats.outage(), "outages/out-1");
  std::map<std::string, std::map<std::string, std::int64_t>> rows;
  for (const auto& row : stats.rows()) {
    EXPECT_EQ(row.office(), "offices/A");
    rows[row.channel()] = {row.state_counts().begin(), row.state_counts().end()};
  }
  EXPECT_EQ(rows["email"]["DELIVERED"], 1);
  EXPECT_EQ(rows["email"]["DEAD"], 1);
  EXPECT_EQ(rows["sms"]["PENDING"], 2);
  EXPECT_EQ(stats.reached_citizens(), 1);
  EXPECT_EQ(stats.unreached_citizens(), 2);
}

TEST(NotificationApiTest, RetryMessageIsByHandAndIdempotent) {
  NotifyEnv env;
  env.SeedOffer("a1", kEmail);
  v1::LeaseMessagesResponse leased;
  ASSERT_TRUE(Lease(env, "notifier", LeaseRequest({"email"}), &leased).ok());
  v1::Message m;
  auto retry = [&](const std::string& token, const std::string& request_id, v1::Message* out) {
    v1::RetryMessageRequest req;
    req.set_name(leased.messages(0).message().name());
    req.set_request_id(request_id);
    return env.Stub()->RetryMessage(env.Context(token).get(), req, out);
  };
  EXPECT_EQ(retry("admin-a", "r-0", &m).error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  ASSERT_TRUE(
      Report(env, leased.messages(0), v1::ReportDeliveryRequest::PERMANENT_FAILURE, &m).ok());
  EXPECT_EQ(retry("notifier", "r-1", &m).error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(retry("clerk-a", "r-1", &m).error_code(), grpc::StatusCode::PERMISSION_DENIED);
  v1::Message first, second;
  ASSERT_TRUE(retry("admin-a", "r-1", &first).ok());
  EXPECT_EQ(first.state(), v1::Message::PENDING);
  EXPECT_EQ(first.history(first.history_size() - 1).worker(), "admin-a");
  EXPECT_EQ(first.history(first.history_size() - 1).from_state(), "DEAD");
  // The same request again answers the same, without a second transition.
  ASSERT_TRUE(retry("admin-a", "r-1", &second).ok());
  EXPECT_EQ(second.history_size(), first.history_size());
  EXPECT_EQ(env.GetMessage(first.name()).history_size(), first.history_size());
  // Request ids are per principal (issue 18): another principal sending "r-1" makes a new
  // call, checked like one (the message is pending now), and gets no stored answer.
  EXPECT_EQ(retry("admin", "r-1", &second).error_code(), grpc::StatusCode::FAILED_PRECONDITION);
}

TEST(NotificationApiTest, SendLimitsHoldAcrossWorkers) {
  NotifyEnv env({.limits = {{"sms", {.rate_per_second = 0.5, .burst = 2}}}});
  for (int i = 0; i < 5; ++i) env.SeedOffer(absl::StrCat("a", i), kPhone);
  int handed_out = 0;
  for (const char* worker : {"w1", "w2", "w3"}) {
    v1::LeaseMessagesRequest req = LeaseRequest({"sms"});
    req.set_worker(worker);
    v1::LeaseMessagesResponse resp;
    ASSERT_TRUE(Lease(env, "notifier", req, &resp).ok());
    handed_out += resp.messages_size();
  }
  // The burst of 2, and at most one more if a second passed between the calls.
  EXPECT_GE(handed_out, 2);
  EXPECT_LE(handed_out, 3);
  auto counts = env.StateCounts();
  EXPECT_EQ(counts[domain::MessageState::kPending], 5 - handed_out);
}

}  // namespace
}  // namespace rebook::notify_e2e
