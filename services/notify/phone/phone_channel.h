// The `phone` channel (old name `phone_list`, still accepted in config files): a daily CSV call
// list for staff, for citizens who can only be reached by phone.
//
//   <dir>/2026-01-28/calls.csv   (local day of sending, in the office's time zone)
//
// Columns (RFC 4180 quoting written with libcsv, ';' between fields, UTF-8 with a byte order
// mark, so that German Excel opens it as it is): key, reference, office_id, office, citizen,
// phone, language, service, appointment, expires, response_token, accept_link, decline_link,
// other_time_link, script, result, result_note. `office_id` is the office that keeps the
// citizen's case (it names the offer with `key`); `office` is the name of the office where the
// citizen goes, which differs when the plan moved them. `reference` is the short "Vorgangsnummer"
// (domain/short_reference.h) that the script has staff read out. Staff call, read `script`,
// and fill in `result` with one of the CallOutcome words below; ReadCallList and
// CallOutcomeToDeliveryResult turn a filled-in list back into delivery reports.
//
// A key already on that day's list is not added again (at-least-once delivery stays one
// call). Config keys: dir (required; created if missing). Result: sent (queued for a call),
// provider id = "<csv path>#<key>". Thread-safe.
#ifndef REBOOK_SERVICES_NOTIFY_PHONE_PHONE_CHANNEL_H_
#define REBOOK_SERVICES_NOTIFY_PHONE_PHONE_CHANNEL_H_

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "services/notify/channel.h"

namespace rebook::notify {

class PhoneChannelFactory final : public ChannelFactory {
 public:
  std::string_view name() const override { return "phone"; }
  absl::StatusOr<std::unique_ptr<Channel>> Create(const ChannelConfig& config) const override;
};

// What staff record after a call.
enum class CallOutcome {
  kAccepted,     // "accepted": reached, accepts the offer
  kDeclined,     // "declined": reached, declines
  kOtherTime,    // "other_time": reached, wants a different time
  kReached,      // "reached": reached (confirmation, reminder, cancellation)
  kNotReached,   // "not_reached": no answer; try again
  kWrongNumber,  // "wrong_number": the number is not the citizen's
};
std::optional<CallOutcome> ParseCallOutcome(std::string_view word);  // also accepts German
std::string_view ToString(CallOutcome outcome);

// The delivery result a recorded call stands for: reached -> delivered, not reached ->
// temporary, wrong number -> permanent. (The citizen's answer itself - accept, decline,
// other time - is for the offer workflow to apply with the row's response token.)
DeliveryResult CallOutcomeToDeliveryResult(CallOutcome outcome, std::string_view note);

struct CallListRow {
  std::string key;  // IdempotencyKey::ToString()
  std::string reference;
  std::string office_id;
  std::string citizen;
  std::string phone;
  std::string response_token;
  std::string result;  // as typed by staff; empty until called
  std::string result_note;
  int line = 0;  // the file line the row starts on (1-based; rows with a script span several)
};

// Reads a calls.csv (e.g. after staff filled in results and saved it from a spreadsheet: ';' or
// ',', with or without BOM, UTF-8 or Windows-1252, columns found by their header names; rows
// of empty fields are skipped). DataLoss naming "<path>:<line>" for malformed files.
absl::StatusOr<std::vector<CallListRow>> ReadCallList(const std::string& path);

}  // namespace rebook::notify

#endif  // REBOOK_SERVICES_NOTIFY_PHONE_PHONE_CHANNEL_H_
