// A small, portable pseudo-random generator for the scenario generator.
//
// The standard library's engines are portable, but its distributions
// (std::uniform_int_distribution, ...) are implementation-defined, so the same seed would give
// different scenarios with libstdc++ and libc++. Scenarios are test fixtures and benchmark
// inputs that must be reproducible everywhere, so all sampling goes through this class.
//
//   Rng rng(42);
//   int minutes = rng.Uniform(10, 30);     // inclusive bounds
//   Rng office_rng = rng.Fork(office_index);  // independent stream, same for every run
//
// Not thread-safe; give each thread its own (forked) instance.
#ifndef REBOOK_SERVICES_GENERATOR_INTERNAL_RANDOM_H_
#define REBOOK_SERVICES_GENERATOR_INTERNAL_RANDOM_H_

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace rebook::generator::internal {

// xoshiro256** seeded through splitmix64 (Blackman and Vigna): fast, small state, and good
// enough statistics for synthetic data.
class Rng {
 public:
  explicit Rng(std::uint64_t seed);

  std::uint64_t Next();
  // Uniform integer in [lo, hi]; requires lo <= hi.
  std::int64_t Uniform(std::int64_t lo, std::int64_t hi);
  // Uniform index in [0, n); requires n > 0.
  std::size_t Index(std::size_t n) { return static_cast<std::size_t>(Uniform(0, n - 1)); }
  // Uniform real in [0, 1).
  double Real();
  bool Bernoulli(double p) { return Real() < p; }
  // An index drawn with probability proportional to `weights[i]` (all >= 0, sum > 0).
  std::size_t Weighted(std::span<const double> weights);

  template <typename T>
  const T& Pick(std::span<const T> items) {
    return items[Index(items.size())];
  }
  template <typename T>
  const T& Pick(const std::vector<T>& items) {
    return items[Index(items.size())];
  }

  // A generator whose stream depends only on this generator's seed and `stream`, not on how
  // many numbers were drawn so far. Lets parts of a scenario be generated independently.
  Rng Fork(std::uint64_t stream) const;

 private:
  std::uint64_t seed_;
  std::uint64_t s_[4];
};

// A stable 64-bit hash of a string (FNV-1a), to derive seeds from names.
std::uint64_t StableHash(std::span<const char> text);

}  // namespace rebook::generator::internal

#endif  // REBOOK_SERVICES_GENERATOR_INTERNAL_RANDOM_H_
