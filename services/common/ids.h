// IdGenerator: where new resource ids come from, injected so tests get predictable ids.
#ifndef REBOOK_SERVICES_COMMON_IDS_H_
#define REBOOK_SERVICES_COMMON_IDS_H_

#include <atomic>
#include <cstdint>
#include <mutex>
#include <random>
#include <string>

#include "absl/strings/str_cat.h"

namespace rebook {

class IdGenerator {
 public:
  virtual ~IdGenerator() = default;
  // A new id such as "o-7k2m9x4q1c"; `prefix` names the kind. Thread-safe.
  virtual std::string NewId(const std::string& prefix) = 0;
};

// 10 random characters of a lowercase base-32 alphabet (50 bits): enough to never collide
// within one deployment, short enough for staff to read out on the phone. Not for secrets.
class RandomIdGenerator final : public IdGenerator {
 public:
  RandomIdGenerator() : rng_(std::random_device{}()) {}
  explicit RandomIdGenerator(std::uint64_t seed) : rng_(seed) {}

  std::string NewId(const std::string& prefix) override {
    static constexpr char kAlphabet[] = "0123456789abcdefghjkmnpqrstvwxyz";
    std::string id = prefix + "-";
    std::lock_guard<std::mutex> lock(mu_);
    std::uint64_t bits = rng_();
    for (int i = 0; i < 10; ++i, bits >>= 5) id.push_back(kAlphabet[bits & 31]);
    return id;
  }

 private:
  std::mutex mu_;
  std::mt19937_64 rng_;
};

// "prefix-1", "prefix-2", ... For tests.
class SequentialIdGenerator final : public IdGenerator {
 public:
  std::string NewId(const std::string& prefix) override {
    return absl::StrCat(prefix, "-", ++next_);
  }

 private:
  std::atomic<std::int64_t> next_{0};
};

}  // namespace rebook

#endif  // REBOOK_SERVICES_COMMON_IDS_H_
