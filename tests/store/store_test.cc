#include "store/store.h"

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "gmock/gmock.h"
#include "rocksdb/metadata.h"
#include "gtest/gtest.h"
#include "credit/v1/record.pb.h"
#include "store/key_codec.h"
#include "test_support.h"

namespace credit {
namespace {

using ::credit::testing::IsOk;
using ::credit::testing::StatusIs;
using ::credit::testing::TempDir;
using ::testing::HasSubstr;
using namespace store_internal;

TEST(KeyCodecTest, IntegersSortNumerically) {
  std::vector<uint64_t> numbers = {0, 1, 255, 256, 65535, 1ull << 40,
                                   ~0ull};
  std::vector<std::string> keys;
  for (uint64_t n : numbers) keys.push_back(RecordNumberKey(n));
  EXPECT_TRUE(std::is_sorted(keys.begin(), keys.end()));
  for (size_t i = 0; i < numbers.size(); ++i) {
    EXPECT_EQ(ReadUint64(keys[i]), numbers[i]);
  }
  EXPECT_EQ(ReadUint64("short"), std::nullopt);
}

TEST(KeyCodecTest, RecordIdKeysGroupBySource) {
  // "a" + anything sorts before "ab" + anything: the separator keeps
  // sources apart even when one id is a prefix of another.
  EXPECT_LT(RecordIdKey("a", "zzz"), RecordIdKey("ab", "0"));
  EXPECT_EQ(RecordIdKey("tax", "1").rfind(RecordIdPrefix("tax"), 0), 0u);
  EXPECT_NE(RecordIdKey("tax", "1").rfind(RecordIdPrefix("ta"), 0), 0u);
}

TEST(KeyCodecTest, EdgeKeysAreSymmetric) {
  EXPECT_EQ(EdgeKey(5, 9), EdgeKey(9, 5));
}

TEST(KeyCodecTest, QuarantineKeysOrderByTime) {
  EXPECT_LT(QuarantineKey("s", "r", -5, 1), QuarantineKey("s", "r", 3, 0));
  EXPECT_LT(QuarantineKey("s", "r", 3, 0), QuarantineKey("s", "r", 3, 1));
}

TEST(KeyCodecTest, PrefixUpperBound) {
  EXPECT_EQ(PrefixUpperBound("ab"), "ac");
  EXPECT_EQ(PrefixUpperBound(std::string("a\xff", 2)), "b");
  EXPECT_EQ(PrefixUpperBound(std::string("\xff\xff", 2)), "");
}

TEST(StoreTest, CreatesEveryColumnFamilyAndStampsSchema) {
  TempDir dir;
  auto store = Store::Open(dir.Sub("db"), {});
  CREDIT_ASSERT_OK(store);
  EXPECT_EQ((*store)->schema_version(), kSchemaVersion);
  for (int i = 0; i < kColumnFamilyCount; ++i) {
    EXPECT_NE((*store)->cf(static_cast<ColumnFamily>(i)), nullptr);
    EXPECT_EQ((*store)->cf(static_cast<ColumnFamily>(i))->GetName(),
              ColumnFamilyName(static_cast<ColumnFamily>(i)));
  }
}

TEST(StoreTest, MissingDatabaseIsNotFoundWithoutCreate) {
  TempDir dir;
  StoreOptions options;
  options.create_if_missing = false;
  EXPECT_THAT(Store::Open(dir.Sub("absent"), options),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("absent")));
}

TEST(StoreTest, CreatesMissingParentDirectories) {
  TempDir dir;
  auto store = Store::Open(dir.Sub("a/b/db"), {});
  ASSERT_THAT(store, IsOk());
}

TEST(StoreTest, PrefixScanStopsAtThePrefixOrWhenAsked) {
  TempDir dir;
  auto store = Store::Open(dir.Sub("db"), {});
  ASSERT_THAT(store, IsOk());
  rocksdb::WriteBatch batch;
  for (const char* key : {"ab1", "ab2", "ab3", "ac1", "a"}) {
    batch.Put((*store)->cf(ColumnFamily::kBlocking), key, "");
  }
  ASSERT_THAT((*store)->Write(&batch, false), IsOk());
  std::vector<std::string> seen;
  ASSERT_THAT((*store)->ScanPrefix(ColumnFamily::kBlocking, "ab",
                                   [&](std::string_view key, std::string_view) {
                                     seen.emplace_back(key);
                                     return true;
                                   }),
              IsOk());
  EXPECT_THAT(seen, ::testing::ElementsAre("ab1", "ab2", "ab3"));
  seen.clear();
  ASSERT_THAT((*store)->ScanPrefix(ColumnFamily::kBlocking, "ab",
                                   [&](std::string_view key, std::string_view) {
                                     seen.emplace_back(key);
                                     return seen.size() < 2;
                                   }),
              IsOk());
  EXPECT_EQ(seen.size(), 2u);
}

// Split over the cores or not, a MultiGet gives every key's value in key
// order, absent keys as nullopt: in memtables and in tables alike.
TEST(StoreTest, MultiGetOnAllCoresEqualsMultiGet) {
  TempDir dir;
  absl::StatusOr<std::unique_ptr<Store>> store;
  for (int part = 0; part < 2; ++part) {
    // Reopened: the first half is recovered into a table.
    store = Store::Open(dir.Sub("db"), {});
    ASSERT_THAT(store, IsOk());
    rocksdb::WriteBatch batch;
    for (uint64_t n = part; n < 3000; n += 2) {
      if (n % 7 == 0) continue;  // absent
      batch.Put((*store)->cf(ColumnFamily::kRecords), RecordNumberKey(n),
                "value " + std::to_string(n));
    }
    ASSERT_THAT((*store)->Write(&batch, false), IsOk());
    if (part == 0) store->reset();
  }
  for (std::size_t count : {0, 1, 300, 3000}) {
    std::vector<std::string> keys;
    for (std::size_t i = 0; i < count; ++i) {
      // Out of order, with repeats.
      keys.push_back(RecordNumberKey((i * 7919) % 3001));
    }
    auto plain = (*store)->MultiGet(ColumnFamily::kRecords, keys);
    auto split = (*store)->MultiGetOnAllCores(ColumnFamily::kRecords, keys, 16);
    ASSERT_THAT(plain, IsOk());
    ASSERT_THAT(split, IsOk());
    ASSERT_EQ(split->size(), count);
    EXPECT_EQ(*split, *plain);
    for (std::size_t i = 0; i < count; ++i) {
      const uint64_t n = (i * 7919) % 3001;
      if (n % 7 == 0 || n >= 3000) {
        EXPECT_FALSE((*split)[i].has_value()) << n;
      } else {
        EXPECT_EQ((*split)[i], "value " + std::to_string(n));
      }
    }
  }
}

TEST(StoreTest, RefusesNewerSchema) {
  TempDir dir;
  {
    auto store = Store::Open(dir.Sub("db"), {});
    CREDIT_ASSERT_OK(store);
    rocksdb::WriteBatch batch;
    batch.Put((*store)->cf(ColumnFamily::kMeta), "schema_version",
              std::to_string(kSchemaVersion + 1));
    CREDIT_ASSERT_OK((*store)->Write(&batch, true));
  }
  EXPECT_THAT(Store::Open(dir.Sub("db"), {}),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("upgrade libcredit")));
}

