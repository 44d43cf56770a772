// Precompiled for targets that speak API v1 (see cmake/RebookTargets.cmake): the gRPC and
// protobuf runtime and the generated API headers, which dominate their compile time.
#include <grpcpp/grpcpp.h>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "rebook/v1/appointments.grpc.pb.h"
#include "rebook/v1/capacity.grpc.pb.h"
#include "rebook/v1/notifications.grpc.pb.h"
#include "rebook/v1/offers.grpc.pb.h"
#include "rebook/v1/outages.grpc.pb.h"
#include "rebook/v1/plans.grpc.pb.h"
