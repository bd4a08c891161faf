// Engine-level behaviour of ResolveAll: order neutrality, stable ids and
// lineage, cannot-links, unmerge after delete.
#include <algorithm>
#include <fstream>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "credit/credit.h"
#include "fmt/format.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "engine_test_util.h"
#include "match/blocking_keys.h"
#include "rocksdb/metadata.h"
#include "store/key_codec.h"
#include "store/store.h"
#include "test_support.h"

namespace credit {
namespace {

using ::credit::testing::IsOk;
using ::credit::testing::TempDir;

using ::credit::testing::FebrlMapping;
using ::credit::testing::kUsccA;
using ::credit::testing::Org;
using ::credit::testing::Partition;
using ::credit::testing::PartitionOf;

// Reads febrl1 rows once through the file adapter of a scratch engine.
std::vector<v1::Record> FebrlRecords() {
  TempDir dir;
  auto engine = Engine::Open(dir.Sub("db"));
  EXPECT_THAT((*engine)->RegisterSource(FebrlMapping()), IsOk());
  EXPECT_THAT((*engine)->IngestFile(
                  "febrl", ::credit::testing::SharedDataDir() +
                               "/febrl1/dataset1.csv"),
              IsOk());
  std::vector<v1::Record> records;
  for (auto it = (*engine)->NewRecordIterator(); it->Valid(); it->Next()) {
    v1::Record record = it->value();
    record.clear_record_number();
    records.push_back(std::move(record));
  }
  return records;
}

TEST(ResolutionTest, SameRecordsInAnyOrderGiveTheSamePartition) {
  CREDIT_REQUIRE_SHARED_DATA();
  const std::vector<v1::Record> records = FebrlRecords();
  ASSERT_EQ(records.size(), 1000u);
  Partition expected;
  std::mt19937 random(7);
  for (int round = 0; round < 10; ++round) {
    std::vector<v1::Record> shuffled = records;
    std::shuffle(shuffled.begin(), shuffled.end(), random);
    TempDir dir;
    auto engine = Engine::Open(dir.Sub("db"));
    ASSERT_THAT((*engine)->RegisterSource(FebrlMapping()), IsOk());
    // Several batches of different sizes, with a resolve in the middle.
    size_t split = 100 + 70 * round;
    ASSERT_THAT((*engine)->Ingest("febrl", {shuffled.begin(),
                                            shuffled.begin() + split}),
                IsOk());
    ASSERT_THAT((*engine)->ResolveAll(), IsOk());
    ASSERT_THAT((*engine)->Ingest("febrl",
                                  {shuffled.begin() + split, shuffled.end()}),
                IsOk());
    ASSERT_THAT((*engine)->ResolveAll(), IsOk());
    Partition partition = PartitionOf(**engine);
    if (round == 0) {
      expected = partition;
      EXPECT_LT(expected.size(), 700u);  // duplicates were linked
    } else {
      ASSERT_EQ(partition, expected) << "round " << round;
    }
  }
}

// A bulk load stores records without entities (defer_entities) and links
// them in the ResolveAll that follows: the same entities as storing each
// record as its own entity first. In between, even across a reopen (a
// crash before the relink), reading a record's entity says what to run;
// once the relink ran, a record without an entity is damage again.
TEST(ResolutionTest, DeferredEntitiesAreGivenByTheRelink) {
  CREDIT_REQUIRE_SHARED_DATA();
  const std::vector<v1::Record> records = FebrlRecords();
  ASSERT_EQ(records.size(), 1000u);
  IngestOptions store_only;
  store_only.link = false;
  Partition expected;
  {
    TempDir dir;
    auto engine = Engine::Open(dir.Sub("db"));
    ASSERT_THAT(engine, IsOk());
    ASSERT_THAT((*engine)->RegisterSource(FebrlMapping()), IsOk());
    ASSERT_THAT((*engine)->Ingest("febrl", records, store_only), IsOk());
    ASSERT_THAT((*engine)->ResolveAll(), IsOk());
    expected = PartitionOf(**engine);
  }
  IngestOptions deferred = store_only;
  deferred.defer_entities = true;
  TempDir dir;
  const std::string db = dir.Sub("db");
  const std::string some_id = records[500].record_id();
  {
    auto engine = Engine::Open(db);
    ASSERT_THAT(engine, IsOk());
    ASSERT_THAT((*engine)->RegisterSource(FebrlMapping()), IsOk());
    ASSERT_THAT((*engine)->Ingest("febrl", {records.begin(),
                                            records.begin() + 400},
                                  deferred),
                IsOk());
    ASSERT_THAT((*engine)->Ingest("febrl", {records.begin() + 400,
                                            records.end()},
                                  deferred),
                IsOk());
    EXPECT_EQ((*engine)->GetStats()->records(), 1000u);
    EXPECT_EQ((*engine)->GetStats()->entities(), 0u);
    // Deferring entities is for ingest without linking only.
    IngestOptions linked_and_deferred;
    linked_and_deferred.defer_entities = true;
    EXPECT_EQ((*engine)
                  ->Ingest("febrl", {records.front()}, linked_and_deferred)
                  .status()
                  .code(),
              absl::StatusCode::kInvalidArgument);
  }
  auto engine = Engine::Open(db);
  ASSERT_THAT(engine, IsOk());
  auto pending = (*engine)->GetEntityOfRecord("febrl", some_id);
  EXPECT_EQ(pending.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(pending.status().message()),
              ::testing::HasSubstr("credit resolve"));
  auto summary = (*engine)->ResolveAll();
  ASSERT_THAT(summary, IsOk());
  EXPECT_EQ(PartitionOf(**engine), expected);
  EXPECT_EQ(summary->retired_ids, 0u);  // no single-record ids to retire
  auto linked = (*engine)->GetEntityOfRecord("febrl", some_id);
  ASSERT_THAT(linked, IsOk());
  // A record that has an entity keeps it through a deferred update.
  v1::Record changed = records[500];
  changed.mutable_features(0)->set_value("zzz");
  ASSERT_THAT((*engine)->Ingest("febrl", {changed}, deferred), IsOk());
  EXPECT_EQ((*engine)->GetEntityOfRecord("febrl", some_id)->id(),
            linked->id());
  engine->reset();
  // The relink cleared the mark: an entity lost now is damage.
  {
    auto store = Store::Open(db, {});
    ASSERT_THAT(store.status(), IsOk());
    auto number = (*store)->Get(ColumnFamily::kRecordIds,
                                store_internal::RecordIdKey("febrl", some_id));
    ASSERT_THAT(number.status(), IsOk());
    ASSERT_TRUE(number->has_value());
    rocksdb::WriteBatch batch;
    batch.Delete((*store)->cf(ColumnFamily::kRecordEntity), **number);
    ASSERT_THAT((*store)->Write(&batch, /*sync=*/true), IsOk());
  }
  engine = Engine::Open(db);
  ASSERT_THAT(engine, IsOk());
  EXPECT_EQ((*engine)->GetEntityOfRecord("febrl", some_id).status().code(),
            absl::StatusCode::kDataLoss);
}

// A relink rewrites edges, postings and entities; the copies it replaced
// leave the disk with it instead of doubling those families until
// compaction happens to reach them. The reference is a store that was
// linked once, by a bulk load: it never held a second copy of its edges
// and postings. (Its entities replaced the bulk load's singletons, so they
// are no reference.)
TEST(ResolutionTest, RelinkLeavesOneCopyOfTheLinkingDataOnDisk) {
  CREDIT_REQUIRE_SHARED_DATA();
  TempDir dir;
  const std::string file =
      ::credit::testing::SharedDataDir() + "/febrl1/dataset1.csv";
  auto linking_bytes = [](const v1::Stats& stats) {
    std::uint64_t bytes = 0;
    for (const char* family : {"edges", "blocking"}) {
      bytes += stats.column_family_bytes().at(family);
    }
    return bytes;
  };
  std::uint64_t linked_once = 0;
  {
    auto bulk = Engine::Open(dir.Sub("bulk"));
    ASSERT_THAT(bulk, IsOk());
    ASSERT_THAT((*bulk)->RegisterSource(FebrlMapping()), IsOk());
    FileIngestOptions store_only;
    store_only.ingest.link = false;
    ASSERT_THAT((*bulk)->IngestFile("febrl", file, store_only), IsOk());
    ASSERT_THAT((*bulk)->ResolveAll(), IsOk());
    auto stats = (*bulk)->GetStats();
    ASSERT_THAT(stats, IsOk());
    linked_once = linking_bytes(*stats);
    ASSERT_GT(linked_once, 0u);
  }
  {
    auto engine = Engine::Open(dir.Sub("db"));
    ASSERT_THAT(engine, IsOk());
    ASSERT_THAT((*engine)->RegisterSource(FebrlMapping()), IsOk());
    ASSERT_THAT((*engine)->IngestFile("febrl", file), IsOk());
  }  // closing flushes the incremental linking's data into tables
  auto engine = Engine::Open(dir.Sub("db"));
  ASSERT_THAT(engine, IsOk());
  // Twice: the second relink finds the first one's data compacted into the
  // last level, where background compaction would leave it alone for long.
  for (int relink = 1; relink <= 2; ++relink) {
    ASSERT_THAT((*engine)->ResolveAll(), IsOk());
    auto stats = (*engine)->GetStats();
    ASSERT_THAT(stats, IsOk());
    // The same records, so about the same bytes; two copies would be ~2x.
    EXPECT_LT(linking_bytes(*stats), linked_once * 12 / 10)
        << "relink " << relink << ": " << linking_bytes(*stats)
        << " bytes, linked once by a bulk load: " << linked_once;
  }
}

// A column family as stored: every key and value, in key order.
std::vector<std::pair<std::string, std::string>> StoredFamily(
    const std::string& db, ColumnFamily family) {
  std::vector<std::pair<std::string, std::string>> entries;
  auto store = Store::Open(db, {});
  EXPECT_THAT(store.status(), IsOk());
  if (!store.ok()) return entries;
  rocksdb::ReadOptions read;
  read.total_order_seek = true;
  EXPECT_THAT((*store)->ScanPrefix(
                  family, "",
                  [&](std::string_view key, std::string_view value) {
                    entries.emplace_back(key, value);
                    return true;
                  },
                  read),
              IsOk());
  return entries;
}

// Checks that a relink of `db` keeping the term frequencies in force
// rewrites exactly what `families` (by default the edges and blocking
// postings) hold in it (more than `min_entries` of each), key for key and
// byte for byte, edge back-references included.
void ExpectRelinkRewritesWhatIsStored(
    const std::string& db, std::size_t min_entries,
    std::vector<ColumnFamily> families = {ColumnFamily::kEdges,
                                          ColumnFamily::kBlocking}) {
  std::vector<std::vector<std::pair<std::string, std::string>>> stored;
  for (ColumnFamily family : families) {
    stored.push_back(StoredFamily(db, family));
    ASSERT_GT(stored.back().size(), min_entries) << ColumnFamilyName(family);
  }
  {
    auto engine = Engine::Open(db);
    ASSERT_THAT(engine, IsOk());
    ResolveOptions keep;
    keep.refresh_term_frequencies = false;
    ASSERT_THAT((*engine)->ResolveAll(keep), IsOk());
  }
  for (std::size_t i = 0; i < families.size(); ++i) {
    const auto relinked = StoredFamily(db, families[i]);
    ASSERT_EQ(relinked.size(), stored[i].size())
        << ColumnFamilyName(families[i]);
    EXPECT_TRUE(relinked == stored[i]) << ColumnFamilyName(families[i]);
  }
}

// Ingests (incrementally, in batches of 250) every `mappings[i]` file
// `files[i]` into `db`, then checks that a relink keeping the term
// frequencies in force rewrites exactly the edges and blocking postings
// incremental linking wrote, key for key and byte for byte, edge
// back-references included. A relink writes each of those families as one
// table of its own, in key order (EdgesReplacement and PostingsReplacement
// in engine_impl.cc).
void ExpectRelinkRewritesTheSameLinkingData(
    const std::string& db, const std::vector<v1::SourceMapping>& mappings,
    const std::vector<std::string>& files, std::size_t min_entries) {
  {
    auto engine = Engine::Open(db);
    ASSERT_THAT(engine, IsOk());
    for (std::size_t i = 0; i < mappings.size(); ++i) {
      ASSERT_THAT((*engine)->RegisterSource(mappings[i]), IsOk());
      FileIngestOptions batches;
      batches.batch_size = 250;
      ASSERT_THAT(
          (*engine)->IngestFile(mappings[i].source(), files[i], batches),
          IsOk());
    }
  }
  ExpectRelinkRewritesWhatIsStored(db, min_entries);
}

// An engine keeps the posting lists its linking calls read (PostingsCache).
// A relink writes the postings of records stored without linking, so it
// must drop them: records linked afterwards by the same engine must meet
// those records, and get exactly the edges a relink gives. The three parts
// are copies of the same rows under other ids, so every key the last part
// touches was read (and kept) while linking the first.
// A fixed time, so that two stores of the same rows hold the same bytes.
class StillClock : public Clock {
 public:
  std::int64_t NowMicros() const override { return 1'700'000'000'000'000; }
};

// How many table files `family` of the store at `db` has (the engine that
// wrote them closed).
std::size_t TableFiles(const std::string& db, ColumnFamily family) {
  auto store = Store::Open(db, {});
  EXPECT_THAT(store.status(), IsOk());
  if (!store.ok()) return 0;
  rocksdb::ColumnFamilyMetaData meta;
  (*store)->db()->GetColumnFamilyMetaData((*store)->cf(family), &meta);
  std::size_t files = 0;
  for (const auto& level : meta.levels) files += level.files.size();
  return files;
}

// A bulk load's store-only batches of kMinBulkRecordsAsTables records or
// more are committed as table files instead of through the write-ahead log:
// written at once (the log path leaves them in the memtables), the same
// records, ids and counters byte for byte, the same entities after the
// relink, and each small family merged back into one table.
TEST(ResolutionTest, BulkBatchesCommittedAsTablesStoreWhatTheLogStores) {
  CREDIT_REQUIRE_SHARED_DATA();
  const std::string file =
      ::credit::testing::SharedDataDir() + "/febrl3/dataset3.csv";
  StillClock clock;
  Options options;
  options.clock = &clock;
  FileIngestOptions as_tables;
  as_tables.batch_size = 1000;
  as_tables.ingest.link = false;
  as_tables.ingest.defer_entities = true;
  FileIngestOptions through_log = as_tables;
  through_log.batch_size = 999;  // below the threshold
  TempDir dir;
  auto load = [&](const std::string& db, const FileIngestOptions& batches) {
    auto engine = Engine::Open(db, options);
    EXPECT_THAT(engine, IsOk());
    EXPECT_THAT((*engine)->RegisterSource(FebrlMapping()), IsOk());
    auto report = (*engine)->IngestFile("febrl", file, batches);
    EXPECT_THAT(report, IsOk());
    if (report.ok()) {
      EXPECT_EQ(report->accepted(), 5000u);
    }
    auto stats = (*engine)->GetStats();
    EXPECT_THAT(stats, IsOk());
    return stats.ok() ? stats->column_family_bytes().at("records") : 0;
  };
  const std::string tables_db = dir.Sub("tables");
  const std::string log_db = dir.Sub("log");
  EXPECT_GT(load(tables_db, as_tables), 0u);
  EXPECT_EQ(load(log_db, through_log), 0u);
  EXPECT_GE(TableFiles(tables_db, ColumnFamily::kRecords), 5u);
  // The five batches' tables merged into one, plus what the memtable held
  // (the source's registration), flushed at close.
  for (ColumnFamily family : {ColumnFamily::kMeta, ColumnFamily::kAudit}) {
    EXPECT_LE(TableFiles(tables_db, family), 2u) << ColumnFamilyName(family);
  }
  EXPECT_TRUE(StoredFamily(tables_db, ColumnFamily::kRecordIds) ==
              StoredFamily(log_db, ColumnFamily::kRecordIds));
  // Records compared as messages: a map's serialized order (the raw
  // columns) differs from one serialization to the next.
  const auto tables = StoredFamily(tables_db, ColumnFamily::kRecords);
  const auto logged = StoredFamily(log_db, ColumnFamily::kRecords);
  ASSERT_EQ(tables.size(), 5000u);
  ASSERT_EQ(logged.size(), 5000u);
  for (std::size_t i = 0; i < tables.size(); ++i) {
    ASSERT_EQ(tables[i].first, logged[i].first);
    v1::Record a, b;
    ASSERT_TRUE(a.ParseFromString(tables[i].second));
    ASSERT_TRUE(b.ParseFromString(logged[i].second));
    ASSERT_TRUE(google::protobuf::util::MessageDifferencer::Equals(a, b))
        << a.ShortDebugString() << "\n" << b.ShortDebugString();
  }
  Partition partitions[2];
  for (int i = 0; i < 2; ++i) {
    auto engine = Engine::Open(i == 0 ? tables_db : log_db, options);
    ASSERT_THAT(engine, IsOk());
    EXPECT_EQ((*engine)->GetStats()->records(), 5000u);
    ASSERT_THAT((*engine)->ResolveAll(), IsOk());
    partitions[i] = PartitionOf(**engine);
  }
  EXPECT_GT(partitions[0].size(), 0u);
  EXPECT_EQ(partitions[0], partitions[1]);
}

// Writes three CSV files into `dir` that copy the first 300 rows of febrl1
// under other record ids (suffixed -a, -b, -c), and returns their paths.
std::vector<std::string> FebrlCopies(const TempDir& dir) {
  std::ifstream in(::credit::testing::SharedDataDir() + "/febrl1/dataset1.csv");
  std::string header, line;
  std::getline(in, header);
  std::vector<std::string> rows;
  while (std::getline(in, line) && rows.size() < 300) rows.push_back(line);
  EXPECT_EQ(rows.size(), 300u);
  std::vector<std::string> parts;
  for (const char* copy : {"a", "b", "c"}) {
    parts.push_back(dir.Sub(fmt::format("part-{}.csv", copy)));
    std::ofstream out(parts.back());
    out << header << "\n";
    for (const std::string& row : rows) {
      const std::size_t comma = row.find(',');
      out << row.substr(0, comma) << "-" << copy << row.substr(comma) << "\n";
    }
  }
  return parts;
}

TEST(ResolutionTest, LinkingAfterARelinkSeesThePostingsTheRelinkWrote) {
  CREDIT_REQUIRE_SHARED_DATA();
  TempDir dir;
  const std::vector<std::string> parts = FebrlCopies(dir);
  const std::string db = dir.Sub("db");
  {
    auto engine = Engine::Open(db);
    ASSERT_THAT(engine, IsOk());
    ASSERT_THAT((*engine)->RegisterSource(FebrlMapping()), IsOk());
    FileIngestOptions linked;
    linked.batch_size = 100;
    ASSERT_THAT((*engine)->IngestFile("febrl", parts[0], linked), IsOk());
    FileIngestOptions stored_only = linked;
    stored_only.ingest.link = false;
    ASSERT_THAT((*engine)->IngestFile("febrl", parts[1], stored_only), IsOk());
    ResolveOptions keep;
    keep.refresh_term_frequencies = false;
    ASSERT_THAT((*engine)->ResolveAll(keep), IsOk());
    ASSERT_THAT((*engine)->IngestFile("febrl", parts[2], linked), IsOk());
  }
  ExpectRelinkRewritesWhatIsStored(db, 900);
}

// The prepared-record cache's contents, from the engine's stats.
std::pair<uint64_t, uint64_t> LinkingCache(Engine& engine) {
  auto stats = engine.GetStats();
  EXPECT_THAT(stats, IsOk());
  if (!stats.ok()) return {0, 0};
  return {stats->linking_cache_records(), stats->linking_cache_resident()};
}

// Options::preload_linking_cache: the stored records are prepared at open,
// kept while ingest goes on, dropped when written or deleted, and prepared
// again after a relink; what linking writes with them is exactly what a
// relink writes. The copies share every blocking key, so linking -b and -c
// scores against the resident records of -a.
TEST(ResolutionTest, APreloadedLinkingCacheLinksAsTheStoreDoes) {
  CREDIT_REQUIRE_SHARED_DATA();
  TempDir dir;
  const std::vector<std::string> parts = FebrlCopies(dir);
  const std::string db = dir.Sub("db");
  FileIngestOptions linked;
  linked.batch_size = 100;
  {
    auto engine = Engine::Open(db);
    ASSERT_THAT(engine, IsOk());
    EXPECT_EQ(LinkingCache(**engine), std::make_pair(uint64_t{0}, uint64_t{0}));
    ASSERT_THAT((*engine)->RegisterSource(FebrlMapping()), IsOk());
    ASSERT_THAT((*engine)->IngestFile("febrl", parts[0], linked), IsOk());
  }
  Options preload;
  preload.preload_linking_cache = true;
  {
    auto engine = Engine::Open(db, preload);
    ASSERT_THAT(engine, IsOk());
    EXPECT_EQ(LinkingCache(**engine),
              std::make_pair(uint64_t{300}, uint64_t{300}));
    ASSERT_THAT((*engine)->IngestFile("febrl", parts[1], linked), IsOk());
    // The new records are cached as later batches read them, not resident.
    auto [cached, resident] = LinkingCache(**engine);
    EXPECT_EQ(resident, 300u);
    EXPECT_GT(cached, 300u);
    // A deleted record leaves the cache.
    const std::string first_id =
        (*engine)->NewRecordIterator()->value().record_id();
    ASSERT_THAT((*engine)->DeleteRecord("febrl", first_id), IsOk());
    EXPECT_EQ(LinkingCache(**engine).second, 299u);
    // A store-only batch, then a relink with fresh frequencies: the cache
    // is emptied for the new model and filled with every stored record.
    FileIngestOptions stored_only = linked;
    stored_only.ingest.link = false;
    ASSERT_THAT((*engine)->IngestFile("febrl", parts[2], stored_only),
                IsOk());
    ASSERT_THAT((*engine)->ResolveAll(), IsOk());
    EXPECT_EQ(LinkingCache(**engine),
              std::make_pair(uint64_t{899}, uint64_t{899}));
    // A trained model changes every weight: the prepared forms of the old
    // one must all go (ingesting with them gives other edges).
    ASSERT_THAT((*engine)->TrainModel(), IsOk());
    EXPECT_EQ(LinkingCache(**engine),
              std::make_pair(uint64_t{899}, uint64_t{899}));
    // Ingest again over the preloaded records: -a rows as updates.
    ASSERT_THAT((*engine)->IngestFile("febrl", parts[0], linked), IsOk());
    EXPECT_EQ(LinkingCache(**engine).second, 899u - 299u);
  }
  ExpectRelinkRewritesWhatIsStored(db, 900);
  // A cache smaller than the store holds the newest records.
  Options small = preload;
  small.linking_cache_records = 100;
  auto engine = Engine::Open(db, small);
  ASSERT_THAT(engine, IsOk());
  EXPECT_EQ(LinkingCache(**engine), std::make_pair(uint64_t{100}, uint64_t{100}));
}

// A relink sorts the postings by key, and writes them, from the first 24
// bytes of each value held as three words; only longer values agreeing on
// those are compared, and written, from their bytes (PostingsReplacement).
// Names of one length sharing 15 to 33 leading bytes (normalized, without
// the legal form), linked one by one, must be rewritten byte for byte (a
// missorted table would not even be written; a misspelled value would
// differ).
TEST(ResolutionTest, RelinkSortsPostingsOfValuesSharingLongPrefixes) {
  TempDir dir;
  const std::string db = dir.Sub("db");
  const std::vector<std::string> prefixes = {
      "前海微众银", "前海微众银行云", "前海微众银行云端", "前海微众银行云端数",
      "前海微众银行云端数据"};
  const std::vector<std::string> suffixes = {"甲", "乙", "丙", "丁", "戊"};
  {
    auto engine = Engine::Open(db);
    ASSERT_THAT(engine, IsOk());
    ::credit::testing::RegisterMarketSource(**engine);
    int id = 0;
    for (const std::string& prefix : prefixes) {
      for (const std::string& a : suffixes) {
        for (const std::string& b : suffixes) {
          // One length per prefix: the names differ only after it.
          const std::string name = prefix + a + b + "有限公司";
          ASSERT_THAT((*engine)->Ingest(
                          "market", {Org(std::to_string(++id), name)}),
                      IsOk());
        }
      }
    }
  }
  // Different names: postings, no edges.
  ExpectRelinkRewritesWhatIsStored(db, 125, {ColumnFamily::kBlocking});
}

// Ingests 300 differently named companies "0".."299" into `engine`, then
// deletes some at the start, middle and end of the record numbers; returns
// the ids kept.
std::set<std::string> IngestCompaniesWithGaps(Engine& engine) {
  std::set<std::string> kept;
  ::credit::testing::RegisterMarketSource(engine);
  std::vector<v1::Record> records;
  for (int i = 0; i < 300; ++i) {
    records.push_back(
        Org(std::to_string(i), fmt::format("第{}号贸易有限公司", i)));
  }
  EXPECT_THAT(engine.Ingest("market", records), IsOk());
  for (int i = 0; i < 300; ++i) {
    if (i < 7 || (i >= 40 && i < 140) || i >= 290) {
      EXPECT_THAT(engine.DeleteRecord("market", std::to_string(i)), IsOk());
    } else {
      kept.insert(std::to_string(i));
    }
  }
  return kept;
}

// Overwrites the stored value of record market/`id` with bytes that never
// parse; returns its number.
uint64_t CorruptStoredRecord(const std::string& db, const std::string& id) {
  auto store = Store::Open(db, {});
  EXPECT_THAT(store, IsOk());
  auto number = (*store)->Get(ColumnFamily::kRecordIds,
                              store_internal::RecordIdKey("market", id));
  EXPECT_THAT(number, IsOk());
  EXPECT_TRUE(number->has_value());
  const uint64_t n = *store_internal::ReadUint64(**number);
  rocksdb::WriteBatch batch;
  // A varint longer than ten bytes: never a valid message.
  batch.Put((*store)->cf(ColumnFamily::kRecords),
            store_internal::RecordNumberKey(n), std::string(12, '\xff'));
  EXPECT_THAT((*store)->Write(&batch, /*sync=*/true), IsOk());
  return n;
}

// A relink reads the records in parts of the record-number range, one
// core each (store/record_scan.h). With numbers spread by deletions, every
// stored record must still be read once, in number order; a corrupt one
// stops the relink before it writes anything.
TEST(ResolutionTest, RelinkReadsEveryRecordAcrossGapsAndRefusesACorruptOne) {
  TempDir dir;
  const std::string db = dir.Sub("db");
  {
    auto engine = Engine::Open(db);
    ASSERT_THAT(engine, IsOk());
    const std::set<std::string> kept = IngestCompaniesWithGaps(**engine);
    auto summary = (*engine)->ResolveAll();
    ASSERT_THAT(summary, IsOk());
    EXPECT_EQ(summary->records, kept.size());
    EXPECT_EQ(summary->entities, kept.size());
    for (const std::string& id : kept) {
      EXPECT_THAT((*engine)->GetEntityOfRecord("market", id), IsOk()) << id;
    }
  }
  // The identical relink rewrites what it wrote byte for byte: the records
  // came in the same order.
  ExpectRelinkRewritesWhatIsStored(db, 100, {ColumnFamily::kBlocking});
  const uint64_t damaged = CorruptStoredRecord(db, "200");
  auto engine = Engine::Open(db);
  ASSERT_THAT(engine, IsOk());
  const uint64_t entity = (*engine)->GetEntityOfRecord("market", "7")->id();
  auto relinked = (*engine)->ResolveAll();
  EXPECT_EQ(relinked.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(std::string(relinked.status().message()),
              ::testing::HasSubstr(
                  fmt::format("'records' (record number {})", damaged)));
  EXPECT_EQ((*engine)->GetEntityOfRecord("market", "7")->id(), entity);
}

// The preloaded linking cache reads the newest records up to its capacity
// in parts too: across gaps it holds exactly the stored records of that
// range, at open and after a relink (which prepares them from the records
// it read), and a corrupt one fails the open that preloads (and only
// that).
TEST(ResolutionTest, APreloadedLinkingCacheHoldsTheNewestStoredRecords) {
  TempDir dir;
  const std::string db = dir.Sub("db");
  std::set<uint64_t> numbers;
  {
    auto engine = Engine::Open(db);
    ASSERT_THAT(engine, IsOk());
    for (const std::string& id : IngestCompaniesWithGaps(**engine)) {
      auto record = (*engine)->GetRecord("market", id);
      ASSERT_THAT(record, IsOk());
      // Numbered as they arrived, from 1.
      ASSERT_EQ(record->record_number(), std::stoull(id) + 1);
      numbers.insert(record->record_number());
    }
  }
  Options preload;
  preload.preload_linking_cache = true;
  for (const uint64_t capacity : {1000, 60, 2}) {
    preload.linking_cache_records = capacity;
    auto engine = Engine::Open(db, preload);
    ASSERT_THAT(engine, IsOk());
    // The cache covers the `capacity` numbers before the next one to be
    // given (301), deleted or not.
    const uint64_t next = 301;
    const uint64_t first = next > capacity ? next - capacity : 1;
    const uint64_t held = std::count_if(
        numbers.begin(), numbers.end(),
        [&](uint64_t n) { return n >= first && n < next; });
    EXPECT_EQ(LinkingCache(**engine), std::make_pair(held, held)) << capacity;
    // A relink prepares them again, from the records it read.
    ASSERT_THAT((*engine)->ResolveAll(), IsOk());
    EXPECT_EQ(LinkingCache(**engine), std::make_pair(held, held)) << capacity;
  }
  const uint64_t damaged = CorruptStoredRecord(db, "250");
  preload.linking_cache_records = 1000;
  auto refused = Engine::Open(db, preload);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(std::string(refused.status().message()),
              ::testing::HasSubstr(fmt::format("record number {}", damaged)));
  EXPECT_THAT(Engine::Open(db), IsOk());
}

TEST(ResolutionTest, RelinkRewritesIncrementalLinkingData) {
  CREDIT_REQUIRE_SHARED_DATA();
  TempDir dir;
  ExpectRelinkRewritesTheSameLinkingData(
      dir.Sub("db"), {FebrlMapping()},
      {::credit::testing::SharedDataDir() + "/febrl1/dataset1.csv"}, 500);
}

// The demo's five agencies: identifiers, so cannot-links and possible
// matches among the edges too.
TEST(ResolutionTest, RelinkRewritesIncrementalLinkingDataForAgencies) {
  TempDir dir;
  const std::string data = std::string(CREDIT_SOURCE_DIR) + "/examples/data/";
  std::vector<v1::SourceMapping> mappings;
  std::vector<std::string> files;
  for (const char* source : {"market", "tax", "court", "environment", "social"}) {
    auto mapping =
        LoadSourceMapping(data + std::string(source) + ".mapping.json");
    ASSERT_THAT(mapping.status(), IsOk());
    mappings.push_back(*std::move(mapping));
    files.push_back(data + std::string(source) + ".csv");
  }
  ExpectRelinkRewritesTheSameLinkingData(dir.Sub("db"), mappings, files, 500);
}

class OrgResolutionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto engine = Engine::Open(dir_.Sub("db"));
    ASSERT_THAT(engine, IsOk());
    engine_ = *std::move(engine);
    ::credit::testing::RegisterMarketSource(*engine_);
  }
  TempDir dir_;
  std::unique_ptr<Engine> engine_;
};

TEST_F(OrgResolutionTest, MergeKeepsOldestIdAndRetiredIdsRedirect) {
  // Stored without linking (a bulk load), so ResolveAll does the merge.
  IngestOptions no_link;
  no_link.link = false;
  ASSERT_THAT(engine_->Ingest("market",
                              {Org("1", "深圳市腾讯计算机系统有限公司",
                                   "914403001922038216")},
                              no_link),
              IsOk());
  ASSERT_THAT(engine_->Ingest("market",
                              {Org("2", "腾讯计算机系统（深圳）有限公司",
                                   "914403001922038216")},
                              no_link),
              IsOk());
  auto first = engine_->GetEntityOfRecord("market", "1");
  auto second = engine_->GetEntityOfRecord("market", "2");
  ASSERT_THAT(first, IsOk());
  ASSERT_THAT(second, IsOk());
  ASSERT_NE(first->id(), second->id());
  auto summary = engine_->ResolveAll();
  ASSERT_THAT(summary, IsOk());
  EXPECT_EQ(summary->entities, 1u);
  EXPECT_EQ(summary->retired_ids, 1u);
  auto merged = engine_->GetEntityOfRecord("market", "2");
  ASSERT_THAT(merged, IsOk());
  EXPECT_EQ(merged->id(), first->id());  // the oldest id survives
  EXPECT_EQ(merged->members_size(), 2);
  auto redirected = engine_->GetEntity(second->id());
  ASSERT_THAT(redirected, IsOk());
  EXPECT_EQ(redirected->id(), first->id());
  EXPECT_EQ(redirected->redirected_from(), second->id());
  // Resolving again changes nothing.
  ASSERT_THAT(engine_->ResolveAll(), IsOk());
  EXPECT_EQ(engine_->GetEntityOfRecord("market", "2")->id(), first->id());
}

TEST_F(OrgResolutionTest, DifferentValidUsccsNeverMerge) {
  // Same name, two different valid codes: a cannot-link.
  ASSERT_THAT(engine_->Ingest("market",
                              {Org("1", "深圳市腾讯计算机系统有限公司",
                                   "914403001922038216"),
                               Org("2", "深圳市腾讯计算机系统有限公司",
                                   "9144030071526726XG")}),
              IsOk());
  auto summary = engine_->ResolveAll();
  ASSERT_THAT(summary, IsOk());
  EXPECT_GE(summary->cannot_link_edges, 1u);
  EXPECT_NE(engine_->GetEntityOfRecord("market", "1")->id(),
            engine_->GetEntityOfRecord("market", "2")->id());
}

TEST_F(OrgResolutionTest, DeletingTheBridgeSplitsTheEntity) {
  // 1 and 3 share only a name with 2 bridging through the code.
  ASSERT_THAT(engine_->Ingest("market",
                              {Org("1", "深圳市腾讯计算机系统有限公司",
                                   "914403001922038216"),
                               Org("2", "腾讯计算机系统（深圳）有限公司",
                                   "914403001922038216")}),
              IsOk());
  ASSERT_THAT(engine_->ResolveAll(), IsOk());
  const uint64_t id = engine_->GetEntityOfRecord("market", "1")->id();
  ASSERT_THAT(engine_->DeleteRecord("market", "2"), IsOk());
  ASSERT_THAT(engine_->ResolveAll(), IsOk());
  auto entity = engine_->GetEntityOfRecord("market", "1");
  ASSERT_THAT(entity, IsOk());
  EXPECT_EQ(entity->id(), id);
  EXPECT_EQ(entity->members_size(), 1);
  // Re-adding gives the same partition as before the delete.
  ASSERT_THAT(engine_->Ingest("market",
                              {Org("2", "腾讯计算机系统（深圳）有限公司",
                                   "914403001922038216")}),
              IsOk());
  ASSERT_THAT(engine_->ResolveAll(), IsOk());
  EXPECT_EQ(engine_->GetEntityOfRecord("market", "2")->id(), id);
}

// The meta entry that stamps the blocking-key version of a store's index
// (engine_impl.cc); nullopt when absent. Store is opened and closed again.
std::optional<std::string> StoredKeysVersion(const std::string& db) {
  auto store = Store::Open(db, {});
  EXPECT_THAT(store.status(), IsOk());
  if (!store.ok()) return std::nullopt;
  auto value = (*store)->Get(ColumnFamily::kMeta, "blocking_keys_version");
  EXPECT_THAT(value.status(), IsOk());
  return value.ok() ? *value : std::nullopt;
}

// Sets (or, with nullopt, removes) that entry, as an older libcredit left it.
void SetStoredKeysVersion(const std::string& db,
                          std::optional<std::string> version) {
  auto store = Store::Open(db, {});
  ASSERT_THAT(store.status(), IsOk());
  rocksdb::WriteBatch batch;
  if (version) {
    batch.Put((*store)->cf(ColumnFamily::kMeta), "blocking_keys_version",
              *version);
  } else {
    batch.Delete((*store)->cf(ColumnFamily::kMeta), "blocking_keys_version");
  }
  ASSERT_THAT((*store)->Write(&batch, /*sync=*/true), IsOk());
}

// A store whose blocking index was written with other blocking keys (by an
// older libcredit) must not be linked into: a new record would meet the
// stored ones only under the keys both versions derive. Linking, deleting
// and reviews fail with an error that names the fix; reads and store-only
// ingest work; one relink rebuilds the index and lifts the refusal, for
// good.
TEST(ResolutionTest, AStoreIndexedWithOlderBlockingKeysIsRelinkedFirst) {
  TempDir dir;
  const std::string db = dir.Sub("db");
  {
    auto engine = Engine::Open(db);
    ASSERT_THAT(engine, IsOk());
    ::credit::testing::RegisterMarketSource(**engine);
    ASSERT_THAT((*engine)->Ingest("market", {Org("a", "腾讯科技", kUsccA),
                                             Org("b", "腾讯科技", kUsccA)}),
                IsOk());
  }
  // A new store is stamped with the current version when it is created.
  EXPECT_EQ(StoredKeysVersion(db), std::to_string(kBlockingKeysVersion));

  // Stamped with version 1, and unstamped (written before the stamp).
  const std::vector<std::optional<std::string>> olders = {"1", std::nullopt};
  for (size_t round = 0; round < olders.size(); ++round) {
    SetStoredKeysVersion(db, olders[round]);
    auto engine = Engine::Open(db);
    ASSERT_THAT(engine, IsOk());
    const uint64_t records = (*engine)->GetStats()->records();
    const std::string id = std::to_string(round);
    auto linked = (*engine)->Ingest("market", {Org(id, "腾讯科技", kUsccA)});
    EXPECT_EQ(linked.status().code(), absl::StatusCode::kFailedPrecondition);
    EXPECT_THAT(std::string(linked.status().message()),
                ::testing::HasSubstr("blocking keys version 1"));
    EXPECT_THAT(std::string(linked.status().message()),
                ::testing::HasSubstr("credit resolve --db " + db));
    EXPECT_EQ((*engine)->DeleteRecord("market", "a").status().code(),
              absl::StatusCode::kFailedPrecondition);
    EXPECT_EQ((*engine)
                  ->ReviewPair(::credit::testing::MarketKey("a"),
                               ::credit::testing::MarketKey("b"), false, "")
                  .status()
                  .code(),
              absl::StatusCode::kFailedPrecondition);
    // Nothing was written; reads work, and so does store-only ingest,
    // which does not touch the index.
    EXPECT_EQ((*engine)->GetStats()->records(), records);
    EXPECT_EQ((*engine)->GetEntityOfRecord("market", "a")->id(),
              (*engine)->GetEntityOfRecord("market", "b")->id());
    IngestOptions store_only;
    store_only.link = false;
    ASSERT_THAT((*engine)->Ingest("market",
                                  {Org("stored" + id, "腾讯科技", kUsccA)},
                                  store_only),
                IsOk());
    ASSERT_THAT((*engine)->ResolveAll(), IsOk());
    // Linking works at once, and the relink stamped the store for good.
    ASSERT_THAT((*engine)->Ingest("market", {Org(id, "腾讯科技", kUsccA)}),
                IsOk());
    engine->reset();
    EXPECT_EQ(StoredKeysVersion(db).value_or(""),
              std::to_string(kBlockingKeysVersion));
    engine = Engine::Open(db);
    ASSERT_THAT(engine, IsOk());
    EXPECT_EQ((*engine)->GetEntityOfRecord("market", id)->id(),
              (*engine)->GetEntityOfRecord("market", "a")->id());
    EXPECT_EQ((*engine)->GetEntityOfRecord("market", "stored" + id)->id(),
              (*engine)->GetEntityOfRecord("market", "a")->id());
  }
  {
    auto engine = Engine::Open(db);
    ASSERT_THAT(engine, IsOk());
    EXPECT_THAT((*engine)->Ingest("market", {Org("c", "腾讯科技", kUsccA)}),
                IsOk());
  }
  // A stamp that is not a version number is damage, reported at open.
  SetStoredKeysVersion(db, "two");
  auto damaged = Engine::Open(db);
  EXPECT_EQ(damaged.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(std::string(damaged.status().message()),
              ::testing::HasSubstr("blocking_keys_version"));
}

}  // namespace
}  // namespace credit
