#include "services/notify/phone/phone_channel.h"

#include <csv.h>
#include <iconv.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <mutex>
#include <optional>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "services/common/status_macros.h"
#include "services/domain/local_time.h"
#include "services/domain/short_reference.h"

namespace rebook::notify {
namespace {

namespace fs = std::filesystem;

constexpr const char* kColumns[] = {
    "key",          "reference",       "office_id",   "office",  "citizen",        "phone",
    "language",     "service",         "appointment", "expires", "response_token", "accept_link",
    "decline_link", "other_time_link", "script",      "result",  "result_note"};

// German Excel opens a double-clicked CSV as Windows-1252 with ';' between fields unless the
// file starts with a UTF-8 byte order mark; with both, umlauts and columns come out right.
constexpr char kDelimiter = ';';
constexpr char kUtf8Bom[] = "\xEF\xBB\xBF";

// The office_id column names the office that keeps the case: with the key it names the offer
// that `rebookctl calls import` records the answer on, also for a citizen moved to another
// office (whose name is in the office column).
const std::string& CaseOffice(const OutgoingMessage& m) {
  return m.case_office_id.empty() ? m.office.id : m.case_office_id;
}

bool WriteRow(std::FILE* f, const std::vector<std::string>& fields) {
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i > 0 && std::fputc(kDelimiter, f) == EOF) return false;
    if (csv_fwrite(f, fields[i].data(), fields[i].size()) != 0) return false;
  }
  return std::fputs("\r\n", f) != EOF;
}

struct ParseState {
  std::vector<std::vector<std::string>> rows;
  std::vector<int> lines;  // the file line each row starts on (1-based)
  std::vector<std::string> current;
  int next_line = 1;
};

void OnField(void* data, size_t len, void* user) {
  auto* s = static_cast<ParseState*>(user);
  s->current.emplace_back(static_cast<const char*>(data), len);
}

void OnRow(int, void* user) {
  auto* s = static_cast<ParseState*>(user);
  s->lines.push_back(s->next_line);
  // A row spans one line plus one for each line break inside its quoted fields (scripts).
  s->next_line += 1;
  for (const std::string& field : s->current) {
    s->next_line += static_cast<int>(std::count(field.begin(), field.end(), '\n'));
  }
  s->rows.push_back(std::move(s->current));
  s->current.clear();
}

// `text` as UTF-8: unchanged if it is valid UTF-8, else read as Windows-1252 (what German Excel
// writes when "CSV (Trennzeichen-getrennt)" is chosen instead of "CSV UTF-8"). iconv (glibc).
absl::StatusOr<std::string> AsUtf8(const std::string& path, std::string text) {
  auto convert = [&](const char* from) -> std::optional<std::string> {
    iconv_t cd = iconv_open("UTF-8", from);
    if (cd == reinterpret_cast<iconv_t>(-1)) return std::nullopt;
    std::string out(text.size() * 3 + 4, '\0');
    char* in = text.data();
    size_t in_left = text.size();
    char* o = out.data();
    size_t out_left = out.size();
    const size_t done = iconv(cd, &in, &in_left, &o, &out_left);
    iconv_close(cd);
    if (done == static_cast<size_t>(-1) || in_left != 0) return std::nullopt;
    out.resize(out.size() - out_left);
    return out;
  };
  if (convert("UTF-8").has_value()) return text;
  if (std::optional<std::string> cp1252 = convert("WINDOWS-1252")) return *cp1252;
  return absl::DataLossError(absl::StrCat(path, ": neither UTF-8 nor Windows-1252 text"));
}

struct CsvFile {
  std::vector<std::vector<std::string>> rows;
  std::vector<int> lines;
};

