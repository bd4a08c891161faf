#include "util/prefetcher.h"

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "gtest/gtest.h"

namespace credit {
namespace {

TEST(PrefetcherTest, DeliversItemsInOrderUpToTheLast) {
  int next = 0;
  Prefetcher<int> items([&] { return next++; },
                        [](const int& item) { return item == 4; });
  std::vector<int> seen;
  for (int i = 0; i < 5; ++i) seen.push_back(items.Next());
  EXPECT_EQ(seen, (std::vector<int>{0, 1, 2, 3, 4}));
}

TEST(PrefetcherTest, ProducesOnAnotherThread) {
  std::thread::id producer;
  Prefetcher<int> items(
      [&] {
        producer = std::this_thread::get_id();
        return 1;
      },
      [](const int&) { return true; });
  EXPECT_EQ(items.Next(), 1);
  EXPECT_NE(producer, std::this_thread::get_id());
}

// The producer runs at most one item ahead of the consumer: it does not
// read a whole file into memory while the consumer is busy.
TEST(PrefetcherTest, StaysAtMostOneItemAhead) {
  std::atomic<int> produced{0};
  Prefetcher<int> items([&] { return produced++; },
                        [](const int& item) { return item == 100; });
  EXPECT_EQ(items.Next(), 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  // Item 1 waits in the slot and item 2 is produced, waiting for the slot.
  EXPECT_LE(produced.load(), 3);
}

// A consumer that stops early (an ingest error) destroys the prefetcher
// while the producer may be blocked: the destructor must not hang.
TEST(PrefetcherTest, DestroyingBeforeTheLastItemStopsTheProducer) {
  std::atomic<int> produced{0};
  {
    Prefetcher<int> items([&] { return produced++; },
                          [](const int&) { return false; });
    EXPECT_EQ(items.Next(), 0);
  }
  const int after = produced.load();
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_EQ(produced.load(), after);
}

}  // namespace
}  // namespace credit
