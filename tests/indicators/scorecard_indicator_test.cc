// Scorecards: bins, flags as 1/0, text bins, missing values, grade bands,
// evidence union, through a registry.
#include "indicators/scorecard_indicator.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "indicator_test_util.h"
#include "test_support.h"

namespace credit {
namespace {

using ::credit::testing::AsOf;
using ::credit::testing::BuildFromText;
using ::credit::testing::D;
using ::credit::testing::EvidenceIds;
using ::credit::testing::FactsBuilder;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr char kRules[] = R"pb(
  rule { name: "penalties" version: 1 filter { kind: "administrative_penalty" } aggregate: COUNT }
  rule { name: "listed" version: 1 filter { kind: "dishonest_debtor" } aggregate: EXISTS }
  rule { name: "tax_grade" version: 1 filter { kind: "tax_credit_grade" }
         aggregate: LATEST_ATTRIBUTE attribute: "grade" }
  rule { name: "days_since_penalty" version: 1 filter { kind: "administrative_penalty" }
         aggregate: DAYS_SINCE_LATEST }
  scorecard {
    name: "grade" version: 2 base_score: 80
    component {
      indicator: "penalties"
      bin { max: 1 points: 10 label: "none" }
      bin { min: 1 max: 3 points: -10 label: "few" }
      bin { min: 3 points: -30 label: "many" }
    }
    component {
      indicator: "listed"
      bin { max: 1 points: 0 label: "not listed" }
      bin { min: 1 points: -40 label: "listed" }
    }
    component {
      indicator: "tax_grade"
      bin { value: "A" points: 5 }
      bin { value: "D" points: -20 label: "tax D" }
      missing_points: -1
    }
    component {
      indicator: "days_since_penalty"
      bin { max: 365 points: -5 label: "within a year" }
      bin { min: 365 points: 0 label: "older" }
      missing_points: 3
    }
    grade_band { grade: "A" min_score: 90 }
    grade_band { grade: "B" min_score: 70 }
    grade_band { grade: "C" min_score: 40 }
    default_grade: "D"
  }
)pb";

class ScorecardTest : public ::testing::Test {
 protected:
  void SetUp() override {
    CREDIT_ASSERT_OK(registry_.RegisterAll(BuildFromText(kRules)));
  }
  v1::IndicatorResult Grade(const FactsBuilder& facts) {
    auto result = registry_.Evaluate("grade", facts.Build(), AsOf(2024, 6, 30));
    EXPECT_TRUE(result.ok()) << result.status();
    EXPECT_EQ(result->error(), "");
    return *result;
  }
  IndicatorRegistry registry_;
};

TEST_F(ScorecardTest, CleanEntity) {
  v1::IndicatorResult r = Grade(FactsBuilder());
  // 80 + 10 (no penalties) + 0 (not listed) - 1 (no tax grade) + 3 (no penalty date)
  EXPECT_EQ(r.value().grade(), "A");
  EXPECT_EQ(r.score(), 92);
  EXPECT_EQ(r.version(), 2u);
  EXPECT_EQ(r.explanation(),
            "grade A, score 92 = base 80; penalties none: +10; listed not "
            "listed: +0; tax_grade missing: -1; days_since_penalty missing: +3");
}

TEST_F(ScorecardTest, BinsFlagsTextAndBands) {
  FactsBuilder b;
  b.Add("administrative_penalty", D(2024, 1, 1));                   // r1
  b.Add("administrative_penalty", D(2020, 1, 1));                   // r2
  b.Add("dishonest_debtor", D(2023, 1, 1));                         // r3
  b.Add("tax_credit_grade", D(2024, 4, 1)).mutable_attributes()->insert({"grade", "D"});  // r4
  v1::IndicatorResult r = Grade(b);
  // 80 - 10 (2 penalties) - 40 (listed) - 20 (tax D) - 5 (penalty within a year)
  EXPECT_EQ(r.score(), 5);
  EXPECT_EQ(r.value().grade(), "D");  // below every band: default
  EXPECT_THAT(r.explanation(), HasSubstr("listed listed: -40"));
  EXPECT_THAT(r.explanation(), HasSubstr("tax_grade tax D: -20"));
  // Evidence: union of the components', each fact once.
  EXPECT_THAT(EvidenceIds(r), ElementsAre("r1", "r2", "r3", "r4"));
}

TEST_F(ScorecardTest, BandEdgesAreInclusive) {
  FactsBuilder b;
  b.Add("administrative_penalty", D(2020, 1, 1));
  b.Add("tax_credit_grade", D(2024, 4, 1)).mutable_attributes()->insert({"grade", "A"});
  // 80 - 10 + 0 + 5 + 0 = 75: B (>= 70).
  EXPECT_EQ(Grade(b).value().grade(), "B");
  EXPECT_EQ(Grade(b).score(), 75);
  b.Add("administrative_penalty", D(2019, 1, 1));
  b.Add("administrative_penalty", D(2018, 1, 1));
  // 80 - 30 + 5 = 55: C.
  EXPECT_EQ(Grade(b).value().grade(), "C");
}

TEST_F(ScorecardTest, TextValueInNoBinScoresMissingPoints) {
  FactsBuilder b;
  b.Add("tax_credit_grade", D(2024, 4, 1)).mutable_attributes()->insert({"grade", "M"});
  v1::IndicatorResult r = Grade(b);
  EXPECT_EQ(r.score(), 92);
  EXPECT_THAT(r.explanation(), HasSubstr("tax_grade M (in no bin): -1"));
}

TEST_F(ScorecardTest, EvaluateAllComputesInputsFirst) {
  auto results = registry_.EvaluateAll(FactsBuilder().Build(), AsOf(2024, 6, 30));
  ASSERT_EQ(results.size(), 5u);
  EXPECT_EQ(results[4].name(), "grade");
  EXPECT_EQ(results[4].value().grade(), "A");
  EXPECT_EQ(results[4].evaluated_at_micros(), 1700000000000000);
}

TEST(ScorecardStandaloneTest, MissingInputIsAnError) {
  auto built = BuildFromText(kRules);
  ASSERT_EQ(built.size(), 5u);
  auto out = built[4]->Evaluate(FactsBuilder().Build(), AsOf(2024, 6, 30),
                                IndicatorInputs());
  EXPECT_THAT(out, ::credit::testing::StatusIs(
                       absl::StatusCode::kFailedPrecondition,
                       HasSubstr("input 'penalties' was not evaluated")));
}

}  // namespace
}  // namespace credit