// Reads a call list as written (';', BOM) or as saved again by a spreadsheet: with or without
// the BOM, UTF-8 or Windows-1252, with ';' or ',' between fields (whichever the header uses).
absl::StatusOr<CsvFile> ParseCsvFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot open ", path));
  std::string raw((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (raw.rfind(kUtf8Bom, 0) == 0) raw.erase(0, 3);
  REBOOK_ASSIGN_OR_RETURN(std::string text, AsUtf8(path, std::move(raw)));
  csv_parser parser;
  csv_init(&parser, CSV_APPEND_NULL);
  const std::string_view head = std::string_view(text).substr(0, text.find('\n'));
  csv_set_delim(&parser, head.find(';') != std::string_view::npos ? ';' : ',');
  ParseState state;
  const bool ok =
      csv_parse(&parser, text.data(), text.size(), &OnField, &OnRow, &state) == text.size();
  csv_fini(&parser, &OnField, &OnRow, &state);
  csv_free(&parser);
  if (!ok) return absl::DataLossError(absl::StrCat(path, ": malformed CSV"));
  return CsvFile{std::move(state.rows), std::move(state.lines)};
}

class PhoneChannel final : public Channel {
 public:
  PhoneChannel(std::string dir, const Clock& clock) : dir_(std::move(dir)), clock_(clock) {}

  std::string_view name() const override { return "phone"; }
  ContactField required_contact() const override { return ContactField::kPhone; }

  DeliveryResult Send(const RenderedMessage& r) override {
    const OutgoingMessage& m = r.message;
    if (!HasContactField(m.recipient, ContactField::kPhone)) {
      return DeliveryResult::Permanent("no phone number");
    }
    const std::string& tz = m.office.time_zone;
    const fs::path day_dir =
        fs::path(dir_) / domain::FormatLocalDate(domain::LocalDateOf(tz, clock_.Now()));
    const std::string path = (day_dir / "calls.csv").string();
    const std::string key = m.key.ToString();
    std::lock_guard<std::mutex> lock(mu_);
    std::error_code ec;
    fs::create_directories(day_dir, ec);
    if (ec) return DeliveryResult::Temporary(absl::StrCat("cannot create ", day_dir.string()));
    std::set<std::string>& keys = keys_by_file_[path];
    if (keys.empty() && fs::exists(path)) {
      absl::StatusOr<CsvFile> csv = ParseCsvFile(path);
      if (!csv.ok()) return DeliveryResult::Temporary(std::string(csv.status().message()));
      const std::vector<std::vector<std::string>>* rows = &csv->rows;
      for (const auto& row : *rows) {
        if (!row.empty()) keys.insert(row[0]);
      }
      if (!rows->empty() && rows->front().size() != std::size(kColumns)) {
        // A list of an older version: new rows go to a fresh file beside it.
        return DeliveryResult::Temporary(absl::StrCat(path, " has other columns; move it away"));
      }
    }
    const std::string provider_id = absl::StrCat(path, "#", key);
    if (keys.contains(key)) return DeliveryResult::Sent(provider_id, "already on the call list");

    const bool is_new = !fs::exists(path);
    std::FILE* f = std::fopen(path.c_str(), "ae");
    if (f == nullptr) {
      return DeliveryResult::Temporary(
          absl::StrCat("cannot open ", path, ": ", std::strerror(errno)));
    }
    bool ok = true;
    if (is_new) {
      ok = std::fputs(kUtf8Bom, f) != EOF &&
           WriteRow(f, std::vector<std::string>(std::begin(kColumns), std::end(kColumns)));
    }
    ok = ok &&
         WriteRow(
             f, {key, domain::ShortReference(m.key.outage_id, m.key.appointment_id), CaseOffice(m),
                 m.office.name, m.recipient.name, m.recipient.phone, r.template_language,
                 m.appointment.service_name, domain::FormatLocal(tz, m.appointment.start),
                 m.offer_expiry ? domain::FormatLocal(tz, *m.offer_expiry) : "", m.response_token,
                 m.links.accept, m.links.decline, m.links.other_time, r.phone_script, "", ""});
    ok = (std::fflush(f) == 0) && ok;
    std::fclose(f);
    if (!ok) return DeliveryResult::Temporary(absl::StrCat("cannot append to ", path));
    keys.insert(key);
    return DeliveryResult::Sent(provider_id, "added to the call list");
  }

 private:
  const std::string dir_;
  const Clock& clock_;
  std::mutex mu_;
  std::map<std::string, std::set<std::string>> keys_by_file_;
};

}  // namespace

