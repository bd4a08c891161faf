// Reading the records family on all cores (store/record_scan.h): every
// record in the range once, parts in number order, errors and damage
// reported.
#include "store/record_scan.h"

#include <algorithm>
#include <atomic>
#include <iterator>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "fmt/format.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rocksdb/write_batch.h"
#include "store/key_codec.h"
#include "store/store.h"
#include "test_support.h"
#include "util/parallel_for.h"

namespace credit {
namespace {

using ::credit::testing::IsOk;
using ::credit::testing::StatusIs;
using ::credit::testing::TempDir;
using ::testing::HasSubstr;
using store_internal::RecordNumberKey;

// A store holding `numbers` as records whose value is the number's text.
std::unique_ptr<Store> StoreWith(const TempDir& dir,
                                 const std::vector<uint64_t>& numbers) {
  auto store = Store::Open(dir.Sub("db"), {});
  EXPECT_THAT(store, IsOk());
  rocksdb::WriteBatch batch;
  for (uint64_t number : numbers) {
    batch.Put((*store)->cf(ColumnFamily::kRecords), RecordNumberKey(number),
              std::to_string(number));
  }
  EXPECT_THAT((*store)->Write(&batch, /*sync=*/false), IsOk());
  return *std::move(store);
}

// Numbers with gaps at the start, in the middle and before the end.
std::vector<uint64_t> SpreadNumbers() {
  std::vector<uint64_t> numbers;
  for (uint64_t n = 5; n <= 2000; ++n) {
    if ((n >= 300 && n < 1400) || (n >= 1900 && n < 1990)) continue;
    numbers.push_back(n);
  }
  return numbers;
}

// What VisitRecordsOnAllCores saw over [first, last], per part in the order
// each part was visited, checking each value against its key.
std::vector<std::vector<uint64_t>> VisitedParts(const Store& store,
                                                uint64_t first, uint64_t last) {
  std::vector<std::vector<uint64_t>> parts(RecordScanParts(first, last));
  EXPECT_THAT(VisitRecordsOnAllCores(
                  store, {}, first, last,
                  [&](size_t part, uint64_t number, std::string_view value) {
                    EXPECT_EQ(value, std::to_string(number));
                    parts[part].push_back(number);
                    return absl::OkStatus();
                  }),
              IsOk());
  return parts;
}

TEST(RecordScanTest, EveryRecordOfTheRangeOnceWithPartsInNumberOrder) {
  TempDir dir;
  const std::vector<uint64_t> numbers = SpreadNumbers();
  auto store = StoreWith(dir, numbers);
  auto range = StoredRecordNumberRange(*store, {});
  ASSERT_THAT(range, IsOk());
  ASSERT_TRUE(range->has_value());
  EXPECT_EQ(**range, std::make_pair(uint64_t{5}, uint64_t{2000}));

  for (const auto& [first, last] :
       std::vector<std::pair<uint64_t, uint64_t>>{
           {5, 2000}, {1, 5000}, {250, 1450}, {301, 1399}, {7, 7}, {1995, 2000}}) {
    const auto parts = VisitedParts(*store, first, last);
    ASSERT_GE(parts.size(), 1u);
    std::vector<uint64_t> visited;
    for (const auto& part : parts) {
      visited.insert(visited.end(), part.begin(), part.end());
    }
    std::vector<uint64_t> expected;
    std::copy_if(numbers.begin(), numbers.end(), std::back_inserter(expected),
                 [&](uint64_t n) { return n >= first && n <= last; });
    // Concatenated in part order, the parts are the range in number order:
    // each part ascending, below the next, nothing twice or left out.
    EXPECT_EQ(visited, expected) << first << ".." << last;
  }
}

TEST(RecordScanTest, PartsAreSeveralPerCoreButNeverMoreThanNumbers) {
  EXPECT_EQ(RecordScanParts(7, 7), 1u);
  EXPECT_EQ(RecordScanParts(7, 8), 2u);
  EXPECT_GE(RecordScanParts(1, 1'000'000), 4u);
  EXPECT_LE(RecordScanParts(1, 1'000'000), 4 * BulkThreadCount());
}

TEST(RecordScanTest, AnEmptyStoreHasNoRange) {
  TempDir dir;
  auto store = StoreWith(dir, {});
  auto range = StoredRecordNumberRange(*store, {});
  ASSERT_THAT(range, IsOk());
  EXPECT_FALSE(range->has_value());
}

TEST(RecordScanTest, AVisitErrorStopsItsPartAndIsReturned) {
  TempDir dir;
  auto store = StoreWith(dir, SpreadNumbers());
  // The highest number visited below 1505, where the part holding 1450
  // ends (parts of 250 numbers from 5).
  std::atomic<uint64_t> highest{0};
  const absl::Status status = VisitRecordsOnAllCores(
      *store, {}, 5, 2000,
      [&](size_t, uint64_t number, std::string_view) {
        if (number < 1505) {
          uint64_t seen = highest.load();
          while (number > seen && !highest.compare_exchange_weak(seen, number)) {
          }
        }
        if (number >= 1450 && number <= 1500) {
          return absl::DataLossError(fmt::format("bad record {}", number));
        }
        return absl::OkStatus();
      });
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kDataLoss));
  EXPECT_THAT(std::string(status.message()), HasSubstr("bad record 1450"));
  // Nothing of that part after its error was visited.
  EXPECT_EQ(highest.load(), 1450u);
}

TEST(RecordScanTest, AKeyThatIsNotARecordNumberIsDataLoss) {
  TempDir dir;
  auto store = StoreWith(dir, SpreadNumbers());
  rocksdb::WriteBatch batch;
  batch.Put(store->cf(ColumnFamily::kRecords),
            RecordNumberKey(1000) + "x", "damage");
  ASSERT_THAT(store->Write(&batch, /*sync=*/false), IsOk());
  const absl::Status status = VisitRecordsOnAllCores(
      *store, {}, 5, 2000,
      [](size_t, uint64_t, std::string_view) { return absl::OkStatus(); });
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kDataLoss));
  EXPECT_THAT(std::string(status.message()), HasSubstr("not a record number"));
  // The range itself ends in a damaged key too.
  rocksdb::WriteBatch last;
  last.Put(store->cf(ColumnFamily::kRecords), std::string(9, '\xff'), "x");
  ASSERT_THAT(store->Write(&last, /*sync=*/false), IsOk());
  EXPECT_THAT(StoredRecordNumberRange(*store, {}).status(),
              StatusIs(absl::StatusCode::kDataLoss));
}

}  // namespace
}  // namespace credit
