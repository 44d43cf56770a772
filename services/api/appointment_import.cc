// AppointmentService: the streamed imports (ImportAppointments and ImportBundle).
#include "services/api/appointment_service.h"
#include "services/api/import_collect.h"
#include "services/api/import_stream.h"
#include "services/api/operation_service.h"
#include "services/common/status_macros.h"

namespace rebook::api {
namespace {

constexpr char kImport[] = "rebook.v1.AppointmentService/ImportAppointments";
constexpr char kImportBundle[] = "rebook.v1.AppointmentService/ImportBundle";

}  // namespace

AppointmentServiceImpl::AppointmentServiceImpl(const ServiceEnv* env, Options options)
    : env_(*env), options_(options) {
  MarkMethodStreamed(ImportMethodIndex("rebook.v1.AppointmentService", "ImportAppointments"),
                     RawImportHandler(this, &AppointmentServiceImpl::ReadImportAppointments));
  MarkMethodStreamed(ImportMethodIndex("rebook.v1.AppointmentService", "ImportBundle"),
                     RawImportHandler(this, &AppointmentServiceImpl::ReadImportBundle));
}

grpc::Status AppointmentServiceImpl::ReadImportAppointments(
    grpc::ServerContext* ctx, grpc::ServerReader<grpc::ByteBuffer>* reader,
    v1::ImportAppointmentsResponse* resp) {
  return env_.Handle(ctx, "ImportAppointments", [&](const Call& call) -> absl::Status {
    REBOOK_RETURN_IF_ERROR(Require(call.principal, Permission::kImportAppointments));
    // The call's operation, looked up once the first message (with the request id) is read.
    std::shared_ptr<Operation> op;
    std::vector<domain::Appointment> batch;
    FieldViolations v;
    REBOOK_ASSIGN_OR_RETURN(
        ImportStream stream,
        ReadImportStream<v1::ImportAppointmentsRequest>(ctx, reader, [&](const auto& msg) {
          CollectAppointments(msg, call.principal, batch, v);
          if (op == nullptr) op = OperationOf(options_.operations, ctx);
          domain::ReportProgress(op.get(), "receiving appointments", std::ssize(batch), 0);
          return std::ssize(batch) > options_.max_import_appointments
                     ? ImportLimitError(options_.max_import_appointments)
                     : absl::OkStatus();
        }));
    REBOOK_RETURN_IF_ERROR(v.ToStatus("invalid appointments"));
    rebooking::ImportOptions options;
    options.validate_only = stream.validate_only;
    domain::ReportProgress(op.get(), "writing appointments", 0, std::ssize(batch));
    return env_.WriteIdempotent(
        call, stream.request_id, kImport, stream.fingerprint, resp,
        [&](storage::Transaction& tx) -> absl::Status {
          // The store may re-run this function: ImportAppointments leaves the batch as it is.
          REBOOK_ASSIGN_OR_RETURN(
              rebooking::ImportResult r,
              rebooking::ImportAppointments(tx, batch, env_.clock().Now(), options));
          ToProto(r, resp);
          return stream.CheckStillWanted();
        },
        stream.write_mode());
  });
}

grpc::Status AppointmentServiceImpl::ReadImportBundle(grpc::ServerContext* ctx,
                                                      grpc::ServerReader<grpc::ByteBuffer>* reader,
                                                      v1::ImportBundleResponse* resp) {
  return env_.Handle(ctx, "ImportBundle", [&](const Call& call) -> absl::Status {
    REBOOK_RETURN_IF_ERROR(Require(call.principal, Permission::kImportCapacity));
    REBOOK_RETURN_IF_ERROR(Require(call.principal, Permission::kImportAppointments));
    std::shared_ptr<Operation> op;
    rebooking::CapacityBatch capacity;
    std::vector<domain::Appointment> appointments;
    FieldViolations v;
    REBOOK_ASSIGN_OR_RETURN(
        ImportStream stream,
        ReadImportStream<v1::ImportBundleRequest>(ctx, reader, [&](const auto& msg) {
          CollectCapacity(msg.capacity(), call.principal, capacity, v);
          CollectAppointments(msg.appointments(), call.principal, appointments, v);
          if (op == nullptr) op = OperationOf(options_.operations, ctx);
          domain::ReportProgress(op.get(), "receiving bundle", std::ssize(appointments), 0);
          return std::ssize(appointments) > options_.max_import_appointments
                     ? ImportLimitError(options_.max_import_appointments)
                     : absl::OkStatus();
        }));
    CheckRepeatedClosures(capacity, v);
    REBOOK_RETURN_IF_ERROR(v.ToStatus("invalid bundle"));
    domain::ReportProgress(op.get(), "writing bundle", 0, std::ssize(appointments));
    return env_.WriteIdempotent(
        call, stream.request_id, kImportBundle, stream.fingerprint, resp,
        [&](storage::Transaction& tx) -> absl::Status {
          REBOOK_RETURN_IF_ERROR(CheckImportOwners(tx, call.principal, capacity));
          REBOOK_ASSIGN_OR_RETURN(rebooking::UpsertCounts counts,
                                  rebooking::ImportCapacity(tx, capacity));
          REBOOK_ASSIGN_OR_RETURN(
              rebooking::ImportResult r,
              rebooking::ImportAppointments(tx, appointments, env_.clock().Now(), {}));
          ToProto(counts, resp->mutable_capacity());
          ToProto(r, resp->mutable_appointments());
          return stream.CheckStillWanted();
        },
        stream.write_mode());
  });
}

}  // namespace rebook::api
