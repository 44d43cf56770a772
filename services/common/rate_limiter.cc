#include "services/common/rate_limiter.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <algorithm>
#include <cmath>
#include <cstring>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace rebook {
namespace {

using std::chrono::nanoseconds;
using TimePoint = std::chrono::steady_clock::time_point;

// Sweep for full buckets every this many calls.
constexpr std::size_t kSweepEvery = 4096;

MonotonicNow OrSteadyClock(MonotonicNow now) {
  if (now) return now;
  return [] { return std::chrono::steady_clock::now(); };
}

RateLimiter::Options LimiterOptions(const RateLimit& limit, std::size_t max_keys,
                                    const MonotonicNow& now) {
  return {.limit = limit, .max_keys = max_keys, .now = now};
}

// The canonical text of an IP address, IPv4-mapped IPv6 as IPv4; empty if `text` is none.
std::string CanonicalIp(absl::string_view text) {
  std::string s(absl::StripAsciiWhitespace(text));
  in_addr v4{};
  char buf[INET6_ADDRSTRLEN] = {};
  if (inet_pton(AF_INET, s.c_str(), &v4) == 1) return inet_ntop(AF_INET, &v4, buf, sizeof(buf));
  if (s.size() > 2 && s.front() == '[' && s.back() == ']') s = s.substr(1, s.size() - 2);
  in6_addr v6{};
  if (inet_pton(AF_INET6, s.c_str(), &v6) != 1) return "";
  if (IN6_IS_ADDR_V4MAPPED(&v6)) {
    std::memcpy(&v4, &v6.s6_addr[12], 4);
    return inet_ntop(AF_INET, &v4, buf, sizeof(buf));
  }
  return inet_ntop(AF_INET6, &v6, buf, sizeof(buf));
}

// The bucket key of a canonical address: IPv4 as it is, IPv6 per /64 (what one subscriber gets,
// so that an attacker cannot simply walk through their own addresses).
std::string ClientBucket(const std::string& ip) {
  in6_addr v6{};
  if (inet_pton(AF_INET6, ip.c_str(), &v6) != 1) return ip;
  std::memset(&v6.s6_addr[8], 0, 8);
  char buf[INET6_ADDRSTRLEN] = {};
  return absl::StrCat(inet_ntop(AF_INET6, &v6, buf, sizeof(buf)), "/64");
}

}  // namespace

RateLimiter::RateLimiter(Options options)
    : options_{options.limit, std::max<std::size_t>(1, options.max_keys),
               OrSteadyClock(std::move(options.now))} {}

RateLimiter::Bucket& RateLimiter::Refilled(const std::string& key, TimePoint now) {
  if (++calls_since_sweep_ >= kSweepEvery || buckets_.size() >= options_.max_keys) Evict(now);
  auto [it, fresh] = buckets_.try_emplace(key, Bucket{options_.limit.burst, now});
  Bucket& b = it->second;
  if (!fresh && now > b.updated) {
    const double seconds = std::chrono::duration<double>(now - b.updated).count();
    b.tokens = std::min(options_.limit.burst, b.tokens + seconds * options_.limit.rate_per_s);
    b.updated = now;
  }
  return b;
}

nanoseconds RateLimiter::WaitFor(double missing) const {
  const double seconds = missing / options_.limit.rate_per_s;
  return nanoseconds(static_cast<std::int64_t>(std::ceil(seconds * 1e9)));
}

void RateLimiter::Evict(TimePoint now) {
  calls_since_sweep_ = 0;
  std::erase_if(buckets_, [&](const auto& entry) {
    const Bucket& b = entry.second;
    const double seconds = std::chrono::duration<double>(now - b.updated).count();
    return b.tokens + seconds * options_.limit.rate_per_s >= options_.limit.burst;
  });
  if (buckets_.size() < options_.max_keys) return;
  // Still full: drop the least recently touched eighth (at least one).
  std::vector<TimePoint> times;
  times.reserve(buckets_.size());
  for (const auto& [key, b] : buckets_) times.push_back(b.updated);
  const std::size_t drop = std::max<std::size_t>(1, times.size() / 8);
  std::nth_element(times.begin(), times.begin() + (drop - 1), times.end());
  const TimePoint cutoff = times[drop - 1];
  std::size_t dropped = 0;
  std::erase_if(buckets_, [&](const auto& entry) {
    if (dropped >= drop || entry.second.updated > cutoff) return false;
    ++dropped;
    return true;
  });
}

