// RequestFingerprint: the digest WriteIdempotent compares when a request id comes again.
#include "gtest/gtest.h"
#include "rebook/v1/appointments.pb.h"
#include "services/api/rpc_context.h"

namespace rebook::api {
namespace {

v1::ImportAppointmentsRequest Batch(const std::string& request_id, const std::string& id) {
  v1::ImportAppointmentsRequest r;
  r.set_request_id(request_id);
  r.add_appointments()->set_name("offices/HAL/appointments/" + id);
  return r;
}

std::string StreamDigest(const std::vector<v1::ImportAppointmentsRequest>& stream) {
  RequestFingerprint f;
  for (const auto& m : stream) f.Add(m);
  return f.Finish();
}

// A message with a request id is hashed as a copy without it, one without as it is: both
// must hash the same bytes, or a stored fingerprint would stop matching its retry.
TEST(RequestFingerprintTest, TheRequestIdIsNotPartOfIt) {
  EXPECT_EQ(Fingerprint(Batch("r-1", "a-1")), Fingerprint(Batch("", "a-1")));
  EXPECT_EQ(Fingerprint(Batch("r-1", "a-1")), Fingerprint(Batch("r-2", "a-1")));
  EXPECT_NE(Fingerprint(Batch("r-1", "a-1")), Fingerprint(Batch("r-1", "a-2")));
}

TEST(RequestFingerprintTest, AStreamIsHashedInOrderWithoutItsRequestId) {
  const std::string first = StreamDigest({Batch("r-1", "a-1"), Batch("", "a-2")});
  EXPECT_EQ(first, StreamDigest({Batch("", "a-1"), Batch("", "a-2")}));
  EXPECT_EQ(first, StreamDigest({Batch("r-9", "a-1"), Batch("r-9", "a-2")}));
  EXPECT_NE(first, StreamDigest({Batch("r-1", "a-2"), Batch("", "a-1")}));
  EXPECT_NE(first, StreamDigest({Batch("r-1", "a-1")}));
}

}  // namespace
}  // namespace rebook::api
