#include "services/api/audit_policy.h"

#include <algorithm>
#include <map>

#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/wire_format_lite.h"
#include "services/api/token_digest.h"

namespace rebook::api {
namespace {

using audit::Category;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

constexpr Category kRead = Category::kPersonalDataRead;
constexpr Category kChange = Category::kPersonalDataChange;
constexpr Category kPrivileged = Category::kPrivileged;
constexpr Category kNone = Category::kNone;

const std::map<std::string, Category>& Table() {
  static const auto* table = new std::map<std::string, Category>{
      // Appointments carry citizens' names and contact data.
      {"rebook.v1.AppointmentService/ImportAppointments", kChange},
      {"rebook.v1.AppointmentService/ImportBundle", kChange},
      {"rebook.v1.AppointmentService/CreateAppointment", kChange},
      {"rebook.v1.AppointmentService/GetAppointment", kRead},
      {"rebook.v1.AppointmentService/ListAppointments", kRead},
      {"rebook.v1.AppointmentService/UpdateAppointment", kChange},
      {"rebook.v1.AppointmentService/MarkSelfRebooked", kChange},
      {"rebook.v1.AppointmentService/BatchMarkSelfRebooked", kChange},
      {"rebook.v1.AppointmentService/CloseAppointment", kChange},
      {"rebook.v1.AppointmentService/DeleteAppointment", kChange},
      // Explains one citizen's slot (their constraints, no other person).
      {"rebook.v1.AppointmentService/ExplainSlot", kRead},
      // Capacity: reference data to read, privileged to change.
      {"rebook.v1.CapacityService/CreateOffice", kPrivileged},
      {"rebook.v1.CapacityService/GetOffice", kNone},
      {"rebook.v1.CapacityService/ListOffices", kNone},
      {"rebook.v1.CapacityService/UpdateOffice", kPrivileged},
      {"rebook.v1.CapacityService/DeleteOffice", kPrivileged},
      {"rebook.v1.CapacityService/CreateServiceType", kPrivileged},
      {"rebook.v1.CapacityService/GetServiceType", kNone},
      {"rebook.v1.CapacityService/ListServiceTypes", kNone},
      {"rebook.v1.CapacityService/UpdateServiceType", kPrivileged},
      {"rebook.v1.CapacityService/DeleteServiceType", kPrivileged},
      {"rebook.v1.CapacityService/CreateClerk", kPrivileged},
      {"rebook.v1.CapacityService/GetClerk", kNone},
      {"rebook.v1.CapacityService/ListClerks", kNone},
      {"rebook.v1.CapacityService/UpdateClerk", kPrivileged},
      {"rebook.v1.CapacityService/DeleteClerk", kPrivileged},
      {"rebook.v1.CapacityService/CreateShift", kPrivileged},
      {"rebook.v1.CapacityService/GetShift", kNone},
      {"rebook.v1.CapacityService/ListShifts", kNone},
      {"rebook.v1.CapacityService/DeleteShift", kPrivileged},
      {"rebook.v1.CapacityService/CreateClosure", kPrivileged},
      {"rebook.v1.CapacityService/ListClosures", kNone},
      {"rebook.v1.CapacityService/DeleteClosure", kPrivileged},
      {"rebook.v1.CapacityService/CreateStandingBooking", kPrivileged},
      {"rebook.v1.CapacityService/ListStandingBookings", kNone},
      {"rebook.v1.CapacityService/DeleteStandingBooking", kPrivileged},
      {"rebook.v1.CapacityService/ReportClerkAbsence", kPrivileged},
      {"rebook.v1.CapacityService/ImportCapacity", kPrivileged},
      // Messages hold contact data; a lease hands it to a worker.
      {"rebook.v1.NotificationService/LeaseMessages", kRead},
      {"rebook.v1.NotificationService/ReportDelivery", kChange},
      {"rebook.v1.NotificationService/ReportDeliveries", kChange},
      {"rebook.v1.NotificationService/GetMessage", kRead},
      {"rebook.v1.NotificationService/ListMessages", kRead},
      {"rebook.v1.NotificationService/GetDeliveryStats", kNone},
      {"rebook.v1.NotificationService/RetryMessage", kPrivileged},
      // Offers: the public pair is the use of a citizen's token.
      {"rebook.v1.OfferService/GetPublicOffer", kRead},
      {"rebook.v1.OfferService/RespondToOffer", kChange},
      {"rebook.v1.OfferService/RecordResponse", kChange},
      {"rebook.v1.OfferService/GetOffer", kRead},
      {"rebook.v1.OfferService/ListOffers", kRead},
      {"rebook.v1.OfferService/ProcessExpiries", kPrivileged},
      // Outages: counts only; declaring and closing are privileged.
      {"rebook.v1.OutageService/DeclareOutage", kPrivileged},
      {"rebook.v1.OutageService/GetOutage", kNone},
      {"rebook.v1.OutageService/ListOutages", kNone},
      {"rebook.v1.OutageService/CloseOutage", kPrivileged},
      {"rebook.v1.OutageService/GetOutageImpact", kNone},
      // Plans: assignments tie a citizen's appointment to a new time.
      {"rebook.v1.PlanService/CreatePlan", kPrivileged},
      {"rebook.v1.PlanService/GetPlan", kNone},
      {"rebook.v1.PlanService/ListPlans", kNone},
      {"rebook.v1.PlanService/ListPlanAssignments", kRead},
      {"rebook.v1.PlanService/ComparePlans", kNone},
      {"rebook.v1.PlanService/CommitPlan", kPrivileged},
      {"rebook.v1.PlanService/ReplanOutage", kPrivileged},
      // The simulated clock moves deadlines and expiries.
      {"rebook.v1.SimulationService/GetSimulatedTime", kNone},
      {"rebook.v1.SimulationService/AdvanceSimulatedTime", kPrivileged},
      // Privacy: export and erasure touch a citizen's data; retention settings and purges are
      // privileged. The citizen key of a request is never taken (it is contact data).
      {"rebook.v1.PrivacyService/GetPrivacySettings", kNone},
      {"rebook.v1.PrivacyService/UpdatePrivacySettings", kPrivileged},
      {"rebook.v1.PrivacyService/ExportCitizenData", kRead},
      {"rebook.v1.PrivacyService/EraseCitizenData", kChange},
      {"rebook.v1.PrivacyService/PurgeExpiredData", kPrivileged},
      // Reading the audit log is itself recorded.
      {"rebook.v1.AuditService/ListAuditEntries", kPrivileged},
      {"rebook.v1.AuditService/VerifyAuditChain", kPrivileged},
      // The change feed has no contact data, but ties appointments to new times (as plans do).
      {"rebook.v1.ChangeService/ListChanges", kRead},
      {"rebook.v1.ChangeService/WatchChanges", kRead},
      // A backup is a copy of every office's personal data.
      {"rebook.v1.AdminService/Backup", kRead},
      // A caller's own operations: stage and counts of its writes, no personal data.
      {"rebook.v1.OperationService/GetOperation", kNone},
  };
  return *table;
}

std::string WithoutSlash(const std::string& method) {
  return !method.empty() && method[0] == '/' ? method.substr(1) : method;
}

// Fields that name the resources a call is about: at the top level of a request or response,
// and (kNestedResourceFields) inside its direct message fields, such as the items of a list.
// References to reference data (an appointment's service type) are left out.
bool IsResourceField(const std::string& field, bool nested) {
  static const char* const kTopLevel[] = {"name",    "names",       "parent", "office",
                                          "offices", "outage",      "plan",   "plan_a",
                                          "plan_b",  "appointment", "offer",  "clerk"};
  static const char* const kNested[] = {"name", "offices"};
  auto has = [&](const auto& list) {
    return std::any_of(std::begin(list), std::end(list), [&](const char* f) { return field == f; });
  };
  return nested ? has(kNested) : has(kTopLevel);
}

bool IdChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_' || c == '.' || c == '~' || c == ':';
}

// The collections of API v1's resource names (services/api/names.h), and the token digests.
bool KnownCollection(const std::string& c) {
  static const char* const kCollections[] = {
      "offices", "appointments", "offers",           "messages", "shifts", "closures",
      "clerks",  "serviceTypes", "standingBookings", "outages",  "plans",  "offer-tokens"};
  return std::any_of(std::begin(kCollections), std::end(kCollections),
                     [&](const char* k) { return c == k; });
}

// `collection/id[/collection/id...]` with known collections and id characters only, so that
// no free text (a citizen's name in a `name` field) can pass for a resource name.
bool LooksLikeResourceName(const std::string& v) {
  if (v.empty() || v.size() > 300) return false;
  std::vector<std::string> parts = absl::StrSplit(v, '/');
  if (parts.size() % 2 != 0) return false;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const std::string& p = parts[i];
    if (i % 2 == 0 ? !KnownCollection(p)
                   : (p.empty() || !std::all_of(p.begin(), p.end(), IdChar))) {
      return false;
    }
  }
  return true;
}

