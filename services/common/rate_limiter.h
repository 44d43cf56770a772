// Token-bucket rate limits for the citizens' public offer endpoints (gRPC GetPublicOffer and
// RespondToOffer, the HTTP response page).
//
// RateLimiter keeps one token bucket per key (a client address, a token prefix): `burst` tokens
// at most, refilled at `rate_per_s`. Memory is bounded: a bucket that has refilled completely
// says nothing a fresh bucket would not, so it is dropped; and when `max_keys` buckets are in
// use, the least recently touched eighth is dropped (they were the closest to full).
//
// PublicLookupThrottle is the policy both endpoints share. Per client address, every call takes
// from a generous `request` bucket (floods of any kind); calls whose token was not found also
// take from two strict `failure` buckets, one per client address and one per token prefix (the
// first `prefix_chars` characters of the presented token), and a call is refused before its
// lookup while any of its buckets is empty. Wrong tokens thus count far more than right ones:
// citizens behind one NAT with valid links only share the generous bucket, and a brute force
// spread over many addresses still meets the prefix buckets.
//
//   PublicLookupThrottle throttle(options);
//   std::string who = throttle.ClientKey(peer_ip, x_forwarded_for);
//   if (auto wait = throttle.Admit(who, token); wait > 0ns) return TooManyRequests(wait);
//   status = Lookup(token);
//   throttle.Record(who, token, /*found=*/status.code() != kNotFound);
//
// Thread-safe. Time comes from Options::now (a monotonic clock), so tests can step it.
#ifndef REBOOK_SERVICES_COMMON_RATE_LIMITER_H_
#define REBOOK_SERVICES_COMMON_RATE_LIMITER_H_

#include <chrono>
#include <cstddef>
#include <functional>
#include <string>
#include <unordered_map>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"

namespace rebook {

using MonotonicNow = std::function<std::chrono::steady_clock::time_point()>;

// One limit: up to `burst` calls at once, `rate_per_s` on average. rate_per_s <= 0: no limit.
struct RateLimit {
  double rate_per_s = 0;
  double burst = 1;
  bool enabled() const { return rate_per_s > 0; }
};

class RateLimiter {
 public:
  struct Options {
    RateLimit limit;
    // Most buckets kept at once. Default 100000 (about 10 MB).
    std::size_t max_keys = 100000;
    // The time source; default std::chrono::steady_clock::now.
    MonotonicNow now;
  };
  explicit RateLimiter(Options options);

  // Zero if `key`'s bucket holds at least `cost` tokens (nothing is taken), else how long until
  // it will. Always zero when the limit is disabled.
  std::chrono::nanoseconds Check(const std::string& key, double cost = 1);
  // Takes `cost` tokens if the bucket holds them and returns zero; else takes nothing and
  // returns the wait, as Check.
  std::chrono::nanoseconds TryTake(const std::string& key, double cost = 1);
  // Takes `cost` tokens unconditionally (calls admitted together may overdraw the bucket by up
  // to one burst; the debt delays later calls).
  void Charge(const std::string& key, double cost = 1);

  std::size_t size() const;

 private:
  struct Bucket {
    double tokens = 0;
    std::chrono::steady_clock::time_point updated;
  };
  Bucket& Refilled(const std::string& key, std::chrono::steady_clock::time_point now)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  std::chrono::nanoseconds WaitFor(double missing) const;
  void Evict(std::chrono::steady_clock::time_point now) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const Options options_;
  mutable absl::Mutex mu_;
  std::unordered_map<std::string, Bucket> buckets_ ABSL_GUARDED_BY(mu_);
  std::size_t calls_since_sweep_ ABSL_GUARDED_BY(mu_) = 0;
};

class PublicLookupThrottle {
 public:
  struct Options {
    // Every call, per client address. Default 10/s, burst 50.
    RateLimit requests{10, 50};
    // Calls whose token was not found, per client address. Default 1 every 5 s, burst 10.
    RateLimit failures{0.2, 10};
    // Calls whose token was not found, per token prefix. Default 1 every 20 s, burst 5.
    RateLimit prefix_failures{0.05, 5};
    // Characters of the token that make its prefix. Default 2 (4096 prefixes of base64url).
    int prefix_chars = 2;
    // Peers whose X-Forwarded-For header names the client (reverse proxies), as IP addresses.
    // Empty by default: the header is ignored and the peer is the client.
    std::vector<std::string> trusted_proxies;
    // Buckets kept per limit.
    std::size_t max_keys = 100000;
    MonotonicNow now;
  };
  explicit PublicLookupThrottle(Options options);

  // The key of the client to limit: `peer_ip`, unless it is a trusted proxy and `forwarded_for`
  // (an X-Forwarded-For value) names one; then the right-most address in it that is not a
  // trusted proxy (the left part is written by the client and proves nothing). IPv6 clients
  // are keyed per /64 ("2001:db8:1:2::/64"), as one subscriber holds a whole /64.
  std::string ClientKey(const std::string& peer_ip, const std::string& forwarded_for) const;

  // Zero if a call from `client` with `token` may look the token up; else the wait before it
  // may (nothing is taken then). Takes from the client's request bucket on success.
  std::chrono::nanoseconds Admit(const std::string& client, const std::string& token);
  // After the lookup: a token that was not found takes from the failure buckets.
  void Record(const std::string& client, const std::string& token, bool found);

 private:
  std::string Prefix(const std::string& token) const;

  Options options_;
  RateLimiter requests_;
  RateLimiter failures_;
  RateLimiter prefix_failures_;
};

// "1.2.3.4" from a gRPC peer string ("ipv4:1.2.3.4:5678", "ipv6:[::1]:5678"); other peers
// (unix sockets, in-process) come back as they are.
std::string PeerAddress(const std::string& grpc_peer);

// Whole seconds to wait, rounded up and at least 1: the Retry-After value.
long long RetryAfterSeconds(std::chrono::nanoseconds wait);

// Parses a comma-separated list of IP addresses (the --trusted_proxies flag); INVALID_ARGUMENT
// naming the first entry that is not one.
absl::StatusOr<std::vector<std::string>> ParseAddressList(const std::string& text);

}  // namespace rebook

#endif  // REBOOK_SERVICES_COMMON_RATE_LIMITER_H_
