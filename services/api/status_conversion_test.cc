#include "services/api/status_conversion.h"

#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "gtest/gtest.h"
#include "services/common/field_violations.h"

namespace rebook::api {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(StatusConversionTest, OkIsOk) {
  EXPECT_TRUE(ToGrpcStatus(absl::OkStatus()).ok());
  EXPECT_TRUE(FromGrpcStatus(grpc::Status::OK).ok());
}

TEST(StatusConversionTest, CodesAndMessagesSurviveTheRoundTrip) {
  for (const absl::Status& s :
       {absl::NotFoundError("appointment \"x\" not found"), absl::AbortedError("changed meanwhile"),
        absl::PermissionDeniedError("clerks may not"), absl::FailedPreconditionError("closed"),
        absl::UnavailableError("busy"), absl::AlreadyExistsError("dup")}) {
    grpc::Status g = ToGrpcStatus(s);
    EXPECT_EQ(static_cast<int>(g.error_code()), static_cast<int>(s.code()));
    EXPECT_EQ(g.error_message(), s.message());
    EXPECT_EQ(FromGrpcStatus(g), s);
  }
}

TEST(StatusConversionTest, FieldViolationsTravelAsBadRequest) {
  FieldViolations v;
  v.Add("appointments[2].priority", "must be 1 to 10, not 11", "OUT_OF_RANGE");
  v.Add("appointments[4].contact.channel", "unknown channel \"fax\"", "UNKNOWN_CHANNEL");
  grpc::Status g = ToGrpcStatus(v.ToStatus("invalid appointments"));
  ASSERT_EQ(g.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  google::rpc::Status rich;
  ASSERT_TRUE(rich.ParseFromString(g.error_details()));
  EXPECT_EQ(rich.code(), static_cast<int>(grpc::StatusCode::INVALID_ARGUMENT));
  ASSERT_EQ(rich.details_size(), 1);
  google::rpc::BadRequest bad;
  ASSERT_TRUE(rich.details(0).UnpackTo(&bad));
  ASSERT_EQ(bad.field_violations_size(), 2);
  EXPECT_EQ(bad.field_violations(1).field(), "appointments[4].contact.channel");
  EXPECT_EQ(bad.field_violations(1).reason(), "UNKNOWN_CHANNEL");
  // And back, as a client reads them.
  absl::Status back = FromGrpcStatus(g);
  EXPECT_EQ(back.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(FieldViolations::FromStatus(back), v.violations());
}

TEST(StatusConversionTest, InternalDetailsStayInTheServer) {
  for (const absl::Status& s : {absl::InternalError("SQLITE_CORRUPT at /var/lib/rebook/rebook.db"),
                                absl::UnknownError("boom in row 7"), absl::DataLossError("torn")}) {
    grpc::Status g = ToGrpcStatus(s);
    EXPECT_EQ(static_cast<int>(g.error_code()), static_cast<int>(s.code()));
    EXPECT_THAT(g.error_message(), HasSubstr("internal error (incident "));
    EXPECT_THAT(g.error_message(), Not(HasSubstr(std::string(s.message()))));
  }
}

TEST(StatusConversionTest, ForeignDetailsAreIgnored) {
  absl::Status s = FromGrpcStatus(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "bad", "\xff"));
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(), "bad");
  EXPECT_TRUE(FieldViolations::FromStatus(s).empty());
}

}  // namespace
}  // namespace rebook::api
