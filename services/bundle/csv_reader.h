// CsvReader: a streaming RFC 4180 reader (on libcsv) that knows where every field came from.
//
// Tolerates a UTF-8 byte order mark, CRLF or LF line ends, quoted fields with embedded commas,
// quotes and newlines, and blank lines. Unquoted fields are trimmed of surrounding spaces and tabs.
// The first record is the header; columns are found by name, so their order is free and unknown
// columns are simply never asked for. Every field, the header's included, must be valid UTF-8
// (RFC 3629) and at most kMaxFieldBytes long; Next() refuses a record that breaks either rule, so
// that no tool reads a broken encoding as text and sends it on. Every error names the file, the
// 1-based line and column (the field's position in its record) and the column's name:
//
//   REBOOK_ASSIGN_OR_RETURN(auto csv, CsvReader::Open(dir / "appointments.csv",
//   "appointments.csv")); REBOOK_ASSIGN_OR_RETURN(int id_col, csv->Require("appointment_id")); int
//   deadline_col = csv->Find("deadline");  // -1 if absent: optional column while (true) {
//     REBOOK_ASSIGN_OR_RETURN(bool more, csv->Next());
//     if (!more) break;
//     if (bad) return csv->Error(deadline_col, "\"2026-02-30T10:00\" is not a valid local time");
//   }   // -> appointments.csv:17:5 (deadline): "2026-02-30T10:00" is not a valid local time
//
// Memory: only the current physical line and the records completed in it are held, so files of
// millions of rows stream in constant memory. Not thread-safe.
#ifndef REBOOK_SERVICES_BUNDLE_CSV_READER_H_
#define REBOOK_SERVICES_BUNDLE_CSV_READER_H_

#include <cstddef>
#include <deque>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

struct csv_parser;

namespace rebook::bundle {

class CsvReader {
 public:
  // The longest field accepted, in bytes. Far above any real value (the server allows 200 bytes
  // for a name and 500 for an address, and refuses longer ones naming the field), it keeps one
  // broken or hostile file from being read into memory and sent as a whole.
  static constexpr std::size_t kMaxFieldBytes = 4096;

  // Opens `path` and reads its header. `display_name` names the file in messages.
  // NotFound if the file does not exist; InvalidArgument if the header is malformed or empty.
  static absl::StatusOr<std::unique_ptr<CsvReader>> Open(const std::filesystem::path& path,
                                                         std::string display_name);
  // Reads from an in-memory text (tests, uploads, converted exports). `delimiter` separates
  // fields: ',' as in the bundle, ';' for exports from German spreadsheets.
  static absl::StatusOr<std::unique_ptr<CsvReader>> FromString(std::string text,
                                                               std::string display_name,
                                                               char delimiter = ',');
  ~CsvReader();
  CsvReader(const CsvReader&) = delete;
  CsvReader& operator=(const CsvReader&) = delete;

  const std::vector<std::string>& header() const { return header_; }
  const std::string& display_name() const { return name_; }
  // The column's index, or -1 if the header has no such column.
  int Find(std::string_view column) const;
  // The column's index, or InvalidArgument "file:1: missing column \"name\"".
  absl::StatusOr<int> Require(std::string_view column) const;

  // Advances to the next record: true if there is one, false at the end of the file.
  // InvalidArgument on malformed CSV, a record with more fields than the header, a field that is
  // not valid UTF-8 or one longer than kMaxFieldBytes.
  absl::StatusOr<bool> Next();

  // The current record's field in `column`; "" for column -1 or a field the record lacks.
  std::string_view Field(int column) const;
  // 1-based line of the current record's first field.
  int line() const;
  // "file:line:col (name): message" for the current record's field in `column`.
  absl::Status Error(int column, std::string_view message) const;
  // "file:line: message" for the current record as a whole.
  absl::Status RecordError(std::string_view message) const;

 private:
  struct Record {
    std::vector<std::string> fields;
    std::vector<int> lines;  // 1-based line where each field starts
  };
  CsvReader(std::string name, std::unique_ptr<std::istream> in, char delimiter = ',');
  absl::Status ReadHeader();
  // Checks every field of current_ for UTF-8 and size.
  absl::Status CheckFields() const;
  // Feeds physical lines to libcsv until a record is complete or the input ends.
  absl::Status Fill();
  bool ReadPhysicalLine(std::string& line);
  static void OnField(void* data, std::size_t len, void* self);
  static void OnRecord(int terminator, void* self);

  std::string name_;
  std::unique_ptr<std::istream> in_;
  std::unique_ptr<csv_parser> parser_;
  std::vector<std::string> header_;
  std::deque<Record> ready_;
  Record building_;
  Record current_;
  int line_ = 0;  // physical lines fed so far
  bool at_start_ = true;
  bool finished_ = false;
};

// Splits a list field ("a;b;c") into trimmed, non-empty items.
std::vector<std::string> SplitList(std::string_view field);

// CSV writing: quotes a field when it contains a comma, quote, CR, LF, outer spaces or tabs, or
// starts with U+FEFF (which the reader would drop as a byte order mark at the start of a file).
std::string CsvEscape(std::string_view field);
// Appends `fields` as one CRLF-free line ("a,b,c\n") to `out`; a lone empty field is written
// as `""` so that it reads back as a record, not as a blank line.
void AppendCsvRow(const std::vector<std::string>& fields, std::string& out);

}  // namespace rebook::bundle

#endif  // REBOOK_SERVICES_BUNDLE_CSV_READER_H_
