// Incremental linking inside every ingest and delete call: records link
// without ResolveAll(), the change set says what happened, merges keep the
// oldest id, deletes unmerge, capped keys never build a giant cluster, and
// the result equals a bulk ResolveAll() over the same records in any order.
#include <algorithm>
#include <map>
#include <random>
#include <set>

#include "checksums.h"
#include "credit/credit.h"
#include "fmt/format.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "engine_test_util.h"
#include "store/key_codec.h"
#include "store/store.h"
#include "test_support.h"

namespace credit {
namespace {

using ::credit::testing::IsOk;
using ::credit::testing::TempDir;

using ::credit::testing::FebrlMapping;
using ::credit::testing::kUsccA;
using ::credit::testing::kUsccB;
using ::credit::testing::Org;
using ::credit::testing::Partition;
using ::credit::testing::PartitionOf;

std::vector<v1::EntityChange::Kind> KindsOf(const v1::IngestReport& report) {
  std::vector<v1::EntityChange::Kind> kinds;
  for (const auto& change : report.changes()) kinds.push_back(change.kind());
  return kinds;
}

class IncrementalLinkingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto engine = Engine::Open(dir_.Sub("db"));
    ASSERT_THAT(engine, IsOk());
    engine_ = *std::move(engine);
    ::credit::testing::RegisterMarketSource(*engine_);
  }
  uint64_t EntityOf(const std::string& id) {
    auto entity = engine_->GetEntityOfRecord("market", id);
    EXPECT_THAT(entity, IsOk());
    return entity.ok() ? entity->id() : 0;
  }
  TempDir dir_;
  std::unique_ptr<Engine> engine_;
};

TEST_F(IncrementalLinkingTest, RecordsLinkAsTheyArriveWithoutResolveAll) {
  auto first = engine_->Ingest(
      "market", {Org("1", "深圳市腾讯计算机系统有限公司", kUsccA)});
  ASSERT_THAT(first, IsOk());
  EXPECT_THAT(KindsOf(*first), ::testing::ElementsAre(v1::EntityChange::CREATED));
  auto second = engine_->Ingest(
      "market", {Org("2", "腾讯计算机系统（深圳）有限公司", kUsccA)});
  ASSERT_THAT(second, IsOk());
  EXPECT_THAT(KindsOf(*second), ::testing::ElementsAre(v1::EntityChange::UPDATED));
  EXPECT_EQ(EntityOf("1"), EntityOf("2"));
  auto entity = engine_->GetEntityOfRecord("market", "2");
  EXPECT_EQ(entity->members_size(), 2);
  auto stats = engine_->GetStats();
  ASSERT_THAT(stats, IsOk());
  EXPECT_EQ(stats->entities(), 1u);
}

TEST_F(IncrementalLinkingTest, DifferentValidUsccsNeverLink) {
  ASSERT_THAT(engine_->Ingest("market",
                              {Org("1", "深圳市腾讯计算机系统有限公司", kUsccA),
                               Org("2", "深圳市腾讯计算机系统有限公司", kUsccB)}),
              IsOk());
  EXPECT_NE(EntityOf("1"), EntityOf("2"));
}