nanoseconds RateLimiter::Check(const std::string& key, double cost) {
  if (!options_.limit.enabled()) return nanoseconds(0);
  absl::MutexLock lock(&mu_);
  Bucket& b = Refilled(key, options_.now());
  return b.tokens >= cost ? nanoseconds(0) : WaitFor(cost - b.tokens);
}

nanoseconds RateLimiter::TryTake(const std::string& key, double cost) {
  if (!options_.limit.enabled()) return nanoseconds(0);
  absl::MutexLock lock(&mu_);
  Bucket& b = Refilled(key, options_.now());
  if (b.tokens < cost) return WaitFor(cost - b.tokens);
  b.tokens -= cost;
  return nanoseconds(0);
}

void RateLimiter::Charge(const std::string& key, double cost) {
  if (!options_.limit.enabled()) return;
  absl::MutexLock lock(&mu_);
  Bucket& b = Refilled(key, options_.now());
  b.tokens = std::max(-options_.limit.burst, b.tokens - cost);
}

std::size_t RateLimiter::size() const {
  absl::MutexLock lock(&mu_);
  return buckets_.size();
}

PublicLookupThrottle::PublicLookupThrottle(Options options)
    : options_(std::move(options)),
      requests_(LimiterOptions(options_.requests, options_.max_keys, options_.now)),
      failures_(LimiterOptions(options_.failures, options_.max_keys, options_.now)),
      prefix_failures_(LimiterOptions(options_.prefix_failures, options_.max_keys, options_.now)) {
  for (std::string& p : options_.trusted_proxies) p = CanonicalIp(p);
}

std::string PublicLookupThrottle::ClientKey(const std::string& peer_ip,
                                            const std::string& forwarded_for) const {
  std::string peer = CanonicalIp(peer_ip);
  if (peer.empty()) return peer_ip;  // not an IP peer (unix socket, in-process)
  auto trusted = [&](const std::string& a) {
    return std::find(options_.trusted_proxies.begin(), options_.trusted_proxies.end(), a) !=
           options_.trusted_proxies.end();
  };
  if (forwarded_for.empty() || !trusted(peer)) return ClientBucket(peer);
  std::vector<absl::string_view> hops = absl::StrSplit(forwarded_for, ',');
  std::string client = peer;
  for (auto hop = hops.rbegin(); hop != hops.rend() && trusted(client); ++hop) {
    std::string ip = CanonicalIp(*hop);
    if (ip.empty()) break;  // garbage: the last address we could trust is the client
    client = ip;
  }
  return ClientBucket(client);
}

std::string PublicLookupThrottle::Prefix(const std::string& token) const {
  return token.substr(0, static_cast<std::size_t>(std::max(0, options_.prefix_chars)));
}

nanoseconds PublicLookupThrottle::Admit(const std::string& client, const std::string& token) {
  nanoseconds wait = std::max(failures_.Check(client), prefix_failures_.Check(Prefix(token)));
  if (wait > nanoseconds(0)) return wait;
  return requests_.TryTake(client);
}

void PublicLookupThrottle::Record(const std::string& client, const std::string& token, bool found) {
  if (found) return;
  failures_.Charge(client);
  prefix_failures_.Charge(Prefix(token));
}

std::string PeerAddress(const std::string& grpc_peer) {
  absl::string_view p = grpc_peer;
  if (absl::ConsumePrefix(&p, "ipv4:")) {
    return std::string(p.substr(0, p.rfind(':')));
  }
  if (absl::ConsumePrefix(&p, "ipv6:")) {
    const std::size_t close = p.rfind(']');
    if (!p.empty() && p.front() == '[' && close != absl::string_view::npos) {
      return std::string(p.substr(1, close - 1));
    }
    return std::string(p);
  }
  return grpc_peer;
}

long long RetryAfterSeconds(nanoseconds wait) {
  const auto s = std::chrono::ceil<std::chrono::seconds>(wait).count();
  return std::max<long long>(1, s);
}

absl::StatusOr<std::vector<std::string>> ParseAddressList(const std::string& text) {
  std::vector<std::string> out;
  for (absl::string_view entry : absl::StrSplit(text, ',', absl::SkipWhitespace())) {
    std::string ip = CanonicalIp(entry);
    if (ip.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("\"", std::string(entry), "\" is not an IP address"));
    }
    out.push_back(std::move(ip));
  }
  return out;
}

}  // namespace rebook
