#include "store/batch_tables.h"

#include <filesystem>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "store/store.h"
#include "test_support.h"

namespace credit {
namespace {

using ::credit::testing::TempDir;
using ::testing::HasSubstr;

class BatchTablesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = Store::Open(dir_.Sub("db"), {});
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = std::move(*store);
  }
  rocksdb::ColumnFamilyHandle* cf(ColumnFamily family) {
    return store_->cf(family);
  }
  std::optional<std::string> Get(ColumnFamily family, std::string_view key) {
    auto value = store_->Get(family, key);
    EXPECT_TRUE(value.ok()) << value.status();
    return value.ok() ? *value : std::nullopt;
  }
  // Writes `entries` into the edges family with an ordinary write.
  void WriteEdges(
      const std::vector<std::pair<std::string, std::string>>& entries) {
    rocksdb::WriteBatch old;
    for (const auto& [key, value] : entries) {
      old.Put(cf(ColumnFamily::kEdges), key, value);
    }
    ASSERT_TRUE(store_->Write(&old, false).ok());
  }
  void Reopen() {
    store_.reset();
    auto store = Store::Open(dir_.Sub("db"), {});
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = std::move(*store);
  }

  TempDir dir_;
  std::unique_ptr<Store> store_;
};

TEST_F(BatchTablesTest, IngestedTablesReadLikeAWriteAndSurviveReopen) {
  rocksdb::WriteBatch batch;
  batch.Put(cf(ColumnFamily::kEntities), "b", "2");
  batch.Put(cf(ColumnFamily::kEntities), "a", "1");  // out of order
  batch.Put(cf(ColumnFamily::kEdges), "x_______", "edge");
  ASSERT_TRUE(store_->WriteAsTables(&batch).ok());
  EXPECT_EQ(Get(ColumnFamily::kEntities, "a"), "1");
  EXPECT_EQ(Get(ColumnFamily::kEntities, "b"), "2");
  EXPECT_EQ(Get(ColumnFamily::kEdges, "x_______"), "edge");
  Reopen();
  EXPECT_EQ(Get(ColumnFamily::kEntities, "a"), "1");
  EXPECT_EQ(Get(ColumnFamily::kEdges, "x_______"), "edge");
  // Nothing is left behind in the database directory.
  EXPECT_FALSE(std::filesystem::exists(dir_.Sub("db") + "/bulk-tables"));
}

TEST_F(BatchTablesTest, TheLastOperationOnAKeyWins) {
  rocksdb::WriteBatch batch;
  batch.Put(cf(ColumnFamily::kEntities), "k", "first");
  batch.Put(cf(ColumnFamily::kEntities), "k", "second");
  batch.Put(cf(ColumnFamily::kEntities), "gone", "x");
  batch.Delete(cf(ColumnFamily::kEntities), "gone");
  ASSERT_TRUE(store_->WriteAsTables(&batch).ok());
  EXPECT_EQ(Get(ColumnFamily::kEntities, "k"), "second");
  EXPECT_EQ(Get(ColumnFamily::kEntities, "gone"), std::nullopt);
}

// The sort compares 16-byte prefixes first: keys shorter than that, keys
// that share a prefix, zero and 0xff bytes and repeated keys must still come
// out in the family's bytewise order with the last write winning (the table
// writer refuses keys out of order).
TEST_F(BatchTablesTest, KeysSortBytewiseWhateverTheirLengthAndBytes) {
  const std::string alphabet("\x00\x01" "a\x7f\x80\xfe\xff", 7);
  std::mt19937 random(7);
  std::map<std::string, std::optional<std::string>> expected;
  rocksdb::WriteBatch batch;
  for (int i = 0; i < 5000; ++i) {
    // Half the keys start with the same 16 bytes, to reach the memcmp.
    std::string key = random() % 2 == 0 ? std::string(16, '\x01') : "";
    const int length = static_cast<int>(random() % 13);
    for (int j = 0; j < length; ++j) key += alphabet[random() % alphabet.size()];
    if (random() % 5 == 0) {
      batch.Delete(cf(ColumnFamily::kEntities), key);
      expected[key] = std::nullopt;
    } else {
      const std::string value = std::to_string(i);
      batch.Put(cf(ColumnFamily::kEntities), key, value);
      expected[key] = value;
    }
  }
  ASSERT_TRUE(store_->WriteAsTables(&batch).ok());
  std::vector<std::pair<std::string, std::string>> want;
  for (const auto& [key, value] : expected) {
    if (value) want.emplace_back(key, *value);
  }
  std::vector<std::pair<std::string, std::string>> got;
  rocksdb::ReadOptions read;
  read.total_order_seek = true;
  ASSERT_TRUE(store_
                  ->ScanPrefix(
                      ColumnFamily::kEntities, "",
                      [&](std::string_view key, std::string_view value) {
                        got.emplace_back(key, value);
                        return true;
                      },
                      read)
                  .ok());
  EXPECT_EQ(got, want);
}

