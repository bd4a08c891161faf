#include "credit/credit.h"

#include <fstream>
#include <set>
#include <thread>

#include "audit/audit_log.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "test_support.h"

namespace credit {
namespace {

using ::credit::testing::IsOk;
using ::credit::testing::StatusIs;
using ::credit::testing::TempDir;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::SizeIs;

class FakeClock : public Clock {
 public:
  int64_t NowMicros() const override { return now_; }
  void Advance(int64_t micros) { now_ += micros; }

 private:
  std::atomic<int64_t> now_{1'700'000'000'000'000};
};

v1::SourceMapping TaxMapping() {
  auto mapping = ParseSourceMapping(R"({
    "source": "tax", "displayName": "税务", "trustRank": 5,
    "format": "CSV", "recordId": "id", "entityKind": "ORG",
    "features": [
      {"type": "NAME", "columns": ["name"]},
      {"type": "ID", "scheme": "USCC", "columns": ["uscc"]}
    ],
    "facts": [{"kind": "tax_arrears", "occurredAt": "date", "amount": "amount"}]
  })",
                                    "tax.mapping.json");
  EXPECT_THAT(mapping, IsOk());
  return *mapping;
}

v1::Record OrgRecord(std::string id, std::string name) {
  v1::Record record;
  record.set_record_id(std::move(id));
  record.set_entity_kind(v1::ORG);
  auto* f = record.add_features();
  f->set_type(v1::Feature::NAME);
  f->set_value(std::move(name));
  return record;
}

class EngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Options options;
    options.clock = &clock_;
    auto engine = Engine::Open(dir_.Sub("db"), options);
    ASSERT_THAT(engine, IsOk());
    engine_ = *std::move(engine);
    ASSERT_THAT(engine_->RegisterSource(TaxMapping()), IsOk());
  }

  void Reopen() {
    engine_.reset();
    Options options;
    options.clock = &clock_;
    auto engine = Engine::Open(dir_.Sub("db"), options);
    ASSERT_THAT(engine, IsOk());
    engine_ = *std::move(engine);
  }

  TempDir dir_;
  FakeClock clock_;
  std::unique_ptr<Engine> engine_;
};

TEST_F(EngineTest, RegistersAndListsSources) {
  auto sources = engine_->ListSources();
  ASSERT_THAT(sources, IsOk());
  ASSERT_THAT(*sources, SizeIs(1));
  EXPECT_EQ((*sources)[0].id(), "tax");
  EXPECT_EQ((*sources)[0].display_name(), "税务");
  EXPECT_EQ((*sources)[0].trust_rank(), 5);
  EXPECT_THAT(engine_->GetSource("court"),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("court")));
}

TEST_F(EngineTest, RejectsAnInvalidMapping) {
  v1::SourceMapping bad = TaxMapping();
  bad.clear_record_id();
  EXPECT_THAT(engine_->RegisterSource(bad),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("record")));
}

TEST_F(EngineTest, IngestThenReadRecordAndEntity) {
  std::vector<v1::Record> records = {OrgRecord("1", "甲公司"),
                                     OrgRecord("2", "乙公司")};
  auto report = engine_->Ingest("tax", records);
  ASSERT_THAT(report, IsOk());
  EXPECT_EQ(report->accepted(), 2u);
  EXPECT_EQ(report->quarantined(), 0u);
  EXPECT_THAT(report->affected_entities(), SizeIs(2));

  auto record = engine_->GetRecord("tax", "1");
  ASSERT_THAT(record, IsOk());
  EXPECT_EQ(record->source(), "tax");
  EXPECT_EQ(record->features(0).value(), "甲公司");
  EXPECT_TRUE(record->features(0).has_normalized());
  EXPECT_GT(record->record_number(), 0u);

  auto entity = engine_->GetEntityOfRecord("tax", "1");
  ASSERT_THAT(entity, IsOk());
  EXPECT_EQ(entity->kind(), v1::ORG);
  ASSERT_THAT(entity->members(), SizeIs(1));
  EXPECT_EQ(entity->members(0).record_id(), "1");
  ASSERT_GT(entity->profile().attributes_size(), 0);
  auto by_id = engine_->GetEntity(entity->id());
  ASSERT_THAT(by_id, IsOk());
  EXPECT_EQ(by_id->SerializeAsString(), entity->SerializeAsString());

  EXPECT_THAT(engine_->GetRecord("tax", "404"),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("tax/404")));
  EXPECT_THAT(engine_->GetEntity(999999),
              StatusIs(absl::StatusCode::kNotFound));
}

