#include "services/interop/csv_profile.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/domain/local_time.h"

namespace rebook::interop {
namespace {

using ::testing::HasSubstr;

constexpr char kGermanExcel[] = R"ini(# German Excel export
[file]
name = Termine.csv
encoding = windows-1252   ; Excel's "CSV (Trennzeichen-getrennt)"
separator = ;
date_format = %d.%m.%Y
time_format = %H:%M

[columns]
appointment_id = Termin-Nr.
date = Datum
time = Uhrzeit
service_id = Dienstleistung
citizen_name = Name
phone = Telefon
cases = Personen

[services]
Personalausweis beantragen = id-card
Anmeldung einer Wohnung = registration

[defaults]
office_id = mitte
)ini";

CsvProfile German() {
  absl::StatusOr<CsvProfile> p = ParseCsvProfile(kGermanExcel, "excel.ini");
  EXPECT_TRUE(p.ok()) << p.status();
  return *p;
}

TEST(CsvProfileTest, ParsesTheIniFile) {
  CsvProfile p = German();
  EXPECT_EQ(p.file, "Termine.csv");
  EXPECT_EQ(p.encoding, "windows-1252");
  EXPECT_EQ(p.separator, ';');
  EXPECT_EQ(p.columns.at("date"), "Datum");
  EXPECT_EQ(p.services.at("Personalausweis beantragen"), "id-card");
  EXPECT_EQ(p.defaults.at("office_id"), "mitte");
}

TEST(CsvProfileTest, ProfileErrorsNameTheLine) {
  EXPECT_EQ(ParseCsvProfile("[columns]\ndatum = Datum\n", "x.ini").status().message(),
            "x.ini:2: unknown field \"datum\"");
  EXPECT_EQ(ParseCsvProfile("[colums]\n", "x.ini").status().message(),
            "x.ini:1: unknown section [colums]");
  EXPECT_EQ(ParseCsvProfile("[file]\nseparator = ;;\n", "x.ini").status().message(),
            "x.ini:2: separator must be one character or \"tab\"");
  EXPECT_THAT(ParseCsvProfile("[columns]\nappointment_id = Nr\n", "x.ini").status().message(),
              HasSubstr("needs date and time, or datetime"));
  // Only day, month, year, hour, minute, second: %X read "2026" as a time and hit undefined
  // behaviour inside date.h (csv_profile fuzzer finding).
  EXPECT_EQ(ParseCsvProfile("[file]\ndate_format = %d.%m.%X\n", "x.ini").status().message(),
            "x.ini:2: date_format: \"%X\" is not supported; use %d %m %Y %y %H %M %S and other "
            "characters as they are");
  EXPECT_THAT(ParseCsvProfile("[file]\ntime_format = %H:%\n", "x.ini").status().message(),
              HasSubstr("x.ini:2: time_format: \"%\" is not supported"));
  EXPECT_THAT(ParseCsvProfile("[file]\ntime_zone = Mars/Olympus\n", "x.ini").status().message(),
              HasSubstr("x.ini:2: unknown time zone"));
  // A default goes into appointments as it is, so the profile must be UTF-8 itself; a Latin-1
  // byte in it reached an appointment's phone (csv_profile fuzzer finding).
  EXPECT_THAT(ParseCsvProfile("[defaults]\nphone = Telefon\x8a\n", "x.ini").status().message(),
              HasSubstr("x.ini:2: byte 16 is not valid UTF-8"));
  EXPECT_TRUE(ParseCsvProfile("[defaults]\nphone = Gr\xc3\xbc\xc3\x9f\n[columns]\n"
                              "appointment_id = Nr\ndatetime = Zeit\nservice_id = D\n"
                              "office_id = O\n",
                              "x.ini")
                  .ok());
}

TEST(CsvProfileTest, Windows1252WithSemicolonsAndGermanDates) {
  // "Müller" and "Straße" in Windows-1252: 0xFC and 0xDF.
  std::string csv =
      "Termin-Nr.;Datum;Uhrzeit;Dienstleistung;Name;Telefon;Personen\r\n"
      "4711;04.03.2026;08:30;Personalausweis beantragen;J\xFCrgen M\xFCller;0345 1;2\r\n"
      "4712;04.03.2026;09:00;registration;\"Gro\xDF, Anna\";;\r\n";
  absl::StatusOr<domain::Scenario> s = ParseCsvWithProfile(German(), csv);
  ASSERT_TRUE(s.ok()) << s.status();
  ASSERT_EQ(s->appointments.size(), 2u);
  const domain::Appointment& a = s->appointments[0];
  EXPECT_EQ(a.id, "4711");
  EXPECT_EQ(a.office_id, "mitte");
  EXPECT_EQ(a.service_id, "id-card");
  EXPECT_EQ(a.cases, 2);
  EXPECT_EQ(a.contact.name, "Jürgen Müller");
  EXPECT_EQ(domain::FormatLocal("Europe/Berlin", a.original_start), "2026-03-04T08:30");
  EXPECT_EQ(s->appointments[1].contact.name, "Groß, Anna");
  EXPECT_EQ(s->appointments[1].service_id, "registration");  // already an id
  EXPECT_EQ(s->appointments[1].cases, 1);
}

TEST(CsvProfileTest, Utf8WithByteOrderMarkAndOneDatetimeColumn) {
  absl::StatusOr<CsvProfile> p = ParseCsvProfile(R"([file]
encoding = UTF-8
separator = tab
datetime_format = %Y-%m-%d %H:%M:%S
[columns]
appointment_id = id
datetime = start
office_id = location
service_id = service
language = lang
[offices]
Halle Mitte = halle-mitte
)",
                                                 "tab.ini");
  ASSERT_TRUE(p.ok()) << p.status();
  std::string csv =
      "\xEF\xBB\xBFid\tstart\tlocation\tservice\tlang\n"
      "a1\t2026-03-04 10:15:00\tHalle Mitte\tpassport\ttr\n";
  absl::StatusOr<domain::Scenario> s = ParseCsvWithProfile(*p, csv);
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->appointments[0].office_id, "halle-mitte");
  EXPECT_EQ(s->appointments[0].contact.language, "tr");
  EXPECT_EQ(domain::FormatLocal("Europe/Berlin", s->appointments[0].original_start),
            "2026-03-04T10:15");
}

