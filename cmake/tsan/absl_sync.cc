// Makes Debian's (uninstrumented) absl::Mutex and absl::CondVar visible to ThreadSanitizer.
// Linked into every executable of the tsan preset only (rebook_tsan_runtime in
// ThreadSanitizer.cmake); never into a shipped binary.
//
// TSan sees the synchronization of instrumented code and of pthread calls it intercepts. Debian
// builds Abseil without TSan, so absl::Mutex (which rebook uses, and which gRPC's own locks are
// built on) locks and unlocks through atomics and futexes TSan never sees: every variable
// guarded by one would be reported as a race. The definitions below interpose the library's
// lock, unlock, await and wait functions (the executable's definitions take precedence over the
// shared library's), tell TSan what they do with its mutex annotations (the same calls Abseil
// makes when it is itself built with TSan), and call the library's function, found with
// dlsym(RTLD_NEXT). Condition functions run by Abseil while it holds the lock on another
// thread's behalf are inside the annotation brackets, where TSan ignores memory accesses.
// The *WithTimeout variants are not interposed: the library implements each by calling its
// *WithDeadline twin, which is (annotating both would annotate the wait twice).
#include <dlfcn.h>
#include <sanitizer/tsan_interface.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "absl/synchronization/mutex.h"

#define REBOOK_TSAN_STR2(x) #x
#define REBOOK_TSAN_STR(x) REBOOK_TSAN_STR2(x)

namespace {

// The library's definition of `name` in the absl namespace, mangled as
// _ZN4absl<len><inline namespace><rest>.
template <typename Fn>
Fn Real(const char* nested_name) {
  const char* ns = REBOOK_TSAN_STR(ABSL_OPTION_INLINE_NAMESPACE_NAME);
  std::string mangled = "_ZN4absl" + std::to_string(std::strlen(ns)) + ns + nested_name;
  void* f = dlsym(RTLD_NEXT, mangled.c_str());
  if (f == nullptr) {
    std::fprintf(stderr, "tsan absl_sync: %s not found\n", mangled.c_str());
    std::abort();
  }
  return reinterpret_cast<Fn>(f);
}

// absl::Mutex's word: held by a writer / by readers (absl/synchronization/mutex.cc).
constexpr std::intptr_t kMuWriter = 0x0008;

}  // namespace

