// Fuzzes the request validation of every RPC of API v1, without a server. The first input byte
// picks an RPC among all methods of all services linked in (found in the generated descriptor
// pool, so a new RPC or service is covered without touching this file); the rest is parsed as
// that method's request message, as gRPC would. A message that parses goes through what the
// handlers do with it before they touch storage, from the client-safe rebook::api_client (so
// that this target builds without the server, storage and use cases):
//   - CheckRequestFields (request_check.h), which ServiceEnv::Handle runs for every RPC;
//   - for every message inside it, the conversion its handlers use (convert*.h): offices,
//     service types, clerks, shifts, closures, standing bookings, appointments, contacts,
//     intervals, dates, plan parameters; the enum conversions of filters; every resource-name
//     parser on every string;
//   - for a record that converts without violations, the conversion back to API v1 in a few
//     office zones, as the handler's response does.
// Not covered here (they live in the server library rebook::api): the import collectors
// (import_collect.h), the offer-response conversion (convert_rebooking.h), CheckRequestId.
// Invariants: a refused request is INVALID_ARGUMENT with at least one field violation.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "fuzz/fuzz_check.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/descriptor_database.h"
#include "google/protobuf/message.h"
#include "rebook/v1/appointments.pb.h"
#include "rebook/v1/capacity.pb.h"
#include "rebook/v1/notifications.pb.h"
#include "rebook/v1/offers.pb.h"
#include "rebook/v1/plans.pb.h"
#include "services/api/convert.h"
#include "services/api/convert_notifications.h"
#include "services/api/convert_offers.h"
#include "services/api/convert_plans.h"
#include "services/api/names.h"
#include "services/api/request_check.h"

