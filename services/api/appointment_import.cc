// AppointmentService: the streamed imports (ImportAppointments and ImportBundle).
#include "absl/strings/str_cat.h"
#include "services/api/appointment_service.h"
#include "services/api/import_collect.h"
#include "services/common/status_macros.h"

namespace rebook::api {
namespace {

constexpr char kImport[] = "rebook.v1.AppointmentService/ImportAppointments";
constexpr char kImportBundle[] = "rebook.v1.AppointmentService/ImportBundle";

// Reads a client stream, remembering the first message's request id and validate-only flag
// and fingerprinting every message. `collect` converts each message.
template <typename Request, typename Collect>
absl::Status ReadStream(grpc::ServerContext* ctx, grpc::ServerReader<Request>* reader,
                        std::int64_t max_appointments, RequestFingerprint& fingerprint,
                        std::string& request_id, bool& validate_only, Collect collect) {
  Request msg;
  for (bool first = true; reader->Read(&msg); first = false) {
    if (ctx->IsCancelled()) return absl::CancelledError("import cancelled by the client");
    fingerprint.Add(msg);
    if (first) {
      request_id = msg.request_id();
      validate_only = msg.validate_only();
    }
    if (collect(msg) > max_appointments) {
      return absl::ResourceExhaustedError(
          absl::StrCat("an import may carry at most ", max_appointments,
                       " appointments; split it into several imports"));
    }
  }
  return absl::OkStatus();
}

}  // namespace

grpc::Status AppointmentServiceImpl::ImportAppointments(
    grpc::ServerContext* ctx, grpc::ServerReader<v1::ImportAppointmentsRequest>* reader,
    v1::ImportAppointmentsResponse* resp) {
  return env_.Handle(ctx, "ImportAppointments", [&](const Call& call) -> absl::Status {
    REBOOK_RETURN_IF_ERROR(Require(call.principal, Permission::kImportAppointments));
    RequestFingerprint fingerprint;
    std::string request_id;
    bool validate_only = false;
    std::vector<domain::Appointment> batch;
    FieldViolations v;
    REBOOK_RETURN_IF_ERROR(ReadStream(ctx, reader, options_.max_import_appointments, fingerprint,
                                      request_id, validate_only,
                                      [&](const v1::ImportAppointmentsRequest& msg) {
                                        CollectAppointments(msg, call.principal, batch, v);
                                        return static_cast<std::int64_t>(batch.size());
                                      }));
    REBOOK_RETURN_IF_ERROR(v.ToStatus("invalid appointments"));
    rebooking::ImportOptions options;
    options.validate_only = validate_only;
    return env_.WriteIdempotent(
        call, validate_only ? "" : request_id, kImport, fingerprint.Finish(), resp,
        [&](storage::Transaction& tx) -> absl::Status {
          // The store may re-run this function: import a copy of the batch.
          REBOOK_ASSIGN_OR_RETURN(
              rebooking::ImportResult r,
              rebooking::ImportAppointments(tx, batch, env_.clock().Now(), options));
          ToProto(r, resp);
          return absl::OkStatus();
        });
  });
}

grpc::Status AppointmentServiceImpl::ImportBundle(
    grpc::ServerContext* ctx, grpc::ServerReader<v1::ImportBundleRequest>* reader,
    v1::ImportBundleResponse* resp) {
  return env_.Handle(ctx, "ImportBundle", [&](const Call& call) -> absl::Status {
    REBOOK_RETURN_IF_ERROR(Require(call.principal, Permission::kImportCapacity));
    REBOOK_RETURN_IF_ERROR(Require(call.principal, Permission::kImportAppointments));
    RequestFingerprint fingerprint;
    std::string request_id;
    bool validate_only = false;
    rebooking::CapacityBatch capacity;
    std::vector<domain::Appointment> appointments;
    FieldViolations v;
    REBOOK_RETURN_IF_ERROR(
        ReadStream(ctx, reader, options_.max_import_appointments, fingerprint, request_id,
                   validate_only, [&](const v1::ImportBundleRequest& msg) {
                     CollectCapacity(msg.capacity(), call.principal, capacity, v);
                     CollectAppointments(msg.appointments(), call.principal, appointments, v);
                     return static_cast<std::int64_t>(appointments.size());
                   }));
    REBOOK_RETURN_IF_ERROR(v.ToStatus("invalid bundle"));
    absl::Status s = env_.WriteIdempotent(
        call, validate_only ? "" : request_id, kImportBundle, fingerprint.Finish(), resp,
        [&](storage::Transaction& tx) -> absl::Status {
          REBOOK_ASSIGN_OR_RETURN(rebooking::UpsertCounts counts,
                                  rebooking::ImportCapacity(tx, capacity));
          REBOOK_ASSIGN_OR_RETURN(
              rebooking::ImportResult r,
              rebooking::ImportAppointments(tx, appointments, env_.clock().Now(), {}));
          ToProto(counts, resp->mutable_capacity());
          ToProto(r, resp->mutable_appointments());
          return validate_only ? ValidateOnlyRollback() : absl::OkStatus();
        });
    return IsValidateOnlyRollback(s) ? absl::OkStatus() : s;
  });
}

}  // namespace rebook::api
