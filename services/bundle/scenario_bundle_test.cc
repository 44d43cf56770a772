#include "services/bundle/scenario_bundle.h"

#include <fstream>
#include <map>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/bundle/appointments_csv.h"
#include "services/domain/local_time.h"
#include "testing/files.h"

namespace rebook::bundle {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

Instant L(std::string_view local) {
  return *domain::LocalToInstant("Europe/Berlin", *domain::ParseLocalDateTime(local));
}

// A small valid bundle, as file name -> content. Tests break one file at a time.
std::map<std::string, std::string> ValidFiles() {
  return {
      {"params.csv",
       "horizon_start,horizon_end,reserve_share\n2026-01-28T00:00,2026-02-28T00:00,0.2\n"},
      {"offices.csv",
       "office_id,name,state,timezone\nhalle-mitte,\"Halle, Mitte\",DE-ST,Europe/Berlin\n"
       "halle-neu,Neustadt,DE-ST,\n"},
      {"services.csv",
       "service_id,name,category,duration_min\nkfz,Zulassung,vehicle_registration,15\n"
       "aufenthalt,Aufenthalt,immigration,30\n"},
      {"staff.csv", "staff_id,name,skills\nanna,Anna,kfz;aufenthalt\nben,Ben,kfz\n"},
      {"shifts.csv",
       "staff_id,office_id,start,end,kind\nanna,halle-mitte,2026-01-28T08:00,2026-01-28T12:00,"
       "regular\nben,halle-neu,2026-01-28T08:00,2026-01-28T12:00,\n"
       "anna,halle-mitte,2026-01-31T09:00,2026-01-31T13:00,overtime\n"},
      {"closures.csv", "office_id,date,reason\nhalle-neu,2026-02-02,move\n"},
      {"bookings.csv",
       "booking_id,staff_id,start,end\nb1,anna,2026-01-28T09:00,2026-01-28T09:30\n"},
      {"appointments.csv",
       // Column order differs from the spec's, and there is an unknown column.
       "service_id,appointment_id,office_id,original_start,deadline,priority,cases,"
       "allowed_offices,unavailable,kind,citizen_name,extra\n"
       "kfz,a1,halle-mitte,2026-01-27T12:00,,3,2,halle-mitte;halle-neu,"
       "2026-01-28T08:00/2026-01-28T09:00,walk_in,\"Ömer, Y.\",ignored\n"
       "aufenthalt,a2,halle-mitte,2026-01-27T12:15,2026-02-05T16:00,,,,,,,\n"},
  };
}

class BundleTest : public ::testing::Test {
 protected:
  fs::path Write(const std::map<std::string, std::string>& files) {
    fs::path dir = ::rebook::testing::MakeTempDir("bundle", scratch_.path().string());
    for (const auto& [name, text] : files) std::ofstream(dir / name) << text;
    return dir;
  }
  std::string ErrorWith(const std::string& file, const std::string& text) {
    auto files = ValidFiles();
    files[file] = text;
    absl::StatusOr<domain::Scenario> s = ReadScenarioBundle(Write(files));
    EXPECT_FALSE(s.ok());
    EXPECT_EQ(s.status().code(), absl::StatusCode::kInvalidArgument);
    return std::string(s.status().message());
  }

  // Every folder of a test, removed after it.
  ::rebook::testing::ScopedTempDir scratch_{"rebook-bundle"};
};

TEST_F(BundleTest, ReadsAValidBundle) {
  absl::StatusOr<domain::Scenario> s = ReadScenarioBundle(Write(ValidFiles()));
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->params.reserve_share, 0.2);
  EXPECT_EQ(s->params.w_unassigned, 100000.0);
  EXPECT_EQ(s->params.w_office_change, 48.0);
  EXPECT_EQ(s->params.horizon_start, L("2026-01-28T00:00"));
  ASSERT_EQ(s->offices.size(), 2u);
  EXPECT_EQ(s->offices[0].name, "Halle, Mitte");
  EXPECT_EQ(s->offices[1].time_zone, "Europe/Berlin");
  EXPECT_EQ(s->services[1].category, domain::ServiceCategory::kImmigration);
  EXPECT_THAT(s->clerks[0].skills, ::testing::ElementsAre("kfz", "aufenthalt"));
  ASSERT_EQ(s->shifts.size(), 3u);
  EXPECT_EQ(s->shifts[0].id, "anna@2026-01-28T08:00");
  EXPECT_EQ(s->shifts[2].kind, domain::ShiftKind::kOvertime);
  EXPECT_EQ(s->closures.size(), 1u);
  ASSERT_EQ(s->bookings.size(), 1u);
  EXPECT_EQ(s->bookings[0].office_id, "halle-mitte");
  ASSERT_EQ(s->appointments.size(), 2u);
  const domain::Appointment& a1 = s->appointments[0];
  EXPECT_EQ(a1.id, "a1");
  EXPECT_EQ(a1.priority, 3);
  EXPECT_EQ(a1.cases, 2);
  EXPECT_EQ(a1.kind, domain::AppointmentKind::kWalkIn);
  EXPECT_THAT(a1.allowed_offices, ::testing::ElementsAre("halle-mitte", "halle-neu"));
  ASSERT_EQ(a1.unavailable.size(), 1u);
  EXPECT_EQ(a1.unavailable[0].end, L("2026-01-28T09:00"));
  EXPECT_EQ(a1.contact.name, "Ömer, Y.");
  EXPECT_EQ(a1.contact.language, "de");
  EXPECT_FALSE(a1.deadline.has_value());
  const domain::Appointment& a2 = s->appointments[1];
  EXPECT_EQ(a2.priority, 1);
  EXPECT_EQ(a2.cases, 1);
  EXPECT_EQ(a2.deadline, L("2026-02-05T16:00"));
}

