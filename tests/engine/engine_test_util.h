// Helpers shared by the engine tests: small organisation records, the
// "market" source they go into, the Febrl mapping, and an engine's partition.
#ifndef CREDIT_TESTS_ENGINE_ENGINE_TEST_UTIL_H_
#define CREDIT_TESTS_ENGINE_ENGINE_TEST_UTIL_H_

#include <set>
#include <string>

#include "credit/credit.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "test_support.h"

namespace credit::testing {

// Two valid USCCs (checksums verified).
inline constexpr char kUsccA[] = "914403001922038216";
inline constexpr char kUsccB[] = "9144030071526726XG";

// An ORG record with a name and, when not empty, a USCC and a phone.
inline v1::Record Org(std::string id, std::string name, std::string uscc = "",
                      std::string phone = "") {
  v1::Record record;
  record.set_record_id(std::move(id));
  record.set_entity_kind(v1::ORG);
  auto* f = record.add_features();
  f->set_type(v1::Feature::NAME);
  f->set_value(std::move(name));
  if (!uscc.empty()) {
    auto* u = record.add_features();
    u->set_type(v1::Feature::ID);
    u->set_scheme(v1::Feature::USCC);
    u->set_value(std::move(uscc));
  }
  if (!phone.empty()) {
    auto* p = record.add_features();
    p->set_type(v1::Feature::PHONE);
    p->set_value(std::move(phone));
  }
  return record;
}

// Registers the "market" source that Org() records are ingested into.
inline void RegisterMarketSource(Engine& engine) {
  auto mapping = ParseSourceMapping(
      R"({"source": "market", "format": "CSV", "recordId": "id",
          "entityKind": "ORG",
          "features": [{"type": "NAME", "columns": ["name"]}]})",
      "market");
  ASSERT_THAT(mapping, IsOk());
  ASSERT_THAT(engine.RegisterSource(*mapping), IsOk());
}

inline v1::RecordKey MarketKey(const std::string& id) {
  v1::RecordKey key;
  key.set_source("market");
  key.set_record_id(id);
  return key;
}

// The Febrl data sets' mapping (source "febrl").
inline v1::SourceMapping FebrlMapping() {
  auto mapping = ParseSourceMapping(R"({
    "source": "febrl", "format": "CSV", "trimSpaces": true, "recordId": "rec_id",
    "entityKind": "PERSON",
    "features": [
      {"type": "NAME", "given": "given_name", "family": "surname"},
      {"type": "DOB", "columns": ["date_of_birth"]},
      {"type": "ADDRESS", "columns": ["street_number", "address_1", "address_2",
                                      "suburb", "postcode", "state"]},
      {"type": "ID", "scheme": "OTHER", "schemeName": "soc_sec_id",
       "columns": ["soc_sec_id"]}
    ]})",
                                    "febrl");
  EXPECT_THAT(mapping, IsOk());
  return *mapping;
}

// The entities as sets of record ids.
using Partition = std::set<std::set<std::string>>;
inline Partition PartitionOf(const Engine& engine) {
  Partition partition;
  for (auto it = engine.NewEntityIterator(); it->Valid(); it->Next()) {
    std::set<std::string> members;
    for (const auto& m : it->value().members()) members.insert(m.record_id());
    partition.insert(members);
  }
  return partition;
}

}  // namespace credit::testing

#endif  // CREDIT_TESTS_ENGINE_ENGINE_TEST_UTIL_H_
