// Every mapping the generator writes parses as a credit.v1.SourceMapping
// (unknown keys rejected) and names only columns its CSV has; the committed
// sample in examples/data/ passes the same checks.
#include <google/protobuf/util/json_util.h>

#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "credit/v1/record.pb.h"
#include "credit/v1/source.pb.h"
#include "csv_reader.h"
#include "generator.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "test_support.h"

namespace credit::datagen {
namespace {

using ::credit::datagen::testing::ReadFile;
using ::credit::datagen::testing::ReadTable;
using ::credit::datagen::testing::Table;
using ::credit::testing::TempDir;

// Returns every column name `m` refers to.
std::vector<std::string> MappedColumns(const credit::v1::SourceMapping& m) {
  std::vector<std::string> cols = {m.record_id()};
  if (!m.entity_kind_column().empty()) cols.push_back(m.entity_kind_column());
  if (!m.observed_at().empty()) cols.push_back(m.observed_at());
  for (const auto& f : m.features()) {
    for (const auto& c : f.columns()) cols.push_back(c);
    if (!f.given().empty()) cols.push_back(f.given());
    if (!f.family().empty()) cols.push_back(f.family());
  }
  for (const auto& f : m.facts()) {
    for (const std::string* c :
         {&f.kind_column(), &f.occurred_at(), &f.amount(), &f.severity(),
          &f.status(), &f.publish_until(), &f.when_present()}) {
      if (!c->empty()) cols.push_back(*c);
    }
    for (const auto& c : f.attributes()) cols.push_back(c);
  }
  return cols;
}

void CheckDirectory(const std::string& dir) {
  std::map<std::string, int> trust;
  for (std::string_view source : AllSources()) {
    SCOPED_TRACE(std::string(source));
    std::string stem = dir + "/" + std::string(source);
    std::string json = ReadFile(stem + ".mapping.json");
    ASSERT_FALSE(json.empty()) << stem << ".mapping.json";
    credit::v1::SourceMapping mapping;
    google::protobuf::util::JsonParseOptions options;
    options.ignore_unknown_fields = false;
    auto status =
        google::protobuf::util::JsonStringToMessage(json, &mapping, options);
    ASSERT_TRUE(status.ok()) << status.ToString();
    EXPECT_EQ(mapping.source(), source);
    EXPECT_FALSE(mapping.display_name().empty());
    EXPECT_GT(mapping.trust_rank(), 0);
    trust[mapping.source()] = mapping.trust_rank();
    EXPECT_EQ(mapping.format(), credit::v1::SourceMapping::CSV);
    EXPECT_EQ(mapping.encoding(), "UTF-8");
    EXPECT_TRUE(mapping.entity_kind() != credit::v1::ENTITY_KIND_UNSPECIFIED ||
                !mapping.entity_kind_column().empty());

    Table table = ReadTable(stem + ".csv");
    ASSERT_TRUE(table.ok) << stem << ".csv";
    ASSERT_FALSE(table.rows.empty());
    for (const std::string& column : MappedColumns(mapping)) {
      EXPECT_GE(table.Column(column), 0) << "mapping names column '" << column
                                         << "' missing from the CSV header";
    }
    for (const auto& f : mapping.features()) {
      if (f.type() == credit::v1::Feature::ID) {
        EXPECT_NE(f.scheme(), credit::v1::Feature::ID_SCHEME_UNSPECIFIED);
      }
      if (f.type() == credit::v1::Feature::ATTRIBUTE) {
        EXPECT_FALSE(f.name().empty());
      }
    }
    // Every word in a mapped column is one the mapping can translate.
    if (!mapping.entity_kind_column().empty()) {
      int col = table.Column(mapping.entity_kind_column());
      for (const auto& row : table.rows) {
        EXPECT_TRUE(mapping.entity_kind_values().contains(
            row[static_cast<size_t>(col)]))
            << row[static_cast<size_t>(col)];
      }
    }
    for (const auto& fact : mapping.facts()) {
      EXPECT_TRUE(!fact.kind().empty() || !fact.kind_column().empty());
      for (const auto& [word, status] : fact.status_values()) {
        credit::v1::Fact::Status parsed;
        EXPECT_TRUE(credit::v1::Fact::Status_Parse(status, &parsed)) << status;
      }
      if (!fact.kind_column().empty()) {
        int col = table.Column(fact.kind_column());
        for (const auto& row : table.rows) {
          EXPECT_THAT(row[static_cast<size_t>(col)],
                      ::testing::AnyOf("court_judgment", "dishonest_debtor"));
        }
      }
      if (!fact.status().empty()) {
        int col = table.Column(fact.status());
        int gate = fact.when_present().empty()
                       ? -1
                       : table.Column(fact.when_present());
        for (const auto& row : table.rows) {
          if (gate >= 0 && row[static_cast<size_t>(gate)].empty()) continue;
          EXPECT_TRUE(
              fact.status_values().contains(row[static_cast<size_t>(col)]))
              << "status word '" << row[static_cast<size_t>(col)]
              << "' not in statusValues";
        }
      }
    }
  }
  // The market registry is the most trusted source.
  for (const auto& [source, rank] : trust) {
    if (source != "market") {
      EXPECT_LT(rank, trust["market"]) << source;
    }
  }
}

TEST(MappingTest, GeneratedMappingsParseAndMatchHeaders) {
  TempDir dir;
  Options options;
  options.out_dir = dir.Sub("out");
  options.subjects = 500;
  Stats stats;
  std::string error;
  ASSERT_TRUE(Generate(options, &stats, &error)) << error;
  CheckDirectory(options.out_dir);
}

TEST(MappingTest, CommittedSampleParsesAndMatchesHeaders) {
  CheckDirectory(std::string(CREDIT_SOURCE_DIR) + "/examples/data");
}

TEST(MappingTest, UnknownKeysAreRejected) {
  // Guards the check above: the parser really refuses unknown keys.
  credit::v1::SourceMapping mapping;
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  EXPECT_FALSE(google::protobuf::util::JsonStringToMessage(
                   R"({"source": "x", "recordID": "id"})", &mapping, options)
                   .ok());
}

}  // namespace
}  // namespace credit::datagen