TEST_F(BundleTest, WithoutContactsKeepsEverythingElse) {
  const fs::path dir = Write(ValidFiles());
  absl::StatusOr<domain::Scenario> all = ReadScenarioBundle(dir);
  absl::StatusOr<domain::Scenario> lean = ReadScenarioBundle(dir, {.contacts = false});
  ASSERT_TRUE(all.ok() && lean.ok());
  ASSERT_EQ(lean->appointments.size(), all->appointments.size());
  EXPECT_EQ(lean->appointments[0].contact, domain::Contact{});
  for (std::size_t i = 0; i < all->appointments.size(); ++i) {
    domain::Appointment a = all->appointments[i];
    a.contact = {};
    EXPECT_EQ(lean->appointments[i].Key(), a.Key());
    EXPECT_TRUE(lean->appointments[i].SameBookingData(a)) << i;
  }
  EXPECT_EQ(lean->shifts, all->shifts);
  EXPECT_EQ(lean->bookings, all->bookings);
}

TEST_F(BundleTest, ClosuresAreOptional) {
  auto files = ValidFiles();
  files.erase("closures.csv");
  absl::StatusOr<domain::Scenario> s = ReadScenarioBundle(Write(files));
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_TRUE(s->closures.empty());
}

TEST_F(BundleTest, RoundTripThroughTheWriter) {
  absl::StatusOr<domain::Scenario> s = ReadScenarioBundle(Write(ValidFiles()));
  ASSERT_TRUE(s.ok());
  fs::path out = scratch_.path() / "bundle_roundtrip_out";
  ASSERT_TRUE(WriteScenarioBundle(*s, out).ok());
  absl::StatusOr<domain::Scenario> back = ReadScenarioBundle(out);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->offices, s->offices);
  EXPECT_EQ(back->services, s->services);
  EXPECT_EQ(back->clerks, s->clerks);
  EXPECT_EQ(back->shifts, s->shifts);
  EXPECT_EQ(back->closures, s->closures);
  EXPECT_EQ(back->bookings, s->bookings);
  ASSERT_EQ(back->appointments.size(), s->appointments.size());
  for (std::size_t i = 0; i < s->appointments.size(); ++i) {
    EXPECT_TRUE(back->appointments[i].SameBookingData(s->appointments[i])) << i;
  }
  EXPECT_EQ(back->params.reserve_share, s->params.reserve_share);
  EXPECT_EQ(back->params.horizon_end, s->params.horizon_end);
}

TEST_F(BundleTest, InvalidLocalTimeNamesFileLineColumnAndName) {
  std::string msg = ErrorWith("appointments.csv",
                              "appointment_id,office_id,service_id,original_start,deadline\n"
                              "a1,halle-mitte,kfz,2026-01-27T12:00,\n"
                              "a2,halle-mitte,kfz,2026-01-27T12:00,2026-02-30T10:00\n");
  EXPECT_EQ(msg,
            "appointments.csv:3:5 (deadline): \"2026-02-30T10:00\" is not a valid local time "
            "(YYYY-MM-DDTHH:MM)");
}

TEST_F(BundleTest, NonexistentDstTimeIsAnError) {
  std::string msg = ErrorWith("shifts.csv",
                              "staff_id,office_id,start,end\n"
                              "anna,halle-mitte,2026-03-29T02:30,2026-03-29T06:00\n");
  EXPECT_THAT(msg, HasSubstr("shifts.csv:2:3 (start): \"2026-03-29T02:30\" does not exist"));
}

