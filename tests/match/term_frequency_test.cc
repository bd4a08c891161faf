// Term-frequency counts and the snapshot incremental linking scores with.
#include "match/term_frequency.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "record_builder.h"
#include "test_support.h"

namespace credit {
namespace {

using ::credit::testing::IsOk;
using ::credit::testing::RecordBuilder;
using ::credit::testing::StatusIs;

v1::Record Person(std::uint64_t n, const std::string& family,
                  const std::string& given) {
  return RecordBuilder(v1::PERSON, n).PersonName(family, given).Build();
}

TEST(TermFrequencyTest, CountsAndUncountsValues) {
  InMemoryTermFrequencies tf;
  tf.Add(Person(1, "wang", "wei"));
  tf.Add(Person(2, "wang", "fang"));
  tf.Add(Person(3, "li", "wei"));
  EXPECT_EQ(tf.Count(Comparison::kFamilyName, "wang").count, 2u);
  EXPECT_EQ(tf.Count(Comparison::kFamilyName, "wang").total, 3u);
  EXPECT_EQ(tf.Count(Comparison::kGivenName, "wei").count, 2u);
  tf.Remove(ExtractRecordFields(Person(2, "wang", "fang")));
  EXPECT_EQ(tf.Count(Comparison::kFamilyName, "wang").count, 1u);
  EXPECT_EQ(tf.Count(Comparison::kFamilyName, "wang").total, 2u);
  EXPECT_EQ(tf.Count(Comparison::kFamilyName, "zhao").count, 0u);
}

TEST(TermFrequencyTest, SnapshotRoundTripsSharedValuesAndTotals) {
  InMemoryTermFrequencies tf;
  for (std::uint64_t n = 1; n <= 5; ++n) tf.Add(Person(n, "wang", "x" + std::to_string(n)));
  tf.Add(Person(6, "li", "x1"));
  const std::string bytes = tf.Serialize();
  InMemoryTermFrequencies restored;
  ASSERT_THAT(restored.Deserialize(bytes), IsOk());
  EXPECT_EQ(restored.Count(Comparison::kFamilyName, "wang").count, 5u);
  EXPECT_EQ(restored.Count(Comparison::kFamilyName, "wang").total, 6u);
  EXPECT_EQ(restored.Count(Comparison::kGivenName, "x1").count, 2u);
  // Values only one record carries are left out; they never lower a weight.
  EXPECT_EQ(restored.Count(Comparison::kFamilyName, "li").count, 0u);
  EXPECT_EQ(restored.Count(Comparison::kFamilyName, "li").total, 6u);
  // The same counts always give the same bytes.
  EXPECT_EQ(restored.Serialize(), bytes);
}

TEST(TermFrequencyTest, CorruptSnapshotIsRefusedAndLeavesNoCounts) {
  InMemoryTermFrequencies tf;
  tf.Add(Person(1, "wang", "wei"));
  tf.Add(Person(2, "wang", "wei"));
  std::string bytes = tf.Serialize();
  InMemoryTermFrequencies restored;
  EXPECT_THAT(restored.Deserialize(bytes.substr(0, bytes.size() - 3)),
              StatusIs(absl::StatusCode::kDataLoss, ::testing::HasSubstr("ResolveAll")));
  EXPECT_EQ(restored.size(), 0u);
  EXPECT_THAT(restored.Deserialize("\x07garbage"),
              StatusIs(absl::StatusCode::kDataLoss, ::testing::HasSubstr("format")));
  EXPECT_THAT(restored.Deserialize(bytes + "x"),
              StatusIs(absl::StatusCode::kDataLoss, ::testing::HasSubstr("trailing")));
}

}  // namespace
}  // namespace credit