TEST(StoreTest, CountersAddAndSubtract) {
  TempDir dir;
  auto store = Store::Open(dir.Sub("db"), {});
  CREDIT_ASSERT_OK(store);
  rocksdb::WriteBatch batch;
  auto* meta = (*store)->cf(ColumnFamily::kMeta);
  batch.Merge(meta, "c", EncodeCounter(5));
  batch.Merge(meta, "c", EncodeCounter(7));
  batch.Merge(meta, "c", EncodeCounterDelta(-2));
  CREDIT_ASSERT_OK((*store)->Write(&batch, false));
  EXPECT_EQ(*(*store)->GetCounter(ColumnFamily::kMeta, "c"), 10u);
  EXPECT_EQ(*(*store)->GetCounter(ColumnFamily::kMeta, "absent"), 0u);
}

TEST(StoreTest, SnapshotHidesLaterWrites) {
  TempDir dir;
  auto store = Store::Open(dir.Sub("db"), {});
  CREDIT_ASSERT_OK(store);
  auto snapshot = (*store)->NewSnapshot();
  rocksdb::WriteBatch batch;
  batch.Put((*store)->cf(ColumnFamily::kRecords), "k", "v");
  CREDIT_ASSERT_OK((*store)->Write(&batch, false));
  auto old = (*store)->Get(ColumnFamily::kRecords, "k",
                           snapshot->read_options());
  CREDIT_ASSERT_OK(old);
  EXPECT_FALSE(old->has_value());
  auto now = (*store)->Get(ColumnFamily::kRecords, "k");
  CREDIT_ASSERT_OK(now);
  EXPECT_EQ(now->value_or(""), "v");
}

