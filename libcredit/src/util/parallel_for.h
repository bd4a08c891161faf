// Runs a loop body over [0, n) on several threads, in contiguous chunks.
//
// Used by the bulk paths (ResolveAll: preparing records, scoring candidate
// pairs, building profiles), whose steps are independent per item. The
// chunking depends only on n and the thread count, and every chunk writes
// to its own slots, so results are the same as a serial loop's.
//
// `body(begin, end)` must be safe to call concurrently on disjoint ranges
// and must not throw. With one thread (or a small n) the body runs on the
// calling thread.
#ifndef CREDIT_UTIL_PARALLEL_FOR_H_
#define CREDIT_UTIL_PARALLEL_FOR_H_

#include <cstddef>

#include "absl/functional/function_ref.h"

namespace credit {

// The number of threads the bulk paths use: the hardware's, at least 1.
std::size_t BulkThreadCount();

// Calls body(begin, end) for chunks covering [0, n), at most `threads`
// chunks at once (0 = BulkThreadCount()). Ranges shorter than `min_chunk`
// items are not split further.
void ParallelFor(std::size_t n, std::size_t min_chunk,
                 absl::FunctionRef<void(std::size_t, std::size_t)> body,
                 std::size_t threads = 0);

// Calls body(i) for every i in [0, n), each on whichever thread is free
// next (for a few items of very different cost, such as one table per
// column family). `body` must be safe to call concurrently.
void ParallelForEach(std::size_t n, absl::FunctionRef<void(std::size_t)> body,
                     std::size_t threads = 0);

}  // namespace credit

#endif  // CREDIT_UTIL_PARALLEL_FOR_H_
