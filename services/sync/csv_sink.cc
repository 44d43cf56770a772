#include "services/sync/csv_sink.h"

#include <filesystem>

#include "absl/strings/ascii.h"
#include "absl/strings/str_format.h"
#include "services/bundle/csv_reader.h"
#include "services/common/status_macros.h"
#include "services/sync/atomic_file.h"
#include "services/sync/change_format.h"

namespace rebook::sync {
namespace {

class CsvSink final : public ChangeSink {
 public:
  CsvSink(std::string name, std::filesystem::path dir, std::string prefix)
      : name_(std::move(name)), dir_(std::move(dir)), prefix_(std::move(prefix)) {}

  std::string_view name() const override { return name_; }

  absl::Status Write(absl::Span<const domain::ChangeEvent> batch) override {
    if (batch.empty()) return absl::OkStatus();
    std::string text;
    bundle::AppendCsvRow(ChangeCsvColumns(), text);
    for (const domain::ChangeEvent& event : batch) bundle::AppendCsvRow(ChangeCsvRow(event), text);
    const std::string file = CsvBatchFileName(prefix_, batch.front().cursor, batch.back().cursor);
    return WriteFileAtomically((dir_ / file).string(), text);
  }

 private:
  const std::string name_;
  const std::filesystem::path dir_;
  const std::string prefix_;
};

bool IsPrefix(const std::string& s) {
  if (s.empty() || s.size() > 64) return false;
  for (char c : s) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') return false;
  }
  return true;
}

}  // namespace

std::string CsvBatchFileName(const std::string& prefix, std::int64_t first, std::int64_t last) {
  return absl::StrFormat("%s-%020d-%020d.csv", prefix, first, last);
}

absl::StatusOr<std::unique_ptr<ChangeSink>> CsvSinkFactory::Create(const SinkConfig& config) const {
  REBOOK_RETURN_IF_ERROR(config.CheckKnownKeys({"dir", "prefix"}));
  REBOOK_ASSIGN_OR_RETURN(std::string dir, config.GetString("dir"));
  std::string prefix = config.GetString("prefix", "changes");
  if (!IsPrefix(prefix)) return config.Invalid("prefix", "use letters, digits, '-' and '_'");
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (error || !std::filesystem::is_directory(dir)) {
    return config.Invalid("dir", absl::StrCat("cannot create folder ", dir, ": ", error.message()));
  }
  return std::make_unique<CsvSink>(config.name(), std::move(dir), std::move(prefix));
}

}  // namespace rebook::sync