TEST_F(EngineTest, ReingestReplacesNeverDuplicates) {
  ASSERT_THAT(engine_->Ingest("tax", {OrgRecord("1", "旧名称")}), IsOk());
  auto before = engine_->GetEntityOfRecord("tax", "1");
  ASSERT_THAT(before, IsOk());
  clock_.Advance(1000);
  auto report = engine_->Ingest("tax", {OrgRecord("1", "新名称")});
  ASSERT_THAT(report, IsOk());
  EXPECT_EQ(report->updated(), 1u);
  auto record = engine_->GetRecord("tax", "1");
  ASSERT_THAT(record, IsOk());
  EXPECT_EQ(record->features(0).value(), "新名称");
  auto after = engine_->GetEntityOfRecord("tax", "1");
  ASSERT_THAT(after, IsOk());
  EXPECT_EQ(after->id(), before->id());
  auto stats = engine_->GetStats();
  ASSERT_THAT(stats, IsOk());
  EXPECT_EQ(stats->records(), 1u);
  EXPECT_EQ(stats->entities(), 1u);
}

// Stats say what each column family costs on disk: after a reopen (which
// turns the write-ahead log into table files) the families written hold
// bytes, and every family is listed, with zero when empty.
TEST_F(EngineTest, StatsReportTableBytesPerColumnFamily) {
  ASSERT_THAT(engine_->Ingest("tax", {OrgRecord("1", "甲公司"),
                                      OrgRecord("2", "乙公司")}),
              IsOk());
  Reopen();
  auto stats = engine_->GetStats();
  ASSERT_THAT(stats, IsOk());
  EXPECT_EQ(stats->column_family_bytes().size(),
            stats->column_family_keys().size());
  EXPECT_GT(stats->column_family_bytes().at("records"), 0u);
  EXPECT_GT(stats->column_family_bytes().at("entities"), 0u);
  EXPECT_EQ(stats->column_family_bytes().at("quarantine"), 0u);
}

TEST_F(EngineTest, QuarantinesBadRecordsAndKeepsTheRest) {
  v1::Record missing_id = OrgRecord("", "无编号");
  v1::Record bad_utf8 = OrgRecord("3", std::string("bad\xff\xfe", 5));
  v1::Record no_kind = OrgRecord("4", "x");
  no_kind.set_entity_kind(v1::ENTITY_KIND_UNSPECIFIED);
  v1::Record nul = OrgRecord("5", std::string("甲\0公司", 10));
  auto report = engine_->Ingest(
      "tax", {OrgRecord("1", "a"), missing_id, OrgRecord("1", "dup"), bad_utf8,
              no_kind, nul, OrgRecord("2", "b")});
  ASSERT_THAT(report, IsOk());
  EXPECT_EQ(report->accepted(), 2u);
  EXPECT_EQ(report->quarantined(), 5u);
  std::vector<std::string> reasons;
  for (const auto& row : report->quarantine()) reasons.push_back(row.reason());
  EXPECT_THAT(reasons,
              ElementsAre(HasSubstr("missing record id"),
                          HasSubstr("more than once in this batch"),
                          HasSubstr("feature NAME is not valid UTF-8 (byte 3)"),
                          HasSubstr("entity kind is missing"),
                          HasSubstr("feature NAME contains a NUL byte (byte 3)")));
  // The first occurrence of the repeated id is the one kept.
  EXPECT_EQ(engine_->GetRecord("tax", "1")->features(0).value(), "a");

  auto it = engine_->NewQuarantineIterator();
  int stored = 0;
  for (; it->Valid(); it->Next()) {
    ++stored;
    EXPECT_EQ(it->value().source(), "tax");
    EXPECT_FALSE(it->value().raw().empty());
    EXPECT_FALSE(it->value().reason().empty());
  }
  EXPECT_THAT(it->status(), IsOk());
  EXPECT_EQ(stored, 5);
  auto stats = engine_->GetStats();
  ASSERT_THAT(stats, IsOk());
  EXPECT_EQ(stats->quarantined(), 5u);
  EXPECT_EQ(stats->sources(0).quarantined(), 5u);
}

