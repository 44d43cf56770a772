#include "services/notify/http/url_safety.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netdb.h>
#include <sys/socket.h>

#include <array>
#include <cstdint>
#include <cstring>
#include <memory>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace rebook::notify {
namespace {

struct V4Range {
  std::uint32_t base;
  int bits;
};

bool InV4(std::uint32_t a, V4Range r) {
  const std::uint32_t mask = r.bits == 0 ? 0 : ~std::uint32_t{0} << (32 - r.bits);
  return (a & mask) == (r.base & mask);
}

constexpr std::uint32_t V4(int a, int b, int c, int d) {
  return (std::uint32_t(a) << 24) | (std::uint32_t(b) << 16) | (std::uint32_t(c) << 8) |
         std::uint32_t(d);
}

std::string V4Reason(std::uint32_t a, const UrlPolicy& p) {
  if (a == V4(169, 254, 169, 254)) return "cloud metadata address";
  if (InV4(a, {V4(169, 254, 0, 0), 16})) return "link-local address";
  if (InV4(a, {V4(127, 0, 0, 0), 8})) return p.allow_loopback ? "" : "loopback address";
  for (V4Range r : {V4Range{V4(10, 0, 0, 0), 8}, V4Range{V4(172, 16, 0, 0), 12},
                    V4Range{V4(192, 168, 0, 0), 16}, V4Range{V4(100, 64, 0, 0), 10}}) {
    if (InV4(a, r)) return p.allow_private ? "" : "private address";
  }
  for (V4Range r : {V4Range{V4(0, 0, 0, 0), 8}, V4Range{V4(192, 0, 0, 0), 24},
                    V4Range{V4(192, 0, 2, 0), 24}, V4Range{V4(198, 18, 0, 0), 15},
                    V4Range{V4(198, 51, 100, 0), 24}, V4Range{V4(203, 0, 113, 0), 24},
                    V4Range{V4(224, 0, 0, 0), 4}, V4Range{V4(240, 0, 0, 0), 4}}) {
    if (InV4(a, r)) return "reserved or non-unicast address";
  }
  return "";
}

bool InV6(const std::array<std::uint8_t, 16>& a, const std::array<std::uint8_t, 16>& base,
          int bits) {
  for (int i = 0; i < 16 && bits > 0; ++i, bits -= 8) {
    const std::uint8_t mask = bits >= 8 ? 0xff : static_cast<std::uint8_t>(0xff << (8 - bits));
    if ((a[i] & mask) != (base[i] & mask)) return false;
  }
  return true;
}

std::array<std::uint8_t, 16> V6(const char* text) {
  std::array<std::uint8_t, 16> out{};
  inet_pton(AF_INET6, text, out.data());
  return out;
}

std::string V6Reason(const std::array<std::uint8_t, 16>& a, const UrlPolicy& p) {
  if (a == V6("fd00:ec2::254")) return "cloud metadata address";
  if (InV6(a, V6("::ffff:0:0"), 96)) {  // IPv4-mapped: judge the IPv4 address
    return V4Reason(V4(a[12], a[13], a[14], a[15]), p);
  }
  if (a == V6("::1")) return p.allow_loopback ? "" : "loopback address";
  if (a == V6("::")) return "unspecified address";
  if (InV6(a, V6("fe80::"), 10)) return "link-local address";
  if (InV6(a, V6("fc00::"), 7)) return p.allow_private ? "" : "private (unique local) address";
  if (InV6(a, V6("ff00::"), 8)) return "multicast address";
  if (InV6(a, V6("2001:db8::"), 32)) return "documentation address";
  if (InV6(a, V6("64:ff9b::"), 96) || InV6(a, V6("::"), 96)) {
    return "IPv4-translated or -compatible address";
  }
  if (!InV6(a, V6("2000::"), 3)) return "address outside the global unicast range";
  return "";
}

bool IsLoopback(std::string_view ip) {
  return ip.starts_with("127.") || ip == "::1" || ip.starts_with("::ffff:127.");
}

struct UrlDeleter {
  void operator()(CURLU* u) const { curl_url_cleanup(u); }
};

std::string UrlPart(CURLU* u, CURLUPart part) {
  char* value = nullptr;
  if (curl_url_get(u, part, &value, CURLU_DEFAULT_PORT) != CURLUE_OK || value == nullptr) {
    return "";
  }
  std::string out(value);
  curl_free(value);
  return out;
}

}  // namespace

