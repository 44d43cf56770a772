#include "services/bundle/csv_reader.h"

#include <csv.h>

#include <algorithm>
#include <sstream>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "services/common/utf8.h"

namespace rebook::bundle {

CsvReader::CsvReader(std::string name, std::unique_ptr<std::istream> in, char delimiter)
    : name_(std::move(name)), in_(std::move(in)), parser_(std::make_unique<csv_parser>()) {
  csv_init(parser_.get(), CSV_STRICT | CSV_STRICT_FINI);
  csv_set_delim(parser_.get(), static_cast<unsigned char>(delimiter));
}

CsvReader::~CsvReader() { csv_free(parser_.get()); }

absl::StatusOr<std::unique_ptr<CsvReader>> CsvReader::Open(const std::filesystem::path& path,
                                                           std::string display_name) {
  auto in = std::make_unique<std::ifstream>(path, std::ios::binary);
  if (!*in) {
    return absl::NotFoundError(absl::StrCat(display_name, ": cannot open ", path.string()));
  }
  std::unique_ptr<CsvReader> reader(new CsvReader(std::move(display_name), std::move(in)));
  if (absl::Status s = reader->ReadHeader(); !s.ok()) return s;
  return reader;
}

absl::StatusOr<std::unique_ptr<CsvReader>> CsvReader::FromString(std::string text,
                                                                 std::string display_name,
                                                                 char delimiter) {
  auto in = std::make_unique<std::istringstream>(std::move(text));
  std::unique_ptr<CsvReader> reader(
      new CsvReader(std::move(display_name), std::move(in), delimiter));
  if (absl::Status s = reader->ReadHeader(); !s.ok()) return s;
  return reader;
}

absl::Status CsvReader::ReadHeader() {
  absl::StatusOr<bool> more = Next();
  if (!more.ok()) return more.status();
  if (!*more) return absl::InvalidArgumentError(absl::StrCat(name_, ":1: the file is empty"));
  header_ = std::move(current_.fields);
  for (std::size_t i = 0; i < header_.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      if (header_[i] == header_[j] && !header_[i].empty()) {
        return absl::InvalidArgumentError(absl::StrCat(name_, ":", current_.lines[i], ":", i + 1,
                                                       ": duplicate column \"", header_[i], "\""));
      }
    }
  }
  current_ = Record{};
  return absl::OkStatus();
}

int CsvReader::Find(std::string_view column) const {
  for (std::size_t i = 0; i < header_.size(); ++i) {
    if (header_[i] == column) return static_cast<int>(i);
  }
  return -1;
}

absl::StatusOr<int> CsvReader::Require(std::string_view column) const {
  int i = Find(column);
  if (i < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat(name_, ":1: missing column \"", std::string(column), "\""));
  }
  return i;
}

bool CsvReader::ReadPhysicalLine(std::string& line) {
  if (!std::getline(*in_, line)) return false;
  if (!in_->eof()) line.push_back('\n');
  if (at_start_) {
    at_start_ = false;
    if (line.size() >= 3 && line.compare(0, 3, "\xEF\xBB\xBF") == 0) line.erase(0, 3);
  }
  return true;
}

void CsvReader::OnField(void* data, std::size_t len, void* self) {
  auto* r = static_cast<CsvReader*>(self);
  std::string field(static_cast<const char*>(data), data == nullptr ? 0 : len);
  int newlines = static_cast<int>(std::count(field.begin(), field.end(), '\n'));
  r->building_.fields.push_back(std::move(field));
  r->building_.lines.push_back(std::max(1, r->line_ - newlines));
}

void CsvReader::OnRecord(int /*terminator*/, void* self) {
  auto* r = static_cast<CsvReader*>(self);
  if (!r->building_.fields.empty()) r->ready_.push_back(std::move(r->building_));
  r->building_ = Record{};
}

