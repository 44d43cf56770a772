#include "tests/e2e/import_streams.h"

#include "absl/strings/str_cat.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/descriptor_database.h"
#include "grpcpp/impl/rpc_method.h"
#include "rebook/v1/appointments.grpc.pb.h"
#include "rebook/v1/capacity.grpc.pb.h"
#include "tests/support/test_server.h"

namespace rebook::testing {
namespace {

namespace v1 = ::rebook::v1;

v1::Office MakeOffice(const std::string& id) {
  v1::Office o;
  o.set_name("offices/" + id);
  o.set_display_name("Bürgerbüro " + id);
  o.set_state("DE-ST");
  o.set_time_zone("Europe/Berlin");
  o.set_address("Marktplatz 1\n06108 Halle (Saale)");
  return o;
}

std::unique_ptr<grpc::ClientContext> AdminContext() {
  auto ctx = std::make_unique<grpc::ClientContext>();
  ctx->AddMetadata("authorization", "Bearer admin");
  ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  return ctx;
}

}  // namespace

const std::map<std::string, MessageMaker>& Makers() {
  static const auto* makers = new std::map<std::string, MessageMaker>{
      {"/rebook.v1.CapacityService/ImportCapacity",
       [](int i, const std::string& request_id) {
         v1::ImportCapacityRequest r;
         if (i == 0) r.set_request_id(request_id);
         *r.add_offices() = MakeOffice(absl::StrCat("cut", i));
         return r.SerializeAsString();
       }},
      {"/rebook.v1.AppointmentService/ImportAppointments",
       [](int i, const std::string& request_id) {
         v1::ImportAppointmentsRequest r;
         if (i == 0) r.set_request_id(request_id);
         *r.add_appointments() = MakeAppointment("A", absl::StrCat("cut", i), 60 + i);
         return r.SerializeAsString();
       }},
      {"/rebook.v1.AppointmentService/ImportBundle",
       [](int i, const std::string& request_id) {
         v1::ImportBundleRequest r;
         if (i == 0) r.set_request_id(request_id);
         *r.mutable_capacity()->add_offices() = MakeOffice(absl::StrCat("cut", i));
         *r.mutable_appointments()->add_appointments() =
             MakeAppointment("A", absl::StrCat("cut", i), 60 + i);
         return r.SerializeAsString();
       }},
  };
  return *makers;
}

int RowsPerMessage(const std::string& method) {
  return method.find("ImportBundle") != std::string::npos ? 2 : 1;
}

std::vector<std::string> ClientStreamingMethods() {
  std::vector<std::string> files;
  google::protobuf::DescriptorPool::internal_generated_database()->FindAllFileNames(&files);
  std::vector<std::string> methods;
  for (const std::string& name : files) {
    if (name.rfind("rebook/", 0) != 0) continue;
    const auto* file = google::protobuf::DescriptorPool::generated_pool()->FindFileByName(name);
    for (int s = 0; file != nullptr && s < file->service_count(); ++s) {
      for (int m = 0; m < file->service(s)->method_count(); ++m) {
        const auto* method = file->service(s)->method(m);
        if (method->client_streaming()) {
          methods.push_back(absl::StrCat("/", file->service(s)->full_name(), "/", method->name()));
        }
      }
    }
  }
  return methods;
}

std::string MethodName(const std::string& method) { return method.substr(method.rfind('/') + 1); }

RawStream::RawStream(const std::shared_ptr<grpc::Channel>& channel, const std::string& method,
                     std::chrono::milliseconds deadline) {
  ctx_.AddMetadata("authorization", "Bearer admin");
  ctx_.set_deadline(std::chrono::system_clock::now() + deadline);
  writer_.reset(grpc::internal::ClientWriterFactory<grpc::ByteBuffer>::Create(
      channel.get(),
      grpc::internal::RpcMethod(method.c_str(), grpc::internal::RpcMethod::CLIENT_STREAMING), &ctx_,
      &response_));
}

bool RawStream::Write(const std::string& bytes) {
  grpc::Slice slice(bytes);
  return writer_->Write(grpc::ByteBuffer(&slice, 1));
}

grpc::Status RawStream::Finish() {
  writer_->WritesDone();
  return writer_->Finish();
}

bool WriteMessages(RawStream& stream, const std::string& method, int n,
                   const std::string& request_id) {
  for (int i = 0; i < n; ++i) {
    if (!stream.Write(Makers().at(method)(i, request_id))) return false;
  }
  return true;
}

int CountImportedRows(const std::shared_ptr<grpc::Channel>& channel) {
  auto capacity = v1::CapacityService::NewStub(channel);
  v1::ListOfficesRequest lo;
  lo.set_page_size(1000);
  v1::ListOfficesResponse offices;
  if (!capacity->ListOffices(AdminContext().get(), lo, &offices).ok()) return -1;
  auto appointments = v1::AppointmentService::NewStub(channel);
  v1::ListAppointmentsRequest la;
  la.set_parent("offices/-");
  la.set_page_size(1000);
  v1::ListAppointmentsResponse appts;
  if (!appointments->ListAppointments(AdminContext().get(), la, &appts).ok()) return -1;
  return offices.offices_size() + appts.appointments_size();
}

}  // namespace rebook::testing
