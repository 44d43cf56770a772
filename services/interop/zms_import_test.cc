#include "services/interop/zms_import.h"

#include <algorithm>

#include "absl/strings/str_replace.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/domain/local_time.h"

namespace rebook::interop {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// Scope 141 as an envelope record with contact; 142 with only a provider.
constexpr char kScopes[] = R"({"meta": {"error": false, "length": 2}, "data": [
  {"id": "141", "shortName": "Zentrale", "contact": {"name": "Bürgeramt Mitte",
   "street": "Karl-Marx-Allee", "streetNumber": "31", "postalCode": "10178", "city": "Berlin"},
   "provider": {"id": 122280, "source": "dldb", "name": "Bürgeramt Mitte"}},
  {"id": 142, "shortName": "", "provider": {"id": "122281", "source": "dldb",
   "name": "Bürgeramt Wedding"}}]})";

// Bare array; ZMS's own lenient shapes: numbers as strings, HH:MM:SS, weekday bits, {id}.
constexpr char kAvailabilities[] = R"([
  {"id": "1", "type": "appointment", "scope": {"id": "141"},
   "weekday": {"sunday": "0", "monday": "0", "tuesday": "0", "wednesday": "8", "thursday": "16",
               "friday": "0", "saturday": "0"},
   "repeat": {"afterWeeks": "1", "weekOfMonth": "0"},
   "workstationCount": {"public": "1", "callcenter": "0", "intern": "2"},
   "slotTimeInMinutes": "10", "startDate": 1769986800, "endDate": 1774911600,
   "startTime": "08:00:00", "endTime": "12:00:00"},
  {"id": 2, "type": "appointment", "scope": {"id": 142},
   "weekday": {"wednesday": true}, "workstationCount": {"intern": 1, "public": 3},
   "slotTimeInMinutes": 15, "startDate": 1769986800, "endDate": 1774911600,
   "startTime": "9:00", "endTime": "13:00"},
  {"id": 3, "type": "openinghours", "scope": {"id": 141}, "weekday": {"monday": true},
   "workstationCount": {"intern": 1},
   "startDate": 1769986800, "endDate": 1774911600, "startTime": "07:00", "endTime": "18:00"}
])";

constexpr char kProcesses[] = R"({"meta": {"error": false}, "data": [
  {"id": 100001, "status": "confirmed",
   "appointments": [{"date": 1772607600, "slotCount": "2", "scope": {"id": 141}}],
   "requests": [{"id": "120335", "name": "Abmeldung einer Wohnung", "source": "dldb"}],
   "clients": [{"familyName": "Max Muster", "email": "max@example.org", "telephone": "030 115"}]},
  {"id": "100002", "status": "confirmed", "scope": {"id": "142"},
   "appointments": [{"date": "1772613000", "slotCount": 2}],
   "requests": [{"id": 120703, "name": "Reisepass", "source": "dldb", "timeSlotCount": "2"}],
   "clients": [{"familyName": "Ayşe Yılmaz", "language": "tr"}]},
  {"id": 100003, "status": "deleted",
   "appointments": [{"date": 1772607600, "slotCount": 1, "scope": {"id": 141}}],
   "requests": [{"id": "120335", "name": "Abmeldung einer Wohnung", "source": "dldb"}]},
  {"id": 100004, "status": "confirmed",
   "appointments": [{"date": 1772701200, "slotCount": 1, "scope": {"id": 141}}],
   "requests": [{"id": "120335", "name": "Abmeldung einer Wohnung", "source": "dldb"}]}
]})";

ZmsImportOptions Options() {
  ZmsImportOptions o;
  o.days = {date::year{2026} / 3 / 4};
  o.horizon_days = 7;
  return o;
}