absl::Status CsvReader::Fill() {
  std::string line;
  while (ready_.empty() && !finished_) {
    if (!ReadPhysicalLine(line)) {
      finished_ = true;
      if (csv_fini(parser_.get(), OnField, OnRecord, this) != 0) {
        return absl::InvalidArgumentError(
            absl::StrCat(name_, ":", line_, ":", building_.fields.size() + 1,
                         ": unterminated quoted field at the end of the file"));
      }
      break;
    }
    ++line_;
    std::size_t used = csv_parse(parser_.get(), line.data(), line.size(), OnField, OnRecord, this);
    if (used != line.size()) {
      return absl::InvalidArgumentError(
          absl::StrCat(name_, ":", line_, ":", building_.fields.size() + 1,
                       ": malformed CSV: ", csv_strerror(csv_error(parser_.get()))));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<bool> CsvReader::Next() {
  if (absl::Status s = Fill(); !s.ok()) return s;
  if (ready_.empty()) return false;
  current_ = std::move(ready_.front());
  ready_.pop_front();
  if (!header_.empty() && current_.fields.size() > header_.size()) {
    return absl::InvalidArgumentError(absl::StrCat(name_, ":", line(), ": the record has ",
                                                   current_.fields.size(),
                                                   " fields but the header has ", header_.size()));
  }
  if (absl::Status s = CheckFields(); !s.ok()) return s;
  return true;
}

absl::Status CsvReader::CheckFields() const {
  for (std::size_t i = 0; i < current_.fields.size(); ++i) {
    const std::string& field = current_.fields[i];
    auto error = [&](int line, const std::string& message) {
      std::string column = i < header_.size() ? absl::StrCat(" (", header_[i], ")") : "";
      return absl::InvalidArgumentError(
          absl::StrCat(name_, ":", line, ":", i + 1, column, ": ", message));
    };
    if (field.size() > kMaxFieldBytes) {
      return error(current_.lines[i],
                   absl::StrCat("the field is ", field.size(), " bytes long; at most ",
                                kMaxFieldBytes, " are allowed"));
    }
    if (std::size_t bad = FindInvalidUtf8(field); bad != std::string_view::npos) {
      // The physical line of the bad byte, also inside a multi-line quoted field.
      auto newlines = std::count(field.begin(), field.begin() + bad, '\n');
      return error(current_.lines[i] + static_cast<int>(newlines),
                   absl::StrCat("is not valid UTF-8 (byte ", bad + 1, " of the field is 0x",
                                absl::Hex(static_cast<unsigned char>(field[bad]), absl::kZeroPad2),
                                "); save the file as UTF-8"));
    }
  }
  return absl::OkStatus();
}

std::string_view CsvReader::Field(int column) const {
  if (column < 0 || static_cast<std::size_t>(column) >= current_.fields.size()) return {};
  return current_.fields[column];
}

int CsvReader::line() const { return current_.lines.empty() ? line_ : current_.lines.front(); }

absl::Status CsvReader::Error(int column, std::string_view message) const {
  int l = line();
  if (column >= 0 && static_cast<std::size_t>(column) < current_.lines.size()) {
    l = current_.lines[column];
  }
  std::string col_name = column >= 0 && static_cast<std::size_t>(column) < header_.size()
                             ? header_[column]
                             : std::string("?");
  return absl::InvalidArgumentError(
      absl::StrCat(name_, ":", l, ":", column + 1, " (", col_name, "): ", std::string(message)));
}

absl::Status CsvReader::RecordError(std::string_view message) const {
  return absl::InvalidArgumentError(absl::StrCat(name_, ":", line(), ": ", std::string(message)));
}

std::vector<std::string> SplitList(std::string_view field) {
  std::vector<std::string> out;
  for (absl::string_view part :
       absl::StrSplit(absl::string_view(field.data(), field.size()), ';')) {
    absl::string_view t = absl::StripAsciiWhitespace(part);
    if (!t.empty()) out.emplace_back(t);
  }
  return out;
}

std::string CsvEscape(std::string_view field) {
  // A leading U+FEFF is quoted too: at the start of a file the reader takes it for the byte
  // order mark and drops it (found by the csv_reader fuzz target's round trip).
  constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";
  bool quote = field.find_first_of(",\"\r\n") != std::string_view::npos ||
               (!field.empty() && (field.front() == ' ' || field.back() == ' ' ||
                                   field.front() == '\t' || field.back() == '\t')) ||
               field.substr(0, kByteOrderMark.size()) == kByteOrderMark;
  if (!quote) return std::string(field);
  std::string out = "\"";
  for (char c : field) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

void AppendCsvRow(const std::vector<std::string>& fields, std::string& out) {
  // A record of one empty field would be an empty line, which the reader skips as blank: write
  // it quoted (found by the csv_reader fuzz target: a header of one empty column name).
  if (fields.size() == 1 && fields[0].empty()) {
    out += "\"\"\n";
    return;
  }
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) out.push_back(',');
    out += CsvEscape(fields[i]);
  }
  out.push_back('\n');
}

}  // namespace rebook::bundle