TEST_F(BundleTest, ReferenceAndRangeErrors) {
  const std::string head = "appointment_id,office_id,service_id,original_start,priority,cases\n";
  EXPECT_THAT(ErrorWith("appointments.csv", head + "a,nowhere,kfz,2026-01-27T12:00,,\n"),
              HasSubstr("appointments.csv:2:2 (office_id): unknown office \"nowhere\""));
  EXPECT_THAT(ErrorWith("appointments.csv", head + "a,halle-mitte,xx,2026-01-27T12:00,,\n"),
              HasSubstr("appointments.csv:2:3 (service_id): unknown service \"xx\""));
  EXPECT_THAT(ErrorWith("appointments.csv", head + "a,halle-mitte,kfz,2026-01-27T12:00,11,\n"),
              HasSubstr("appointments.csv:2:5 (priority): 11 is out of range [1, 10]"));
  EXPECT_THAT(ErrorWith("appointments.csv", head + "a,halle-mitte,kfz,2026-01-27T12:00,,0\n"),
              HasSubstr("appointments.csv:2:6 (cases)"));
  EXPECT_THAT(ErrorWith("appointments.csv", head + "a,halle-mitte,kfz,2026-01-27T12:00,,\n"
                                                   "a,halle-mitte,kfz,2026-01-27T12:00,,\n"),
              HasSubstr("appointments.csv:3:1 (appointment_id): duplicate id \"a\"; the first is "
                        "at appointments.csv:2"));
  EXPECT_THAT(ErrorWith("shifts.csv",
                        "staff_id,office_id,start,end\n"
                        "anna,halle-mitte,2026-01-28T12:00,2026-01-28T08:00\n"),
              HasSubstr("shifts.csv:2:4 (end): is not after start"));
  EXPECT_THAT(ErrorWith("shifts.csv",
                        "staff_id,office_id,start,end\n"
                        "zoe,halle-mitte,2026-01-28T08:00,2026-01-28T12:00\n"),
              HasSubstr("unknown staff \"zoe\""));
  EXPECT_THAT(ErrorWith("params.csv",
                        "horizon_start,horizon_end,reserve_share\n"
                        "2026-01-28T00:00,2026-02-28T00:00,1.5\n"),
              HasSubstr("params.csv:2:3 (reserve_share)"));
  EXPECT_THAT(ErrorWith("staff.csv", "staff_id,skills\nanna,kfz;nope\n"),
              HasSubstr("staff.csv:2:2 (skills): unknown service \"nope\""));
  EXPECT_THAT(ErrorWith("offices.csv", "office_id,state\nhalle-mitte,ST\n"),
              HasSubstr("offices.csv:2:2 (state)"));
  EXPECT_THAT(ErrorWith("bookings.csv",
                        "booking_id,staff_id,start,end\n"
                        "b,anna,2026-01-28T09:00,2026-01-28T09:00\n"),
              HasSubstr("bookings.csv:2:4 (end)"));
  EXPECT_THAT(ErrorWith("appointments.csv", "appointment_id,office_id,service_id\n"),
              HasSubstr("appointments.csv:1: missing column \"original_start\""));
}

TEST_F(BundleTest, InvalidUtf8OrOversizedTextRejectsTheBundle) {
  const std::string head = "appointment_id,office_id,service_id,original_start,citizen_name\n";
  EXPECT_THAT(ErrorWith("appointments.csv", head + "a,halle-mitte,kfz,2026-01-27T12:00,Ann\n"
                                                   "b,halle-mitte,kfz,2026-01-27T12:00,J\xF6rg\n"),
              HasSubstr("appointments.csv:3:5 (citizen_name): is not valid UTF-8"));
  EXPECT_THAT(ErrorWith("closures.csv", "office_id,date,reason\nhalle-neu,2026-02-02,Umzug " +
                                            std::string(5000, 'x') + "\n"),
              HasSubstr("closures.csv:2:3 (reason): the field is 5006 bytes long"));
  EXPECT_THAT(ErrorWith("offices.csv", "office_id,name,state\nhalle-mitte,B\xFCro,DE-ST\n"),
              HasSubstr("offices.csv:2:2 (name): is not valid UTF-8"));
}

