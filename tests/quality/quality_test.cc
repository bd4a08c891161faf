// Pairwise precision / recall / F1 of the default model on the public data
// sets, through the whole pipeline: CSV through a mapping, normalize, link
// (incrementally as ingested, then ResolveAll), entities. No per-set tuning:
// the same default model for all. Febrl has targets (issue 4); the other
// sets are reported, with a floor below the measured figure so a regression
// shows.
#include <cstdio>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <sstream>
#include <string>

#include "credit/credit.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "test_support.h"

namespace credit {
namespace {

// Floors below the measured F1 (tests/quality/README.md) to catch regressions.
constexpr double FAKE_1000_FLOOR = 0.68;
constexpr double CHICAGO_FLOOR = 0.78;
constexpr double DBLP_ACM_FLOOR = 0.90;

using ::credit::testing::IsOk;
using ::credit::testing::TempDir;

constexpr const char* kFebrlMapping = R"({
  "source": "%s", "format": "CSV", "trimSpaces": true, "recordId": "rec_id",
  "entityKind": "PERSON",
  "features": [
    {"type": "NAME", "given": "given_name", "family": "surname"},
    {"type": "DOB", "columns": ["date_of_birth"]},
    {"type": "ADDRESS", "columns": ["street_number", "address_1", "address_2",
                                    "suburb", "postcode", "state"]},
    {"type": "ID", "scheme": "OTHER", "schemeName": "soc_sec_id",
     "columns": ["soc_sec_id"]}
  ]
})";

// Febrl record ids are rec-N-org / rec-N-dup-K: the same N is the same person.
std::string FebrlSubject(const std::string& record_id) {
  size_t first = record_id.find('-');
  size_t second = record_id.find('-', first + 1);
  return record_id.substr(first + 1, second - first - 1);
}

struct Figures {
  double precision, recall, f1;
};

Figures ScoreBothWays(Engine& engine,
                      const std::function<std::string(const v1::Record&)>& subject_of);

Figures Evaluate(const std::vector<std::pair<std::string, std::string>>& files) {
  TempDir dir;
  auto engine = Engine::Open(dir.Sub("db"));
  EXPECT_THAT(engine, IsOk());
  for (const auto& [source, file] : files) {
    char json[2048];
    std::snprintf(json, sizeof(json), kFebrlMapping, source.c_str());
    auto mapping = ParseSourceMapping(json, source + ".mapping.json");
    EXPECT_THAT(mapping, IsOk());
    EXPECT_THAT((*engine)->RegisterSource(*mapping), IsOk());
    auto report = (*engine)->IngestFile(source, ::credit::testing::SharedDataDir() + "/" + file);
    EXPECT_THAT(report, IsOk());
    EXPECT_EQ(report->quarantined(), 0u);
  }
  return ScoreBothWays(**engine, [](const v1::Record& r) {
    return FebrlSubject(r.record_id());
  });
}

// Scores the engine's entities against `subject_of` (record -> true
// subject): all pairs of records within an entity vs within a subject.
Figures ScoreClusters(const Engine& engine,
                      const std::function<std::string(const v1::Record&)>& subject_of,
                      const char* label) {
  std::map<std::pair<std::string, std::string>, std::string> subject;
  for (auto it = engine.NewRecordIterator(); it->Valid(); it->Next()) {
    subject[{it->value().source(), it->value().record_id()}] =
        subject_of(it->value());
  }
  auto pairs = [](uint64_t n) { return n * (n - 1) / 2; };
  std::map<uint64_t, uint64_t> by_entity;
  std::map<std::string, uint64_t> by_subject;
  std::map<std::pair<uint64_t, std::string>, uint64_t> by_both;
  for (auto it = engine.NewEntityIterator(); it->Valid(); it->Next()) {
    for (const auto& m : it->value().members()) {
      const std::string& s = subject[{m.source(), m.record_id()}];
      ++by_entity[it->value().id()];
      ++by_subject[s];
      ++by_both[{it->value().id(), s}];
    }
  }
  uint64_t predicted = 0, truth = 0, correct = 0;
  for (const auto& [_, n] : by_entity) predicted += pairs(n);
  for (const auto& [_, n] : by_subject) truth += pairs(n);
  for (const auto& [_, n] : by_both) correct += pairs(n);
  Figures f;
  f.precision = predicted ? double(correct) / predicted : 1;
  f.recall = truth ? double(correct) / truth : 1;
  f.f1 = f.precision + f.recall > 0
             ? 2 * f.precision * f.recall / (f.precision + f.recall)
             : 0;
  std::printf("%-12s precision %.4f recall %.4f F1 %.4f (%llu true pairs)\n",
              label, f.precision, f.recall, f.f1,
              static_cast<unsigned long long>(truth));
  return f;
}

// Opens a fresh engine and ingests each (mapping file, data file) of the
// shared data sets; mappings live in tests/quality/mappings.
std::unique_ptr<Engine> IngestSets(
    const TempDir& dir,
    const std::vector<std::pair<std::string, std::string>>& sets) {
  auto engine = Engine::Open(dir.Sub("db"));
  EXPECT_THAT(engine, IsOk());
  for (const auto& [mapping_file, data_file] : sets) {
    auto mapping = LoadSourceMapping(std::string(CREDIT_SOURCE_DIR) +
                                     "/tests/quality/mappings/" + mapping_file);
    EXPECT_THAT(mapping, IsOk());
    EXPECT_THAT((*engine)->RegisterSource(*mapping), IsOk());
    auto report = (*engine)->IngestFile(
        mapping->source(), ::credit::testing::SharedDataDir() + "/" + data_file);
    EXPECT_THAT(report, IsOk());
  }
  return *std::move(engine);
}

