// Clock: the only way rebook code reads the current time.
//
// Production code takes a `Clock&` and tests inject a `FakeClock`, so nothing depends on
// the wall clock directly. Both implementations are thread-safe.
#ifndef REBOOK_SERVICES_COMMON_CLOCK_H_
#define REBOOK_SERVICES_COMMON_CLOCK_H_

#include <atomic>
#include <chrono>

namespace rebook {

// UTC instant with one-second resolution, the time type of the whole domain.
using Instant = std::chrono::sys_seconds;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual Instant Now() const = 0;
};

// Reads the system clock.
class SystemClock final : public Clock {
 public:
  Instant Now() const override {
    return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  }
  // A process-wide instance for `main` functions to wire in.
  static SystemClock& Instance() {
    static SystemClock clock;
    return clock;
  }
};

// A clock that only moves when told to. For tests and simulations.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(Instant start) : now_(start.time_since_epoch().count()) {}
  Instant Now() const override { return Instant(std::chrono::seconds(now_.load())); }
  void Set(Instant t) { now_.store(t.time_since_epoch().count()); }
  void Advance(std::chrono::seconds d) { now_.fetch_add(d.count()); }

 private:
  std::atomic<long long> now_;
};

}  // namespace rebook

#endif  // REBOOK_SERVICES_COMMON_CLOCK_H_
