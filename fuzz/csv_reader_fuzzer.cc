// Fuzzes bundle::CsvReader, the CSV layer under every bundle file and `rebookctl import`:
// any bytes as one CSV file. Invariants, from csv_reader.h: every field handed out is valid
// UTF-8 and at most kMaxFieldBytes long, and a record written back with AppendCsvRow reads back
// as the same fields.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "fuzz/fuzz_check.h"
#include "services/bundle/csv_reader.h"

namespace {

using rebook::bundle::CsvReader;

// Reads `text` back and checks that its only record equals `fields`.
void CheckRoundTrip(const std::vector<std::string>& header,
                    const std::vector<std::string>& fields) {
  std::string text;
  rebook::bundle::AppendCsvRow(header, text);
  rebook::bundle::AppendCsvRow(fields, text);
  auto again = CsvReader::FromString(text, "again.csv");
  REBOOK_FUZZ_CHECK(again.ok(), again.status().ToString());
  REBOOK_FUZZ_CHECK((*again)->header() == header, text);
  auto more = (*again)->Next();
  REBOOK_FUZZ_CHECK(more.ok() && *more, text);
  for (std::size_t c = 0; c < fields.size(); ++c) {
    REBOOK_FUZZ_CHECK((*again)->Field(static_cast<int>(c)) == fields[c], text);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto csv = CsvReader::FromString(std::string(rebook::fuzz::AsText(data, size)), "fuzz.csv");
  if (!csv.ok()) return 0;
  const std::vector<std::string> header = (*csv)->header();
  for (const std::string& h : header) {
    REBOOK_FUZZ_CHECK(rebook::fuzz::IsUtf8(h), "header field is not UTF-8");
    REBOOK_FUZZ_CHECK(h.size() <= CsvReader::kMaxFieldBytes, "header field too long");
  }
  const int columns = static_cast<int>(header.size());
  for (int record = 0; record < 100000; ++record) {
    absl::StatusOr<bool> more = (*csv)->Next();
    if (!more.ok() || !*more) break;
    std::vector<std::string> fields;
    for (int c = -1; c <= columns; ++c) {
      const std::string_view field = (*csv)->Field(c);
      REBOOK_FUZZ_CHECK(rebook::fuzz::IsUtf8(field), "field is not UTF-8");
      REBOOK_FUZZ_CHECK(field.size() <= CsvReader::kMaxFieldBytes, "field too long");
      if (c >= 0 && c < columns) {
        fields.emplace_back(field);
        rebook::bundle::SplitList(field);
      }
    }
    REBOOK_FUZZ_CHECK((*csv)->line() >= 1, "line numbers start at 1");
    (*csv)->Error(columns - 1, "fuzz").IgnoreError();
    (*csv)->RecordError("fuzz").IgnoreError();
    if (columns > 0) CheckRoundTrip(header, fields);
  }
  return 0;
}