// Every keyed file refuses a repeated key and names the lines of both occurrences.
TEST_F(BundleTest, RepeatedKeysNameBothLines) {
  EXPECT_THAT(ErrorWith("closures.csv",
                        "office_id,date,reason\nhalle-neu,2026-02-02,move\n"
                        "halle-mitte,2026-02-02,other office\nhalle-neu,2026-02-02,again\n"),
              HasSubstr("closures.csv:4:2 (date): duplicate closure \"halle-neu 2026-02-02\"; the "
                        "first is at closures.csv:2"));
  EXPECT_THAT(ErrorWith("shifts.csv",
                        "staff_id,office_id,start,end\n"
                        "anna,halle-mitte,2026-01-28T08:00,2026-01-28T12:00\n"
                        "ben,halle-neu,2026-01-28T08:00,2026-01-28T12:00\n"
                        "anna,halle-mitte,2026-01-28T08:00,2026-01-28T10:00\n"),
              HasSubstr("shifts.csv:4:3 (start): duplicate shift \"anna@2026-01-28T08:00\"; the "
                        "first is at shifts.csv:2"));
  EXPECT_THAT(ErrorWith("bookings.csv",
                        "booking_id,staff_id,start,end\nb1,anna,2026-01-28T09:00,2026-01-28T09:30\n"
                        "b1,ben,2026-01-28T10:00,2026-01-28T10:30\n"),
              HasSubstr("bookings.csv:3:1 (booking_id): duplicate id \"b1\"; the first is at "
                        "bookings.csv:2"));
  EXPECT_THAT(ErrorWith("offices.csv",
                        "office_id,state\nhalle-mitte,DE-ST\nhalle-neu,DE-ST\nhalle-mitte,DE-ST\n"),
              HasSubstr("offices.csv:4:1 (office_id): duplicate id \"halle-mitte\"; the first is "
                        "at offices.csv:2"));
  EXPECT_THAT(ErrorWith("staff.csv", "staff_id,skills\nanna,kfz\nben,kfz\nanna,kfz\n"),
              HasSubstr("staff.csv:4:1 (staff_id): duplicate id \"anna\"; the first is at "
                        "staff.csv:2"));
}

TEST_F(BundleTest, AppointmentsCsvOnItsOwn) {
  absl::StatusOr<domain::Scenario> s = ReadScenarioBundle(Write(ValidFiles()));
  ASSERT_TRUE(s.ok());
  fs::path path = scratch_.path() / "self_rebooked.csv";
  std::ofstream(path) << "appointment_id,office_id,service_id,original_start\r\n"
                         "x1,halle-neu,kfz,2026-01-27T12:00\r\n";
  absl::StatusOr<std::vector<domain::Appointment>> rows =
      ReadAppointmentsCsv(path, s->offices, s->services);
  ASSERT_TRUE(rows.ok()) << rows.status();
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].office_id, "halle-neu");
  EXPECT_EQ((*rows)[0].original_start, L("2026-01-27T12:00"));
  std::ofstream(path, std::ios::trunc) << "appointment_id,office_id,service_id,original_start\n"
                                          "x1,elsewhere,kfz,2026-01-27T12:00\n";
  EXPECT_THAT(std::string(ReadAppointmentsCsv(path, s->offices, s->services).status().message()),
              HasSubstr("self_rebooked.csv:2:2 (office_id): unknown office"));
}

TEST_F(BundleTest, ChannelColumnTakesTheSpecsNamesAndTheOldOnes) {
  auto files = ValidFiles();
  files["appointments.csv"] =
      "appointment_id,office_id,service_id,original_start,channel\n"
      "c1,halle-mitte,kfz,2026-01-27T12:00,email\n"
      "c2,halle-mitte,kfz,2026-01-27T12:00,sms\n"
      "c3,halle-mitte,kfz,2026-01-27T12:00,letter\n"
      "c4,halle-mitte,kfz,2026-01-27T12:00,phone\n"
      "c5,halle-mitte,kfz,2026-01-27T12:00,phone_list\n"
      "c6,halle-mitte,kfz,2026-01-27T12:00,webhook\n"
      "c7,halle-mitte,kfz,2026-01-27T12:00,\n";
  absl::StatusOr<domain::Scenario> s = ReadScenarioBundle(Write(files));
  ASSERT_TRUE(s.ok()) << s.status();
  std::vector<std::string> channels;
  for (const domain::Appointment& a : s->appointments) channels.push_back(a.contact.channel);
  EXPECT_EQ(channels,
            (std::vector<std::string>{"email", "sms", "letter", "phone", "phone", "webhook", ""}));
  for (const std::string& channel : channels) {
    EXPECT_TRUE(channel.empty() || domain::IsKnownChannel(channel)) << channel;
  }
}

TEST_F(BundleTest, MissingFolderOrFile) {
  EXPECT_EQ(ReadScenarioBundle("/nonexistent/bundle").status().code(), absl::StatusCode::kNotFound);
  auto files = ValidFiles();
  files.erase("staff.csv");
  EXPECT_EQ(ReadScenarioBundle(Write(files)).status().code(), absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace rebook::bundle