TEST(ZmsImportTest, ReadsScopesAvailabilitiesAndProcesses) {
  absl::StatusOr<ZmsImport> r = ReadZmsTexts(kScopes, kAvailabilities, kProcesses, Options());
  ASSERT_TRUE(r.ok()) << r.status();
  const domain::Scenario& s = r->scenario;
  ASSERT_EQ(s.offices.size(), 2u);
  EXPECT_EQ(s.offices[0].id, "141");
  EXPECT_EQ(s.offices[0].name, "Bürgeramt Mitte (Zentrale)");
  EXPECT_EQ(s.offices[0].address, "Karl-Marx-Allee 31, 10178 Berlin");
  EXPECT_EQ(s.offices[1].name, "Bürgeramt Wedding");
  EXPECT_EQ(s.offices[1].state, "DE-BE");

  std::vector<std::string> clerks;
  for (const auto& c : s.clerks) clerks.push_back(c.id);
  EXPECT_THAT(clerks, ElementsAre("141-ws1", "141-ws2", "142-ws1"));
  EXPECT_EQ(s.clerks[0].name, "Arbeitsplatz 1");
  EXPECT_THAT(s.clerks[0].skills, ElementsAre("120335"));
  // 141: Wednesday 4 and Thursday 5 March, two workstations; 142: Wednesday only. The
  // openinghours record makes no shifts.
  ASSERT_EQ(s.shifts.size(), 5u);
  EXPECT_EQ(domain::FormatLocal("Europe/Berlin", s.shifts[0].time.start), "2026-03-04T08:00");
  EXPECT_EQ(domain::FormatLocal("Europe/Berlin", s.shifts[0].time.end), "2026-03-04T12:00");
  EXPECT_EQ(s.shifts[0].id, "141-ws1@2026-03-04T08:00");

  ASSERT_EQ(s.services.size(), 2u);
  EXPECT_EQ(s.services[0].id, "120335");
  EXPECT_EQ(s.services[0].duration_min, 10);
  EXPECT_EQ(s.services[1].id, "120703");
  EXPECT_EQ(s.services[1].duration_min, 30);  // 15-minute slots x timeSlotCount 2

  ASSERT_EQ(s.appointments.size(), 2u);  // 100003 is deleted, 100004 lies on Thursday
  const domain::Appointment& a = s.appointments[0];
  EXPECT_EQ(a.id, "100001");
  EXPECT_EQ(a.office_id, "141");
  EXPECT_EQ(a.cases, 2);
  EXPECT_EQ(a.contact.name, "Max Muster");
  EXPECT_EQ(a.contact.phone, "030 115");
  EXPECT_EQ(a.contact.language, "de");
  EXPECT_EQ(domain::FormatLocal("Europe/Berlin", a.original_start), "2026-03-04T08:00");
  const domain::Appointment& b = s.appointments[1];
  EXPECT_EQ(b.office_id, "142");  // from the process's scope: the appointment names none
  EXPECT_EQ(b.service_id, "120703");
  EXPECT_EQ(b.cases, 1);
  EXPECT_EQ(b.contact.language, "tr");

  ASSERT_EQ(s.bookings.size(), 1u);
  EXPECT_EQ(s.bookings[0].id, "zms-100004");
  EXPECT_EQ(s.bookings[0].clerk_id, "141-ws1");
  EXPECT_EQ(s.bookings[0].time.Duration(), std::chrono::minutes(10));

  std::string notes;
  for (const auto& n : r->notes) notes += n + "\n";
  EXPECT_THAT(notes, HasSubstr("1 process(es) skipped"));
  EXPECT_THAT(notes, HasSubstr("1 client(s) without a language: \"de\""));
  EXPECT_THAT(notes, HasSubstr("office 141: 2 workstation(s) without a clerk"));
}

TEST(ZmsImportTest, ExistingClerksStaffTheWorkstations) {
  ZmsImportOptions o = Options();
  o.existing.clerks.push_back({"anna", "Anna Schmidt", {"120335", "120703"}, "141"});
  o.existing.offices.push_back({"141", "Mitte", "DE-BE", "Europe/Berlin", "", {}});
  absl::StatusOr<ZmsImport> r = ReadZmsTexts(kScopes, kAvailabilities, kProcesses, o);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->scenario.clerks[0].id, "anna");
  EXPECT_EQ(r->scenario.clerks[0].name, "Anna Schmidt");
  EXPECT_EQ(r->scenario.clerks[1].id, "141-ws2");
  EXPECT_EQ(r->scenario.bookings[0].clerk_id, "anna");
}

