// AppointmentService of API v1: bulk import, walk-ins, browsing and lifecycle changes.
#ifndef REBOOK_SERVICES_API_APPOINTMENT_SERVICE_H_
#define REBOOK_SERVICES_API_APPOINTMENT_SERVICE_H_

#include "grpcpp/support/byte_buffer.h"
#include "rebook/v1/appointments.grpc.pb.h"
#include "services/api/operation_registry.h"
#include "services/api/rpc_context.h"
#include "services/rebooking/outbox.h"

namespace rebook::api {

class AppointmentServiceImpl final : public rebook::v1::AppointmentService::Service {
 public:
  struct Options {
    // Most appointments one ImportAppointments stream may carry.
    std::int64_t max_import_appointments = 2'000'000;
    // Routes the cancellation messages of self-rebooked citizens' withdrawn offers. Not owned;
    // nullptr: the default OutboxPolicy. The server sets its own.
    const rebooking::OutboxPolicy* outbox = nullptr;
    // Where the imports report progress (GetOperation). Not owned; nullptr: nowhere.
    const OperationRegistry* operations = nullptr;
  };

  AppointmentServiceImpl(const ServiceEnv* env, Options options);

  // ImportAppointments and ImportBundle, served with raw messages (see import_stream.h).
  grpc::Status ReadImportAppointments(grpc::ServerContext* ctx,
                                      grpc::ServerReader<grpc::ByteBuffer>* reader,
                                      v1::ImportAppointmentsResponse* resp);
  grpc::Status ReadImportBundle(grpc::ServerContext* ctx,
                                grpc::ServerReader<grpc::ByteBuffer>* reader,
                                v1::ImportBundleResponse* resp);
  grpc::Status CreateAppointment(grpc::ServerContext* ctx, const v1::CreateAppointmentRequest* req,
                                 v1::Appointment* resp) override;
  grpc::Status GetAppointment(grpc::ServerContext* ctx, const v1::GetAppointmentRequest* req,
                              v1::Appointment* resp) override;
  grpc::Status ListAppointments(grpc::ServerContext* ctx, const v1::ListAppointmentsRequest* req,
                                v1::ListAppointmentsResponse* resp) override;
  grpc::Status UpdateAppointment(grpc::ServerContext* ctx, const v1::UpdateAppointmentRequest* req,
                                 v1::Appointment* resp) override;
  grpc::Status MarkSelfRebooked(grpc::ServerContext* ctx, const v1::MarkSelfRebookedRequest* req,
                                v1::Appointment* resp) override;
  grpc::Status BatchMarkSelfRebooked(grpc::ServerContext* ctx,
                                     const v1::BatchMarkSelfRebookedRequest* req,
                                     v1::BatchMarkSelfRebookedResponse* resp) override;
  grpc::Status CloseAppointment(grpc::ServerContext* ctx, const v1::CloseAppointmentRequest* req,
                                v1::Appointment* resp) override;
  grpc::Status DeleteAppointment(grpc::ServerContext* ctx, const v1::DeleteAppointmentRequest* req,
                                 google::protobuf::Empty* resp) override;
  grpc::Status ExplainSlot(grpc::ServerContext* ctx, const v1::ExplainSlotRequest* req,
                           v1::SlotExplanation* resp) override;

 private:
  const ServiceEnv& env_;
  Options options_;
};

}  // namespace rebook::api

#endif  // REBOOK_SERVICES_API_APPOINTMENT_SERVICE_H_
