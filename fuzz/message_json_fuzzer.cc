// Fuzzes the file channel's JSON line (AppendMessageJsonText) against what it replaced,
// nlohmann's document dumped (MessageToJson(...).dump()), on messages whose strings come from
// the input: parts split at lines "%%" fill the recipient, office, explanation, token, links
// and rendered parts; the first byte picks the options. Invariants: the writer succeeds exactly
// when the dump does, with the same bytes; a refused message leaves the buffer as it was; every
// string's UTF-8 verdict (FindInvalidUtf8) agrees with fuzz::IsUtf8; and a full line reads back
// (MessageFromJson) to the same strings.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "fuzz/fuzz_check.h"
#include "nlohmann/json.hpp"
#include "services/common/utf8.h"
#include "services/notify/message_json.h"
#include "services/notify/message_json_text.h"
#include "services/notify/template_set.h"

namespace notify = rebook::notify;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const notify::JsonOptions options{.include_contact = (data[0] & 1) != 0,
                                    .include_rendered = (data[0] & 2) != 0};
  const std::vector<std::string_view> parts =
      rebook::fuzz::SplitAtLines(rebook::fuzz::AsText(data + 1, size - 1), "%%", 14);
  notify::RenderedMessage r;
  r.message = notify::TemplateSet::SampleMessage(notify::MessageKind::kOffer, "de");
  if ((data[0] & 4) != 0) r.message.offer_expiry.reset();
  if ((data[0] & 8) != 0) r.message.appointment.original_start.reset();
  std::vector<std::string*> fields = {&r.message.recipient.name,
                                      &r.message.recipient.email,
                                      &r.message.recipient.phone,
                                      &r.message.office.name,
                                      &r.message.office.address,
                                      &r.message.explanation,
                                      &r.message.response_token,
                                      &r.message.links.accept,
                                      &r.message.key.appointment_id,
                                      &r.subject,
                                      &r.text,
                                      &r.html,
                                      &r.sms,
                                      &r.phone_script};
  for (std::size_t i = 0; i < parts.size() && i < fields.size(); ++i) {
    *fields[i] = std::string(parts[i]);
    REBOOK_FUZZ_CHECK((rebook::FindInvalidUtf8(*fields[i]) == std::string_view::npos) ==
                          rebook::fuzz::IsUtf8(*fields[i]),
                      "the two UTF-8 checks disagree");
  }

  std::string dumped;
  bool dump_ok = true;
  try {
    dumped = notify::MessageToJson(r, options).dump();
  } catch (const nlohmann::json::type_error&) {
    dump_ok = false;
  }
  std::string written = "x";
  const absl::Status s = notify::AppendMessageJsonText(r, options, written);
  REBOOK_FUZZ_CHECK(s.ok() == dump_ok, std::string(s.message()));
  if (!s.ok()) {
    REBOOK_FUZZ_CHECK(written == "x", "a refused message changed the buffer");
    return 0;
  }
  REBOOK_FUZZ_CHECK(written.substr(1) == dumped, dumped);
  if (options.include_contact && options.include_rendered) {
    const absl::StatusOr<notify::RenderedMessage> back =
        notify::MessageFromJson(nlohmann::json::parse(written.substr(1)));
    REBOOK_FUZZ_CHECK(back.ok(), std::string(back.status().message()));
    REBOOK_FUZZ_CHECK(back->message.recipient == r.message.recipient, "recipient");
    REBOOK_FUZZ_CHECK(back->html == r.html && back->text == r.text, "rendered");
    REBOOK_FUZZ_CHECK(back->message.explanation == r.message.explanation, "explanation");
  }
  return 0;
}