TEST(StoreTest, ClosingAfterWritesLeavesNothingToReplay) {
  TempDir dir;
  {
    auto store = Store::Open(dir.Sub("db"), {});
    CREDIT_ASSERT_OK(store);
    rocksdb::WriteBatch batch;
    batch.Put((*store)->cf(ColumnFamily::kRecords), "k", "v");
    batch.Put((*store)->cf(ColumnFamily::kBlocking),
              BlockingPostingKey(1, "x", 7), "");
    CREDIT_ASSERT_OK((*store)->Write(&batch, false));
  }
  // Everything is in tables: without the write-ahead log the data is still
  // there (the next Open had nothing to replay).
  for (const auto& entry : std::filesystem::directory_iterator(dir.Sub("db"))) {
    if (entry.path().extension() == ".log") std::filesystem::remove(entry.path());
  }
  auto store = Store::Open(dir.Sub("db"), {});
  CREDIT_ASSERT_OK(store);
  auto value = (*store)->Get(ColumnFamily::kRecords, "k");
  CREDIT_ASSERT_OK(value);
  EXPECT_EQ(value->value_or(""), "v");
  auto posting = (*store)->Get(ColumnFamily::kBlocking,
                               BlockingPostingKey(1, "x", 7));
  CREDIT_ASSERT_OK(posting);
  EXPECT_TRUE(posting->has_value());
}

// What a range deletion and newer versions replaced leaves the disk with
// CompactFamilies; the data that is left reads the same.
TEST(StoreTest, CompactFamiliesReclaimsReplacedData) {
  TempDir dir;
  const std::string value(200, 'v');
  {
    auto store = Store::Open(dir.Sub("db"), {});
    CREDIT_ASSERT_OK(store);
    rocksdb::WriteBatch batch;
    for (int i = 0; i < 5000; ++i) {
      batch.Put((*store)->cf(ColumnFamily::kEdges),
                DirectedEdgeKey(i, i + 1), value + std::to_string(i));
    }
    CREDIT_ASSERT_OK((*store)->Write(&batch, false));
  }  // closing writes the tables
  auto store = Store::Open(dir.Sub("db"), {});
  CREDIT_ASSERT_OK(store);
  const std::uint64_t before = (*store)->TableBytes(ColumnFamily::kEdges);
  ASSERT_GT(before, 0u);
  // Everything deleted and a tenth written again, as tables (as a relink).
  rocksdb::WriteBatch replace;
  replace.DeleteRange((*store)->cf(ColumnFamily::kEdges), RecordNumberKey(0),
                      std::string(17, '\xff'));
  for (int i = 0; i < 500; ++i) {
    replace.Put((*store)->cf(ColumnFamily::kEdges), DirectedEdgeKey(i, i + 1),
                value + std::to_string(i));
  }
  CREDIT_ASSERT_OK((*store)->WriteAsTables(&replace));
  EXPECT_GE((*store)->TableBytes(ColumnFamily::kEdges), before);
  const ColumnFamily families[] = {ColumnFamily::kEdges,
                                   ColumnFamily::kRecords};  // one empty
  CREDIT_ASSERT_OK((*store)->CompactFamilies(families));
  EXPECT_LT((*store)->TableBytes(ColumnFamily::kEdges), before / 4);
  auto kept = (*store)->Get(ColumnFamily::kEdges, DirectedEdgeKey(499, 500));
  CREDIT_ASSERT_OK(kept);
  EXPECT_EQ(kept->value_or(""), value + "499");
  auto gone = (*store)->Get(ColumnFamily::kEdges, DirectedEdgeKey(500, 501));
  CREDIT_ASSERT_OK(gone);
  EXPECT_FALSE(gone->has_value());
}