// In the edges family, whose keys have a fixed 8-byte prefix (as in a
// relink, which rewrites it whole).
TEST_F(BatchTablesTest, RangeDeletionCoversOlderDataAndEarlierWritesOnly) {
  WriteEdges({{"e1______", "old"},
              {"e2______", "old"},
              {"z_______", "outside the range"}});

  rocksdb::WriteBatch batch;
  batch.Put(cf(ColumnFamily::kEdges), "e3______", "written before the deletion");
  batch.DeleteRange(cf(ColumnFamily::kEdges), "e0______", "f0______");
  batch.Put(cf(ColumnFamily::kEdges), "e2______", "new");
  ASSERT_TRUE(store_->WriteAsTables(&batch).ok());
  EXPECT_EQ(Get(ColumnFamily::kEdges, "e1______"), std::nullopt);
  EXPECT_EQ(Get(ColumnFamily::kEdges, "e2______"), "new");
  EXPECT_EQ(Get(ColumnFamily::kEdges, "e3______"), std::nullopt);
  EXPECT_EQ(Get(ColumnFamily::kEdges, "z_______"), "outside the range");
  Reopen();
  EXPECT_EQ(Get(ColumnFamily::kEdges, "e1______"), std::nullopt);
  EXPECT_EQ(Get(ColumnFamily::kEdges, "e2______"), "new");
}

TEST_F(BatchTablesTest, MergesAddToStoredCounters) {
  rocksdb::WriteBatch old;
  old.Merge(cf(ColumnFamily::kMeta), "count", EncodeCounter(5));
  ASSERT_TRUE(store_->Write(&old, false).ok());
  rocksdb::WriteBatch batch;
  batch.Merge(cf(ColumnFamily::kMeta), "count", EncodeCounter(2));
  ASSERT_TRUE(store_->WriteAsTables(&batch).ok());
  auto count = store_->GetCounter(ColumnFamily::kMeta, "count");
  ASSERT_TRUE(count.ok()) << count.status();
  EXPECT_EQ(*count, 7u);
}

TEST_F(BatchTablesTest, MergeIntoAKeyTheBatchWritesIsRefused) {
  rocksdb::WriteBatch batch;
  batch.Put(cf(ColumnFamily::kMeta), "count", EncodeCounter(1));
  batch.Merge(cf(ColumnFamily::kMeta), "count", EncodeCounter(2));
  std::vector<rocksdb::ColumnFamilyHandle*> families = {
      cf(ColumnFamily::kMeta)};
  absl::Status status = IngestBatchAsTables(store_->db(), families, batch,
                                            dir_.Sub("tables"));
  EXPECT_EQ(status.code(), absl::StatusCode::kUnimplemented);
  EXPECT_THAT(std::string(status.message()), HasSubstr("merges"));
  // Store::WriteAsTables falls back to an ordinary write with the same
  // result.
  ASSERT_TRUE(store_->WriteAsTables(&batch).ok());
  auto count = store_->GetCounter(ColumnFamily::kMeta, "count");
  ASSERT_TRUE(count.ok());
  EXPECT_EQ(*count, 3u);
}

TEST_F(BatchTablesTest, AFamilyThatIsNotGivenIsAnError) {
  rocksdb::WriteBatch batch;
  batch.Put(cf(ColumnFamily::kEdges), "k_______", "v");
  std::vector<rocksdb::ColumnFamilyHandle*> families = {
      cf(ColumnFamily::kMeta)};
  absl::Status status = IngestBatchAsTables(store_->db(), families, batch,
                                            dir_.Sub("tables"));
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Get(ColumnFamily::kEdges, "k_______"), std::nullopt);
}

// A replacement table writing `entries` (in the order given) over
// [begin, end) of the edges family.
ReplacementTable EdgesReplacement(
    Store& store, std::string begin, std::string end,
    std::vector<std::pair<std::string, std::string>> entries) {
  ReplacementTable table;
  table.family = store.cf(ColumnFamily::kEdges);
  table.delete_begin = std::move(begin);
  table.delete_end = std::move(end);
  table.write = [entries = std::move(entries)](TableSink& sink) {
    for (const auto& [key, value] : entries) {
      if (absl::Status s = sink.Put(key, value); !s.ok()) return s;
    }
    return absl::OkStatus();
  };
  return table;
}

