// CSV profiles. The INI reader is hand-written: a profile is a few sections of `key = value`
// lines, which does not justify one more build dependency (libinih is not in install-deps.sh).
#include "services/interop/csv_profile.h"

#include <iconv.h>

#include <cerrno>
#include <fstream>
#include <set>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "date/date.h"
#include "services/bundle/csv_reader.h"
#include "services/common/status_macros.h"
#include "services/common/utf8.h"
#include "services/domain/local_time.h"

namespace rebook::interop {
namespace {

const std::set<std::string>& Fields() {
  static const auto* f = new std::set<std::string>{
      "appointment_id", "office_id", "service_id",     "date",     "time",
      "datetime",       "cases",     "priority",       "kind",     "citizen_name",
      "phone",          "email",     "postal_address", "language", "channel"};
  return *f;
}

std::string Strip(std::string_view s) {
  return std::string(absl::StripAsciiWhitespace(absl::string_view(s.data(), s.size())));
}

// "; comment" and "# comment" after a value, when preceded by white space.
std::string WithoutComment(std::string_view v) {
  for (std::size_t i = 1; i < v.size(); ++i) {
    if ((v[i] == ';' || v[i] == '#') && (v[i - 1] == ' ' || v[i - 1] == '\t')) {
      return Strip(v.substr(0, i));
    }
  }
  return Strip(v);
}

// The conversions a format may use: day, month, year, hour, minute, second and a literal %.
// date::parse knows more, but some of them (%X, %r, %c, ...) read seconds as a floating-point
// number and misbehave on input that does not match (found by the csv_profile fuzzer), and no
// export needs them.
absl::Status CheckFormat(std::string_view format, const std::string& where) {
  constexpr std::string_view kAllowed = "dmYyHMS%";
  for (std::size_t i = 0; i < format.size(); ++i) {
    if (format[i] != '%') continue;
    if (i + 1 == format.size() || kAllowed.find(format[i + 1]) == std::string_view::npos) {
      return absl::InvalidArgumentError(absl::StrCat(
          where, ": \"", std::string(format.substr(i, 2)),
          "\" is not supported; use %d %m %Y %y %H %M %S and other characters as they are"));
    }
    ++i;
  }
  return absl::OkStatus();
}

absl::Status SetFileKey(CsvProfile& p, const std::string& key, const std::string& value,
                        const std::string& where) {
  if (key == "name") {
    p.file = value;
  } else if (key == "encoding") {
    p.encoding = value;
  } else if (key == "separator") {
    if (value == "tab" || value == "\\t") {
      p.separator = '\t';
    } else if (value.size() == 1 && value != "\"") {
      p.separator = value[0];
    } else {
      return absl::InvalidArgumentError(
          absl::StrCat(where, "separator must be one character or \"tab\""));
    }
  } else if (key == "date_format" || key == "time_format" || key == "datetime_format") {
    REBOOK_RETURN_IF_ERROR(CheckFormat(value, absl::StrCat(where, key)));
    (key == "date_format"   ? p.date_format
     : key == "time_format" ? p.time_format
                            : p.datetime_format) = value;
  } else if (key == "time_zone") {
    if (!domain::ValidateTimeZone(value).ok()) {
      return absl::InvalidArgumentError(absl::StrCat(where, "unknown time zone \"", value, "\""));
    }
    p.time_zone = value;
  } else {
    return absl::InvalidArgumentError(absl::StrCat(where, "unknown key \"", key, "\" in [file]"));
  }
  return absl::OkStatus();
}

// GCC 12 at -O2 warns that date::parse's seconds field "may be used uninitialized" once it is
// inlined here (a false positive inside date.h, like the ones in development.md's Traps).
// Clang has no such warning group (the fuzz preset builds this with clang).
#if !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
absl::StatusOr<domain::LocalDateTime> ParseWith(std::string_view text, const std::string& fmt) {
  std::istringstream in{std::string(text)};
  domain::LocalDateTime t;
  in >> date::parse(fmt, t);
  if (in.fail() || in.peek() != std::char_traits<char>::eof()) {
    return absl::InvalidArgumentError(
        absl::StrCat("\"", std::string(text), "\" does not match ", fmt));
  }
  return t;
}
#if !defined(__clang__)
#pragma GCC diagnostic pop
#endif

}  // namespace

absl::StatusOr<CsvProfile> ParseCsvProfile(std::string_view text, std::string_view name) {
  CsvProfile p;
  std::string section;
  std::istringstream in{std::string(text)};
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    if (n == 1 && line.rfind("\xEF\xBB\xBF", 0) == 0) line.erase(0, 3);
    std::string where = absl::StrCat(std::string(name), ":", n, ": ");
    // The profile itself is UTF-8 (`encoding` names the export's): its defaults and names go
    // into appointments as they are.
    if (const std::size_t bad = FindInvalidUtf8(line); bad != std::string::npos) {
      return absl::InvalidArgumentError(
          absl::StrCat(where, "byte ", bad + 1,
                       " is not valid UTF-8; save the profile as UTF-8 (its "
                       "`encoding` key names the export's encoding, not the profile's)"));
    }
    std::string s = Strip(line);
    if (s.empty() || s[0] == '#' || s[0] == ';') continue;
    if (s.front() == '[') {
      if (s.back() != ']') return absl::InvalidArgumentError(where + "unclosed section");
      section = absl::AsciiStrToLower(Strip(s.substr(1, s.size() - 2)));
      if (section != "file" && section != "columns" && section != "services" &&
          section != "offices" && section != "defaults") {
        return absl::InvalidArgumentError(absl::StrCat(where, "unknown section [", section, "]"));
      }
      continue;
    }
    std::size_t eq = s.find('=');
    if (eq == std::string::npos) return absl::InvalidArgumentError(where + "expected key = value");
    if (section.empty()) return absl::InvalidArgumentError(where + "a key before any section");
    std::string key = Strip(s.substr(0, eq));
    std::string raw = Strip(s.substr(eq + 1));
    // The separator may itself be ';' or '#': no comment after it.
    std::string value = section == "file" && key == "separator" ? raw.substr(0, raw.find(' '))
                                                                : WithoutComment(raw);
    if (key.empty()) return absl::InvalidArgumentError(where + "empty key");
    if (section == "file") {
      REBOOK_RETURN_IF_ERROR(SetFileKey(p, key, value, where));
    } else if (section == "columns" || section == "defaults") {
      if (!Fields().count(key)) {
        return absl::InvalidArgumentError(absl::StrCat(where, "unknown field \"", key, "\""));
      }
      (section == "columns" ? p.columns : p.defaults)[key] = value;
    } else {
      auto& map = section == "services" ? p.services : p.offices;
      if (!domain::IsValidId(value)) {
        return absl::InvalidArgumentError(absl::StrCat(where, "\"", value, "\" is not an id"));
      }
      map[key] = value;
    }
  }
  std::string where = absl::StrCat(std::string(name), ": ");
  if (!p.columns.count("appointment_id")) {
    return absl::InvalidArgumentError(where + "[columns] needs appointment_id");
  }
  bool split = p.columns.count("date") && p.columns.count("time");
  if (!split && !p.columns.count("datetime")) {
    return absl::InvalidArgumentError(where + "[columns] needs date and time, or datetime");
  }
  for (const char* f : {"office_id", "service_id"}) {
    if (!p.columns.count(f) && !p.defaults.count(f)) {
      return absl::InvalidArgumentError(absl::StrCat(where, f, " needs a column or a default"));
    }
  }
  return p;
}

