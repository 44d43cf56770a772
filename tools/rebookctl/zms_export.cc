#include "tools/rebookctl/zms_export.h"

#include <iostream>
#include <map>

#include "absl/strings/str_cat.h"
#include "rebook/v1/appointments.grpc.pb.h"
#include "rebook/v1/capacity.grpc.pb.h"
#include "rebook/v1/offers.grpc.pb.h"
#include "services/api/convert.h"
#include "services/api/status_conversion.h"
#include "services/interop/zms_export.h"
#include "tools/rebookctl/commands.h"
#include "tools/rebookctl/paging.h"
#include "tools/rebookctl/proto_text.h"

namespace rebook::ctl {
namespace {

namespace v1 = ::rebook::v1;

// "offices/{office}/appointments/{appointment}[/offers/{offer}]" -> the appointment's name.
std::string AppointmentOf(const std::string& name) {
  std::size_t offers = name.find("/offers/");
  return offers == std::string::npos ? name : name.substr(0, offers);
}

domain::ScheduledSlot SlotOf(const std::string& office, const std::string& clerk,
                             const v1::TimeInterval& interval) {
  return {NameTail(office),
          NameTail(clerk),
          {api::FromTimestamp(interval.start_time()), api::FromTimestamp(interval.end_time())}};
}

}  // namespace

absl::StatusOr<int> ExportZms(const Client& client, const std::string& outage,
                              const std::filesystem::path& dir) {
  const std::string outage_name = Qualify("outages", outage);
  auto appts_stub = v1::AppointmentService::NewStub(client.channel());
  v1::ListAppointmentsRequest req;
  req.set_parent("offices/-");
  req.set_outage(outage_name);
  req.add_statuses(v1::CONFIRMED);
  v1::ListAppointmentsResponse appts;
  grpc::Status s = ListAll(
      req, kNoLimit,
      [&](const auto& r, auto* page) {
        return appts_stub->ListAppointments(client.Context().get(), r, page);
      },
      [](auto* resp) { return resp->mutable_appointments(); }, &appts);
  if (!s.ok()) return api::FromGrpcStatus(s);

  // The accepted offers' slots, for appointments without a rebooked_slot.
  auto offers_stub = v1::OfferService::NewStub(client.channel());
  v1::ListOffersRequest oreq;
  oreq.set_parent("offices/-");
  oreq.set_outage(outage_name);
  oreq.add_states(v1::Offer::ACCEPTED);
  v1::ListOffersResponse offers;
  s = ListAll(
      oreq, kNoLimit,
      [&](const auto& r, auto* page) {
        return offers_stub->ListOffers(client.Context().get(), r, page);
      },
      [](auto* resp) { return resp->mutable_offers(); }, &offers);
  if (!s.ok()) return api::FromGrpcStatus(s);
  std::map<std::string, const v1::Offer*> accepted;
  for (const v1::Offer& o : offers.offers()) accepted[AppointmentOf(o.name())] = &o;

  std::vector<domain::Appointment> confirmed;
  for (const v1::Appointment& p : appts.appointments()) {
    FieldViolations ignored;
    domain::Appointment a = api::FromProto(p, "appointment", ignored);
    a.status = domain::AppointmentStatus::kConfirmed;
    domain::RebookedSlot slot;
    if (p.has_rebooked_slot()) {
      const v1::AppointmentSlot& r = p.rebooked_slot();
      slot.slot = SlotOf(r.office(), r.clerk(), r.interval());
      slot.confirm_time = api::FromTimestamp(r.confirm_time());
    } else if (auto it = accepted.find(p.name()); it != accepted.end()) {
      slot.slot = SlotOf(it->second->slot().office(), it->second->slot().clerk(),
                         it->second->slot().interval());
      slot.confirm_time = api::FromTimestamp(it->second->respond_time());
    } else {
      return absl::FailedPreconditionError(
          absl::StrCat(p.name(),
                       " is confirmed but has neither a rebooked slot nor an accepted "
                       "offer"));
    }
    a.rebooked_slot = slot;
    confirmed.push_back(std::move(a));
  }

  interop::ZmsExportOptions options;
  options.generated = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  auto cap_stub = v1::CapacityService::NewStub(client.channel());
  v1::ListOfficesResponse offices;
  s = ListAll(
      v1::ListOfficesRequest(), kNoLimit,
      [&](const auto& r, auto* page) {
        return cap_stub->ListOffices(client.Context().get(), r, page);
      },
      [](auto* resp) { return resp->mutable_offices(); }, &offices);
  if (!s.ok()) return api::FromGrpcStatus(s);
  for (const v1::Office& o : offices.offices())
    options.office_names[NameTail(o.name())] = o.display_name();
  return interop::WriteZmsExport(confirmed, dir, options);
}

}  // namespace rebook::ctl
