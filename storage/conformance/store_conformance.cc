#include "storage/conformance/store_conformance.h"

#include <filesystem>
#include <sstream>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/common/status_macros.h"
#include "services/domain/local_time.h"
#include "testing/files.h"

namespace rebook::storage::conformance {

std::string StoreBackendName(const ::testing::TestParamInfo<StoreBackend>& info) {
  return info.param.name;
}

void PrintTo(const StoreBackend& backend, std::ostream* os) { *os << backend.name; }

void StoreConformanceTest::SetUp() {
  if (!GetParam().skip_reason.empty()) GTEST_SKIP() << GetParam().skip_reason;
  dir_ = ::rebook::testing::MakeTempDir("rebook-store");
  absl::StatusOr<std::unique_ptr<Store>> store = GetParam().create(dir_);
  ASSERT_TRUE(store.ok()) << store.status();
  store_ = *std::move(store);
}

void StoreConformanceTest::TearDown() {
  store_.reset();
  if (!dir_.empty()) {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
}

absl::Status StoreConformanceTest::Write(absl::FunctionRef<absl::Status(Transaction&)> fn) {
  return store_->Write({}, fn);
}

absl::Status StoreConformanceTest::Read(absl::FunctionRef<absl::Status(Transaction&)> fn) {
  return store_->Read({}, fn);
}

void StoreConformanceTest::SeedWorld() {
  REBOOK_ASSERT_OK(Write([](Transaction& tx) -> absl::Status {
    for (const char* id : {"o1", "o2", "o3"}) {
      if (absl::Status s = tx.PutOffice(MakeOffice(id)); !s.ok()) return s;
    }
    for (const char* id : {"s1", "s2"}) {
      if (absl::Status s = tx.PutService(MakeService(id)); !s.ok()) return s;
    }
    if (absl::Status s = tx.PutClerk(MakeClerk("c1", "o1", {"s1", "s2"})); !s.ok()) return s;
    return tx.PutClerk(MakeClerk("c2", "o2", {"s2"}));
  }));
}

void StoreConformanceTest::InsertOrDie(const std::vector<domain::Appointment>& appointments) {
  REBOOK_ASSERT_OK(Write([&](Transaction& tx) { return tx.InsertAppointments(appointments); }));
}

Instant At(int day, int hour, int minute) {
  using namespace std::chrono;
  return Instant(date::sys_days(date::year(2026) / 3 / day)) + hours(hour) + minutes(minute);
}

domain::Office MakeOffice(const std::string& id) {
  return {.id = id,
          .name = absl::StrCat("Bürgeramt Köln-Süd ", id, " — Öffnungszeiten ✓"),
          .state = "DE-NW",
          .time_zone = "Europe/Berlin",
          .address = absl::StrCat("Straße der Einheit ", id.size(), ", 50667 Köln"),
          .offer_ttl = std::chrono::hours(36) + std::chrono::seconds(7)};
}

domain::Service MakeService(const std::string& id) {
  return {.id = id,
          .name = absl::StrCat("Führerschein ", id),
          .category = domain::ServiceCategory::kVehicleRegistration,
          .duration_min = 25};
}

domain::Clerk MakeClerk(const std::string& id, const std::string& home_office,
                        std::vector<std::string> skills) {
  return {.id = id,
          .name = absl::StrCat("Zoë Ağaoğlu ", id),
          .skills = std::move(skills),
          .home_office_id = home_office};
}

domain::Shift MakeShift(const std::string& office_id, const std::string& id,
                        const std::string& clerk_id, Instant start, Instant end) {
  return {.id = id,
          .clerk_id = clerk_id,
          .office_id = office_id,
          .time = {start, end},
          .kind = domain::ShiftKind::kOvertime};
}

domain::Appointment MakeAppointment(const std::string& id, const std::string& office_id,
                                    const std::string& service_id, Instant original_start) {
  domain::Appointment a;
  a.id = id;
  a.office_id = office_id;
  a.service_id = service_id;
  a.original_start = original_start;
  a.earliest_start = original_start + std::chrono::hours(1);
  a.deadline = original_start + std::chrono::hours(24 * 14);
  a.priority = 7;
  a.cases = 2;
  a.allowed_offices = {office_id, "o,with\\odd:chars", "o3"};
  a.unavailable = {{At(10, 8), At(10, 12)}, {At(11, 14, 30), At(11, 18)}};
  a.kind = domain::AppointmentKind::kWalkIn;
  a.contact = {.name = absl::StrCat("Jürgen Müller-Łukasiewicz ", id),
               .phone = "+49 221 1234567",
               .email = "jürgen@example.de",
               .postal_address = "Hauptstraße 1\n50667 Köln",
               .language = "tr",
               .channel = "sms"};
  a.status = domain::AppointmentStatus::kBooked;
  a.outage_id = "";
  a.status_reason = "imported";
  a.create_time = At(1, 7, 15);
  a.update_time = At(1, 7, 16);
  return a;
}

domain::Outage MakeOutage(const std::string& id, std::vector<std::string> office_ids) {
  domain::Outage o;
  o.id = id;
  o.office_ids = std::move(office_ids);
  o.window = {At(2, 8), At(2, 16)};
  o.cause = "Stromausfall im Rechenzentrum ⚡";
  o.state = domain::OutageState::kClosed;
  o.declare_time = At(2, 8, 5);
  o.close_time = At(2, 17);
  o.close_reason = "Strom wieder da";
  o.cancelled_appointments = 1234;
  return o;
}

bool SameAppointment(const domain::Appointment& a, const domain::Appointment& b) {
  auto lifecycle = [](const domain::Appointment& x) {
    return std::tie(x.status, x.outage_id, x.status_reason, x.create_time, x.update_time,
                    x.rebooked_slot, x.held_slot);
  };
  return a.id == b.id && a.office_id == b.office_id && a.service_id == b.service_id &&
         a.original_start == b.original_start && a.earliest_start == b.earliest_start &&
         a.deadline == b.deadline && a.priority == b.priority && a.cases == b.cases &&
         a.allowed_offices == b.allowed_offices && a.unavailable == b.unavailable &&
         a.kind == b.kind && a.contact == b.contact && lifecycle(a) == lifecycle(b);
}

std::vector<std::string> Matching(Store& store, const AppointmentFilter& filter) {
  std::vector<std::string> listed;
  std::vector<std::string> scanned;
  std::int64_t count = -1;
  EXPECT_THAT(
      store.Read({},
                 [&](Transaction& tx) -> absl::Status {
                   REBOOK_ASSIGN_OR_RETURN(Page<domain::Appointment> page,
                                           tx.ListAppointments(filter, {.page_size = 1000}));
                   EXPECT_EQ(page.next_page_token, "");
                   listed = Ids(page.items);
                   REBOOK_RETURN_IF_ERROR(tx.ScanAppointments(
                       filter, [&](const domain::Appointment& a) { scanned.push_back(a.id); }));
                   REBOOK_ASSIGN_OR_RETURN(count, tx.CountAppointments(filter));
                   return absl::OkStatus();
                 }),
      StatusIs(absl::StatusCode::kOk));
  EXPECT_EQ(listed, scanned);
  EXPECT_EQ(count, static_cast<std::int64_t>(listed.size()));
  return listed;
}

bool SameOutage(const domain::Outage& a, const domain::Outage& b) {
  return a.id == b.id && a.office_ids == b.office_ids && a.window == b.window &&
         a.cause == b.cause && a.state == b.state && a.declare_time == b.declare_time &&
         a.close_time == b.close_time && a.close_reason == b.close_reason &&
         a.cancelled_appointments == b.cancelled_appointments;
}

std::string UtcText(Instant t) { return domain::FormatUtc(t); }
std::string UtcText(const std::optional<Instant>& t) { return t ? UtcText(*t) : "unset"; }

namespace {
std::string Slot(const domain::ScheduledSlot& s) {
  return absl::StrCat(s.office_id, "/", s.clerk_id, "@", UtcText(s.time.start), "-",
                      UtcText(s.time.end));
}
std::string Slots(const domain::Appointment& a) {
  std::string out = " rebooked=";
  if (a.rebooked_slot) {
    absl::StrAppend(&out, Slot(a.rebooked_slot->slot), " via ",
                    std::string(domain::ToString(a.rebooked_slot->confirmed_via)), " at ",
                    UtcText(a.rebooked_slot->confirm_time));
  } else {
    out += "unset";
  }
  absl::StrAppend(&out, " held=", a.held_slot ? Slot(*a.held_slot) : std::string("unset"));
  return out;
}
}  // namespace

std::string Describe(const domain::Appointment& a) {
  std::vector<std::string> unavailable;
  for (const auto& i : a.unavailable)
    unavailable.push_back(absl::StrCat(UtcText(i.start), "/", UtcText(i.end)));
  return absl::StrCat(
      "{id=", a.id, " office=", a.office_id, " service=", a.service_id,
      " start=", UtcText(a.original_start), " earliest=", UtcText(a.earliest_start),
      " deadline=", UtcText(a.deadline), " priority=", a.priority, " cases=", a.cases, " allowed=[",
      absl::StrJoin(a.allowed_offices, "|"), "] unavailable=[", absl::StrJoin(unavailable, "|"),
      "] kind=", std::string(domain::ToString(a.kind)), " contact={", a.contact.name, ";",
      a.contact.phone, ";", a.contact.email, ";", a.contact.postal_address, ";", a.contact.language,
      ";", a.contact.channel, "} status=", std::string(domain::ToString(a.status)),
      " outage=", a.outage_id, " reason=", a.status_reason, " created=", UtcText(a.create_time),
      " updated=", UtcText(a.update_time), Slots(a), "}");
}

std::string Describe(const domain::Outage& o) {
  return absl::StrCat("{id=", o.id, " offices=[", absl::StrJoin(o.office_ids, "|"),
                      "] window=", UtcText(o.window.start), "/", UtcText(o.window.end),
                      " cause=", o.cause, " state=", std::string(domain::ToString(o.state)),
                      " declared=", UtcText(o.declare_time), " closed=", UtcText(o.close_time),
                      " close_reason=", o.close_reason, " cancelled=", o.cancelled_appointments,
                      "}");
}

}  // namespace rebook::storage::conformance
