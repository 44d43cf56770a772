// Process-wide settings for rebook's long-running binaries (rebookd, rebook-notifier).
//
//   int main(int argc, char** argv) {
//     rebook::ConfigureServerProcess();
//     ...
//
// Debian builds Abseil without NDEBUG, which leaves absl::Mutex's deadlock detector on: every
// lock and unlock (gRPC's own mutexes are absl::Mutex too) updates a global lock-order graph
// and records a stack trace. In the delivery path that was about a sixth of the worker's and a
// tenth of the server's CPU. The binaries switch it off; the tests keep it, since finding a lock
// order inversion is what it is for.
#ifndef REBOOK_SERVICES_COMMON_PROCESS_H_
#define REBOOK_SERVICES_COMMON_PROCESS_H_

namespace rebook {

// Call first thing in main, before any thread starts.
void ConfigureServerProcess();

}  // namespace rebook

#endif  // REBOOK_SERVICES_COMMON_PROCESS_H_
