// FactCounts and DaysBetween: which facts count on a given day.
#include "credit/indicator.h"
#include "gtest/gtest.h"
#include "indicator_test_util.h"

namespace credit {
namespace {

using ::credit::testing::D;

v1::Fact MakeFact(const v1::Date& occurred, v1::Fact::Status status) {
  v1::Fact fact;
  fact.set_kind("administrative_penalty");
  *fact.mutable_occurred_at() = occurred;
  fact.set_status(status);
  return fact;
}

TEST(FactCountsTest, ActiveAndResolvedCount) {
  EXPECT_TRUE(FactCounts(MakeFact(D(2023, 1, 1), v1::Fact::ACTIVE), D(2024, 6, 30)));
  EXPECT_TRUE(FactCounts(MakeFact(D(2023, 1, 1), v1::Fact::RESOLVED), D(2024, 6, 30)));
  EXPECT_TRUE(FactCounts(MakeFact(D(2023, 1, 1), v1::Fact::STATUS_UNSPECIFIED),
                         D(2024, 6, 30)));
}

TEST(FactCountsTest, DisputedAndRepairedDoNotCount) {
  EXPECT_FALSE(FactCounts(MakeFact(D(2023, 1, 1), v1::Fact::DISPUTED), D(2024, 6, 30)));
  EXPECT_FALSE(FactCounts(MakeFact(D(2023, 1, 1), v1::Fact::REPAIRED), D(2024, 6, 30)));
}

TEST(FactCountsTest, FutureFactsDoNotExistYet) {
  const v1::Fact fact = MakeFact(D(2024, 7, 1), v1::Fact::ACTIVE);
  EXPECT_FALSE(FactCounts(fact, D(2024, 6, 30)));
  EXPECT_TRUE(FactCounts(fact, D(2024, 7, 1)));  // on the day it happened
}

TEST(FactCountsTest, PublishUntilEndsCounting) {
  v1::Fact fact = MakeFact(D(2020, 1, 1), v1::Fact::ACTIVE);
  *fact.mutable_publish_until() = D(2024, 6, 30);
  EXPECT_TRUE(FactCounts(fact, D(2024, 6, 30)));  // last day still counts
  EXPECT_FALSE(FactCounts(fact, D(2024, 7, 1)));
  // As-of evaluation: the answer of an earlier day.
  EXPECT_TRUE(FactCounts(fact, D(2022, 1, 1)));
}

TEST(FactCountsTest, PartialDatesCompareByKnownParts) {
  // Occurred sometime in June 2024: may already have happened on June 10.
  EXPECT_TRUE(FactCounts(MakeFact(D(2024, 6), v1::Fact::ACTIVE), D(2024, 6, 10)));
  EXPECT_FALSE(FactCounts(MakeFact(D(2024, 7), v1::Fact::ACTIVE), D(2024, 6, 30)));
  // Published until "2024": all of 2024.
  v1::Fact fact = MakeFact(D(2020, 1, 1), v1::Fact::ACTIVE);
  *fact.mutable_publish_until() = D(2024);
  EXPECT_TRUE(FactCounts(fact, D(2024, 12, 31)));
  EXPECT_FALSE(FactCounts(fact, D(2025, 1, 1)));
  // Unknown occurrence date: counts.
  EXPECT_TRUE(FactCounts(MakeFact(v1::Date(), v1::Fact::ACTIVE), D(2024, 6, 30)));
}

TEST(DaysBetweenTest, CountsDays) {
  EXPECT_EQ(DaysBetween(D(2024, 2, 28), D(2024, 3, 1)), 2);  // leap year
  EXPECT_EQ(DaysBetween(D(2024, 3, 1), D(2024, 2, 28)), -2);
  EXPECT_EQ(DaysBetween(D(2024), D(2024, 1, 31)), 30);  // partial = first day
  EXPECT_EQ(DaysBetween(v1::Date(), D(2024, 1, 31)), std::nullopt);
}

TEST(EntityViewTest, ProfileValueReturnsFirstValue) {
  v1::Entity entity;
  entity.set_id(9);
  v1::ProfileAttribute* name = entity.mutable_profile()->add_attributes();
  name->set_name("name");
  name->add_values()->set_value("腾讯计算机系统");
  name->add_values()->set_value("other");
  EntityView view(entity, {});
  EXPECT_EQ(view.entity_id(), 9u);
  EXPECT_EQ(view.ProfileValue("name"), "腾讯计算机系统");
  EXPECT_EQ(view.ProfileValue("address"), "");
}

}  // namespace
}  // namespace credit
