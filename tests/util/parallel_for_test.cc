#include "util/parallel_for.h"

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <functional>
#include <random>
#include <thread>
#include <utility>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace credit {
namespace {

// Every index is visited exactly once, whatever the thread count.
TEST(ParallelForTest, VisitsEveryIndexOnce) {
  for (std::size_t threads : {1u, 2u, 3u, 8u}) {
    for (std::size_t n : {0u, 1u, 7u, 1000u, 1001u}) {
      std::vector<std::atomic<int>> visits(n);
      ParallelFor(
          n, 1,
          [&](std::size_t begin, std::size_t end) {
            for (std::size_t i = begin; i < end; ++i) ++visits[i];
          },
          threads);
      for (std::size_t i = 0; i < n; ++i) {
        EXPECT_EQ(visits[i].load(), 1) << "n=" << n << " threads=" << threads
                                       << " index " << i;
      }
    }
  }
}

// Chunks are contiguous, cover [0, n) in order, and respect min_chunk.
TEST(ParallelForTest, ChunksAreContiguousAndNotSmallerThanMinChunk) {
  std::vector<std::pair<std::size_t, std::size_t>> chunks(8);
  std::atomic<std::size_t> next{0};
  ParallelFor(
      100, 40,
      [&](std::size_t begin, std::size_t end) {
        chunks[next++] = {begin, end};
      },
      8);
  chunks.resize(next);
  // 100 items with chunks of at least 40: two chunks.
  ASSERT_EQ(chunks.size(), 2u);
  std::sort(chunks.begin(), chunks.end());
  EXPECT_EQ(chunks[0].first, 0u);
  EXPECT_EQ(chunks[0].second, 50u);
  EXPECT_EQ(chunks[1].first, 50u);
  EXPECT_EQ(chunks[1].second, 100u);
}

// A small input runs on the calling thread (no thread start-up cost).
TEST(ParallelForTest, SmallInputRunsOnCallingThread) {
  const auto caller = std::this_thread::get_id();
  std::thread::id ran_on;
  ParallelFor(
      10, 100, [&](std::size_t, std::size_t) { ran_on = std::this_thread::get_id(); },
      4);
  EXPECT_EQ(ran_on, caller);
}

TEST(ParallelForTest, ForEachVisitsEveryIndexOnce) {
  for (std::size_t threads : {1u, 2u, 5u}) {
    for (std::size_t n : {0u, 1u, 3u, 100u}) {
      std::vector<std::atomic<int>> visits(n);
      ParallelForEach(n, [&](std::size_t i) { ++visits[i]; }, threads);
      for (std::size_t i = 0; i < n; ++i) {
        EXPECT_EQ(visits[i].load(), 1) << "n=" << n << " threads=" << threads;
      }
    }
  }
}

TEST(ParallelForTest, BulkThreadCountIsAtLeastOne) {
  EXPECT_GE(BulkThreadCount(), 1u);
}

TEST(SortOnAllCoresTest, SortsLikeStdSort) {
  std::mt19937_64 rng(3);
  for (std::size_t n : {std::size_t{0}, std::size_t{10}, std::size_t{200000}}) {
    std::vector<std::pair<std::uint32_t, std::uint32_t>> items(n);
    for (auto& item : items) {
      item = {static_cast<std::uint32_t>(rng() % 1000),
              static_cast<std::uint32_t>(rng())};
    }
    auto expected = items;
    std::sort(expected.begin(), expected.end());
    SortOnAllCores(items, std::less<>());
    EXPECT_EQ(items, expected) << n;
    // More threads than the machine has cores: still one sorted whole.
    std::shuffle(items.begin(), items.end(), rng);
    SortOnAllCores(items, std::less<>(), /*threads=*/5);
    EXPECT_EQ(items, expected) << n;
  }
}

}  // namespace
}  // namespace credit