void Add(const std::string& v, std::vector<std::string>& out) {
  if (out.size() >= kMaxAuditResources || !LooksLikeResourceName(v)) return;
  if (std::find(out.begin(), out.end(), v) == out.end()) out.push_back(v);
}

bool IsRequestOrResponse(const google::protobuf::Descriptor& d) {
  return absl::EndsWith(d.name(), "Request") || absl::EndsWith(d.name(), "Response");
}

bool IsRequestOrResponse(const Message& m) { return IsRequestOrResponse(*m.GetDescriptor()); }

// Whether `f` holds listed records (ListedRecords counts its elements).
bool IsListField(const FieldDescriptor& f) {
  const bool names = f.name() == "names" && f.type() == FieldDescriptor::TYPE_STRING;
  return f.is_repeated() && !f.is_map() && (f.type() == FieldDescriptor::TYPE_MESSAGE || names);
}

// ListedRecords over the encoded fields of a `d` message in `in` (to its limit), added to `n`.
bool CountListed(const google::protobuf::Descriptor& d, google::protobuf::io::CodedInputStream& in,
                 std::int64_t& n) {
  using google::protobuf::internal::WireFormatLite;
  while (const std::uint32_t tag = in.ReadTag()) {
    const FieldDescriptor* f = d.FindFieldByNumber(WireFormatLite::GetTagFieldNumber(tag));
    const bool delimited =
        WireFormatLite::GetTagWireType(tag) == WireFormatLite::WIRETYPE_LENGTH_DELIMITED;
    if (f != nullptr && delimited && !f->is_repeated() &&
        f->type() == FieldDescriptor::TYPE_MESSAGE && IsRequestOrResponse(*f->message_type())) {
      std::uint32_t size = 0;
      if (!in.ReadVarint32(&size)) return false;
      const auto limit = in.PushLimit(static_cast<int>(size));
      if (!CountListed(*f->message_type(), in, n) || !in.ConsumedEntireMessage()) return false;
      in.PopLimit(limit);
      continue;
    }
    if (f != nullptr && delimited && IsListField(*f)) ++n;
    if (!WireFormatLite::SkipField(&in, tag)) return false;
  }
  return true;
}

