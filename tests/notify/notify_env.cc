#include "tests/notify/notify_env.h"

#include <cstdlib>
#include <fstream>
#include <thread>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "services/common/status_macros.h"
#include "services/rebooking/outbox.h"

namespace rebook::notify_e2e {
namespace {

// 2026-01-27T10:50:00Z, when the power failed in Halle; offers are for two days later.
const Instant kOutageStart{std::chrono::seconds(1769511000)};

std::pair<domain::Appointment, domain::Offer> MakeOffer(const std::string& id,
                                                        const domain::Contact& contact,
                                                        Instant now) {
  domain::Appointment a;
  a.id = id;
  a.office_id = "A";
  a.service_id = "kfz";
  a.original_start = kOutageStart;
  a.contact = contact;
  a.status = domain::AppointmentStatus::kOffered;
  a.outage_id = "out-1";
  domain::Offer o;
  o.appointment_id = id;
  o.office_id = "A";
  o.version = 1;
  o.outage_id = "out-1";
  o.plan_id = "p-1";
  const Instant start = kOutageStart + std::chrono::hours(48) + std::chrono::minutes(40);
  o.slot = {.office_id = "B", .clerk_id = "kb", .time = {start, start + std::chrono::minutes(15)}};
  o.token = absl::StrCat("tok_", id, "_Zk3pQ9xW2mV7");
  o.create_time = now;
  o.expire_time = now + std::chrono::hours(48);
  return {a, o};
}

}  // namespace

NotifyEnv::NotifyEnv(EnvOptions options) : options_(std::move(options)) {
  api::ServerOptions server_options;
  server_options.outbox = options_.policy;
  server_options.notifications.public_base_url = options_.public_base_url;
  server_options.notifications.limits = options_.limits;
  server_options.notifications.min_lease = options_.min_lease;
  auto rebookd = testing::LocalRebookd::Start(
      {.server = std::move(server_options),
       .principals = {{"admin", "admin", "*"},
                      {"notifier", "notifier", "*"},
                      {"notifier-a", "notifier", "A"},
                      {"clerk-a", "clerk", "A"},
                      {"clerk-b", "clerk", "B"},
                      {"admin-a", "office_admin", "A"}},
       .clock = &SystemClock::Instance(),
       .ids = &ids_,
       .seed =
           [](storage::Store& store) {
             return store.Write({}, [&](storage::Transaction& tx) -> absl::Status {
               for (const char* id : {"A", "B"}) {
                 REBOOK_RETURN_IF_ERROR(tx.PutOffice(
                     {.id = id,
                      .name = absl::StrCat("Bürgerbüro ", id),
                      .state = "DE-ST",
                      .address = absl::StrCat("Marktplatz ", id, "\n06108 Halle (Saale)")}));
               }
               REBOOK_RETURN_IF_ERROR(tx.PutService({.id = "kfz", .name = "Kfz-Zulassung"}));
               return tx.PutOutage({.id = "out-1",
                                    .office_ids = {"A"},
                                    .window = {kOutageStart, kOutageStart + std::chrono::hours(5)},
                                    .cause = "power failure",
                                    .declare_time = kOutageStart});
             });
           },
       .folder_prefix = "rebook-notify"});
  // Without a server every test would crash on its first call: stop here with the reason.
  if (!rebookd.ok()) {
    ADD_FAILURE() << rebookd.status();
    std::abort();
  }
  rebookd_ = std::move(*rebookd);
}

std::unique_ptr<v1::NotificationService::Stub> NotifyEnv::Stub() const {
  return v1::NotificationService::NewStub(channel());
}

void NotifyEnv::SeedOffer(const std::string& id, const domain::Contact& contact) {
  const Instant now = SystemClock::Instance().Now();
  auto [a, o] = MakeOffer(id, contact, now);
  absl::Status s = store().Write({}, [&, &a = a, &o = o](storage::Transaction& tx) -> absl::Status {
    REBOOK_RETURN_IF_ERROR(tx.InsertAppointments({&a, 1}));
    REBOOK_RETURN_IF_ERROR(tx.PutOffer(o));
    return rebooking::QueueMessage(tx, options_.policy, a, o, domain::MessageKind::kOffer, "", now,
                                   ids_);
  });
  ASSERT_TRUE(s.ok()) << s;
}

void NotifyEnv::SeedOffers(const std::string& prefix, int count, const domain::Contact& contact) {
  const Instant now = SystemClock::Instance().Now();
  std::vector<domain::Appointment> appointments;
  std::vector<domain::Offer> offers;
  for (int i = 0; i < count; ++i) {
    char id[64];
    std::snprintf(id, sizeof(id), "%s-%05d", prefix.c_str(), i);
    auto [a, o] = MakeOffer(id, contact, now);
    appointments.push_back(std::move(a));
    offers.push_back(std::move(o));
  }
  absl::Status s = store().Write({}, [&](storage::Transaction& tx) -> absl::Status {
    REBOOK_RETURN_IF_ERROR(tx.InsertAppointments(appointments));
    for (std::size_t i = 0; i < offers.size(); ++i) {
      REBOOK_RETURN_IF_ERROR(tx.PutOffer(offers[i]));
      REBOOK_RETURN_IF_ERROR(rebooking::QueueMessage(tx, options_.policy, appointments[i],
                                                     offers[i], domain::MessageKind::kOffer, "",
                                                     now, ids_));
    }
    return absl::OkStatus();
  });
  ASSERT_TRUE(s.ok()) << s;
}

std::string NotifyEnv::WriteFile(const std::string& name, const std::string& text) const {
  const std::string path = (dir() / name).string();
  std::ofstream(path) << text;
  return path;
}

std::vector<std::string> NotifyEnv::NotifierArgs(const std::string& config,
                                                 const std::vector<std::string>& extra) const {
  // Built outside the braced list: GCC 12 at -O2 reports a string concatenation inside a
  // std::initializer_list<std::string> as out of bounds (-Warray-bounds false positive).
  const std::string templates = absl::StrCat(REBOOK_TEST_SOURCE_DIR, "/services/notify/templates");
  std::vector<std::string> args = {BinaryPath("rebook-notifier"),
                                   "--server",
                                   address(),
                                   "--token",
                                   "notifier",
                                   "--channel-config",
                                   config,
                                   "--templates",
                                   templates};
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

std::vector<v1::Message> NotifyEnv::AllMessages(const std::string& appointment) const {
  std::vector<v1::Message> out;
  auto stub = Stub();
  v1::ListMessagesRequest req;
  req.set_parent("offices/-");
  req.set_appointment(appointment);
  req.set_page_size(1000);
  for (int page = 0; page < 100; ++page) {
    v1::ListMessagesResponse resp;
    grpc::Status s = stub->ListMessages(Context("admin").get(), req, &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
    if (!s.ok()) break;
    out.insert(out.end(), resp.messages().begin(), resp.messages().end());
    if (resp.next_page_token().empty()) break;
    req.set_page_token(resp.next_page_token());
  }
  return out;
}

v1::Message NotifyEnv::GetMessage(const std::string& name) const {
  v1::GetMessageRequest req;
  req.set_name(name);
  v1::Message m;
  grpc::Status s = Stub()->GetMessage(Context("admin").get(), req, &m);
  EXPECT_TRUE(s.ok()) << s.error_message();
  return m;
}

std::map<domain::MessageState, int> NotifyEnv::StateCounts() {
  std::map<domain::MessageState, int> counts;
  absl::Status s = store().Read({}, [&](storage::Transaction& tx) {
    return tx.ScanMessages({}, [&](const domain::OutboxMessage& m) { ++counts[m.state]; });
  });
  EXPECT_TRUE(s.ok()) << s;
  return counts;
}

bool WaitFor(std::chrono::milliseconds timeout, const std::function<bool()>& done) {
  const auto until = std::chrono::steady_clock::now() + timeout;
  while (true) {
    if (done()) return true;
    if (std::chrono::steady_clock::now() >= until) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

}  // namespace rebook::notify_e2e
