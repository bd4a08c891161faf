// The cache of prepared stored records the engine keeps between ingests.
#include "resolve/prepared_record_cache.h"

#include <memory>

#include "gtest/gtest.h"

namespace credit {
namespace {

std::shared_ptr<const PreparedRecord> Prepared(std::uint64_t number) {
  auto prepared = std::make_shared<PreparedRecord>();
  prepared->record_number = number;
  return prepared;
}

TEST(PreparedRecordCacheTest, FindsWhatWasInsertedAndForgetsErasedRecords) {
  PreparedRecordCache cache(100);
  EXPECT_EQ(cache.Find(1), nullptr);
  cache.Insert(1, Prepared(1));
  cache.Insert(2, Prepared(2));
  ASSERT_NE(cache.Find(1), nullptr);
  EXPECT_EQ(cache.Find(1)->record_number, 1u);
  cache.Erase(1);
  EXPECT_EQ(cache.Find(1), nullptr);
  EXPECT_NE(cache.Find(2), nullptr);
  cache.Clear();
  EXPECT_EQ(cache.Find(2), nullptr);
  EXPECT_EQ(cache.size(), 0u);
}

TEST(PreparedRecordCacheTest, InsertReplacesTheEntryOfARecord) {
  PreparedRecordCache cache(100);
  auto first = Prepared(7);
  auto second = Prepared(7);
  cache.Insert(7, first);
  cache.Insert(7, second);
  EXPECT_EQ(cache.Find(7), second);
  EXPECT_EQ(cache.size(), 1u);
}

TEST(PreparedRecordCacheTest, HoldsAtMostItsCapacityAndKeepsWhatIsUsed) {
  PreparedRecordCache cache(10);  // two generations of 5
  for (std::uint64_t n = 1; n <= 5; ++n) cache.Insert(n, Prepared(n));
  // Record 1 is used while the next generation fills: it survives.
  for (std::uint64_t n = 6; n <= 10; ++n) {
    ASSERT_NE(cache.Find(1), nullptr) << "after inserting " << n - 1;
    cache.Insert(n, Prepared(n));
  }
  for (std::uint64_t n = 11; n <= 14; ++n) cache.Insert(n, Prepared(n));
  EXPECT_LE(cache.size(), cache.capacity());
  EXPECT_NE(cache.Find(1), nullptr);
  // Records 2..5 were never used again: dropped with their generation.
  for (std::uint64_t n = 2; n <= 5; ++n) EXPECT_EQ(cache.Find(n), nullptr) << n;
  EXPECT_NE(cache.Find(14), nullptr);
}

TEST(PreparedRecordCacheTest, AnEvictedEntryStaysValidForWhoeverHoldsIt) {
  PreparedRecordCache cache(2);
  cache.Insert(1, Prepared(1));
  std::shared_ptr<const PreparedRecord> held = cache.Find(1);
  cache.Insert(2, Prepared(2));
  cache.Insert(3, Prepared(3));  // drops the generation that held record 1
  EXPECT_EQ(cache.Find(1), nullptr);
  ASSERT_NE(held, nullptr);
  EXPECT_EQ(held->record_number, 1u);
}

TEST(PreparedRecordCacheTest, ResidentEntriesStayUntilErasedOrCleared) {
  PreparedRecordCache cache(10);
  for (std::uint64_t n = 1; n <= 6; ++n) cache.InsertResident(n, Prepared(n));
  EXPECT_EQ(cache.resident_size(), 6u);
  // The generations share the 4 entries left: 2 each.
  for (std::uint64_t n = 100; n < 200; ++n) cache.Insert(n, Prepared(n));
  EXPECT_LE(cache.size(), cache.capacity());
  for (std::uint64_t n = 1; n <= 6; ++n) {
    ASSERT_NE(cache.Find(n), nullptr) << n;
    EXPECT_EQ(cache.Find(n)->record_number, n);
  }
  EXPECT_EQ(cache.Find(100), nullptr);
  EXPECT_NE(cache.Find(199), nullptr);
  // Replacing a resident entry keeps it resident.
  auto replacement = Prepared(3);
  cache.Insert(3, replacement);
  EXPECT_EQ(cache.Find(3), replacement);
  EXPECT_EQ(cache.resident_size(), 6u);
  // An entry made resident leaves its generation.
  cache.InsertResident(199, Prepared(199));
  EXPECT_EQ(cache.resident_size(), 7u);
  cache.Erase(2);
  EXPECT_EQ(cache.Find(2), nullptr);
  EXPECT_EQ(cache.resident_size(), 6u);
  cache.Clear();
  EXPECT_EQ(cache.Find(1), nullptr);
  EXPECT_EQ(cache.size(), 0u);
}

TEST(PreparedRecordCacheTest, ResidentEntriesPastTheCapacityLeaveTwoForTheRest) {
  PreparedRecordCache cache(4);
  for (std::uint64_t n = 1; n <= 4; ++n) cache.InsertResident(n, Prepared(n));
  for (std::uint64_t n = 10; n < 20; ++n) cache.Insert(n, Prepared(n));
  EXPECT_EQ(cache.size(), 6u);
  EXPECT_NE(cache.Find(19), nullptr);
  EXPECT_NE(cache.Find(18), nullptr);
  EXPECT_EQ(cache.Find(17), nullptr);
  for (std::uint64_t n = 1; n <= 4; ++n) EXPECT_NE(cache.Find(n), nullptr) << n;
}

}  // namespace
}  // namespace credit
