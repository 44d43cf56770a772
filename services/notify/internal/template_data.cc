#include "services/notify/internal/template_data.h"

#include <algorithm>

#include "absl/strings/str_replace.h"
#include "services/domain/short_reference.h"
#include "services/notify/local_format.h"

namespace rebook::notify::internal {
namespace {

using kainjow::mustache::data;

data DateTimeData(std::string_view language, std::string_view tz, Instant t) {
  data d;
  d.set("date", FormatLongDate(language, tz, t));
  d.set("date_short", FormatShortDate(tz, t));
  d.set("time", FormatClockTime(tz, t));
  return d;
}

}  // namespace

data BuildTemplateData(const OutgoingMessage& m, std::string_view template_language) {
  const std::string& tz = m.office.time_zone;
  data root;
  root.set("kind", std::string(ToString(m.kind)));
  root.set("language", std::string(template_language));
  root.set("token", m.response_token);
  // The short "Vorgangsnummer" staff and citizens read out; the token stays in links and QR.
  root.set("reference", domain::ShortReference(m.key.outage_id, m.key.appointment_id));

  data citizen;
  citizen.set("name", m.recipient.name);
  citizen.set("has_name",
              m.recipient.name.empty() ? data::type::bool_false : data::type::bool_true);
  root.set("citizen", citizen);

  data office;
  office.set("name", m.office.name);
  office.set("address", m.office.address);
  office.set("address_line", absl::StrReplaceAll(m.office.address, {{"\n", ", "}}));
  root.set("office", office);

  data appointment = DateTimeData(template_language, tz, m.appointment.start);
  appointment.set("service", m.appointment.service_name);
  appointment.set("start_time", FormatClockTime(tz, m.appointment.start));
  appointment.set("end_time", FormatClockTime(tz, m.appointment.end));
  appointment.set("duration_min",
                  std::to_string((m.appointment.end - m.appointment.start).count() / 60));
  root.set("appointment", appointment);

  if (m.appointment.original_start.has_value()) {
    root.set("original", DateTimeData(template_language, tz, *m.appointment.original_start));
  } else {
    root.set("original", data::type::bool_false);
  }
  if (m.offer_expiry.has_value()) {
    root.set("expiry", DateTimeData(template_language, tz, *m.offer_expiry));
  } else {
    root.set("expiry", data::type::bool_false);
  }

  data links;
  links.set("respond", m.links.respond);
  links.set("accept", m.links.accept);
  links.set("decline", m.links.decline);
  links.set("other_time", m.links.other_time);
  root.set("links", links);
  root.set("has_links", m.links.respond.empty() ? data::type::bool_false : data::type::bool_true);
  root.set("explanation", m.explanation);
  root.set("has_explanation",
           m.explanation.empty() ? data::type::bool_false : data::type::bool_true);
  return root;
}

void StrictContext::push(const kainjow::mustache::data* data) {
  items_.insert(items_.begin(), data);
}

void StrictContext::pop() { items_.erase(items_.begin()); }

const kainjow::mustache::data* StrictContext::Find(const std::string& name) const {
  if (name == ".") return items_.front();
  if (name.find('.') == std::string::npos) return get_partial(name);
  // "a.b.c": the first item in which the whole path resolves. The parts are those of kainjow's
  // split (std::getline): an empty part resolves nothing ("a..b"), a trailing dot adds none.
  for (const kainjow::mustache::data* item : items_) {
    const kainjow::mustache::data* var = item;
    for (std::size_t begin = 0; var != nullptr && begin < name.size();) {
      std::size_t end = name.find('.', begin);
      if (end == std::string::npos) end = name.size();
      part_.assign(name, begin, end - begin);
      var = var->get(part_);
      begin = end + 1;
    }
    if (var != nullptr) return var;
  }
  return nullptr;
}

const kainjow::mustache::data* StrictContext::get(const std::string& name) const {
  const kainjow::mustache::data* found = Find(name);
  if (found == nullptr && std::find(missing_.begin(), missing_.end(), name) == missing_.end()) {
    missing_.push_back(name);
  }
  return found;
}

// A plain name (no dot): the innermost item that has it. kainjow looks partials up the same way.
const kainjow::mustache::data* StrictContext::get_partial(const std::string& name) const {
  for (const kainjow::mustache::data* item : items_) {
    if (const kainjow::mustache::data* var = item->get(name)) return var;
  }
  return nullptr;
}

}  // namespace rebook::notify::internal
