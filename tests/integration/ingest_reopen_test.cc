// Ingest files through mappings, close, reopen, and read everything back.
#include <fstream>

#include "credit/engine.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "test_support.h"

namespace credit {
namespace {

using ::credit::testing::IsOk;
using ::credit::testing::TempDir;

TEST(IngestReopenTest, FebrlFileRoundTripsThroughReopen) {
  TempDir dir;
  CREDIT_REQUIRE_SHARED_DATA();
  const std::string febrl =
      ::credit::testing::SharedDataDir() + "/febrl1/dataset1.csv";
  auto mapping = ParseSourceMapping(R"({
    "source": "febrl", "format": "CSV", "encoding": "UTF-8",
    "trimSpaces": true, "recordId": "rec_id", "entityKind": "PERSON",
    "features": [
      {"type": "NAME", "given": "given_name", "family": "surname"},
      {"type": "DOB", "columns": ["date_of_birth"]},
      {"type": "ADDRESS", "columns": ["street_number", "address_1", "address_2",
                                      "suburb", "postcode", "state"]},
      {"type": "ID", "scheme": "OTHER", "schemeName": "soc_sec_id",
       "columns": ["soc_sec_id"]}
    ]
  })",
                                    "febrl.mapping.json");
  ASSERT_THAT(mapping, IsOk());
  uint64_t accepted = 0;
  std::string expected_entity;
  {
    auto engine = Engine::Open(dir.Sub("db"));
    ASSERT_THAT(engine, IsOk());
    ASSERT_THAT((*engine)->RegisterSource(*mapping), IsOk());
    auto report = (*engine)->IngestFile("febrl", febrl);
    ASSERT_THAT(report, IsOk());
    accepted = report->accepted();
    EXPECT_EQ(accepted, 1000u);
    EXPECT_EQ(report->quarantined(), 0u);
    auto entity = (*engine)->GetEntityOfRecord("febrl", "rec-223-org");
    ASSERT_THAT(entity, IsOk());
    expected_entity = entity->SerializeAsString();
  }
  auto engine = Engine::Open(dir.Sub("db"));
  ASSERT_THAT(engine, IsOk());
  auto record = (*engine)->GetRecord("febrl", "rec-223-org");
  ASSERT_THAT(record, IsOk());
  EXPECT_EQ(record->raw().columns().at("surname"), "waller");
  EXPECT_EQ(record->raw().line(), 2u);
  auto entity = (*engine)->GetEntityOfRecord("febrl", "rec-223-org");
  ASSERT_THAT(entity, IsOk());
  EXPECT_EQ(entity->SerializeAsString(), expected_entity);
  uint64_t records = 0;
  for (auto it = (*engine)->NewRecordIterator(); it->Valid(); it->Next()) {
    ++records;
  }
  EXPECT_EQ(records, accepted);
  auto stats = (*engine)->GetStats();
  ASSERT_THAT(stats, IsOk());
  EXPECT_EQ(stats->records(), accepted);
}

}  // namespace
}  // namespace credit