std::optional<CallOutcome> ParseCallOutcome(std::string_view word) {
  const std::string w = absl::AsciiStrToLower(
      absl::StripAsciiWhitespace(absl::string_view(word.data(), word.size())));
  if (w == "accepted" || w == "angenommen") return CallOutcome::kAccepted;
  if (w == "declined" || w == "abgelehnt") return CallOutcome::kDeclined;
  if (w == "other_time" || w == "anderer termin") return CallOutcome::kOtherTime;
  if (w == "reached" || w == "erreicht") return CallOutcome::kReached;
  if (w == "not_reached" || w == "nicht erreicht") return CallOutcome::kNotReached;
  if (w == "wrong_number" || w == "falsche nummer") return CallOutcome::kWrongNumber;
  return std::nullopt;
}

std::string_view ToString(CallOutcome outcome) {
  switch (outcome) {
    case CallOutcome::kAccepted:
      return "accepted";
    case CallOutcome::kDeclined:
      return "declined";
    case CallOutcome::kOtherTime:
      return "other_time";
    case CallOutcome::kReached:
      return "reached";
    case CallOutcome::kNotReached:
      return "not_reached";
    case CallOutcome::kWrongNumber:
      return "wrong_number";
  }
  return "not_reached";
}

DeliveryResult CallOutcomeToDeliveryResult(CallOutcome outcome, std::string_view note) {
  const std::string reason =
      absl::StrCat("call: ", std::string(ToString(outcome)), note.empty() ? "" : " (",
                   std::string(note), note.empty() ? "" : ")");
  switch (outcome) {
    case CallOutcome::kNotReached:
      return DeliveryResult::Temporary(reason);
    case CallOutcome::kWrongNumber:
      return DeliveryResult::Permanent(reason);
    default:
      return DeliveryResult::Delivered("", reason);
  }
}

absl::StatusOr<std::vector<CallListRow>> ReadCallList(const std::string& path) {
  REBOOK_ASSIGN_OR_RETURN(CsvFile csv, ParseCsvFile(path));
  const auto& rows = csv.rows;
  if (rows.empty()) return absl::DataLossError(absl::StrCat(path, ": no header line"));
  // Columns by name, so that a spreadsheet that reordered or added columns still reads.
  std::map<std::string, std::size_t> at;
  for (std::size_t i = 0; i < rows[0].size(); ++i) at[rows[0][i]] = i;
  for (const char* name : kColumns) {
    if (!at.contains(name)) {
      return absl::DataLossError(absl::StrCat(path, ":1: no column \"", name, "\""));
    }
  }
  std::vector<CallListRow> out;
  for (size_t i = 1; i < rows.size(); ++i) {
    const auto& row = rows[i];
    // Spreadsheets save empty trailing rows as a line of separators.
    if (std::all_of(row.begin(), row.end(), [](const std::string& f) { return f.empty(); })) {
      continue;
    }
    if (row.size() != rows[0].size()) {
      return absl::DataLossError(absl::StrCat(path, ":", csv.lines[i], ": ", row.size(),
                                              " columns, expected ", rows[0].size()));
    }
    auto field = [&](const char* name) { return row[at[name]]; };
    out.push_back({field("key"), field("reference"), field("office_id"), field("citizen"),
                   field("phone"), field("response_token"), field("result"), field("result_note"),
                   csv.lines[i]});
  }
  return out;
}

absl::StatusOr<std::unique_ptr<Channel>> PhoneChannelFactory::Create(
    const ChannelConfig& config) const {
  REBOOK_RETURN_IF_ERROR(config.CheckKnownKeys({"dir"}));
  REBOOK_ASSIGN_OR_RETURN(std::string dir, config.GetString("dir"));
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec || !fs::is_directory(dir))
    return config.Invalid("dir", absl::StrCat("cannot create ", dir));
  return std::make_unique<PhoneChannel>(std::move(dir), config.clock());
}

}  // namespace rebook::notify