std::string RefusalReason(std::string_view ip, const UrlPolicy& policy) {
  const std::string text(ip);
  std::array<std::uint8_t, 16> v6{};
  in_addr v4{};
  if (inet_pton(AF_INET, text.c_str(), &v4) == 1) return V4Reason(ntohl(v4.s_addr), policy);
  if (inet_pton(AF_INET6, text.c_str(), v6.data()) == 1) return V6Reason(v6, policy);
  return "not an IP address";
}

absl::StatusOr<SafeUrl> ResolveSafeUrl(std::string_view url, const UrlPolicy& policy) {
  const std::string text(url);
  std::unique_ptr<CURLU, UrlDeleter> u(curl_url());
  if (curl_url_set(u.get(), CURLUPART_URL, text.c_str(), 0) != CURLUE_OK) {
    return absl::InvalidArgumentError(absl::StrCat("\"", text, "\" is not a valid URL"));
  }
  SafeUrl out;
  out.url = text;
  out.scheme = absl::AsciiStrToLower(UrlPart(u.get(), CURLUPART_SCHEME));
  out.host = absl::AsciiStrToLower(UrlPart(u.get(), CURLUPART_HOST));
  const std::string port = UrlPart(u.get(), CURLUPART_PORT);
  out.port = port.empty() ? 0 : std::atoi(port.c_str());
  if (out.scheme != "https" && out.scheme != "http") {
    return absl::InvalidArgumentError(absl::StrCat(text, ": only http(s) URLs are allowed"));
  }
  if (!UrlPart(u.get(), CURLUPART_USER).empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(text, ": credentials in the URL are not allowed; use a header key"));
  }
  const bool literal = absl::StartsWith(out.host, "[");
  if (literal) out.host = out.host.substr(1, out.host.size() - 2);
  std::string bare_host = out.host;
  while (!bare_host.empty() && bare_host.back() == '.') bare_host.pop_back();
  if (bare_host == "metadata.google.internal" || bare_host == "metadata.goog" ||
      bare_host == "metadata") {
    return absl::InvalidArgumentError(absl::StrCat(text, ": refused: cloud metadata host"));
  }

  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* result = nullptr;
  if (int rc = getaddrinfo(out.host.c_str(), nullptr, &hints, &result); rc != 0) {
    return absl::UnavailableError(
        absl::StrCat(text, ": cannot resolve ", out.host, ": ", gai_strerror(rc)));
  }
  for (addrinfo* ai = result; ai != nullptr; ai = ai->ai_next) {
    char buf[INET6_ADDRSTRLEN] = {};
    const void* addr =
        ai->ai_family == AF_INET
            ? static_cast<const void*>(&reinterpret_cast<sockaddr_in*>(ai->ai_addr)->sin_addr)
            : static_cast<const void*>(&reinterpret_cast<sockaddr_in6*>(ai->ai_addr)->sin6_addr);
    if (inet_ntop(ai->ai_family, addr, buf, sizeof(buf)) == nullptr) continue;
    std::string ip(buf);
    bool seen = false;
    for (const std::string& a : out.addresses) seen = seen || a == ip;
    if (!seen) out.addresses.push_back(std::move(ip));
  }
  freeaddrinfo(result);
  if (out.addresses.empty()) {
    return absl::UnavailableError(absl::StrCat(text, ": ", out.host, " has no address"));
  }
  for (const std::string& ip : out.addresses) {
    if (std::string why = RefusalReason(ip, policy); !why.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat(text, ": refused: ", out.host, " resolves to ", ip, " (", why, ")"));
    }
    if (out.scheme == "http" && !IsLoopback(ip)) {
      return absl::InvalidArgumentError(
          absl::StrCat(text, ": plain http is only allowed for loopback; use https"));
    }
  }
  if (!literal && RefusalReason(out.host, policy) == "not an IP address") {
    std::vector<std::string> pinned;
    for (const std::string& ip : out.addresses) {
      pinned.push_back(ip.find(':') != std::string::npos ? absl::StrCat("[", ip, "]") : ip);
    }
    out.curl_resolve = absl::StrCat(out.host, ":", out.port, ":", absl::StrJoin(pinned, ","));
  }
  return out;
}

}  // namespace rebook::notify
