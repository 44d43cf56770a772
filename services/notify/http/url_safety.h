// Outbound URL safety for channels that call configured URLs (SMS gateway, webhook).
//
// A misconfigured or malicious URL must not turn the notifier into a proxy into the
// server's own network (SSRF): cloud metadata services, link-local and private ranges.
// `ResolveSafeUrl` runs at configuration time: it parses the URL (libcurl's URL API),
// resolves the host, and refuses it if ANY resolved address is not public. The returned
// `SafeUrl` carries a CURLOPT_RESOLVE entry that pins the request to the checked addresses,
// so a DNS answer that changes later (DNS rebinding) cannot bypass the check.
//
//   REBOOK_ASSIGN_OR_RETURN(SafeUrl url, ResolveSafeUrl(config_url, {.allow_loopback = false}));
//
// Always refused: link-local (169.254.0.0/16, fe80::/10), the metadata names and addresses
// (metadata.google.internal, 169.254.169.254, fd00:ec2::254), unspecified, multicast,
// broadcast, documentation and reserved ranges. Refused unless allowed: loopback
// (127.0.0.0/8, ::1; `allow_loopback`, for tests) and private ranges (10/8, 172.16/12,
// 192.168/16, 100.64/10, fc00::/7 except the metadata address; `allow_private`, for a gateway
// inside a municipal network). Plain http is accepted only for loopback addresses.
#ifndef REBOOK_SERVICES_NOTIFY_HTTP_URL_SAFETY_H_
#define REBOOK_SERVICES_NOTIFY_HTTP_URL_SAFETY_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace rebook::notify {

struct UrlPolicy {
  bool allow_loopback = false;
  bool allow_private = false;
};

struct SafeUrl {
  std::string url;     // as configured
  std::string scheme;  // "http" or "https"
  std::string host;    // without brackets
  int port = 0;
  std::vector<std::string> addresses;  // numeric, all checked
  std::string curl_resolve;            // "host:port:addr,addr"; empty for IP-literal hosts
};

// InvalidArgument (with the reason) for malformed or refused URLs; Unavailable if the host
// does not resolve.
absl::StatusOr<SafeUrl> ResolveSafeUrl(std::string_view url, const UrlPolicy& policy);

// Why a numeric IPv4/IPv6 address is refused under `policy`; empty if it is allowed.
// "not an IP address" for anything else.
std::string RefusalReason(std::string_view ip, const UrlPolicy& policy);

}  // namespace rebook::notify

#endif  // REBOOK_SERVICES_NOTIFY_HTTP_URL_SAFETY_H_
