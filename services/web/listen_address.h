// ParseIpv4Listen: the "host:port" of the web listeners (IPv4 only; port 0 picks a free one).
#ifndef REBOOK_SERVICES_WEB_LISTEN_ADDRESS_H_
#define REBOOK_SERVICES_WEB_LISTEN_ADDRESS_H_

#include <netinet/in.h>

#include <string>

#include "absl/status/statusor.h"

namespace rebook::web {

// The socket address for `address`, port in network order. INVALID_ARGUMENT names `what`
// ("http", "metrics") and the address.
absl::StatusOr<sockaddr_in> ParseIpv4Listen(const std::string& address, const std::string& what);

}  // namespace rebook::web

#endif  // REBOOK_SERVICES_WEB_LISTEN_ADDRESS_H_