absl::StatusOr<CsvProfile> ReadCsvProfile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot open profile ", path.string()));
  std::ostringstream buf;
  buf << in.rdbuf();
  return ParseCsvProfile(buf.str(), path.filename().string());
}

absl::StatusOr<std::string> ToUtf8(std::string_view bytes, std::string_view encoding,
                                   std::string_view file) {
  std::string enc = absl::AsciiStrToUpper(std::string(encoding));
  if (enc == "UTF-8" || enc == "UTF8") {
    if (bytes.substr(0, 3) == "\xEF\xBB\xBF") bytes.remove_prefix(3);
  }
  iconv_t cd = iconv_open("UTF-8", enc.c_str());
  if (cd == reinterpret_cast<iconv_t>(-1)) {
    return absl::InvalidArgumentError(
        absl::StrCat(std::string(file), ": unknown encoding \"", std::string(encoding), "\""));
  }
  std::string out(bytes.size() * 3 + 16, '\0');
  char* src = const_cast<char*>(bytes.data());
  std::size_t src_left = bytes.size();
  char* dst = out.data();
  std::size_t dst_left = out.size();
  std::size_t rc = iconv(cd, &src, &src_left, &dst, &dst_left);
  int err = errno;
  iconv_close(cd);
  if (rc == static_cast<std::size_t>(-1)) {
    std::size_t at = bytes.size() - src_left;
    return absl::InvalidArgumentError(
        absl::StrCat(std::string(file), ": byte ", at + 1, " is not valid ", std::string(encoding),
                     err == EINVAL ? " (the file ends inside a character)" : ""));
  }
  out.resize(out.size() - dst_left);
  return out;
}