// The table files of `family`, by name.
std::vector<std::string> TableNames(Store& store, ColumnFamily family) {
  rocksdb::ColumnFamilyMetaData meta;
  store.db()->GetColumnFamilyMetaData(store.cf(family), &meta);
  std::vector<std::string> names;
  for (const auto& level : meta.levels) {
    for (const auto& file : level.files) names.push_back(file.relative_filename);
  }
  return names;
}

TEST(StoreTest, MergeSmallTablesLeavesTheLargeOnesAlone) {
  TempDir dir;
  auto store = Store::Open(dir.Sub("db"), {});
  CREDIT_ASSERT_OK(store);
  const ColumnFamily family = ColumnFamily::kAudit;
  // One large table (keys a...), then five small ones after it (b...).
  rocksdb::WriteBatch large;
  std::uint64_t noise = 88172645463325252u;  // xorshift: incompressible
  for (int i = 0; i < 4000; ++i) {
    std::string value;
    for (int k = 0; k < 16; ++k) {
      noise ^= noise << 13;
      noise ^= noise >> 7;
      noise ^= noise << 17;
      AppendUint64(&value, noise);
    }
    large.Put((*store)->cf(family), "a" + RecordNumberKey(i), value);
  }
  CREDIT_ASSERT_OK((*store)->WriteAsTables(&large));
  const std::vector<std::string> large_table = TableNames(**store, family);
  ASSERT_EQ(large_table.size(), 1u);
  ASSERT_GT((*store)->TableBytes(family), 256u << 10);
  for (int t = 0; t < 5; ++t) {
    rocksdb::WriteBatch small;
    small.Put((*store)->cf(family), "b" + RecordNumberKey(t), "event");
    CREDIT_ASSERT_OK((*store)->WriteAsTables(&small));
  }
  ASSERT_EQ(TableNames(**store, family).size(), 6u);
  const ColumnFamily families[] = {family, ColumnFamily::kMeta};  // one empty
  CREDIT_ASSERT_OK((*store)->MergeSmallTables(families, 64u << 10));
  const std::vector<std::string> after = TableNames(**store, family);
  ASSERT_EQ(after.size(), 2u);
  // The large table is the same file, not a rewrite.
  EXPECT_NE(std::find(after.begin(), after.end(), large_table[0]), after.end());
  for (int t = 0; t < 5; ++t) {
    auto event = (*store)->Get(family, "b" + RecordNumberKey(t));
    CREDIT_ASSERT_OK(event);
    EXPECT_EQ(event->value_or(""), "event");
  }
  auto first = (*store)->Get(family, "a" + RecordNumberKey(0));
  CREDIT_ASSERT_OK(first);
  EXPECT_TRUE(first->has_value());
}

TEST(StoreTest, CorruptProtoIsDataLoss) {
  TempDir dir;
  auto store = Store::Open(dir.Sub("db"), {});
  CREDIT_ASSERT_OK(store);
  rocksdb::WriteBatch batch;
  batch.Put((*store)->cf(ColumnFamily::kRecords), "k", "\xff\xff\xff");
  CREDIT_ASSERT_OK((*store)->Write(&batch, false));
  EXPECT_THAT((*store)->GetProto<v1::Record>(ColumnFamily::kRecords, "k"),
              StatusIs(absl::StatusCode::kDataLoss, HasSubstr("records")));
}

TEST(StoreTest, BackupRestoreAndCheckpointReopen) {
  TempDir dir;
  {
    auto store = Store::Open(dir.Sub("db"), {});
    CREDIT_ASSERT_OK(store);
    rocksdb::WriteBatch batch;
    batch.Put((*store)->cf(ColumnFamily::kRecords), "k", "v");
    CREDIT_ASSERT_OK((*store)->Write(&batch, false));
    CREDIT_ASSERT_OK((*store)->Backup(dir.Sub("backup")));
    CREDIT_ASSERT_OK((*store)->Checkpoint(dir.Sub("checkpoint")));
  }
  CREDIT_ASSERT_OK(Store::Restore(dir.Sub("backup"), dir.Sub("restored")));
  for (const char* copy : {"restored", "checkpoint"}) {
    auto store = Store::Open(dir.Sub(copy), {});
    CREDIT_ASSERT_OK(store);
    auto value = (*store)->Get(ColumnFamily::kRecords, "k");
    CREDIT_ASSERT_OK(value);
    EXPECT_EQ(value->value_or(""), "v") << copy;
  }
  EXPECT_THAT(Store::Restore(dir.Sub("nothing"), dir.Sub("x")),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("no credit backup")));
}

