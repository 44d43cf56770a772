// Which RPCs the audit log records, and what of a call it records.
//
// Every method of API v1 (package rebook.v1) is classified here: as a read or change of
// citizens' personal data, as a privileged action, or as neither (reference data such as
// offices and outages, health). audit_policy_test walks every service of every proto file in
// proto/rebook/v1 and fails for a method missing from the table, so a new RPC cannot be
// forgotten. A rebook.v1 method missing at run time is recorded as privileged.
//
// What is recorded of a call is derived from its messages by reflection, never their content:
// resource names (fields such as `name`, `parent`, `office`, and the `name` of listed items),
// only values shaped like a resource name (`collection/id[/collection/id...]`), at most
// kMaxAuditResources; and the number of records touched.
#ifndef REBOOK_SERVICES_API_AUDIT_POLICY_H_
#define REBOOK_SERVICES_API_AUDIT_POLICY_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "google/protobuf/message.h"
#include "services/audit/audit_entry.h"

namespace rebook::api {

inline constexpr std::size_t kMaxAuditResources = 50;

// The category of a full method name ("rebook.v1.PlanService/CommitPlan", with or without a
// leading '/'); nullopt if the table does not know it.
std::optional<audit::Category> ClassifiedCategory(const std::string& method);

// What the server records for `method`: the table's category; kPrivileged for an unknown
// rebook.v1 method; kNone outside rebook.v1 (health, reflection).
audit::Category AuditCategoryOf(const std::string& method);

// True for the methods whose service receives requests as raw grpc::ByteBuffer (the import
// streams, see import_stream.h and MarkMethodStreamed): an interceptor sees their requests in
// serialized form and must parse them (RawRequestPrototype) instead of casting.
bool HasRawRequests(const std::string& method);
// A fresh message of `method`'s request type; nullptr for an unknown method.
std::unique_ptr<google::protobuf::Message> NewRequestMessage(const std::string& method);

// True for the methods citizens call with an offer token instead of a bearer token.
bool IsPublicTokenMethod(const std::string& method);

// Appends the resource names `m` names at top level and in its direct message fields (the
// `name` of an Appointment in an UpdateAppointmentRequest, of each item of a list response) to
// `out`, without duplicates, up to kMaxAuditResources. Only values of known collections
// (offices/…, outages/…/plans/…) pass: a citizen's name never does.
void CollectResourceNames(const google::protobuf::Message& m, std::vector<std::string>& out);

// Records a request or response message lists: the sizes of its top-level repeated message
// fields plus `names`; 0 for other messages (resources such as Appointment count as one
// record, not as a list of their parts).
std::int64_t ListedRecords(const google::protobuf::Message& m);
// ListedRecords of the serialized message of type `type` in `bytes`, read off the wire without
// parsing it (an import stream's later messages, once kMaxAuditResources names are known: a
// full parse of each thousand-record message cost rebookd 14 % of a region import's CPU).
// nullopt if `bytes` is not a valid encoding.
std::optional<std::int64_t> ListedRecordsOfSerialized(const google::protobuf::Descriptor& type,
                                                      std::string_view bytes);
// Records a response stands for: ListedRecords, or 1 if it lists none.
std::int64_t RecordCount(const google::protobuf::Message& m);

// The top-level `request_id` of `m`, "" if it has none.
std::string RequestIdOf(const google::protobuf::Message& m);

// For public token methods: "offer-tokens/<first 16 hex digits of SHA-256(token)>", which
// lets an auditor group the attempts on one token without storing the token; "" if `m` has
// no `token`.
std::string TokenResource(const google::protobuf::Message& m);

}  // namespace rebook::api

#endif  // REBOOK_SERVICES_API_AUDIT_POLICY_H_