// Incremental figures as ingested, then bulk figures after ResolveAll.
Figures ScoreBothWays(Engine& engine,
                      const std::function<std::string(const v1::Record&)>& subject_of) {
  ScoreClusters(engine, subject_of, "incremental");
  EXPECT_THAT(engine.ResolveAll(), IsOk());
  return ScoreClusters(engine, subject_of, "bulk");
}

std::function<std::string(const v1::Record&)> Column(const std::string& name) {
  return [name](const v1::Record& r) {
    auto it = r.raw().columns().find(name);
    return it == r.raw().columns().end() ? "record:" + r.record_id()
                                         : it->second;
  };
}

TEST(QualityTest, Fake1000) {
  CREDIT_REQUIRE_SHARED_DATA();
  TempDir dir;
  auto engine = IngestSets(dir, {{"fake_1000.mapping.json", "fake_1000/fake_1000.csv"}});
  EXPECT_GE(ScoreBothWays(*engine, Column("cluster")).f1, FAKE_1000_FLOOR);
}

TEST(QualityTest, ChicagoEarlyChildhood) {
  CREDIT_REQUIRE_SHARED_DATA();
  TempDir dir;
  auto engine = IngestSets(
      dir, {{"chicago_early_childhood.mapping.json",
             "chicago_early_childhood/csv_example_input_with_true_ids.csv"}});
  EXPECT_GE(ScoreBothWays(*engine, Column("True Id")).f1, CHICAGO_FLOOR);
}

// DBLP–ACM is a linkage task: only DBLP × ACM pairs count, against gold.csv.
Figures ScoreLinkage(const Engine& engine, const char* label) {
  std::set<std::pair<std::string, std::string>> gold;
  std::ifstream in(::credit::testing::SharedDataDir() + "/dblp_acm/gold.csv");
  std::string line;
  std::getline(in, line);  // header id1,id2
  while (std::getline(in, line)) {
    const auto comma = line.find(',');
    if (comma == std::string::npos) continue;
    gold.insert({line.substr(0, comma), line.substr(comma + 1)});
  }
  std::map<std::string, uint64_t> dblp_entity, acm_entity;
  uint64_t predicted = 0;
  for (auto it = engine.NewEntityIterator(); it->Valid(); it->Next()) {
    uint64_t dblp = 0, acm = 0;
    for (const auto& m : it->value().members()) {
      if (m.source() == "dblp") {
        ++dblp;
        dblp_entity[m.record_id()] = it->value().id();
      } else {
        ++acm;
        acm_entity[m.record_id()] = it->value().id();
      }
    }
    predicted += dblp * acm;
  }
  uint64_t correct = 0;
  for (const auto& [d, a] : gold) {
    auto x = dblp_entity.find(d);
    auto y = acm_entity.find(a);
    if (x != dblp_entity.end() && y != acm_entity.end() && x->second == y->second) {
      ++correct;
    }
  }
  Figures f;
  f.precision = predicted ? double(correct) / predicted : 1;
  f.recall = gold.empty() ? 1 : double(correct) / gold.size();
  f.f1 = f.precision + f.recall > 0
             ? 2 * f.precision * f.recall / (f.precision + f.recall)
             : 0;
  std::printf("%-12s precision %.4f recall %.4f F1 %.4f (%zu true pairs)\n",
              label, f.precision, f.recall, f.f1, gold.size());
  return f;
}

TEST(QualityTest, DblpAcmLinksTwoFiles) {
  CREDIT_REQUIRE_SHARED_DATA();
  TempDir dir;
  auto engine = IngestSets(dir, {{"dblp.mapping.json", "dblp_acm/dblp.csv"},
                                 {"acm.mapping.json", "dblp_acm/acm.csv"}});
  ScoreLinkage(*engine, "incremental");
  ASSERT_THAT(engine->ResolveAll(), IsOk());
  EXPECT_GE(ScoreLinkage(*engine, "bulk").f1, DBLP_ACM_FLOOR);
}

TEST(QualityTest, Febrl1) {
  CREDIT_REQUIRE_SHARED_DATA();
  EXPECT_GE(Evaluate({{"febrl1", "febrl1/dataset1.csv"}}).f1, 0.98);
}

TEST(QualityTest, Febrl3) {
  CREDIT_REQUIRE_SHARED_DATA();
  EXPECT_GE(Evaluate({{"febrl3", "febrl3/dataset3.csv"}}).f1, 0.985);
}

TEST(QualityTest, Febrl4LinksAToB) {
  CREDIT_REQUIRE_SHARED_DATA();
  EXPECT_GE(Evaluate({{"febrl4a", "febrl4/dataset4a.csv"},
                      {"febrl4b", "febrl4/dataset4b.csv"}})
                .f1,
            0.995);
}

}  // namespace
}  // namespace credit