TEST_F(EngineTest, IngestRowsAppliesTheMappingAndQuarantinesBadRows) {
  std::vector<InputRow> rows(3);
  rows[0].columns = {{"id", "1"}, {"name", "甲公司"}, {"uscc", "914403001922038216"},
                     {"date", "2024-01-02"}, {"amount", "100.5"}, {"extra", "kept"}};
  rows[1].columns = {{"id", ""}, {"name", "无编号"}, {"uscc", ""},
                     {"date", ""}, {"amount", ""}, {"extra", ""}};
  rows[1].line = 3;
  rows[2].columns = {{"id", "3"}, {"name", "丙"}, {"uscc", ""},
                     {"date", "2024-01-02"}, {"amount", "lots"}, {"extra", ""}};
  auto report = engine_->IngestRows("tax", rows);
  ASSERT_THAT(report, IsOk());
  EXPECT_EQ(report->accepted(), 1u);
  EXPECT_EQ(report->quarantined(), 2u);
  EXPECT_EQ(report->quarantine(0).line(), 3u);
  EXPECT_EQ(report->quarantine(1).record_id(), "3");
  auto record = engine_->GetRecord("tax", "1");
  ASSERT_THAT(record, IsOk());
  ASSERT_EQ(record->facts_size(), 1);
  EXPECT_DOUBLE_EQ(record->facts(0).amount(), 100.5);
  EXPECT_EQ(record->raw().columns().at("extra"), "kept");

  // Rows handed in by the caller are checked column by column (a CSV
  // file's are checked by its reader): a value that is not UTF-8, even in a
  // column the mapping does not use, keeps the row out.
  std::vector<InputRow> bad_column(1);
  bad_column[0].columns = {{"id", "4"}, {"name", "丁"}, {"uscc", ""},
                           {"date", ""}, {"amount", ""},
                           {"extra", std::string("ok\xff", 3)}};
  auto bad = engine_->IngestRows("tax", bad_column);
  ASSERT_THAT(bad, IsOk());
  EXPECT_EQ(bad->accepted(), 0u);
  ASSERT_EQ(bad->quarantined(), 1u);
  EXPECT_THAT(bad->quarantine(0).reason(),
              HasSubstr("column 'extra' is not valid UTF-8 (byte 2)"));

  std::vector<InputRow> missing_column(1);
  missing_column[0].columns = {{"id", "1"}, {"name", "x"}};
  EXPECT_THAT(engine_->IngestRows("tax", missing_column),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("uscc")));
}

TEST_F(EngineTest, IngestFileReportsProgressAndQuarantine) {
  std::string path = dir_.Sub("tax.csv");
  {
    std::ofstream out(path);
    out << "id,name,uscc,date,amount\n";
    for (int i = 0; i < 25; ++i) out << i << ",公司" << i << ",,2024-01-01,1\n";
    out << "bad,row\n";
  }
  FileIngestOptions options;
  options.batch_size = 10;
  int calls = 0;
  options.progress = [&](const IngestProgress& p) {
    ++calls;
    EXPECT_GT(p.rows_read, 0u);
    EXPECT_LE(p.bytes_read, p.bytes_total);
  };
  auto report = engine_->IngestFile("tax", path, options);
  ASSERT_THAT(report, IsOk());
  EXPECT_EQ(report->accepted(), 25u);
  EXPECT_EQ(report->quarantined(), 1u);
  EXPECT_EQ(report->quarantine(0).line(), 27u);
  EXPECT_GE(calls, 3);
  EXPECT_THAT(engine_->IngestFile("tax", dir_.Sub("absent.csv")),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("absent.csv")));
}