namespace {

namespace pb = google::protobuf;
namespace api = rebook::api;
namespace v1 = rebook::v1;
using rebook::FieldViolations;

constexpr const char* kZones[] = {"Europe/Berlin", "UTC", "Pacific/Kiritimati"};

// Every method of every service in the generated pool, in name order.
const std::vector<const pb::MethodDescriptor*>& AllMethods() {
  static const std::vector<const pb::MethodDescriptor*> methods = [] {
    std::vector<std::string> files;
    pb::DescriptorPool::internal_generated_database()->FindAllFileNames(&files);
    std::vector<const pb::MethodDescriptor*> all;
    for (const std::string& name : files) {
      const pb::FileDescriptor* file = pb::DescriptorPool::generated_pool()->FindFileByName(name);
      for (int s = 0; file != nullptr && s < file->service_count(); ++s) {
        for (int m = 0; m < file->service(s)->method_count(); ++m) {
          all.push_back(file->service(s)->method(m));
        }
      }
    }
    std::sort(all.begin(), all.end(),
              [](const auto* a, const auto* b) { return a->full_name() < b->full_name(); });
    // The table of first bytes, for writing seeds (docs/fuzzing.md).
    if (std::getenv("REBOOK_FUZZ_LIST_METHODS") != nullptr) {
      for (std::size_t i = 0; i < all.size(); ++i) {
        std::fprintf(stderr, "%zu %s %s\n", i, all[i]->full_name().c_str(),
                     all[i]->input_type()->full_name().c_str());
      }
    }
    return all;
  }();
  return methods;
}

void ParseAllNames(const std::string& s) {
  const std::string f = "field";
  api::ParseOfficeName(s, f, true).status().IgnoreError();
  api::ParseServiceTypeName(s, f).status().IgnoreError();
  api::ParseClerkName(s, f).status().IgnoreError();
  api::ParseOutageName(s, f).status().IgnoreError();
  api::ParseAppointmentName(s, f).status().IgnoreError();
  api::ParseOfficeChildName(s, "shifts", f).status().IgnoreError();
  api::ParsePlanName(s, f).status().IgnoreError();
  api::ParseOfferName(s, f).status().IgnoreError();
}

// The conversions of one message (not its children: Visit walks them).
void Convert(const pb::Message& m, const std::string& path) {
  FieldViolations v;
  if (const auto* x = dynamic_cast<const v1::Office*>(&m)) {
    rebook::domain::Office o = api::FromProto(*x, "HAL", path, v);
    if (v.empty()) api::ToProto(o, std::make_unique<v1::Office>().get());
  } else if (const auto* x = dynamic_cast<const v1::ServiceType*>(&m)) {
    rebook::domain::Service s = api::FromProto(*x, "ST", path, v);
    if (v.empty()) api::ToProto(s, std::make_unique<v1::ServiceType>().get());
  } else if (const auto* x = dynamic_cast<const v1::Clerk*>(&m)) {
    rebook::domain::Clerk c = api::FromProto(*x, "anna", path, v);
    if (v.empty()) api::ToProto(c, std::make_unique<v1::Clerk>().get());
  } else if (const auto* x = dynamic_cast<const v1::Shift*>(&m)) {
    rebook::domain::Shift s = api::FromProto(*x, "HAL", "S1", path, v);
    for (const char* zone : kZones) {
      if (v.empty()) api::ToProto(s, zone, std::make_unique<v1::Shift>().get());
    }
  } else if (const auto* x = dynamic_cast<const v1::Closure*>(&m)) {
    rebook::domain::Closure c = api::FromProto(*x, "HAL", path, v);
    if (v.empty()) api::ToProto(c, std::make_unique<v1::Closure>().get());
  } else if (const auto* x = dynamic_cast<const v1::StandingBooking*>(&m)) {
    rebook::domain::StandingBooking b = api::FromProto(*x, "HAL", "B1", path, v);
    for (const char* zone : kZones) {
      if (v.empty()) api::ToProto(b, zone, std::make_unique<v1::StandingBooking>().get());
    }
  } else if (const auto* x = dynamic_cast<const v1::Appointment*>(&m)) {
    rebook::domain::Appointment a = api::FromProto(*x, path, v);
    for (const char* zone : kZones) {
      if (v.empty()) {
        api::ToProto(
            a, [zone](const std::string&) { return std::string(zone); },
            std::make_unique<v1::Appointment>().get());
      }
    }
  } else if (const auto* x = dynamic_cast<const v1::Contact*>(&m)) {
    api::ToProto(api::FromProto(*x), std::make_unique<v1::Contact>().get());
  } else if (const auto* x = dynamic_cast<const v1::TimeInterval*>(&m)) {
    api::FromIntervalProto(*x, path, v);
  } else if (const auto* x = dynamic_cast<const v1::Date*>(&m)) {
    rebook::domain::LocalDate d = api::FromDateProto(*x, path, v);
    if (v.empty()) api::ToDateProto(d, std::make_unique<v1::Date>().get());
  } else if (const auto* x = dynamic_cast<const v1::PlanParameters*>(&m)) {
    api::FromProto(*x, path, v);
  }
  if (!v.empty()) {
    absl::Status s = v.ToStatus("invalid");
    REBOOK_FUZZ_CHECK(s.code() == absl::StatusCode::kInvalidArgument, s.ToString());
  }
}

// Converts `m` and every message inside it; parses every string as a name.
void Visit(const pb::Message& m, const std::string& path, int depth) {
  if (depth > 16) return;
  Convert(m, path);
  const pb::Reflection* r = m.GetReflection();
  std::vector<const pb::FieldDescriptor*> fields;
  r->ListFields(m, &fields);
  for (const pb::FieldDescriptor* f : fields) {
    const std::string child = path + "." + f->name();
    const int n = f->is_repeated() ? r->FieldSize(m, f) : 1;
    for (int i = 0; i < n; ++i) {
      switch (f->cpp_type()) {
        case pb::FieldDescriptor::CPPTYPE_MESSAGE:
          Visit(f->is_repeated() ? r->GetRepeatedMessage(m, f, i) : r->GetMessage(m, f), child,
                depth + 1);
          break;
        case pb::FieldDescriptor::CPPTYPE_STRING:
          ParseAllNames(f->is_repeated() ? r->GetRepeatedString(m, f, i) : r->GetString(m, f));
          break;
        case pb::FieldDescriptor::CPPTYPE_ENUM: {
          const int value =
              f->is_repeated() ? r->GetRepeatedEnumValue(m, f, i) : r->GetEnumValue(m, f);
          if (f->enum_type() == v1::AppointmentStatus_descriptor()) {
            api::FromProto(static_cast<v1::AppointmentStatus>(value));
          } else if (f->enum_type() == v1::Message::State_descriptor()) {
            api::FromProto(static_cast<v1::Message::State>(value));
          } else if (f->enum_type() == v1::Offer::State_descriptor()) {
            api::FromProto(static_cast<v1::Offer::State>(value));
          } else if (f->enum_type() == v1::ServiceCategory_descriptor()) {
            api::FromProto(static_cast<v1::ServiceCategory>(value));
          }
          break;
        }
        default:
          break;
      }
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::vector<const pb::MethodDescriptor*>& methods = AllMethods();
  if (size < 1 || methods.empty()) return 0;
  const pb::MethodDescriptor* method = methods[data[0] % methods.size()];
  const pb::Message* prototype =
      pb::MessageFactory::generated_factory()->GetPrototype(method->input_type());
  if (prototype == nullptr) return 0;
  std::unique_ptr<pb::Message> request(prototype->New());
  if (!request->ParseFromArray(data + 1, static_cast<int>(size - 1))) return 0;

  // ServiceEnv::Handle: the generic rules first; a request that breaks them goes no further.
  FieldViolations v;
  api::CheckRequestFields(*request, v);
  if (!v.empty()) {
    absl::Status s = v.ToStatus("invalid request");
    REBOOK_FUZZ_CHECK(s.code() == absl::StatusCode::kInvalidArgument, s.ToString());
    REBOOK_FUZZ_CHECK(!FieldViolations::FromStatus(s).empty(), s.ToString());
    return 0;
  }
  Visit(*request, "", 0);
  return 0;
}
