// CapacityService of API v1: offices, service types, clerks, shifts, closures, standing
// bookings, absences and the bulk import.
#ifndef REBOOK_SERVICES_API_CAPACITY_SERVICE_H_
#define REBOOK_SERVICES_API_CAPACITY_SERVICE_H_

#include "grpcpp/support/byte_buffer.h"
#include "rebook/v1/capacity.grpc.pb.h"
#include "services/api/rpc_context.h"

namespace rebook::api {

class CapacityServiceImpl final : public rebook::v1::CapacityService::Service {
 public:
  explicit CapacityServiceImpl(const ServiceEnv* env);

  using Empty = google::protobuf::Empty;
  using Ctx = grpc::ServerContext;

  grpc::Status CreateOffice(Ctx* ctx, const v1::CreateOfficeRequest* req,
                            v1::Office* resp) override;
  grpc::Status GetOffice(Ctx* ctx, const v1::GetOfficeRequest* req, v1::Office* resp) override;
  grpc::Status ListOffices(Ctx* ctx, const v1::ListOfficesRequest* req,
                           v1::ListOfficesResponse* resp) override;
  grpc::Status UpdateOffice(Ctx* ctx, const v1::UpdateOfficeRequest* req,
                            v1::Office* resp) override;
  grpc::Status DeleteOffice(Ctx* ctx, const v1::DeleteOfficeRequest* req, Empty* resp) override;

  grpc::Status CreateServiceType(Ctx* ctx, const v1::CreateServiceTypeRequest* req,
                                 v1::ServiceType* resp) override;
  grpc::Status GetServiceType(Ctx* ctx, const v1::GetServiceTypeRequest* req,
                              v1::ServiceType* resp) override;
  grpc::Status ListServiceTypes(Ctx* ctx, const v1::ListServiceTypesRequest* req,
                                v1::ListServiceTypesResponse* resp) override;
  grpc::Status UpdateServiceType(Ctx* ctx, const v1::UpdateServiceTypeRequest* req,
                                 v1::ServiceType* resp) override;
  grpc::Status DeleteServiceType(Ctx* ctx, const v1::DeleteServiceTypeRequest* req,
                                 Empty* resp) override;

  grpc::Status CreateClerk(Ctx* ctx, const v1::CreateClerkRequest* req, v1::Clerk* resp) override;
  grpc::Status GetClerk(Ctx* ctx, const v1::GetClerkRequest* req, v1::Clerk* resp) override;
  grpc::Status ListClerks(Ctx* ctx, const v1::ListClerksRequest* req,
                          v1::ListClerksResponse* resp) override;
  grpc::Status UpdateClerk(Ctx* ctx, const v1::UpdateClerkRequest* req, v1::Clerk* resp) override;
  grpc::Status DeleteClerk(Ctx* ctx, const v1::DeleteClerkRequest* req, Empty* resp) override;

  grpc::Status CreateShift(Ctx* ctx, const v1::CreateShiftRequest* req, v1::Shift* resp) override;
  grpc::Status GetShift(Ctx* ctx, const v1::GetShiftRequest* req, v1::Shift* resp) override;
  grpc::Status ListShifts(Ctx* ctx, const v1::ListShiftsRequest* req,
                          v1::ListShiftsResponse* resp) override;
  grpc::Status DeleteShift(Ctx* ctx, const v1::DeleteShiftRequest* req, Empty* resp) override;

  grpc::Status CreateClosure(Ctx* ctx, const v1::CreateClosureRequest* req,
                             v1::Closure* resp) override;
  grpc::Status ListClosures(Ctx* ctx, const v1::ListClosuresRequest* req,
                            v1::ListClosuresResponse* resp) override;
  grpc::Status DeleteClosure(Ctx* ctx, const v1::DeleteClosureRequest* req, Empty* resp) override;

  grpc::Status CreateStandingBooking(Ctx* ctx, const v1::CreateStandingBookingRequest* req,
                                     v1::StandingBooking* resp) override;
  grpc::Status ListStandingBookings(Ctx* ctx, const v1::ListStandingBookingsRequest* req,
                                    v1::ListStandingBookingsResponse* resp) override;
  grpc::Status DeleteStandingBooking(Ctx* ctx, const v1::DeleteStandingBookingRequest* req,
                                     Empty* resp) override;

  grpc::Status ReportClerkAbsence(Ctx* ctx, const v1::ReportClerkAbsenceRequest* req,
                                  v1::ReportClerkAbsenceResponse* resp) override;
  // ImportCapacity, served with raw messages (see import_stream.h).
  grpc::Status ReadImportCapacity(Ctx* ctx, grpc::ServerReader<grpc::ByteBuffer>* reader,
                                  v1::ImportCapacityResponse* resp);

 private:
  const ServiceEnv& env_;
};

}  // namespace rebook::api

#endif  // REBOOK_SERVICES_API_CAPACITY_SERVICE_H_