TEST_F(EngineTest, FileErrorsNameTheFileAndWarningsStayShort) {
  std::string missing = dir_.Sub("no_uscc.csv");
  std::ofstream(missing) << "id,name,date,amount\n1,甲公司,2024-01-01,1\n";
  auto report = engine_->IngestFile("tax", missing);
  EXPECT_THAT(report, StatusIs(absl::StatusCode::kInvalidArgument,
                               HasSubstr("input " + missing + ": ")));
  EXPECT_THAT(report, StatusIs(absl::StatusCode::kInvalidArgument,
                               HasSubstr("column 'uscc' is not in the input")));
  // A warning quotes the bad value, cut short: here a 100 kB "USCC".
  std::string wide = dir_.Sub("wide.csv");
  std::ofstream(wide) << "id,name,uscc,date,amount\n1,甲公司,"
                      << std::string(100000, '7') << ",2024-01-01,1\n";
  report = engine_->IngestFile("tax", wide);
  ASSERT_THAT(report, IsOk());
  ASSERT_EQ(report->warnings_size(), 1);
  EXPECT_LT(report->warnings(0).size(), 1000u);
  EXPECT_THAT(report->warnings(0), HasSubstr("bytes in all)"));
}

TEST_F(EngineTest, AnIdRepeatedInAFileIsQuarantinedWhateverTheBatchSize) {
  std::string path = dir_.Sub("dup.csv");
  {
    std::ofstream out(path);
    out << "id,name,uscc,date,amount\n"
        << "D1,甲公司,,2024-01-01,1\n"
        << "D2,乙公司,,2024-01-01,1\n"
        << "D1,丙公司,,2024-01-01,1\n";
  }
  for (size_t batch_size : {1, 2, 5000}) {
    SCOPED_TRACE(batch_size);
    auto engine = Engine::Open(dir_.Sub("db" + std::to_string(batch_size)));
    ASSERT_THAT(engine, IsOk());
    ASSERT_THAT((*engine)->RegisterSource(TaxMapping()), IsOk());
    FileIngestOptions options;
    options.batch_size = batch_size;
    auto report = (*engine)->IngestFile("tax", path, options);
    ASSERT_THAT(report, IsOk());
    EXPECT_EQ(report->accepted(), 2u);
    ASSERT_EQ(report->quarantined(), 1u);
    EXPECT_EQ(report->quarantine(0).line(), 4u);
    EXPECT_THAT(report->quarantine(0).reason(),
                HasSubstr("appears more than once in this file; the first "
                          "occurrence (line 2) was ingested"));
    EXPECT_EQ((*engine)->GetRecord("tax", "D1")->features(0).value(),
              "甲公司");
  }
  // A later call with the same id updates the record: here the file
  // again, whose first D1 is the same row.
  ASSERT_THAT(engine_->IngestFile("tax", path), IsOk());
  auto again = engine_->IngestFile("tax", path);
  ASSERT_THAT(again, IsOk());
  EXPECT_EQ(again->updated(), 2u);
  EXPECT_EQ(engine_->GetRecord("tax", "D1")->features(0).value(), "甲公司");
}

