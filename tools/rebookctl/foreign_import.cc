#include "tools/rebookctl/foreign_import.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "rebook/v1/capacity.grpc.pb.h"
#include "services/api/convert.h"
#include "services/api/names.h"
#include "services/api/status_conversion.h"
#include "services/common/status_macros.h"
#include "services/domain/local_time.h"
#include "services/interop/csv_profile.h"
#include "services/interop/zms_import.h"
#include "tools/rebookctl/paging.h"
#include "tools/rebookctl/proto_text.h"

namespace rebook::ctl {
namespace {

namespace v1 = ::rebook::v1;
constexpr absl::string_view kProfile = "profile:";

}  // namespace

absl::Status CheckFrom(const std::string& from) {
  if (from.empty() || from == "zms") return absl::OkStatus();
  if (absl::StartsWith(from, kProfile) && from.size() > kProfile.size()) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat("--from: \"", from, "\" is neither zms nor profile:FILE"));
}

absl::StatusOr<domain::Scenario> FetchCapacity(const Client& client) {
  auto stub = v1::CapacityService::NewStub(client.channel());
  domain::Scenario s;
  FieldViolations ignored;
  v1::ListOfficesResponse offices;
  grpc::Status st = ListAll(
      v1::ListOfficesRequest(), kNoLimit,
      [&](const auto& r, auto* page) { return stub->ListOffices(client.Context().get(), r, page); },
      [](auto* resp) { return resp->mutable_offices(); }, &offices);
  if (!st.ok()) return api::FromGrpcStatus(st);
  for (const v1::Office& o : offices.offices())
    s.offices.push_back(api::FromProto(o, NameTail(o.name()), "office", ignored));
  v1::ListServiceTypesResponse services;
  st = ListAll(
      v1::ListServiceTypesRequest(), kNoLimit,
      [&](const auto& r, auto* page) {
        return stub->ListServiceTypes(client.Context().get(), r, page);
      },
      [](auto* resp) { return resp->mutable_service_types(); }, &services);
  if (!st.ok()) return api::FromGrpcStatus(st);
  for (const v1::ServiceType& x : services.service_types())
    s.services.push_back(api::FromProto(x, NameTail(x.name()), "service_type", ignored));
  v1::ListClerksResponse clerks;
  st = ListAll(
      v1::ListClerksRequest(), kNoLimit,
      [&](const auto& r, auto* page) { return stub->ListClerks(client.Context().get(), r, page); },
      [](auto* resp) { return resp->mutable_clerks(); }, &clerks);
  if (!st.ok()) return api::FromGrpcStatus(st);
  for (const v1::Clerk& c : clerks.clerks())
    s.clerks.push_back(api::FromProto(c, NameTail(c.name()), "clerk", ignored));
  return s;
}

absl::StatusOr<domain::Scenario> ReadForeignExport(const Client& client,
                                                   const ForeignImportFlags& flags,
                                                   const std::string& dir, std::ostream& notes) {
  REBOOK_RETURN_IF_ERROR(CheckFrom(flags.from));
  if (absl::StartsWith(flags.from, kProfile)) {
    REBOOK_ASSIGN_OR_RETURN(interop::CsvProfile profile,
                            interop::ReadCsvProfile(flags.from.substr(kProfile.size())));
    return interop::ReadCsvWithProfile(profile, dir);
  }
  interop::ZmsImportOptions options;
  for (const std::string& d : flags.days) {
    absl::StatusOr<domain::LocalDate> day = domain::ParseLocalDate(d);
    if (!day.ok()) {
      return absl::InvalidArgumentError(absl::StrCat("--day: \"", d, "\" is not YYYY-MM-DD"));
    }
    options.days.push_back(*day);
  }
  options.horizon_days = flags.horizon_days;
  options.time_zone = flags.time_zone;
  options.state = flags.state;
  REBOOK_ASSIGN_OR_RETURN(options.existing, FetchCapacity(client));
  REBOOK_ASSIGN_OR_RETURN(interop::ZmsImport zms, interop::ReadZmsFolder(dir, options));
  for (const std::string& n : zms.notes) notes << "note: " << n << "\n";
  return std::move(zms.scenario);
}

}  // namespace rebook::ctl