void CollectFields(const Message& m, bool nested, std::vector<std::string>& out) {
  const Reflection* r = m.GetReflection();
  const auto* d = m.GetDescriptor();
  for (int i = 0; i < d->field_count(); ++i) {
    const FieldDescriptor* f = d->field(i);
    if (f->type() != FieldDescriptor::TYPE_STRING || !IsResourceField(f->name(), nested)) continue;
    if (f->is_repeated()) {
      for (int k = 0; k < r->FieldSize(m, f); ++k) Add(r->GetRepeatedString(m, f, k), out);
    } else {
      Add(r->GetString(m, f), out);
    }
  }
}

}  // namespace

std::optional<Category> ClassifiedCategory(const std::string& method) {
  auto it = Table().find(WithoutSlash(method));
  if (it == Table().end()) return std::nullopt;
  return it->second;
}

Category AuditCategoryOf(const std::string& method) {
  if (auto c = ClassifiedCategory(method)) return *c;
  return absl::StartsWith(WithoutSlash(method), "rebook.") ? kPrivileged : kNone;
}

bool HasRawRequests(const std::string& method) {
  const std::string m = WithoutSlash(method);
  return m == "rebook.v1.AppointmentService/ImportAppointments" ||
         m == "rebook.v1.AppointmentService/ImportBundle" ||
         m == "rebook.v1.CapacityService/ImportCapacity";
}