TEST_F(BatchTablesTest, AReplacementRewritesItsRangeWithTheBatch) {
  WriteEdges({{"e1______", "old"},
              {"e2______", "old"},
              {"z_______", "outside the range"}});

  rocksdb::WriteBatch batch;
  batch.Put(cf(ColumnFamily::kEntities), "a", "1");
  ASSERT_TRUE(store_
                  ->WriteAsTables(&batch, {EdgesReplacement(
                                              *store_, "e0______", "f0______",
                                              {{"e2______", "new"},
                                               {"e3______", "added"}})})
                  .ok());
  EXPECT_EQ(Get(ColumnFamily::kEdges, "e1______"), std::nullopt);
  EXPECT_EQ(Get(ColumnFamily::kEdges, "e2______"), "new");
  EXPECT_EQ(Get(ColumnFamily::kEdges, "e3______"), "added");
  EXPECT_EQ(Get(ColumnFamily::kEdges, "z_______"), "outside the range");
  EXPECT_EQ(Get(ColumnFamily::kEntities, "a"), "1");
  Reopen();
  EXPECT_EQ(Get(ColumnFamily::kEdges, "e1______"), std::nullopt);
  EXPECT_EQ(Get(ColumnFamily::kEdges, "e3______"), "added");
}

TEST_F(BatchTablesTest, AReplacementOutOfKeyOrderWritesNothing) {
  WriteEdges({{"e1______", "old"}});
  rocksdb::WriteBatch batch;
  batch.Put(cf(ColumnFamily::kEntities), "a", "1");
  absl::Status status = store_->WriteAsTables(
      &batch, {EdgesReplacement(*store_, "e0______", "f0______",
                                {{"e3______", "x"}, {"e2______", "y"}})});
  EXPECT_FALSE(status.ok());
  // Neither the replacement nor the batch landed.
  EXPECT_EQ(Get(ColumnFamily::kEdges, "e1______"), "old");
  EXPECT_EQ(Get(ColumnFamily::kEdges, "e3______"), std::nullopt);
  EXPECT_EQ(Get(ColumnFamily::kEntities, "a"), std::nullopt);
}

TEST_F(BatchTablesTest, AFamilyBothReplacedAndInTheBatchIsRefused) {
  rocksdb::WriteBatch batch;
  batch.Put(cf(ColumnFamily::kEdges), "k_______", "v");
  absl::Status status = store_->WriteAsTables(
      &batch, {EdgesReplacement(*store_, "a", "b", {{"a1", "x"}})});
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(status.message()), HasSubstr("edges"));
  EXPECT_EQ(Get(ColumnFamily::kEdges, "k_______"), std::nullopt);
}

// When the batch cannot be written as tables, the replacement goes into the
// ordinary write with it, with the same result.
TEST_F(BatchTablesTest, AReplacementAlsoWorksThroughTheOrdinaryWrite) {
  WriteEdges({{"e1______", "old"}});
  rocksdb::WriteBatch batch;
  batch.Put(cf(ColumnFamily::kMeta), "count", EncodeCounter(1));
  batch.Merge(cf(ColumnFamily::kMeta), "count", EncodeCounter(2));
  ASSERT_TRUE(store_
                  ->WriteAsTables(&batch, {EdgesReplacement(
                                              *store_, "e0______", "f0______",
                                              {{"e2______", "new"}})})
                  .ok());
  EXPECT_EQ(Get(ColumnFamily::kEdges, "e1______"), std::nullopt);
  EXPECT_EQ(Get(ColumnFamily::kEdges, "e2______"), "new");
  auto count = store_->GetCounter(ColumnFamily::kMeta, "count");
  ASSERT_TRUE(count.ok());
  EXPECT_EQ(*count, 3u);
}

// AddToBatch (the ordinary write's road) holds replacements to the same
// order as the table writer, repeated keys and the empty key included.
TEST_F(BatchTablesTest, AddToBatchRefusesKeysOutOfOrder) {
  rocksdb::WriteBatch batch;
  absl::Status status = AddToBatch(
      EdgesReplacement(*store_, "", "\xff", {{"", "x"}, {"", "twice"}}),
      &batch);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(status.message()), HasSubstr("ascending"));
  rocksdb::WriteBatch ordered;
  EXPECT_TRUE(AddToBatch(EdgesReplacement(*store_, "", "\xff",
                                          {{"", "x"}, {"a", "y"}}),
                         &ordered)
                  .ok());
}

TEST_F(BatchTablesTest, AnEmptyBatchChangesNothing) {
  rocksdb::WriteBatch batch;
  EXPECT_TRUE(store_->WriteAsTables(&batch).ok());
}

}  // namespace
}  // namespace credit
