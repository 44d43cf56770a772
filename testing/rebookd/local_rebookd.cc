#include "testing/rebookd/local_rebookd.h"

#include "absl/strings/str_cat.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "services/common/status_macros.h"

namespace rebook::testing {

std::string TokenFileText(const std::vector<Principal>& principals) {
  std::string text;
  for (const Principal& p : principals) {
    absl::StrAppend(&text, p.token, " ", p.role, " ", p.offices,
                    " sha256:", api::TokenDigest(p.token), "\n");
  }
  return text;
}

absl::StatusOr<std::unique_ptr<LocalRebookd>> LocalRebookd::Start(LocalRebookdOptions options) {
  if (options.clock == nullptr || options.ids == nullptr) {
    return absl::InvalidArgumentError("LocalRebookd needs a clock and an id generator");
  }
  std::unique_ptr<LocalRebookd> rebookd(new LocalRebookd(options.folder_prefix));
  REBOOK_RETURN_IF_ERROR(rebookd->db_.status());
  REBOOK_ASSIGN_OR_RETURN(rebookd->tokens_,
                          api::TokenRegistry::Parse(TokenFileText(options.principals), "tokens"));
  if (options.seed) REBOOK_RETURN_IF_ERROR(options.seed(rebookd->store()));
  REBOOK_ASSIGN_OR_RETURN(rebookd->audit_log_, rebookd->db_.OpenAuditLog());
  options.server.audit_log = rebookd->audit_log_.get();
  options.server.listen_address = "127.0.0.1:0";
  options.server.shutdown_grace = std::chrono::seconds(5);
  REBOOK_ASSIGN_OR_RETURN(rebookd->server_,
                          api::RebookServer::Start(options.server, &rebookd->store(), options.clock,
                                                   options.ids, &rebookd->tokens_));
  rebookd->channel_ = grpc::CreateChannel(rebookd->address(), grpc::InsecureChannelCredentials());
  return rebookd;
}

LocalRebookd::~LocalRebookd() {
  server_.reset();
  audit_log_.reset();
}

std::string LocalRebookd::address() const { return absl::StrCat("127.0.0.1:", port()); }

std::unique_ptr<grpc::ClientContext> LocalRebookd::Context(const std::string& token) const {
  auto ctx = std::make_unique<grpc::ClientContext>();
  if (!token.empty()) ctx->AddMetadata("authorization", "Bearer " + token);
  ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  return ctx;
}

}  // namespace rebook::testing
