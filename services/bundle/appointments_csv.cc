#include "services/bundle/appointments_csv.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/bundle/internal/fields.h"
#include "services/common/status_macros.h"
#include "services/domain/local_time.h"

namespace rebook::bundle {
namespace {

using domain::Appointment;
using internal::IdEntry;
using internal::IdIndex;

struct Columns {
  int id, office, service, original_start, earliest_start, deadline, priority, cases;
  int allowed_offices, unavailable, kind, name, phone, email, postal_address, language, channel;
};

absl::StatusOr<Columns> FindColumns(const CsvReader& csv) {
  Columns c{};
  REBOOK_ASSIGN_OR_RETURN(c.id, csv.Require("appointment_id"));
  REBOOK_ASSIGN_OR_RETURN(c.office, csv.Require("office_id"));
  REBOOK_ASSIGN_OR_RETURN(c.service, csv.Require("service_id"));
  REBOOK_ASSIGN_OR_RETURN(c.original_start, csv.Require("original_start"));
  c.earliest_start = csv.Find("earliest_start");
  c.deadline = csv.Find("deadline");
  c.priority = csv.Find("priority");
  c.cases = csv.Find("cases");
  c.allowed_offices = csv.Find("allowed_offices");
  c.unavailable = csv.Find("unavailable");
  c.kind = csv.Find("kind");
  c.name = csv.Find("citizen_name");
  c.phone = csv.Find("phone");
  c.email = csv.Find("email");
  c.postal_address = csv.Find("postal_address");
  c.language = csv.Find("language");
  c.channel = csv.Find("channel");
  return c;
}

absl::StatusOr<Appointment> ReadRow(const CsvReader& csv, const Columns& c,
                                    const std::vector<domain::Office>& offices,
                                    const IdIndex& office_ids, const IdIndex& service_ids) {
  Appointment a;
  REBOOK_ASSIGN_OR_RETURN(a.id, internal::IdField(csv, c.id));
  REBOOK_ASSIGN_OR_RETURN(a.office_id, internal::IdField(csv, c.office));
  REBOOK_ASSIGN_OR_RETURN(int office,
                          internal::Lookup(csv, c.office, a.office_id, office_ids, "office"));
  REBOOK_ASSIGN_OR_RETURN(a.service_id, internal::IdField(csv, c.service));
  REBOOK_RETURN_IF_ERROR(
      internal::Lookup(csv, c.service, a.service_id, service_ids, "service").status());
  const std::string& tz = offices[office].time_zone;
  REBOOK_ASSIGN_OR_RETURN(a.original_start, internal::TimeField(csv, c.original_start, tz));
  REBOOK_ASSIGN_OR_RETURN(a.earliest_start, internal::OptionalTimeField(csv, c.earliest_start, tz));
  REBOOK_ASSIGN_OR_RETURN(a.deadline, internal::OptionalTimeField(csv, c.deadline, tz));
  REBOOK_ASSIGN_OR_RETURN(a.priority, internal::IntField(csv, c.priority, 1, 1, 10));
  REBOOK_ASSIGN_OR_RETURN(a.cases, internal::IntField(csv, c.cases, 1, 1, 1000));
  for (const std::string& o : SplitList(csv.Field(c.allowed_offices))) {
    REBOOK_RETURN_IF_ERROR(
        internal::Lookup(csv, c.allowed_offices, o, office_ids, "office").status());
    a.allowed_offices.push_back(o);
  }
  REBOOK_ASSIGN_OR_RETURN(a.unavailable, internal::IntervalListField(csv, c.unavailable, tz));
  if (std::string_view k = csv.Field(c.kind); !k.empty()) {
    std::optional<domain::AppointmentKind> kind = domain::ParseAppointmentKind(k);
    if (!kind) {
      return csv.Error(
          c.kind, absl::StrCat("\"", std::string(k), "\" is not a kind (appointment or walk_in)"));
    }
    a.kind = *kind;
  }
  a.contact.name = std::string(csv.Field(c.name));
  a.contact.phone = std::string(csv.Field(c.phone));
  a.contact.email = std::string(csv.Field(c.email));
  a.contact.postal_address = std::string(csv.Field(c.postal_address));
  if (std::string_view l = csv.Field(c.language); !l.empty()) a.contact.language = std::string(l);
  // The spec's names (email, sms, letter, phone) and the other channels are kept; the old names
  // (phone_list, smtp) become the current ones. Other words are kept as written for the server
  // to judge (a system may accept more names).
  const std::string_view channel = csv.Field(c.channel);
  a.contact.channel = std::string(domain::CanonicalChannel(channel).value_or(channel));
  a.status = domain::AppointmentStatus::kCancelled;
  return a;
}

}  // namespace

absl::Status ForEachAppointment(CsvReader& csv, const std::vector<domain::Office>& offices,
                                const std::vector<domain::Service>& services,
                                absl::FunctionRef<absl::Status(Appointment&&)> each) {
  IdIndex office_ids, service_ids, ids;
  for (std::size_t i = 0; i < offices.size(); ++i)
    office_ids.emplace(offices[i].id, IdEntry{static_cast<int>(i)});
  for (std::size_t i = 0; i < services.size(); ++i)
    service_ids.emplace(services[i].id, IdEntry{static_cast<int>(i)});
  REBOOK_ASSIGN_OR_RETURN(Columns c, FindColumns(csv));
  for (int count = 0;; ++count) {
    REBOOK_ASSIGN_OR_RETURN(bool more, csv.Next());
    if (!more) return absl::OkStatus();
    REBOOK_ASSIGN_OR_RETURN(Appointment a, ReadRow(csv, c, offices, office_ids, service_ids));
    if (a.deadline && a.earliest_start && *a.deadline <= *a.earliest_start) {
      return csv.Error(c.deadline, "the deadline is not after earliest_start");
    }
    REBOOK_RETURN_IF_ERROR(internal::AddUnique(csv, c.id, a.id, count, ids));
    REBOOK_RETURN_IF_ERROR(each(std::move(a)));
  }
}

absl::StatusOr<std::vector<Appointment>> ReadAppointments(
    CsvReader& csv, const std::vector<domain::Office>& offices,
    const std::vector<domain::Service>& services) {
  std::vector<Appointment> out;
  REBOOK_RETURN_IF_ERROR(ForEachAppointment(csv, offices, services, [&](Appointment&& a) {
    out.push_back(std::move(a));
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<std::vector<Appointment>> ReadAppointmentsCsv(
    const std::filesystem::path& path, const std::vector<domain::Office>& offices,
    const std::vector<domain::Service>& services) {
  REBOOK_ASSIGN_OR_RETURN(auto csv, CsvReader::Open(path, path.filename().string()));
  return ReadAppointments(*csv, offices, services);
}

const std::vector<std::string>& AppointmentColumns() {
  static const std::vector<std::string> kColumns = {
      "appointment_id", "office_id",    "service_id", "original_start",  "earliest_start",
      "deadline",       "priority",     "cases",      "allowed_offices", "unavailable",
      "kind",           "citizen_name", "phone",      "email",           "postal_address",
      "language",       "channel"};
  return kColumns;
}

std::vector<std::string> AppointmentRow(const Appointment& a, std::string_view tz) {
  auto opt = [&](const std::optional<Instant>& t) {
    return t ? domain::FormatLocal(tz, *t) : std::string();
  };
  std::vector<std::string> unavailable;
  for (const domain::TimeInterval& u : a.unavailable) {
    unavailable.push_back(
        absl::StrCat(domain::FormatLocal(tz, u.start), "/", domain::FormatLocal(tz, u.end)));
  }
  return {a.id,
          a.office_id,
          a.service_id,
          domain::FormatLocal(tz, a.original_start),
          opt(a.earliest_start),
          opt(a.deadline),
          absl::StrCat(a.priority),
          absl::StrCat(a.cases),
          absl::StrJoin(a.allowed_offices, ";"),
          absl::StrJoin(unavailable, ";"),
          std::string(domain::ToString(a.kind)),
          a.contact.name,
          a.contact.phone,
          a.contact.email,
          a.contact.postal_address,
          a.contact.language,
          a.contact.channel};
}

}  // namespace rebook::bundle
