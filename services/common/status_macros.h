// Tiny local versions of the status macros that Debian's Abseil (20220623) lacks.
//
//   absl::Status Load() {
//     REBOOK_RETURN_IF_ERROR(Open());
//     REBOOK_ASSIGN_OR_RETURN(auto rows, ReadRows());
//     ...
//   }
#ifndef REBOOK_SERVICES_COMMON_STATUS_MACROS_H_
#define REBOOK_SERVICES_COMMON_STATUS_MACROS_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define REBOOK_STATUS_CONCAT_INNER_(a, b) a##b
#define REBOOK_STATUS_CONCAT_(a, b) REBOOK_STATUS_CONCAT_INNER_(a, b)

// Returns from the enclosing function if `expr` (an absl::Status) is not OK.
#define REBOOK_RETURN_IF_ERROR(expr)                                  \
  do {                                                                \
    if (absl::Status rebook_status_ = (expr); !rebook_status_.ok()) { \
      return rebook_status_;                                          \
    }                                                                 \
  } while (false)

// Evaluates `rexpr` (an absl::StatusOr<T>); on error returns its status, otherwise
// moves the value into `lhs`, which may be a declaration such as `auto x`.
#define REBOOK_ASSIGN_OR_RETURN(lhs, rexpr) \
  REBOOK_ASSIGN_OR_RETURN_IMPL_(REBOOK_STATUS_CONCAT_(rebook_statusor_, __LINE__), lhs, rexpr)

#define REBOOK_ASSIGN_OR_RETURN_IMPL_(statusor, lhs, rexpr) \
  auto statusor = (rexpr);                                  \
  if (!statusor.ok()) {                                     \
    return std::move(statusor).status();                    \
  }                                                         \
  lhs = std::move(statusor).value()

#endif  // REBOOK_SERVICES_COMMON_STATUS_MACROS_H_
