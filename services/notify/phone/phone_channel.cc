#include "services/notify/phone/phone_channel.h"

#include <csv.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <map>
#include <mutex>
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

bool WriteRow(std::FILE* f, const std::vector<std::string>& fields) {
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i > 0 && std::fputc(kDelimiter, f) == EOF) return false;
    if (csv_fwrite(f, fields[i].data(), fields[i].size()) != 0) return false;
  }
  return std::fputs("\r\n", f) != EOF;
}

struct ParseState {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> current;
};

void OnField(void* data, size_t len, void* user) {
  auto* s = static_cast<ParseState*>(user);
  s->current.emplace_back(static_cast<const char*>(data), len);
}

void OnRow(int, void* user) {
  auto* s = static_cast<ParseState*>(user);
  s->rows.push_back(std::move(s->current));
  s->current.clear();
}

// Reads a call list as written (';', BOM) or as saved again by a spreadsheet: with or without
// the BOM, with ';' or ',' between fields (whichever the header line uses).
absl::StatusOr<std::vector<std::vector<std::string>>> ParseCsvFile(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rbe");
  if (f == nullptr) return absl::NotFoundError(absl::StrCat("cannot open ", path));
  csv_parser parser;
  csv_init(&parser, CSV_APPEND_NULL);
  ParseState state;
  char buf[8192];
  size_t n = 0;
  bool ok = true;
  bool first = true;
  while ((n = std::fread(buf, 1, sizeof(buf), f)) > 0) {
    char* data = buf;
    if (first) {
      first = false;
      if (n >= 3 && std::memcmp(buf, kUtf8Bom, 3) == 0) data += 3, n -= 3;
      const std::string_view head(data, n);
      const std::string_view line = head.substr(0, head.find('\n'));
      csv_set_delim(&parser, line.find(';') != std::string_view::npos ? ';' : ',');
    }
    if (csv_parse(&parser, data, n, &OnField, &OnRow, &state) != n) ok = false;
  }
  csv_fini(&parser, &OnField, &OnRow, &state);
  csv_free(&parser);
  std::fclose(f);
  if (!ok) return absl::DataLossError(absl::StrCat(path, ": malformed CSV"));
  return state.rows;
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
      absl::StatusOr<std::vector<std::vector<std::string>>> rows = ParseCsvFile(path);
      if (!rows.ok()) return DeliveryResult::Temporary(std::string(rows.status().message()));
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
         WriteRow(f,
                  {key, domain::ShortReference(m.key.outage_id, m.key.appointment_id), m.office.id,
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
  REBOOK_ASSIGN_OR_RETURN(auto rows, ParseCsvFile(path));
  if (rows.empty()) return absl::DataLossError(absl::StrCat(path, ": no header line"));
  // Columns by name, so that a spreadsheet that reordered or added columns still reads.
  std::map<std::string, std::size_t> at;
  for (std::size_t i = 0; i < rows[0].size(); ++i) at[rows[0][i]] = i;
  for (const char* name : kColumns) {
    if (!at.contains(name)) {
      return absl::DataLossError(absl::StrCat(path, ": no column \"", name, "\""));
    }
  }
  std::vector<CallListRow> out;
  for (size_t i = 1; i < rows.size(); ++i) {
    const auto& row = rows[i];
    if (row.size() != rows[0].size()) {
      return absl::DataLossError(absl::StrCat(path, ": row ", i + 1, " has ", row.size(),
                                              " columns, expected ", rows[0].size()));
    }
    auto field = [&](const char* name) { return row[at[name]]; };
    out.push_back({field("key"), field("reference"), field("office_id"), field("citizen"),
                   field("phone"), field("response_token"), field("result"), field("result_note")});
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
