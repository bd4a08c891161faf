// EntityView: the facts of an entity, by position and by kind.
#include <cstdint>
#include <vector>

#include "credit/indicator.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "indicator_test_util.h"

namespace credit {
namespace {

using ::credit::testing::D;
using ::credit::testing::FactsBuilder;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

std::vector<std::uint32_t> Indices(std::span<const std::uint32_t> span) {
  return {span.begin(), span.end()};
}

TEST(EntityViewTest, FactsOfKindListsIndicesInViewOrder) {
  FactsBuilder b;
  b.Add("license", D(2020));
  b.Add("administrative_penalty", D(2021));
  b.Add("license", D(2019));
  b.Add("court_judgment", D(2022));
  b.Add("administrative_penalty", D(2018));
  const EntityView view = b.Build();
  EXPECT_THAT(Indices(view.FactsOfKind("administrative_penalty")),
              ElementsAre(1, 4));
  EXPECT_THAT(Indices(view.FactsOfKind("license")), ElementsAre(0, 2));
  EXPECT_THAT(Indices(view.FactsOfKind("court_judgment")), ElementsAre(3));
  EXPECT_THAT(Indices(view.FactsOfKind("tax_arrears")), IsEmpty());
  EXPECT_THAT(Indices(view.FactsOfKind("")), IsEmpty());
  EXPECT_THAT(Indices(view.FactsOfKind("licens")), IsEmpty());
}

TEST(EntityViewTest, FactsOfKindOnAnEmptyView) {
  const EntityView view = FactsBuilder().Build();
  EXPECT_THAT(Indices(view.FactsOfKind("license")), IsEmpty());
}

TEST(EntityViewTest, ACopiedViewAnswersFromItsOwnFacts) {
  FactsBuilder b;
  b.Add("license", D(2020));
  b.Add("administrative_penalty", D(2021));
  const EntityView original = b.Build();
  const EntityView copy = original;
  ASSERT_THAT(Indices(copy.FactsOfKind("administrative_penalty")),
              ElementsAre(1));
  EXPECT_EQ(copy.facts()[1].fact.kind(), "administrative_penalty");
}

}  // namespace
}  // namespace credit
