#include "store/partial_parse.h"

#include <string>

#include "credit/v1/entity.pb.h"
#include "credit/v1/record.pb.h"
#include "gtest/gtest.h"

namespace credit {
namespace {

v1::Record SampleRecord() {
  v1::Record record;
  record.set_source("market");
  record.set_record_id("42");
  record.set_record_number(7);
  record.add_facts()->set_kind("penalty");
  record.mutable_raw()->set_line(3);
  return record;
}

TEST(PartialParseTest, SkipsTheNamedFieldsAndKeepsTheRest) {
  const std::string bytes = SampleRecord().SerializeAsString();
  v1::Record parsed;
  parsed.set_record_id("stale");  // cleared by the parse
  ASSERT_TRUE(ParseWithoutFields(
      bytes, {v1::Record::kFactsFieldNumber, v1::Record::kRawFieldNumber},
      &parsed));
  EXPECT_EQ(parsed.source(), "market");
  EXPECT_EQ(parsed.record_id(), "42");
  EXPECT_EQ(parsed.record_number(), 7u);
  EXPECT_EQ(parsed.facts_size(), 0);
  EXPECT_FALSE(parsed.has_raw());
}

TEST(PartialParseTest, NothingSkippedEqualsAFullParse) {
  const v1::Record record = SampleRecord();
  v1::Record parsed;
  ASSERT_TRUE(ParseWithoutFields(record.SerializeAsString(), {}, &parsed));
  EXPECT_EQ(parsed.SerializeAsString(), record.SerializeAsString());
}

TEST(PartialParseTest, EntityWithoutMembersAndProfile) {
  v1::Entity entity;
  entity.set_id(9);
  entity.set_created_at_micros(123);
  entity.add_members()->set_record_id("1");
  entity.mutable_profile();
  v1::Entity parsed;
  ASSERT_TRUE(ParseWithoutFields(
      entity.SerializeAsString(),
      {v1::Entity::kMembersFieldNumber, v1::Entity::kProfileFieldNumber},
      &parsed));
  EXPECT_EQ(parsed.id(), 9u);
  EXPECT_EQ(parsed.created_at_micros(), 123);
  EXPECT_EQ(parsed.members_size(), 0);
  EXPECT_FALSE(parsed.has_profile());
}

TEST(PartialParseTest, MalformedBytesAreRefused) {
  v1::Record record;
  record.set_source("market");
  const std::string bytes = record.SerializeAsString();
  v1::Record parsed;
  // Cut inside a length-delimited field.
  EXPECT_FALSE(ParseWithoutFields(bytes.substr(0, bytes.size() - 2),
                                  {v1::Record::kFactsFieldNumber}, &parsed));
  // A zero tag in the middle.
  EXPECT_FALSE(ParseWithoutFields(std::string("\x08\x01\x00\x08\x01", 5), {},
                                  &parsed));
}

}  // namespace
}  // namespace credit
