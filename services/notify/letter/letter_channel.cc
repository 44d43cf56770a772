#include "services/notify/letter/letter_channel.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "services/common/status_macros.h"
#include "services/domain/local_time.h"
#include "services/notify/message_json.h"

namespace rebook::notify {
namespace {

namespace fs = std::filesystem;

absl::Status WriteFileAtomically(const fs::path& path, const std::string& content) {
  const fs::path tmp = path.string() + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << content;
    if (!out.flush()) return absl::UnavailableError(absl::StrCat("cannot write ", tmp.string()));
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec)
    return absl::UnavailableError(absl::StrCat("cannot rename ", tmp.string(), ": ", ec.message()));
  return absl::OkStatus();
}

class LetterChannel final : public Channel {
 public:
  LetterChannel(std::string spool_dir, LetterLayout layout, const Clock& clock)
      : spool_dir_(std::move(spool_dir)), layout_(std::move(layout)), clock_(clock) {}

  std::string_view name() const override { return "letter"; }
  ContactField required_contact() const override { return ContactField::kPostalAddress; }

  DeliveryResult Send(const RenderedMessage& r) override {
    if (!HasContactField(r.message.recipient, ContactField::kPostalAddress)) {
      return DeliveryResult::Permanent("no postal address");
    }
    const Instant now = clock_.Now();
    const std::string day =
        domain::FormatLocalDate(domain::LocalDateOf(r.message.office.time_zone, now));
    const fs::path dir = fs::path(spool_dir_) / day;
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) return DeliveryResult::Temporary(absl::StrCat("cannot create ", dir.string()));
    const std::string stem = r.message.key.Digest();
    const fs::path pdf = dir / (stem + ".pdf");
    const fs::path tmp_pdf = dir / (stem + ".pdf.tmp");
    LetterPdfWriter writer(tmp_pdf.string(), layout_);
    absl::Status s = writer.AddLetter(r, now);
    if (s.ok()) s = writer.Finish();
    if (s.ok()) {
      fs::rename(tmp_pdf, pdf, ec);
      if (ec) s = absl::UnavailableError(ec.message());
    }
    if (s.ok()) {
      nlohmann::json record = MessageToJson(r);
      record["letter_date"] = domain::FormatUtc(now);
      s = WriteFileAtomically(dir / (stem + ".json"), record.dump(2));
    }
    if (!s.ok()) return DeliveryResult::Temporary(std::string(s.message()));
    return DeliveryResult::Sent(pdf.string(), absl::StrCat("queued for printing on ", day));
  }

 private:
  const std::string spool_dir_;
  const LetterLayout layout_;
  const Clock& clock_;
};

absl::StatusOr<Instant> ParseUtcText(const std::string& text) {
  if (text.size() != 20) return absl::InvalidArgumentError("bad letter_date");
  REBOOK_ASSIGN_OR_RETURN(domain::LocalDateTime t, domain::ParseLocalDateTime(text.substr(0, 19)));
  return Instant(t.time_since_epoch());
}

}  // namespace

absl::StatusOr<LetterBatch> BuildLetterBatch(const std::string& spool_dir, domain::LocalDate day,
                                             const LetterLayout& layout) {
  const fs::path dir = fs::path(spool_dir) / domain::FormatLocalDate(day);
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    return absl::NotFoundError(absl::StrCat("no letters spooled in ", dir.string()));
  }
  struct Entry {
    RenderedMessage message;
    Instant date;
  };
  std::vector<Entry> entries;
  for (const fs::directory_entry& e : fs::directory_iterator(dir, ec)) {
    if (e.path().extension() != ".json") continue;
    std::ifstream in(e.path());
    std::stringstream ss;
    ss << in.rdbuf();
    nlohmann::json j = nlohmann::json::parse(ss.str(), nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded() || !j.contains("letter_date")) {
      return absl::DataLossError(absl::StrCat(e.path().string(), ": not a letter record"));
    }
    absl::StatusOr<RenderedMessage> m = MessageFromJson(j);
    if (!m.ok()) {
      return absl::DataLossError(
          absl::StrCat(e.path().string(), ": ", std::string(m.status().message())));
    }
    REBOOK_ASSIGN_OR_RETURN(Instant date, ParseUtcText(j["letter_date"].get<std::string>()));
    entries.push_back({*std::move(m), date});
  }
  std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
    const auto& ma = a.message.message;
    const auto& mb = b.message.message;
    return std::tie(ma.office.id, ma.recipient.name, ma.key.appointment_id) <
           std::tie(mb.office.id, mb.recipient.name, mb.key.appointment_id);
  });
  LetterBatch batch;
  batch.path = (dir / "batch.pdf").string();
  const std::string tmp = batch.path + ".tmp";
  LetterPdfWriter writer(tmp, layout);
  for (const Entry& e : entries) REBOOK_RETURN_IF_ERROR(writer.AddLetter(e.message, e.date));
  REBOOK_RETURN_IF_ERROR(writer.Finish());
  fs::rename(tmp, batch.path, ec);
  if (ec) return absl::UnavailableError(absl::StrCat("cannot write ", batch.path));
  batch.letters = static_cast<int>(entries.size());
  batch.pages = writer.pages();
  return batch;
}

absl::StatusOr<std::unique_ptr<Channel>> LetterChannelFactory::Create(
    const ChannelConfig& config) const {
  REBOOK_RETURN_IF_ERROR(config.CheckKnownKeys({"spool_dir", "duplex", "font"}));
  REBOOK_ASSIGN_OR_RETURN(std::string spool_dir, config.GetString("spool_dir"));
  LetterLayout layout;
  REBOOK_ASSIGN_OR_RETURN(layout.duplex, config.GetBool("duplex", false));
  layout.font = config.GetString("font", layout.font);
  std::error_code ec;
  fs::create_directories(spool_dir, ec);
  if (ec || !fs::is_directory(spool_dir)) {
    return config.Invalid("spool_dir", absl::StrCat("cannot create ", spool_dir));
  }
  return std::make_unique<LetterChannel>(std::move(spool_dir), std::move(layout), config.clock());
}

}  // namespace rebook::notify
