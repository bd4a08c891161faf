// PrefixScanner and the blocking family's prefix extractor: many prefix scans
// through one iterator, over the memtable and flushed tables alike.
#include "store/prefix_scanner.h"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rocksdb/db.h"
#include "store/blocking_prefix_transform.h"
#include "store/key_codec.h"
#include "test_support.h"

namespace credit {
namespace {

using ::credit::testing::TempDir;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using namespace store_internal;

TEST(BlockingPrefixTransformTest, PrefixIsTheKeyWithoutTheRecordNumber) {
  auto transform = NewBlockingPrefixTransform();
  const std::string posting = BlockingPostingKey(3, "王伟|1980", 42);
  ASSERT_TRUE(transform->InDomain(posting));
  EXPECT_EQ(transform->Transform(posting).ToString(),
            BlockingKeyPrefix(3, "王伟|1980"));
  // The prefix alone is its own prefix: what a scan seeks to.
  const std::string prefix = BlockingKeyPrefix(3, "王伟|1980");
  ASSERT_TRUE(transform->InDomain(prefix));
  EXPECT_EQ(transform->Transform(prefix).ToString(), prefix);
  // Shorter than the header, or than the value the header announces.
  EXPECT_FALSE(transform->InDomain(std::string("\x03\x00\x00", 3)));
  EXPECT_FALSE(transform->InDomain(prefix.substr(0, prefix.size() - 1)));
}

// The record numbers listed under blocking key (type, value).
std::vector<std::uint64_t> Postings(PrefixScanner& scanner, std::uint8_t type,
                                    const std::string& value) {
  const std::string prefix = BlockingKeyPrefix(type, value);
  std::vector<std::uint64_t> numbers;
  EXPECT_TRUE(scanner
                  .Scan(prefix,
                        [&](std::string_view key, std::string_view) {
                          numbers.push_back(*ReadUint64(key, prefix.size()));
                          return true;
                        })
                  .ok());
  return numbers;
}

class PrefixScannerTest : public ::testing::TestWithParam<bool> {};

TEST_P(PrefixScannerTest, ScansEachKeyOnlyInAnyOrder) {
  const bool flushed = GetParam();
  TempDir dir;
  auto store = Store::Open(dir.Sub("db"), {});
  CREDIT_ASSERT_OK(store);
  rocksdb::WriteBatch batch;
  auto put = [&](std::uint8_t type, const std::string& value,
                 std::uint64_t number) {
    batch.Put((*store)->cf(ColumnFamily::kBlocking),
              BlockingPostingKey(type, value, number), "");
  };
  // "ab" is a prefix of "abc" and type 2 follows type 1: neither may leak
  // into the other's scan.
  put(1, "ab", 7);
  put(1, "ab", 3);
  put(1, "abc", 5);
  put(2, "ab", 9);
  put(1, "b", 1);
  CREDIT_ASSERT_OK((*store)->Write(&batch, false));
  if (flushed) {
    ASSERT_TRUE((*store)
                    ->db()
                    ->Flush(rocksdb::FlushOptions(),
                            (*store)->cf(ColumnFamily::kBlocking))
                    .ok());
  }
  PrefixScanner scanner(store->get(), ColumnFamily::kBlocking);
  EXPECT_THAT(Postings(scanner, 1, "b"), ElementsAre(1));
  EXPECT_THAT(Postings(scanner, 1, "ab"), ElementsAre(3, 7));  // seeks back
  EXPECT_THAT(Postings(scanner, 1, "abc"), ElementsAre(5));
  EXPECT_THAT(Postings(scanner, 2, "ab"), ElementsAre(9));
  EXPECT_THAT(Postings(scanner, 1, "a"), IsEmpty());
  EXPECT_THAT(Postings(scanner, 3, "ab"), IsEmpty());
  // Stops when asked.
  int seen = 0;
  CREDIT_ASSERT_OK(scanner.Scan(BlockingKeyPrefix(1, "ab"),
                                [&](std::string_view, std::string_view) {
                                  ++seen;
                                  return false;
                                }));
  EXPECT_EQ(seen, 1);
}

TEST_P(PrefixScannerTest, EdgeListsOfOneRecord) {
  const bool flushed = GetParam();
  TempDir dir;
  auto store = Store::Open(dir.Sub("db"), {});
  CREDIT_ASSERT_OK(store);
  rocksdb::WriteBatch batch;
  for (auto [a, b] : std::vector<std::pair<std::uint64_t, std::uint64_t>>{
           {1, 2}, {2, 1}, {2, 3}, {3, 2}, {256, 1}}) {
    batch.Put((*store)->cf(ColumnFamily::kEdges), DirectedEdgeKey(a, b), "e");
  }
  CREDIT_ASSERT_OK((*store)->Write(&batch, false));
  if (flushed) {
    ASSERT_TRUE((*store)
                    ->db()
                    ->Flush(rocksdb::FlushOptions(),
                            (*store)->cf(ColumnFamily::kEdges))
                    .ok());
  }
  PrefixScanner scanner(store->get(), ColumnFamily::kEdges);
  auto neighbours = [&](std::uint64_t number) {
    std::vector<std::uint64_t> out;
    EXPECT_TRUE(scanner
                    .Scan(RecordNumberKey(number),
                          [&](std::string_view key, std::string_view) {
                            out.push_back(*ReadUint64(key, 8));
                            return true;
                          })
                    .ok());
    return out;
  };
  EXPECT_THAT(neighbours(2), ElementsAre(1, 3));
  EXPECT_THAT(neighbours(1), ElementsAre(2));
  EXPECT_THAT(neighbours(256), ElementsAre(1));
  EXPECT_THAT(neighbours(4), IsEmpty());
}

INSTANTIATE_TEST_SUITE_P(MemtableAndTables, PrefixScannerTest,
                         ::testing::Bool(),
                         [](const auto& info) {
                           return info.param ? "Flushed" : "InMemtable";
                         });

TEST(StoreMultiGetTest, ReturnsValuesInKeyOrderAndNulloptForAbsent) {
  TempDir dir;
  auto store = Store::Open(dir.Sub("db"), {});
  CREDIT_ASSERT_OK(store);
  rocksdb::WriteBatch batch;
  batch.Put((*store)->cf(ColumnFamily::kRecordEntity), RecordNumberKey(2), "two");
  batch.Put((*store)->cf(ColumnFamily::kRecordEntity), RecordNumberKey(9), "nine");
  CREDIT_ASSERT_OK((*store)->Write(&batch, false));
  auto values = (*store)->MultiGet(
      ColumnFamily::kRecordEntity,
      {RecordNumberKey(9), RecordNumberKey(5), RecordNumberKey(2)});
  CREDIT_ASSERT_OK(values);
  ASSERT_EQ(values->size(), 3u);
  EXPECT_EQ((*values)[0], "nine");
  EXPECT_EQ((*values)[1], std::nullopt);
  EXPECT_EQ((*values)[2], "two");
  auto none = (*store)->MultiGet(ColumnFamily::kRecordEntity, {});
  CREDIT_ASSERT_OK(none);
  EXPECT_THAT(*none, IsEmpty());
}

}  // namespace
}  // namespace credit