std::unique_ptr<Message> NewRequestMessage(const std::string& method) {
  std::string dotted = WithoutSlash(method);
  std::replace(dotted.begin(), dotted.end(), '/', '.');
  const auto* found = google::protobuf::DescriptorPool::generated_pool()->FindMethodByName(dotted);
  if (found == nullptr) return nullptr;
  const Message* prototype =
      google::protobuf::MessageFactory::generated_factory()->GetPrototype(found->input_type());
  if (prototype == nullptr) return nullptr;
  return std::unique_ptr<Message>(prototype->New());
}

bool IsPublicTokenMethod(const std::string& method) {
  const std::string m = WithoutSlash(method);
  return m == "rebook.v1.OfferService/GetPublicOffer" ||
         m == "rebook.v1.OfferService/RespondToOffer";
}

void CollectResourceNames(const Message& m, std::vector<std::string>& out) {
  CollectFields(m, /*nested=*/false, out);
  const Reflection* r = m.GetReflection();
  const auto* d = m.GetDescriptor();
  for (int i = 0; i < d->field_count(); ++i) {
    const FieldDescriptor* f = d->field(i);
    if (f->type() != FieldDescriptor::TYPE_MESSAGE || f->is_map()) continue;
    if (f->is_repeated()) {
      for (int k = 0; k < r->FieldSize(m, f) && out.size() < kMaxAuditResources; ++k) {
        CollectFields(r->GetRepeatedMessage(m, f, k), /*nested=*/true, out);
      }
    } else if (r->HasField(m, f)) {
      const Message& sub = r->GetMessage(m, f);
      if (IsRequestOrResponse(sub)) {
        CollectResourceNames(sub, out);  // a request inside a request (ImportBundle)
      } else {
        CollectFields(sub, /*nested=*/true, out);
      }
    }
  }
}

std::int64_t ListedRecords(const Message& m) {
  const Reflection* r = m.GetReflection();
  const auto* d = m.GetDescriptor();
  // A resource message (Appointment, Outage) with repeated parts is one record, not a list.
  if (!IsRequestOrResponse(m)) return 0;
  std::int64_t n = 0;
  for (int i = 0; i < d->field_count(); ++i) {
    const FieldDescriptor* f = d->field(i);
    if (!f->is_repeated() && f->type() == FieldDescriptor::TYPE_MESSAGE && r->HasField(m, f) &&
        IsRequestOrResponse(r->GetMessage(m, f))) {
      n += ListedRecords(r->GetMessage(m, f));  // a request inside a request (ImportBundle)
      continue;
    }
    if (IsListField(*f)) n += r->FieldSize(m, f);
  }
  return n;
}

std::optional<std::int64_t> ListedRecordsOfSerialized(const google::protobuf::Descriptor& type,
                                                      std::string_view bytes) {
  if (!IsRequestOrResponse(type)) return 0;
  google::protobuf::io::CodedInputStream in(reinterpret_cast<const std::uint8_t*>(bytes.data()),
                                            static_cast<int>(bytes.size()));
  std::int64_t n = 0;
  if (!CountListed(type, in, n) || !in.ConsumedEntireMessage()) return std::nullopt;
  return n;
}

std::int64_t RecordCount(const Message& m) {
  const std::int64_t listed = ListedRecords(m);
  return listed > 0 ? listed : 1;
}

std::string RequestIdOf(const Message& m) {
  const FieldDescriptor* f = m.GetDescriptor()->FindFieldByName("request_id");
  if (f == nullptr || f->type() != FieldDescriptor::TYPE_STRING || f->is_repeated()) return "";
  return m.GetReflection()->GetString(m, f);
}

std::string TokenResource(const Message& m) {
  const FieldDescriptor* f = m.GetDescriptor()->FindFieldByName("token");
  if (f == nullptr || f->type() != FieldDescriptor::TYPE_STRING || f->is_repeated()) return "";
  const std::string token = m.GetReflection()->GetString(m, f);
  if (token.empty()) return "";
  return "offer-tokens/" + TokenDigest(token).substr(0, 16);
}

}  // namespace rebook::api
