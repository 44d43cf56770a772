#include "services/api/import_stream.h"

#include "absl/strings/str_cat.h"

namespace rebook::api {

absl::Status ImportLimitError(std::int64_t max) {
  return absl::ResourceExhaustedError(absl::StrCat("an import may carry at most ", max,
                                                   " appointments; split it into several imports"));
}

absl::Status ImportCancelledError() {
  return absl::CancelledError("import cancelled by the client");
}

}  // namespace rebook::api