// 1 and 2 share nothing; 3 matches 1 on the code and 2 on name and phone.
TEST_F(IncrementalLinkingTest, BridgeMergesKeepingTheOldestIdAndDeleteSplits) {
  ASSERT_THAT(engine_->Ingest("market",
                              {Org("1", "甲乙丙科技有限公司", kUsccA)}),
              IsOk());
  ASSERT_THAT(engine_->Ingest("market", {Org("2", "丁戊己贸易有限公司", "",
                                             "0755-86013388")}),
              IsOk());
  const uint64_t id1 = EntityOf("1");
  const uint64_t id2 = EntityOf("2");
  ASSERT_NE(id1, id2);
  auto bridged = engine_->Ingest(
      "market", {Org("3", "丁戊己贸易有限公司", kUsccA, "0755-86013388")});
  ASSERT_THAT(bridged, IsOk());
  ASSERT_EQ(bridged->changes_size(), 1);
  EXPECT_EQ(bridged->changes(0).kind(), v1::EntityChange::MERGED);
  EXPECT_EQ(bridged->changes(0).entity_id(), id1);  // the oldest id survives
  EXPECT_THAT(bridged->changes(0).related_ids(), ::testing::ElementsAre(id2));
  EXPECT_EQ(EntityOf("2"), id1);
  EXPECT_EQ(EntityOf("3"), id1);
  // The retired id still finds its subject.
  auto redirected = engine_->GetEntity(id2);
  ASSERT_THAT(redirected, IsOk());
  EXPECT_EQ(redirected->id(), id1);
  EXPECT_EQ(redirected->redirected_from(), id2);

  // Deleting the bridge unmerges; the part with the oldest member keeps id1.
  auto deleted = engine_->DeleteRecord("market", "3");
  ASSERT_THAT(deleted, IsOk());
  EXPECT_EQ(EntityOf("1"), id1);
  const uint64_t split_id = EntityOf("2");
  EXPECT_NE(split_id, id1);
  std::map<uint64_t, v1::EntityChange::Kind> kinds;
  for (const auto& change : deleted->changes()) {
    kinds[change.entity_id()] = change.kind();
  }
  EXPECT_EQ(kinds[id1], v1::EntityChange::UPDATED);
  EXPECT_EQ(kinds[split_id], v1::EntityChange::SPLIT);
  auto stats = engine_->GetStats();
  EXPECT_EQ(stats->entities(), 2u);

  // Re-adding the bridge gives the same partition as before the delete.
  ASSERT_THAT(engine_->Ingest("market", {Org("3", "丁戊己贸易有限公司", kUsccA,
                                             "0755-86013388")}),
              IsOk());
  EXPECT_EQ(PartitionOf(*engine_), (Partition{{"1", "2", "3"}}));
  EXPECT_EQ(EntityOf("2"), id1);
}

TEST_F(IncrementalLinkingTest, CorrectingARecordUnmergesWhatItHeldTogether) {
  ASSERT_THAT(engine_->Ingest("market",
                              {Org("1", "甲乙丙科技有限公司", kUsccA),
                               Org("2", "甲乙丙科技有限公司", kUsccA)}),
              IsOk());
  ASSERT_EQ(EntityOf("1"), EntityOf("2"));
  // Record 2 was a typo: it is another company with another code.
  auto corrected = engine_->Ingest(
      "market", {Org("2", "庚辛壬物流有限公司", kUsccB)});
  ASSERT_THAT(corrected, IsOk());
  EXPECT_NE(EntityOf("1"), EntityOf("2"));
  EXPECT_EQ(PartitionOf(*engine_), (Partition{{"1"}, {"2"}}));
}

TEST_F(IncrementalLinkingTest, DeletingTheOnlyMemberDeletesTheEntity) {
  ASSERT_THAT(engine_->Ingest("market", {Org("1", "甲乙丙科技有限公司", kUsccA)}),
              IsOk());
  const uint64_t id = EntityOf("1");
  auto deleted = engine_->DeleteRecord("market", "1");
  ASSERT_THAT(deleted, IsOk());
  EXPECT_THAT(KindsOf(*deleted),
              ::testing::ElementsAre(v1::EntityChange::DELETED));
  EXPECT_EQ(deleted->changes(0).entity_id(), id);
  EXPECT_EQ(engine_->GetStats()->entities(), 0u);
}

