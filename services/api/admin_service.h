// AdminService: operating the server (see proto/rebook/v1/admin.proto). Backup writes a
// consistent copy of the store (storage::StoreMaintenance::Backup) to a temporary file in
// `scratch_dir` (mode 0600), streams it to the caller in chunks and deletes it, also when the
// call fails or is cancelled. One backup runs at a time; a second one meanwhile gets
// UNAVAILABLE. Admins of every office only.
#ifndef REBOOK_SERVICES_API_ADMIN_SERVICE_H_
#define REBOOK_SERVICES_API_ADMIN_SERVICE_H_

#include <mutex>
#include <string>

#include "rebook/v1/admin.grpc.pb.h"
#include "services/api/rpc_context.h"
#include "storage/store_maintenance.h"

namespace rebook::api {

class AdminServiceImpl final : public rebook::v1::AdminService::Service {
 public:
  struct Options {
    // The store's maintenance side. Not owned; null: Backup is FAILED_PRECONDITION.
    storage::StoreMaintenance* maintenance = nullptr;
    // Where the temporary copy is written: on the database's file system, not world-readable
    // (rebookd uses the database's folder). Default ".".
    std::string scratch_dir = ".";
  };

  AdminServiceImpl(const ServiceEnv* env, Options options)
      : env_(*env), options_(std::move(options)) {}

  grpc::Status Backup(grpc::ServerContext* ctx, const v1::BackupRequest* req,
                      grpc::ServerWriter<v1::BackupChunk>* writer) override;

 private:
  const ServiceEnv& env_;
  const Options options_;
  std::mutex backup_mu_;  // one backup at a time
};

}  // namespace rebook::api

#endif  // REBOOK_SERVICES_API_ADMIN_SERVICE_H_
