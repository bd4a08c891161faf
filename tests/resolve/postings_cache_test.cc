// The posting lists of blocking keys an engine keeps between linking calls.
#include "resolve/postings_cache.h"

#include <cstdint>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace credit {
namespace {

using ::testing::ElementsAre;

BlockingKey Key(const std::string& value,
                BlockingKeyType type = BlockingKeyType::kPhone) {
  return BlockingKey{type, value};
}

TEST(PostingsCacheTest, FindsWhatWasInsertedExactOrCapped) {
  PostingsCache cache(100);
  EXPECT_EQ(cache.Find(Key("075586013388")), nullptr);
  cache.Insert(Key("075586013388"), {false, {3, 7, 9}});
  cache.Insert(Key("13800138000"), {true, {}});
  const CachedPostings* exact = cache.Find(Key("075586013388"));
  ASSERT_NE(exact, nullptr);
  EXPECT_FALSE(exact->capped);
  EXPECT_THAT(exact->postings, ElementsAre(3, 7, 9));
  const CachedPostings* capped = cache.Find(Key("13800138000"));
  ASSERT_NE(capped, nullptr);
  EXPECT_TRUE(capped->capped);
  // The key type is part of the key.
  EXPECT_EQ(cache.Find(Key("075586013388", BlockingKeyType::kEmail)), nullptr);
}

TEST(PostingsCacheTest, InsertReplacesAndClearForgetsEverything) {
  PostingsCache cache(100);
  cache.Insert(Key("a"), {false, {1}});
  cache.Insert(Key("a"), {false, {1, 2}});
  EXPECT_THAT(cache.Find(Key("a"))->postings, ElementsAre(1, 2));
  EXPECT_EQ(cache.size(), 1u);
  cache.Clear();
  EXPECT_EQ(cache.Find(Key("a")), nullptr);
  EXPECT_EQ(cache.size(), 0u);
}

TEST(PostingsCacheTest, HoldsAtMostItsCapacityAndKeepsWhatIsUsed) {
  PostingsCache cache(10);  // two generations of 5
  for (int n = 1; n <= 5; ++n) cache.Insert(Key(std::to_string(n)), {false, {}});
  // Key 1 is read while the next generation fills: it survives.
  for (int n = 6; n <= 10; ++n) {
    ASSERT_NE(cache.Find(Key("1")), nullptr) << "after inserting " << n - 1;
    cache.Insert(Key(std::to_string(n)), {false, {}});
  }
  for (int n = 11; n <= 14; ++n) cache.Insert(Key(std::to_string(n)), {false, {}});
  EXPECT_LE(cache.size(), 10u);
  EXPECT_NE(cache.Find(Key("1")), nullptr);
  for (int n = 2; n <= 5; ++n) {
    EXPECT_EQ(cache.Find(Key(std::to_string(n))), nullptr) << n;
  }
  EXPECT_NE(cache.Find(Key("14")), nullptr);
}

TEST(PostingsCacheTest, LongListsCountAgainstTheCapacity) {
  PostingsCache cache(20);  // two generations of 10 keys and postings
  std::vector<std::uint64_t> long_list(8);
  cache.Insert(Key("long"), {false, long_list});  // 9 of the 10
  cache.Insert(Key("short"), {false, {1}});       // 11: a new generation
  cache.Insert(Key("other"), {false, long_list});  // 11: another
  EXPECT_EQ(cache.Find(Key("long")), nullptr);
  EXPECT_NE(cache.Find(Key("other")), nullptr);
  // Replacing an entry counts its new length, not both.
  PostingsCache replaced(20);
  for (int i = 0; i < 5; ++i) replaced.Insert(Key("k"), {false, long_list});
  replaced.Insert(Key("x"), {true, {}});
  EXPECT_NE(replaced.Find(Key("k")), nullptr);
  EXPECT_EQ(replaced.size(), 2u);
}

}  // namespace
}  // namespace credit