// A candidate whose stored record went missing, or whose bytes no longer
// parse, under the blocking index is a DataLoss error naming the record,
// and the ingest writes nothing. `candidates` orgs share a name but carry
// different valid USCCs (cannot-links: each stays its own entity, so only
// the linker's candidate read touches the damaged one). The store is
// reopened (an empty prepared-record cache) before the ingest that reads
// them all: a few are read on one thread, many on all cores.
void ExpectDamagedCandidateIsDataLoss(int candidates, bool corrupt) {
  SCOPED_TRACE(fmt::format("{} candidates, {}", candidates,
                           corrupt ? "corrupt" : "missing"));
  TempDir dir;
  const std::string db = dir.Sub("db");
  const std::string name = "深圳市前海微众银行股份有限公司";
  auto uscc = [](int i) {
    return datagen::MakeUscc('9', '1', "440300", fmt::format("7{:07d}", i));
  };
  {
    auto engine = Engine::Open(db);
    ASSERT_THAT(engine, IsOk());
    ::credit::testing::RegisterMarketSource(**engine);
    std::vector<v1::Record> records;
    for (int i = 0; i < candidates; ++i) {
      records.push_back(Org(fmt::format("c{}", i), name, uscc(i)));
    }
    auto report = (*engine)->Ingest("market", records);
    ASSERT_THAT(report, IsOk());
    // Every record its own entity: the codes keep them apart.
    ASSERT_EQ((*engine)->GetStats()->entities(),
              static_cast<uint64_t>(candidates));
  }
  uint64_t damaged = 0;
  {
    auto store = Store::Open(db, {});
    ASSERT_THAT(store, IsOk());
    auto number = (*store)->Get(
        ColumnFamily::kRecordIds,
        store_internal::RecordIdKey("market", fmt::format("c{}", candidates / 2)));
    ASSERT_THAT(number, IsOk());
    ASSERT_TRUE(number->has_value());
    damaged = *store_internal::ReadUint64(**number);
    rocksdb::WriteBatch batch;
    const std::string key = store_internal::RecordNumberKey(damaged);
    if (corrupt) {
      // A varint longer than ten bytes: never a valid message.
      batch.Put((*store)->cf(ColumnFamily::kRecords), key,
                std::string(12, '\xff'));
    } else {
      batch.Delete((*store)->cf(ColumnFamily::kRecords), key);
    }
    ASSERT_THAT((*store)->Write(&batch, /*sync=*/true), IsOk());
  }
  auto engine = Engine::Open(db);
  ASSERT_THAT(engine, IsOk());
  auto report =
      (*engine)->Ingest("market", {Org("new", name, uscc(candidates))});
  EXPECT_EQ(report.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(std::string(report.status().message()),
              ::testing::HasSubstr(fmt::format("record number {}", damaged)));
  EXPECT_THAT(std::string(report.status().message()),
              ::testing::HasSubstr(corrupt ? "corrupt" : "missing"));
  EXPECT_EQ((*engine)->GetEntityOfRecord("market", "new").status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ((*engine)->GetStats()->records(), static_cast<uint64_t>(candidates));
}

TEST(IncrementalLinkingDamageTest, AMissingCandidateRecordIsDataLoss) {
  ExpectDamagedCandidateIsDataLoss(8, /*corrupt=*/false);
  ExpectDamagedCandidateIsDataLoss(200, /*corrupt=*/false);
}

TEST(IncrementalLinkingDamageTest, ACorruptCandidateRecordIsDataLoss) {
  ExpectDamagedCandidateIsDataLoss(8, /*corrupt=*/true);
  ExpectDamagedCandidateIsDataLoss(200, /*corrupt=*/true);
}

// Record "y" (no code) is exactly as close to "x" and to "z", which carry
// different valid codes (a cannot-link): only one of the two equal edges
// can hold. Which one must not depend on which record arrived first (nor
// on the record numbers that follow arrival): the tie breaks by record key.
TEST(IncrementalLinkingOrderTest, EqualEdgesAgainstACannotLinkResolveByKey) {
  const v1::Record x = Org("x", "甲乙丙科技有限公司", kUsccA, "0755-86011111");
  const v1::Record y = Org("y", "甲乙丙科技有限公司", "", "0755-86011111");
  const v1::Record z = Org("z", "甲乙丙科技有限公司", kUsccB, "0755-86011111");
  std::vector<std::vector<v1::Record>> orders = {
      {x, y, z}, {z, y, x}, {y, z, x}, {z, x, y}};
  std::set<Partition> seen;
  for (const auto& order : orders) {
    for (bool one_call : {true, false}) {
      TempDir dir;
      auto engine = Engine::Open(dir.Sub("db"));
      ASSERT_THAT(engine, IsOk());
      ::credit::testing::RegisterMarketSource(**engine);
      if (one_call) {
        ASSERT_THAT((*engine)->Ingest("market", order), IsOk());
      } else {
        for (const auto& record : order) {
          ASSERT_THAT((*engine)->Ingest("market", {record}), IsOk());
        }
      }
      seen.insert(PartitionOf(**engine));
      // And the bulk path agrees.
      ResolveOptions same_snapshot;
      same_snapshot.refresh_term_frequencies = false;
      ASSERT_THAT((*engine)->ResolveAll(same_snapshot), IsOk());
      seen.insert(PartitionOf(**engine));
    }
  }
  // "x" < "z": the edge x-y is taken, y-z refused.
  EXPECT_THAT(seen, ::testing::ElementsAre(Partition{{"x", "y"}, {"z"}}));
}

TEST_F(IncrementalLinkingTest, SharedPhoneDoesNotBuildAGiantCluster) {
  // 300 different companies behind one accountant's phone number: the phone
  // key passes the cap (256) and stops producing candidates.
  std::vector<v1::Record> batch;
  for (int i = 0; i < 300; ++i) {
    batch.push_back(Org(std::to_string(i), fmt::format("公司{}号贸易有限公司", i),
                        "", "0755-86013388"));
    if (batch.size() == 40) {
      ASSERT_THAT(engine_->Ingest("market", std::move(batch)), IsOk());
      batch.clear();
    }
  }
  ASSERT_THAT(engine_->Ingest("market", std::move(batch)), IsOk());
  size_t largest = 0;
  for (auto it = engine_->NewEntityIterator(); it->Valid(); it->Next()) {
    largest = std::max<size_t>(largest, it->value().members_size());
  }
  EXPECT_LE(largest, 2u);
  // Reported, never silent.
  auto stats = engine_->GetStats();
  ASSERT_THAT(stats, IsOk());
  EXPECT_EQ(stats->capped_blocking_keys(), 1u);
  ASSERT_EQ(stats->capped_keys_size(), 1);
  EXPECT_EQ(stats->capped_keys(0).key(), "phone:075586013388");
  EXPECT_GT(stats->capped_keys(0).records(), 256u);
  // And the bulk path agrees record for record.
  const Partition incremental = PartitionOf(*engine_);
  ResolveOptions same_snapshot;
  same_snapshot.refresh_term_frequencies = false;
  ASSERT_THAT(engine_->ResolveAll(same_snapshot), IsOk());
  EXPECT_EQ(PartitionOf(*engine_), incremental);
}

TEST_F(IncrementalLinkingTest, KeysCrossingTheCapBothWaysMatchTheBulkResult) {
  // 300 records of one name: every key they share passes the cap (256), so
  // none of them is a candidate for another; the linking done while the
  // keys were below the cap is undone when they pass it.
  std::vector<v1::Record> batch;
  for (int i = 0; i < 300; ++i) {
    batch.push_back(Org(std::to_string(i), "丁戊己贸易有限公司", ""));
    if (batch.size() == 70) {
      ASSERT_THAT(engine_->Ingest("market", std::move(batch)), IsOk());
      batch.clear();
    }
  }
  ASSERT_THAT(engine_->Ingest("market", std::move(batch)), IsOk());
  EXPECT_EQ(engine_->GetStats()->entities(), 300u);
  EXPECT_GE(engine_->GetStats()->capped_blocking_keys(), 1u);
  // Below the cap again: they link.
  for (int i = 0; i < 60; ++i) {
    ASSERT_THAT(engine_->DeleteRecord("market", std::to_string(i)), IsOk());
  }
  EXPECT_EQ(engine_->GetStats()->entities(), 1u);
  EXPECT_EQ(engine_->GetStats()->capped_blocking_keys(), 0u);
  // A bulk relink with the same term-frequency snapshot agrees.
  const Partition incremental = PartitionOf(*engine_);
  ResolveOptions same_snapshot;
  same_snapshot.refresh_term_frequencies = false;
  ASSERT_THAT(engine_->ResolveAll(same_snapshot), IsOk());
  EXPECT_EQ(PartitionOf(*engine_), incremental);
}

// --- The public data sets --------------------------------------------------

std::vector<v1::Record> ReadRecords(const std::string& file) {
  TempDir dir;
  auto engine = Engine::Open(dir.Sub("db"));
  EXPECT_THAT((*engine)->RegisterSource(FebrlMapping()), IsOk());
  IngestOptions no_link;
  no_link.link = false;
  FileIngestOptions options;
  options.ingest = no_link;
  EXPECT_THAT((*engine)->IngestFile("febrl", file, options), IsOk());
  std::vector<v1::Record> records;
  for (auto it = (*engine)->NewRecordIterator(); it->Valid(); it->Next()) {
    v1::Record record = it->value();
    record.clear_record_number();
    records.push_back(std::move(record));
  }
  return records;
}

// Ingests `records` in batches whose sizes vary with `seed`.
void IngestInBatches(Engine& engine, const std::vector<v1::Record>& records,
                     unsigned seed) {
  std::mt19937 random(seed);
  size_t at = 0;
  while (at < records.size()) {
    const size_t n = std::min<size_t>(records.size() - at, 1 + random() % 150);
    ASSERT_THAT(engine.Ingest("febrl", {records.begin() + at,
                                        records.begin() + at + n}),
                IsOk());
    at += n;
  }
}

TEST(IncrementalLinkingDataTest, TenShuffledOrdersGiveTheSameEntities) {
  CREDIT_REQUIRE_SHARED_DATA();
  const std::vector<v1::Record> records =
      ReadRecords(::credit::testing::SharedDataDir() + "/febrl1/dataset1.csv");
  ASSERT_EQ(records.size(), 1000u);
  Partition expected;
  std::mt19937 random(11);
  for (unsigned round = 0; round < 10; ++round) {
    std::vector<v1::Record> shuffled = records;
    std::shuffle(shuffled.begin(), shuffled.end(), random);
    TempDir dir;
    auto engine = Engine::Open(dir.Sub("db"));
    ASSERT_THAT((*engine)->RegisterSource(FebrlMapping()), IsOk());
    IngestInBatches(**engine, shuffled, round);
    Partition partition = PartitionOf(**engine);
    if (round == 0) {
      expected = partition;
      EXPECT_LT(expected.size(), 700u);  // duplicates were linked
    } else {
      ASSERT_EQ(partition, expected) << "round " << round;
    }
  }
}

// Bulk first (which takes the term-frequency snapshot), then every record
// deleted and re-ingested incrementally in shuffled batches with that same
// snapshot: the entities must be exactly the bulk ones.
void ExpectIncrementalEqualsBulk(const std::string& file, int rounds) {
  const std::vector<v1::Record> records = ReadRecords(file);
  TempDir dir;
  auto engine = Engine::Open(dir.Sub("db"));
  ASSERT_THAT((*engine)->RegisterSource(FebrlMapping()), IsOk());
  IngestOptions no_link;
  no_link.link = false;
  ASSERT_THAT((*engine)->Ingest("febrl", records, no_link), IsOk());
  ASSERT_THAT((*engine)->ResolveAll(), IsOk());
  const Partition bulk = PartitionOf(**engine);
  std::mt19937 random(5);
  for (int round = 0; round < rounds; ++round) {
    std::vector<v1::Record> shuffled = records;
    std::shuffle(shuffled.begin(), shuffled.end(), random);
    for (const auto& record : shuffled) {
      ASSERT_THAT((*engine)->DeleteRecord("febrl", record.record_id()), IsOk());
    }
    ASSERT_EQ((*engine)->GetStats()->entities(), 0u);
    std::shuffle(shuffled.begin(), shuffled.end(), random);
    IngestInBatches(**engine, shuffled, round + 100);
    ASSERT_EQ(PartitionOf(**engine), bulk) << file << " round " << round;
  }
}

TEST(IncrementalLinkingDataTest, IncrementalEqualsBulkOnFebrl1) {
  CREDIT_REQUIRE_SHARED_DATA();
  ExpectIncrementalEqualsBulk(
      ::credit::testing::SharedDataDir() + "/febrl1/dataset1.csv", 3);
}

TEST(IncrementalLinkingDataTest, IncrementalEqualsBulkOnFebrl3) {
  CREDIT_REQUIRE_SHARED_DATA();
  ExpectIncrementalEqualsBulk(
      ::credit::testing::SharedDataDir() + "/febrl3/dataset3.csv", 1);
}

// Records corrected in place (same id, new content) while later batches
// score against them: every score must use what is stored now, not a form
// prepared before the correction (the engine keeps prepared candidates
// between ingests). A relink with the same snapshot is the reference.
TEST(IncrementalLinkingDataTest, CorrectedRecordsAreScoredAsCorrected) {
  CREDIT_REQUIRE_SHARED_DATA();
  const std::vector<v1::Record> records =
      ReadRecords(::credit::testing::SharedDataDir() + "/febrl1/dataset1.csv");
  TempDir dir;
  auto engine = Engine::Open(dir.Sub("db"));
  ASSERT_THAT((*engine)->RegisterSource(FebrlMapping()), IsOk());
  IngestInBatches(**engine, records, 1);
  // 300 records take the content of another record (a duplicate appears
  // where there was none, a link disappears), in batches of varying size.
  std::mt19937 random(23);
  std::vector<v1::Record> corrections;
  for (int i = 0; i < 300; ++i) {
    v1::Record corrected = records[random() % records.size()];
    corrected.set_record_id(records[random() % records.size()].record_id());
    corrections.push_back(std::move(corrected));
  }
  // One correction per record id: an id repeated within a call is refused.
  std::vector<v1::Record> unique;
  std::set<std::string> seen;
  for (auto& record : corrections) {
    if (seen.insert(record.record_id()).second) unique.push_back(std::move(record));
  }
  IngestInBatches(**engine, unique, 2);
  const Partition incremental = PartitionOf(**engine);
  ResolveOptions same_snapshot;
  same_snapshot.refresh_term_frequencies = false;
  ASSERT_THAT((*engine)->ResolveAll(same_snapshot), IsOk());
  EXPECT_EQ(PartitionOf(**engine), incremental);
}

TEST(TrainModelTest, TrainedModelIsVersionedStoredAndUsed) {
  CREDIT_REQUIRE_SHARED_DATA();
  TempDir dir;
  const std::vector<v1::Record> records =
      ReadRecords(::credit::testing::SharedDataDir() + "/febrl1/dataset1.csv");
  {
    auto engine = Engine::Open(dir.Sub("db"));
    ASSERT_THAT((*engine)->RegisterSource(FebrlMapping()), IsOk());
    EXPECT_EQ((*engine)->GetModel().version(), 1u);
    ASSERT_THAT((*engine)->Ingest("febrl", records), IsOk());
    TrainModelOptions options;
    options.random_pairs = 20000;
    auto model = (*engine)->TrainModel(options);
    ASSERT_THAT(model, IsOk());
    EXPECT_EQ(model->version(), 2u);
    EXPECT_GT(model->trained_at_micros(), 0);
    EXPECT_THAT(model->description(), ::testing::HasSubstr("em"));
    // The relink used it: every stored edge carries its version.
    auto explanation = (*engine)->ExplainEntity(
        (*engine)->GetEntityOfRecord("febrl", "rec-0-org")->id());
    ASSERT_THAT(explanation, IsOk());
    for (const auto& e : explanation->joining_edges()) {
      EXPECT_EQ(e.edge().model_version(), 2u);
    }
    EXPECT_LT((*engine)->GetStats()->entities(), 700u);
  }
  // Reopened, the engine links with the stored model.
  auto engine = Engine::Open(dir.Sub("db"));
  ASSERT_THAT(engine, IsOk());
  EXPECT_EQ((*engine)->GetModel().version(), 2u);
}

TEST(TrainModelTest, TooLittleDataIsAClearError) {
  TempDir dir;
  auto engine = Engine::Open(dir.Sub("db"));
  ASSERT_THAT(engine, IsOk());
  EXPECT_THAT((*engine)->TrainModel(),
              ::credit::testing::StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ((*engine)->GetModel().version(), 1u);
}

}  // namespace
}  // namespace credit
