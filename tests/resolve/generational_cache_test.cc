// GenerationalCache: eviction by generations under a weight budget, what
// both linking caches (prepared records, posting lists) are built on.
#include "resolve/generational_cache.h"

#include <cstddef>
#include <string>

#include "gtest/gtest.h"

namespace credit {
namespace {

// A string weighs its length.
struct Length {
  std::size_t operator()(const std::string& value) const {
    return value.size();
  }
};
using Cache = GenerationalCache<int, std::string, Length>;

TEST(GenerationalCacheTest, AGenerationPastItsBudgetBecomesThePreviousOne) {
  Cache cache;
  cache.Insert(1, "aaa", 6);
  cache.Insert(2, "bbb", 6);  // 6: still the first generation
  cache.Insert(3, "c", 6);    // 7 > 6: 1 and 2 are now the previous one
  EXPECT_EQ(cache.size(), 3u);
  cache.Insert(4, "dddddd", 6);  // 1 + 6 > 6: 3 previous, 1 and 2 gone
  EXPECT_FALSE(cache.Contains(1));
  EXPECT_FALSE(cache.Contains(2));
  EXPECT_TRUE(cache.Contains(3));
  EXPECT_TRUE(cache.Contains(4));
  EXPECT_EQ(cache.Find(1, 6), nullptr);
}

TEST(GenerationalCacheTest, AHitInThePreviousGenerationKeepsTheEntry) {
  Cache cache;
  cache.Insert(1, "aa", 4);
  cache.Insert(2, "bb", 4);
  cache.Insert(3, "cc", 4);  // 1 and 2 previous
  ASSERT_NE(cache.Find(1, 4), nullptr);  // 1 back in the current one
  EXPECT_EQ(*cache.Find(1, 4), "aa");
  cache.Insert(4, "dd", 4);  // 3 + 1 current (4), 4 rotates: 2 dropped
  EXPECT_TRUE(cache.Contains(1));
  EXPECT_TRUE(cache.Contains(3));
  EXPECT_FALSE(cache.Contains(2));
}

// Entry 1 sits in the previous generation throughout: a weight left wrong
// by a replacement or an erasure would rotate one step early and drop it.
TEST(GenerationalCacheTest, ReplacingAndErasingKeepTheWeightTrue) {
  Cache cache;
  cache.Insert(1, "aaaa", 5);
  cache.Insert(1, "a", 5);     // weighs 1 now, not 4 + 1
  cache.Insert(2, "bbbb", 5);  // 5: fits
  cache.Insert(3, "x", 5);     // 6: 1 and 2 become the previous generation
  cache.Insert(4, "yyyy", 5);  // 5: fits
  EXPECT_TRUE(cache.Contains(1));
  cache.Erase(4);              // back to 1
  cache.Insert(5, "zzzz", 5);  // 5 again: fits
  EXPECT_TRUE(cache.Contains(1));
  EXPECT_FALSE(cache.Contains(4));
  EXPECT_EQ(cache.size(), 4u);
  // A single entry heavier than the budget is still cached, alone.
  cache.Insert(6, "eeeeeeeeee", 5);
  EXPECT_FALSE(cache.Contains(1));
  ASSERT_NE(cache.Find(6, 5), nullptr);
  EXPECT_EQ(*cache.Find(6, 5), "eeeeeeeeee");
  cache.Clear();
  EXPECT_EQ(cache.size(), 0u);
  EXPECT_FALSE(cache.Contains(6));
}

}  // namespace
}  // namespace credit