namespace absl {
ABSL_NAMESPACE_BEGIN

void Mutex::Lock() {
  static const auto real = Real<void (*)(Mutex*)>("5Mutex4LockEv");
  __tsan_mutex_pre_lock(this, 0);
  real(this);
  __tsan_mutex_post_lock(this, 0, 0);
}

void Mutex::ReaderLock() {
  static const auto real = Real<void (*)(Mutex*)>("5Mutex10ReaderLockEv");
  __tsan_mutex_pre_lock(this, __tsan_mutex_read_lock);
  real(this);
  __tsan_mutex_post_lock(this, __tsan_mutex_read_lock, 0);
}

bool Mutex::TryLock() {
  static const auto real = Real<bool (*)(Mutex*)>("5Mutex7TryLockEv");
  __tsan_mutex_pre_lock(this, __tsan_mutex_try_lock);
  bool locked = real(this);
  __tsan_mutex_post_lock(this, __tsan_mutex_try_lock | (locked ? 0 : __tsan_mutex_try_lock_failed),
                         0);
  return locked;
}

bool Mutex::ReaderTryLock() {
  static const auto real = Real<bool (*)(Mutex*)>("5Mutex13ReaderTryLockEv");
  const unsigned flags = __tsan_mutex_read_lock | __tsan_mutex_try_lock;
  __tsan_mutex_pre_lock(this, flags);
  bool locked = real(this);
  __tsan_mutex_post_lock(this, flags | (locked ? 0 : __tsan_mutex_try_lock_failed), 0);
  return locked;
}

void Mutex::Unlock() {
  static const auto real = Real<void (*)(Mutex*)>("5Mutex6UnlockEv");
  __tsan_mutex_pre_unlock(this, 0);
  real(this);
  __tsan_mutex_post_unlock(this, 0);
}

void Mutex::ReaderUnlock() {
  static const auto real = Real<void (*)(Mutex*)>("5Mutex12ReaderUnlockEv");
  __tsan_mutex_pre_unlock(this, __tsan_mutex_read_lock);
  real(this);
  __tsan_mutex_post_unlock(this, __tsan_mutex_read_lock);
}

namespace {

// Runs `wait`, which releases `mu` (held by this thread) and holds it again when it returns,
// as a release and a later acquire of `mu`. The condition checks inside are ignored.
template <typename Wait>
auto AnnotatedWait(Mutex* mu, bool writer, Wait wait) {
  const unsigned flags = writer ? 0 : __tsan_mutex_read_lock;
  __tsan_mutex_pre_unlock(mu, flags);
  __tsan_mutex_post_unlock(mu, flags);
  __tsan_mutex_pre_lock(mu, flags);
  auto result = wait();
  __tsan_mutex_post_lock(mu, flags, 0);
  return result;
}

// Runs `lock`, which takes `mu` when a condition holds, as an acquire.
template <typename Lock>
auto AnnotatedLock(Mutex* mu, unsigned flags, Lock lock) {
  __tsan_mutex_pre_lock(mu, flags);
  auto result = lock();
  __tsan_mutex_post_lock(mu, flags, 0);
  return result;
}

}  // namespace

void Mutex::Await(const Condition& cond) {
  static const auto real =
      Real<void (*)(Mutex*, const Condition&)>("5Mutex5AwaitERKNS0_9ConditionE");
  AnnotatedWait(this, mu_.load(std::memory_order_relaxed) & kMuWriter, [&] {
    real(this, cond);
    return 0;
  });
}

bool Mutex::AwaitWithDeadline(const Condition& cond, absl::Time deadline) {
  static const auto real = Real<bool (*)(Mutex*, const Condition&, absl::Time)>(
      "5Mutex17AwaitWithDeadlineERKNS0_9ConditionENS0_4TimeE");
  return AnnotatedWait(this, mu_.load(std::memory_order_relaxed) & kMuWriter,
                       [&] { return real(this, cond, deadline); });
}

void Mutex::LockWhen(const Condition& cond) {
  static const auto real =
      Real<void (*)(Mutex*, const Condition&)>("5Mutex8LockWhenERKNS0_9ConditionE");
  AnnotatedLock(this, 0, [&] {
    real(this, cond);
    return 0;
  });
}

void Mutex::ReaderLockWhen(const Condition& cond) {
  static const auto real =
      Real<void (*)(Mutex*, const Condition&)>("5Mutex14ReaderLockWhenERKNS0_9ConditionE");
  AnnotatedLock(this, __tsan_mutex_read_lock, [&] {
    real(this, cond);
    return 0;
  });
}

bool Mutex::LockWhenWithDeadline(const Condition& cond, absl::Time deadline) {
  static const auto real = Real<bool (*)(Mutex*, const Condition&, absl::Time)>(
      "5Mutex20LockWhenWithDeadlineERKNS0_9ConditionENS0_4TimeE");
  return AnnotatedLock(this, 0, [&] { return real(this, cond, deadline); });
}

bool Mutex::ReaderLockWhenWithDeadline(const Condition& cond, absl::Time deadline) {
  static const auto real = Real<bool (*)(Mutex*, const Condition&, absl::Time)>(
      "5Mutex26ReaderLockWhenWithDeadlineERKNS0_9ConditionENS0_4TimeE");
  return AnnotatedLock(this, __tsan_mutex_read_lock, [&] { return real(this, cond, deadline); });
}

void CondVar::Wait(Mutex* mu) {
  static const auto real = Real<void (*)(CondVar*, Mutex*)>("7CondVar4WaitEPNS0_5MutexE");
  AnnotatedWait(mu, true, [&] {
    real(this, mu);
    return 0;
  });
}

bool CondVar::WaitWithDeadline(Mutex* mu, absl::Time deadline) {
  static const auto real = Real<bool (*)(CondVar*, Mutex*, absl::Time)>(
      "7CondVar16WaitWithDeadlineEPNS0_5MutexENS0_4TimeE");
  return AnnotatedWait(mu, true, [&] { return real(this, mu, deadline); });
}

ABSL_NAMESPACE_END
}  // namespace absl