// Writes `text` to `path`.
void WriteFile(const std::string& path, const std::string& text) {
  std::ofstream(path) << text;
}

TEST(StoreTest, RestoreLeavesADirectoryOfOtherFilesAlone) {
  TempDir dir;
  {
    auto store = Store::Open(dir.Sub("db"), {});
    CREDIT_ASSERT_OK(store);
    CREDIT_ASSERT_OK((*store)->Backup(dir.Sub("backup")));
  }
  std::filesystem::create_directories(dir.Sub("papers"));
  WriteFile(dir.Sub("papers/notes.txt"), "keep me");
  EXPECT_THAT(Store::Restore(dir.Sub("backup"), dir.Sub("papers")),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("holds other files but no credit database")));
  EXPECT_TRUE(std::filesystem::exists(dir.Sub("papers/notes.txt")));
  WriteFile(dir.Sub("afile"), "keep me too");
  EXPECT_THAT(Store::Restore(dir.Sub("backup"), dir.Sub("afile")),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("is a file")));
  // An empty directory, and an existing database, are restored into.
  std::filesystem::create_directories(dir.Sub("empty"));
  CREDIT_EXPECT_OK(Store::Restore(dir.Sub("backup"), dir.Sub("empty")));
  CREDIT_EXPECT_OK(Store::Restore(dir.Sub("backup"), dir.Sub("db")));
}

TEST(StoreTest, RestoreRefusesADatabaseThatIsOpen) {
  TempDir dir;
  auto store = Store::Open(dir.Sub("db"), {});
  CREDIT_ASSERT_OK(store);
  rocksdb::WriteBatch batch;
  batch.Put((*store)->cf(ColumnFamily::kRecords), "k", "written after");
  CREDIT_ASSERT_OK((*store)->Backup(dir.Sub("backup")));
  CREDIT_ASSERT_OK((*store)->Write(&batch, false));
  EXPECT_THAT(Store::Restore(dir.Sub("backup"), dir.Sub("db")),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("the database is open")));
  // Nothing was deleted under the open database.
  auto value = (*store)->Get(ColumnFamily::kRecords, "k");
  CREDIT_ASSERT_OK(value);
  EXPECT_EQ(value->value_or(""), "written after");
  store->reset();
  CREDIT_EXPECT_OK(Store::Restore(dir.Sub("backup"), dir.Sub("db")));
}

TEST(StoreTest, ADatabaseOpenElsewhereIsUnavailableAndSaysSo) {
  TempDir dir;
  auto first = Store::Open(dir.Sub("db"), {});
  CREDIT_ASSERT_OK(first);
  EXPECT_THAT(Store::Open(dir.Sub("db"), {}),
              StatusIs(absl::StatusCode::kUnavailable,
                       HasSubstr("is in use: another process")));
}

TEST(StoreTest, CreatesNoDatabaseAmongOtherFiles) {
  TempDir dir;
  std::filesystem::create_directories(dir.Sub("papers"));
  WriteFile(dir.Sub("papers/notes.txt"), "keep me");
  EXPECT_THAT(Store::Open(dir.Sub("papers"), {}),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("holds other files but no credit database")));
  WriteFile(dir.Sub("afile"), "x");
  EXPECT_THAT(Store::Open(dir.Sub("afile"), {}),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("is a file")));
  StoreOptions open_only;
  open_only.create_if_missing = false;
  EXPECT_THAT(Store::Open(dir.Sub("afile"), open_only),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("is a file")));
  std::filesystem::create_directories(dir.Sub("empty"));
  CREDIT_EXPECT_OK(Store::Open(dir.Sub("empty"), {}));
  // A creation cut short (RocksDB's files, no CURRENT) is completed.
  std::filesystem::create_directories(dir.Sub("cut_short"));
  WriteFile(dir.Sub("cut_short/LOCK"), "");
  WriteFile(dir.Sub("cut_short/LOG"), "started");
  WriteFile(dir.Sub("cut_short/MANIFEST-000001"), "");
  CREDIT_EXPECT_OK(Store::Open(dir.Sub("cut_short"), {}));
}

}  // namespace
}  // namespace credit