TEST_F(EngineTest, DeleteRemovesRecordAndEntity) {
  ASSERT_THAT(engine_->Ingest("tax", {OrgRecord("1", "a"), OrgRecord("2", "b")}),
              IsOk());
  auto entity = engine_->GetEntityOfRecord("tax", "1");
  ASSERT_THAT(entity, IsOk());
  auto report = engine_->DeleteRecord("tax", "1");
  ASSERT_THAT(report, IsOk());
  EXPECT_EQ(report->deleted(), 1u);
  EXPECT_THAT(engine_->GetRecord("tax", "1"),
              StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(engine_->GetEntity(entity->id()),
              StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(engine_->DeleteRecord("tax", "1"),
              StatusIs(absl::StatusCode::kNotFound));
  auto stats = engine_->GetStats();
  ASSERT_THAT(stats, IsOk());
  EXPECT_EQ(stats->records(), 1u);
  EXPECT_EQ(stats->entities(), 1u);
}

TEST_F(EngineTest, EveryChangeIsAuditedInAVerifiableChain) {
  ASSERT_THAT(engine_->Ingest("tax", {OrgRecord("1", "a")}), IsOk());
  ASSERT_THAT(engine_->DeleteRecord("tax", "1"), IsOk());
  auto stats = engine_->GetStats();
  ASSERT_THAT(stats, IsOk());
  EXPECT_EQ(stats->audit_events(), 3u);  // register, ingest, delete
  Reopen();
  ASSERT_THAT(engine_->Ingest("tax", {OrgRecord("2", "b")}), IsOk());
  EXPECT_EQ(engine_->GetStats()->audit_events(), 4u);
}

TEST_F(EngineTest, IteratorsSeeASnapshot) {
  ASSERT_THAT(engine_->Ingest("tax", {OrgRecord("1", "a"), OrgRecord("2", "b")}),
              IsOk());
  auto records = engine_->NewRecordIterator();
  auto entities = engine_->NewEntityIterator();
  ASSERT_THAT(engine_->Ingest("tax", {OrgRecord("3", "c")}), IsOk());
  int record_count = 0;
  for (; records->Valid(); records->Next()) ++record_count;
  int entity_count = 0;
  for (; entities->Valid(); entities->Next()) ++entity_count;
  EXPECT_EQ(record_count, 2);
  EXPECT_EQ(entity_count, 2);
}

TEST_F(EngineTest, NumbersContinueAfterReopen) {
  ASSERT_THAT(engine_->Ingest("tax", {OrgRecord("1", "a")}), IsOk());
  auto first = engine_->GetEntityOfRecord("tax", "1");
  Reopen();
  ASSERT_THAT(engine_->Ingest("tax", {OrgRecord("2", "b")}), IsOk());
  auto second = engine_->GetEntityOfRecord("tax", "2");
  ASSERT_THAT(second, IsOk());
  EXPECT_NE(first->id(), second->id());
  EXPECT_NE(engine_->GetRecord("tax", "1")->record_number(),
            engine_->GetRecord("tax", "2")->record_number());
}

TEST_F(EngineTest, ConcurrentIngestFromManyThreads) {
  constexpr int kThreads = 4;
  constexpr int kPerThread = 50;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; i += 10) {
        std::vector<v1::Record> batch;
        for (int k = i; k < i + 10; ++k) {
          batch.push_back(OrgRecord(std::to_string(t) + "-" + std::to_string(k), "公司"));
        }
        EXPECT_THAT(engine_->Ingest("tax", batch), IsOk());
      }
    });
  }
  for (auto& thread : threads) thread.join();
  auto stats = engine_->GetStats();
  ASSERT_THAT(stats, IsOk());
  EXPECT_EQ(stats->records(), kThreads * kPerThread);
  // Every record carries the same name and nothing else, so linking under
  // concurrent writers must gather all of them into one entity, none lost.
  EXPECT_EQ(stats->entities(), 1u);
  auto entity = engine_->GetEntityOfRecord("tax", "0-0");
  ASSERT_THAT(entity, IsOk());
  EXPECT_EQ(entity->members_size(), kThreads * kPerThread);
}

TEST_F(EngineTest, BackupAndCheckpointAnswerTheSameQueries) {
  ASSERT_THAT(engine_->Ingest("tax", {OrgRecord("1", "a"), OrgRecord("2", "b")}),
              IsOk());
  ASSERT_THAT(engine_->Backup(dir_.Sub("backup")), IsOk());
  ASSERT_THAT(engine_->Checkpoint(dir_.Sub("checkpoint")), IsOk());
  auto expected = engine_->GetEntityOfRecord("tax", "2");
  ASSERT_THAT(expected, IsOk());
  ASSERT_THAT(Engine::RestoreBackup(dir_.Sub("backup"), dir_.Sub("restored")),
              IsOk());
  for (const char* copy : {"restored", "checkpoint"}) {
    auto other = Engine::Open(dir_.Sub(copy));
    ASSERT_THAT(other, IsOk());
    auto entity = (*other)->GetEntityOfRecord("tax", "2");
    ASSERT_THAT(entity, IsOk());
    EXPECT_EQ(entity->SerializeAsString(), expected->SerializeAsString());
    EXPECT_EQ((*other)->GetStats()->records(), 2u);
  }
}

TEST(EngineOpenTest, UnregisteredSourceIsNotFound) {
  TempDir dir;
  auto engine = Engine::Open(dir.Sub("db"));
  ASSERT_THAT(engine, IsOk());
  EXPECT_THAT((*engine)->Ingest("nope", {OrgRecord("1", "a")}),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("nope")));
}

TEST(EngineOpenTest, SecondOpenOfTheSameDatabaseFailsClearly) {
  TempDir dir;
  auto first = Engine::Open(dir.Sub("db"));
  ASSERT_THAT(first, IsOk());
  auto second = Engine::Open(dir.Sub("db"));
  EXPECT_FALSE(second.ok());
  EXPECT_THAT(std::string(second.status().message()), HasSubstr("lock"));
}

}  // namespace
}  // namespace credit