TEST(ZmsImportTest, WithoutDaysTheEarliestProcessChoosesTheDay) {
  ZmsImportOptions o = Options();
  o.days.clear();
  absl::StatusOr<ZmsImport> r = ReadZmsTexts(kScopes, kAvailabilities, kProcesses, o);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->scenario.appointments.size(), 2u);
  std::string notes;
  for (const auto& n : r->notes) notes += n + "\n";
  EXPECT_THAT(notes, HasSubstr("outage day 2026-03-04 (the earliest process"));
}

TEST(ZmsImportTest, ErrorsNameFileAndJsonPath) {
  struct Case {
    std::string scopes, avail, procs, want;
  };
  std::string bad_date = absl::StrReplaceAll(kProcesses, {{"\"1772613000\"", "\"morgen\""}});
  std::string bad_scope = absl::StrReplaceAll(kAvailabilities, {{"{\"id\": 142}", "{\"id\": 9}"}});
  std::string bad_time = absl::StrReplaceAll(kAvailabilities, {{"\"9:00\"", "\"9 Uhr\""}});
  std::string overlap = absl::StrReplaceAll(
      kAvailabilities,
      {{"\"openinghours\"", "\"appointment\""}, {"{\"monday\": true}", "{\"wednesday\": 1}"}});
  std::string no_request = absl::StrReplaceAll(
      kProcesses,
      {{R"("requests": [{"id": 120703, "name": "Reisepass", "source": "dldb", "timeSlotCount": "2"}])",
        R"("requests": [])"}});
  std::vector<Case> cases = {
      {kScopes, kAvailabilities, bad_date,
       "processes.json: $.data[1].appointments[0].date: \"morgen\" is not a whole number"},
      {kScopes, bad_scope, kProcesses,
       "availabilities.json: $[1].scope.id: scope 9 is not in scopes.json"},
      {kScopes, bad_time, kProcesses,
       "availabilities.json: $[1].startTime: \"9 Uhr\" is not a time of day"},
      {kScopes, overlap, kProcesses,
       "availabilities.json: $[2]: overlaps $[0] on 2026-03-04 (workstation 1)"},
      {kScopes, kAvailabilities, no_request,
       "processes.json: $.data[1].requests[0]: is missing: a process without a request"},
      {"{\"data\": 1}", kAvailabilities, kProcesses, "scopes.json: $: is neither an array"},
      {kScopes, kAvailabilities, "[{]", "processes.json: not valid JSON"},
  };
  for (const Case& c : cases) {
    absl::StatusOr<ZmsImport> r = ReadZmsTexts(c.scopes, c.avail, c.procs, Options());
    ASSERT_FALSE(r.ok()) << c.want;
    EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(std::string(r.status().message()), HasSubstr(c.want));
  }
}

TEST(ZmsImportTest, WeekdayRepeatEveryOtherWeek) {
  std::string every_other =
      absl::StrReplaceAll(kAvailabilities, {{"\"afterWeeks\": \"1\"", "\"afterWeeks\": \"2\""}});
  ZmsImportOptions o = Options();
  o.horizon_days = 14;
  absl::StatusOr<ZmsImport> r = ReadZmsTexts(kScopes, every_other, kProcesses, o);
  ASSERT_TRUE(r.ok()) << r.status();
  // startDate is Monday 2 February: weeks 0, 2, 4, ... count, so 4-5 March (week 4) has shifts
  // and 11-12 March (week 5) has none at 141; 142 repeats weekly (no repeat given).
  int at141 = 0, at142 = 0;
  for (const auto& sh : r->scenario.shifts) (sh.office_id == "141" ? at141 : at142)++;
  EXPECT_EQ(at141, 4);
  EXPECT_EQ(at142, 2);
}

}  // namespace
}  // namespace rebook::interop
