// The stable-id rule shared by bulk and incremental resolution.
#include "resolve/entity_ids.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace credit {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Pair;
using ::testing::UnorderedElementsAre;

TEST(EntityIdsTest, NewComponentsGetNewIdsInOrderOfSmallestMember) {
  EntityAssignment a = AssignEntityIds({{5, 6}, {1}, {3}}, {}, 10);
  EXPECT_THAT(a.members, ElementsAre(Pair(10, ElementsAre(1)),
                                     Pair(11, ElementsAre(3)),
                                     Pair(12, ElementsAre(5, 6))));
  EXPECT_EQ(a.next_entity_id, 13u);
  EXPECT_THAT(a.retired, IsEmpty());
}

TEST(EntityIdsTest, MergeKeepsTheOldestIdAndRetiresTheOthers) {
  // Entities 7 (records 1, 2) and 4 (record 3) merge with new record 9.
  EntityAssignment a =
      AssignEntityIds({{1, 2, 3, 9}}, {{1, 7}, {2, 7}, {3, 4}}, 20);
  EXPECT_THAT(a.members, ElementsAre(Pair(4, ElementsAre(1, 2, 3, 9))));
  EXPECT_THAT(a.retired, ElementsAre(Pair(7, 4)));
  EXPECT_EQ(a.next_entity_id, 20u);
}

TEST(EntityIdsTest, SplitLeavesTheIdWithThePartHoldingTheOldestMember) {
  EntityAssignment a =
      AssignEntityIds({{4, 8}, {2, 6}}, {{2, 3}, {4, 3}, {6, 3}, {8, 3}}, 10);
  EXPECT_THAT(a.members, UnorderedElementsAre(Pair(3, ElementsAre(2, 6)),
                                              Pair(10, ElementsAre(4, 8))));
  EXPECT_THAT(a.retired, IsEmpty());
  EXPECT_EQ(a.entity_of.at(8), 10u);
}

}  // namespace
}  // namespace credit
