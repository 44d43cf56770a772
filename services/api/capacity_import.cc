// CapacityService: the streamed bulk import (ImportCapacity).
#include "services/api/capacity_service.h"
#include "services/api/import_collect.h"
#include "services/api/import_stream.h"
#include "services/common/status_macros.h"
#include "services/rebooking/capacity.h"

namespace rebook::api {

CapacityServiceImpl::CapacityServiceImpl(const ServiceEnv* env) : env_(*env) {
  MarkMethodStreamed(ImportMethodIndex("rebook.v1.CapacityService", "ImportCapacity"),
                     RawImportHandler(this, &CapacityServiceImpl::ReadImportCapacity));
}

grpc::Status CapacityServiceImpl::ReadImportCapacity(Ctx* ctx,
                                                     grpc::ServerReader<grpc::ByteBuffer>* reader,
                                                     v1::ImportCapacityResponse* resp) {
  return env_.Handle(ctx, "ImportCapacity", [&](const Call& call) -> absl::Status {
    REBOOK_RETURN_IF_ERROR(Require(call.principal, Permission::kImportCapacity));
    rebooking::CapacityBatch batch;
    FieldViolations v;
    REBOOK_ASSIGN_OR_RETURN(
        ImportStream stream,
        ReadImportStream<v1::ImportCapacityRequest>(ctx, reader, [&](const auto& msg) {
          CollectCapacity(msg, call.principal, batch, v);
          return absl::OkStatus();
        }));
    CheckRepeatedClosures(batch, v);
    REBOOK_RETURN_IF_ERROR(v.ToStatus("invalid capacity"));
    return env_.WriteIdempotent(
        call, stream.request_id, "CapacityService/ImportCapacity", stream.fingerprint, resp,
        [&](storage::Transaction& tx) -> absl::Status {
          REBOOK_RETURN_IF_ERROR(CheckImportOwners(tx, call.principal, batch));
          REBOOK_ASSIGN_OR_RETURN(rebooking::UpsertCounts counts,
                                  rebooking::ImportCapacity(tx, batch));
          ToProto(counts, resp);
          return stream.CheckStillWanted();
        },
        stream.write_mode());
  });
}

}  // namespace rebook::api
