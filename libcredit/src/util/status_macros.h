// Status propagation macros. Debian's abseil (20220623) ships none.
#ifndef CREDIT_UTIL_STATUS_MACROS_H_
#define CREDIT_UTIL_STATUS_MACROS_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define CREDIT_STATUS_CONCAT_INNER_(a, b) a##b
#define CREDIT_STATUS_CONCAT_(a, b) CREDIT_STATUS_CONCAT_INNER_(a, b)

// Returns from the enclosing function if `expr` (an absl::Status) is not OK.
#define CREDIT_RETURN_IF_ERROR(expr)            \
  do {                                          \
    ::absl::Status credit_status_ = (expr);     \
    if (!credit_status_.ok()) return credit_status_; \
  } while (false)

// Evaluates `rexpr` (an absl::StatusOr<T>); on error returns its status,
// otherwise assigns the value to `lhs` (which may be a declaration).
#define CREDIT_ASSIGN_OR_RETURN(lhs, rexpr) \
  CREDIT_ASSIGN_OR_RETURN_IMPL_(            \
      CREDIT_STATUS_CONCAT_(credit_statusor_, __LINE__), lhs, rexpr)

#define CREDIT_ASSIGN_OR_RETURN_IMPL_(statusor, lhs, rexpr) \
  auto statusor = (rexpr);                                  \
  if (!statusor.ok()) return statusor.status();             \
  lhs = std::move(statusor).value()

#endif  // CREDIT_UTIL_STATUS_MACROS_H_
