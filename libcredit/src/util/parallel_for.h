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

#include <algorithm>
#include <cstddef>
#include <vector>

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

// Sorts `items` with `less` (a strict weak order) on up to `threads` cores
// (0 = BulkThreadCount()): one contiguous part per thread, each sorted on its
// own, then merged. With a total order the result is std::sort's. Vectors
// under 64k items are sorted on the calling thread.
template <typename T, typename Less>
void SortOnAllCores(std::vector<T>& items, Less less,
                    std::size_t threads = 0) {
  if (threads == 0) threads = BulkThreadCount();
  const std::size_t parts =
      std::min<std::size_t>(threads, items.size() / 65536 + 1);
  if (parts <= 1) {
    std::sort(items.begin(), items.end(), less);
    return;
  }
  std::vector<std::size_t> bounds(parts + 1);
  for (std::size_t p = 0; p <= parts; ++p) bounds[p] = items.size() * p / parts;
  ParallelForEach(parts, [&](std::size_t p) {
    std::sort(items.begin() + bounds[p], items.begin() + bounds[p + 1], less);
  });
  for (std::size_t p = 1; p < parts; ++p) {
    std::inplace_merge(items.begin(), items.begin() + bounds[p],
                       items.begin() + bounds[p + 1], less);
  }
}

}  // namespace credit

#endif  // CREDIT_UTIL_PARALLEL_FOR_H_