absl::StatusOr<domain::Scenario> ParseCsvWithProfile(const CsvProfile& p, std::string_view bytes) {
  REBOOK_ASSIGN_OR_RETURN(std::string text, ToUtf8(bytes, p.encoding, p.file));
  REBOOK_ASSIGN_OR_RETURN(auto csv,
                          bundle::CsvReader::FromString(std::move(text), p.file, p.separator));
  std::map<std::string, int> col;
  for (const auto& [field, header] : p.columns) {
    REBOOK_ASSIGN_OR_RETURN(col[field], csv->Require(header));
  }
  auto value = [&](const std::string& f) -> std::string {
    auto c = col.find(f);
    std::string v = c == col.end() ? std::string() : Strip(csv->Field(c->second));
    if (v.empty()) {
      auto d = p.defaults.find(f);
      if (d != p.defaults.end()) v = d->second;
    }
    return v;
  };
  auto error = [&](const std::string& f, std::string_view msg) {
    return col.count(f) ? csv->Error(col[f], msg)
                        : csv->RecordError(absl::StrCat(f, " (default): ", std::string(msg)));
  };
  domain::Scenario s;
  std::map<std::string, int> lines;  // appointment key -> line
  while (true) {
    REBOOK_ASSIGN_OR_RETURN(bool more, csv->Next());
    if (!more) break;
    domain::Appointment a;
    a.id = value("appointment_id");
    if (!domain::IsValidId(a.id)) return error("appointment_id", "is not an id");
    // A name found in [offices] or [services] becomes its id; anything else must be an id.
    auto mapped = [&](const std::string& field, const std::map<std::string, std::string>& names,
                      const char* what) -> absl::StatusOr<std::string> {
      std::string v = value(field);
      if (auto m = names.find(v); m != names.end()) v = m->second;
      if (domain::IsValidId(v)) return v;
      return error(field, absl::StrCat("\"", v, "\" is no ", what, " id and not in [", what, "s]"));
    };
    REBOOK_ASSIGN_OR_RETURN(a.office_id, mapped("office_id", p.offices, "office"));
    REBOOK_ASSIGN_OR_RETURN(a.service_id, mapped("service_id", p.services, "service"));
    absl::StatusOr<domain::LocalDateTime> local =
        col.count("datetime") ? ParseWith(value("datetime"), p.datetime_format)
                              : absl::StatusOr<domain::LocalDateTime>();
    if (!col.count("datetime")) {
      absl::StatusOr<domain::LocalDateTime> day = ParseWith(value("date"), p.date_format);
      if (!day.ok()) return error("date", std::string(day.status().message()));
      absl::StatusOr<domain::LocalDateTime> clock =
          ParseWith(absl::StrCat("1970-01-01 ", value("time")), "%Y-%m-%d " + p.time_format);
      if (!clock.ok()) {
        return error("time",
                     absl::StrCat("\"", value("time"), "\" does not match ", p.time_format));
      }
      local = date::floor<date::days>(*day) + (*clock - date::floor<date::days>(*clock));
    } else if (!local.ok()) {
      return error("datetime", std::string(local.status().message()));
    }
    absl::StatusOr<Instant> start = domain::LocalToInstant(p.time_zone, *local);
    if (!start.ok()) {
      return error(col.count("datetime") ? "datetime" : "time",
                   std::string(start.status().message()));
    }
    a.original_start = *start;
    for (auto [field, target, hi] :
         {std::tuple{"cases", &a.cases, 20}, {"priority", &a.priority, 10}}) {
      std::string v = value(field);
      if (v.empty()) continue;
      if (!absl::SimpleAtoi(v, target) || *target < 1 || *target > hi) {
        return error(field, absl::StrCat("\"", v, "\" is not a number in [1, ", hi, "]"));
      }
    }
    if (std::string k = value("kind"); !k.empty()) {
      auto kind = domain::ParseAppointmentKind(k);
      if (!kind) return error("kind", absl::StrCat("\"", k, "\" is not appointment or walk_in"));
      a.kind = *kind;
    }
    a.contact.name = value("citizen_name");
    a.contact.phone = value("phone");
    a.contact.email = value("email");
    a.contact.postal_address = value("postal_address");
    if (std::string l = value("language"); !l.empty()) a.contact.language = l;
    a.contact.channel = value("channel");
    std::string key = a.office_id + "/" + a.id;
    if (auto [it, fresh] = lines.emplace(key, csv->line()); !fresh) {
      return error("appointment_id",
                   absl::StrCat("appointment ", a.id, " also on line ", it->second));
    }
    s.appointments.push_back(std::move(a));
  }
  return s;
}

absl::StatusOr<domain::Scenario> ReadCsvWithProfile(const CsvProfile& profile,
                                                    const std::filesystem::path& dir) {
  std::ifstream in(dir / profile.file, std::ios::binary);
  if (!in) {
    return absl::NotFoundError(
        absl::StrCat(profile.file, ": cannot open ", (dir / profile.file).string()));
  }
  std::ostringstream buf;
  buf << in.rdbuf();
  return ParseCsvWithProfile(profile, buf.str());
}

}  // namespace rebook::interop