TEST(CsvProfileTest, ExportErrorsNameFileLineAndColumn) {
  std::string header = "Termin-Nr.;Datum;Uhrzeit;Dienstleistung;Name;Telefon;Personen\n";
  struct Case {
    std::string row, want;
  };
  std::vector<Case> cases = {
      {"4711;2026-03-04;08:30;id-card;A;;\n",
       "Termine.csv:2:2 (Datum): \"2026-03-04\" does not match %d.%m.%Y"},
      {"4711;04.03.2026;8 Uhr;id-card;A;;\n",
       "Termine.csv:2:3 (Uhrzeit): \"8 Uhr\" does not match %H:%M"},
      {"4711;04.03.2026;08:30;Reisepass (Express);A;;\n",
       "Termine.csv:2:4 (Dienstleistung): \"Reisepass (Express)\" is no service id"},
      {"4711;04.03.2026;08:30;id-card;A;;0\n", "Termine.csv:2:7 (Personen): \"0\" is not a number"},
      {"4711;04.03.2026;08:30;id-card;A;;\n4711;05.03.2026;08:30;id-card;B;;\n",
       "Termine.csv:3:1 (Termin-Nr.): appointment 4711 also on line 2"},
      {"4711;29.03.2026;02:30;id-card;A;;\n", "Termine.csv:2:3 (Uhrzeit):"},  // DST gap
  };
  for (const Case& c : cases) {
    absl::StatusOr<domain::Scenario> s = ParseCsvWithProfile(German(), header + c.row);
    ASSERT_FALSE(s.ok()) << c.want;
    EXPECT_THAT(std::string(s.status().message()), HasSubstr(c.want));
  }
  CsvProfile p = German();
  p.columns["email"] = "E-Mail";
  EXPECT_THAT(ParseCsvWithProfile(p, header).status().message(),
              HasSubstr("missing column \"E-Mail\""));
}

TEST(CsvProfileTest, Encodings) {
  EXPECT_EQ(*ToUtf8("\xEF\xBB\xBF"
                    "abc",
                    "utf-8", "f"),
            "abc");
  EXPECT_EQ(*ToUtf8("M\xFCller", "windows-1252", "f"), "Müller");
  EXPECT_EQ(*ToUtf8("\x80", "CP1252", "f"), "€");
  EXPECT_EQ(ToUtf8("M\xFCller", "utf-8", "f.csv").status().message(),
            "f.csv: byte 2 is not valid utf-8");
  EXPECT_THAT(ToUtf8("x", "klingon", "f.csv").status().message(), HasSubstr("unknown encoding"));
}

}  // namespace
}  // namespace rebook::interop
