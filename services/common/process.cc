#include "services/common/process.h"

#include "absl/synchronization/mutex.h"

namespace rebook {

void ConfigureServerProcess() {
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
}

}  // namespace rebook
