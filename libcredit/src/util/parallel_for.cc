#include "util/parallel_for.h"

#include <algorithm>
#include <atomic>
#include <thread>
#include <vector>

namespace credit {

std::size_t BulkThreadCount() {
  return std::max<std::size_t>(1, std::thread::hardware_concurrency());
}

void ParallelFor(std::size_t n, std::size_t min_chunk,
                 absl::FunctionRef<void(std::size_t, std::size_t)> body,
                 std::size_t threads) {
  if (n == 0) return;
  if (threads == 0) threads = BulkThreadCount();
  min_chunk = std::max<std::size_t>(1, min_chunk);
  const std::size_t chunks =
      std::min(threads, std::max<std::size_t>(1, n / min_chunk));
  if (chunks <= 1) {
    body(0, n);
    return;
  }
  // Equal contiguous chunks; the calling thread takes the last one.
  std::vector<std::thread> workers;
  workers.reserve(chunks - 1);
  const std::size_t per_chunk = n / chunks;
  const std::size_t remainder = n % chunks;
  std::size_t begin = 0;
  for (std::size_t i = 0; i < chunks; ++i) {
    const std::size_t end = begin + per_chunk + (i < remainder ? 1 : 0);
    if (i + 1 == chunks) {
      body(begin, end);
    } else {
      workers.emplace_back([&body, begin, end] { body(begin, end); });
    }
    begin = end;
  }
  for (auto& worker : workers) worker.join();
}

void ParallelForEach(std::size_t n, absl::FunctionRef<void(std::size_t)> body,
                     std::size_t threads) {
  if (threads == 0) threads = BulkThreadCount();
  threads = std::min(threads, n);
  std::atomic<std::size_t> next{0};
  auto work = [&] {
    for (std::size_t i = next++; i < n; i = next++) body(i);
  };
  std::vector<std::thread> workers;
  for (std::size_t t = 1; t < threads; ++t) workers.emplace_back(work);
  work();
  for (auto& worker : workers) worker.join();
}

}  // namespace credit
