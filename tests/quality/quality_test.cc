// Pairwise precision / recall / F1 of the default model on the public Febrl
// data sets, through the whole pipeline: CSV through a mapping, normalize,
// ResolveAll, entities. No per-set tuning: the same default model for all.
#include <cstdio>
#include <map>
#include <string>

#include "credit/credit.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "test_support.h"

namespace credit {
namespace {

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
  EXPECT_THAT((*engine)->ResolveAll(), IsOk());
  auto pairs = [](uint64_t n) { return n * (n - 1) / 2; };
  std::map<uint64_t, uint64_t> by_entity;
  std::map<std::string, uint64_t> by_subject;
  std::map<std::pair<uint64_t, std::string>, uint64_t> by_both;
  for (auto it = (*engine)->NewEntityIterator(); it->Valid(); it->Next()) {
    for (const auto& member : it->value().members()) {
      std::string subject = FebrlSubject(member.record_id());
      ++by_entity[it->value().id()];
      ++by_subject[subject];
      ++by_both[{it->value().id(), subject}];
    }
  }
  uint64_t predicted = 0, truth = 0, correct = 0;
  for (const auto& [_, n] : by_entity) predicted += pairs(n);
  for (const auto& [_, n] : by_subject) truth += pairs(n);
  for (const auto& [_, n] : by_both) correct += pairs(n);
  Figures f;
  f.precision = predicted ? double(correct) / predicted : 1;
  f.recall = truth ? double(correct) / truth : 1;
  f.f1 = 2 * f.precision * f.recall / (f.precision + f.recall);
  std::printf("precision %.4f recall %.4f F1 %.4f (%llu true pairs)\n",
              f.precision, f.recall, f.f1,
              static_cast<unsigned long long>(truth));
  return f;
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
