// Declarative rules: each aggregate, each filter, time windows.
#include "indicators/rule_indicator.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "indicator_test_util.h"
#include "test_support.h"

namespace credit {
namespace {

using ::credit::testing::AsOf;
using ::credit::testing::D;
using ::credit::testing::EvidenceIds;
using ::credit::testing::FactsBuilder;
using ::credit::testing::RuleFromText;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

// What a rule computed, with its evidence as record ids.
struct Evaluated {
  v1::IndicatorValue value;
  std::vector<std::string> evidence;
  std::string explanation;
};

Evaluated Eval(const std::string& rule_body, const FactsBuilder& facts,
               const EvalContext& ctx) {
  auto rule = RuleFromText("rule { name: \"r\" version: 1 " + rule_body + " }");
  EXPECT_NE(rule, nullptr);
  if (rule == nullptr) return {};
  const EntityView view = facts.Build();
  auto out = rule->Evaluate(view, ctx, IndicatorInputs());
  EXPECT_TRUE(out.ok()) << out.status();
  if (!out.ok()) return {};
  return {out->value, EvidenceIds(*out, view), out->explanation};
}

// A mixed history for the aggregate tests, as of 2024-06-30.
FactsBuilder History() {
  FactsBuilder b;
  b.Add("administrative_penalty", D(2022, 3, 1)).set_severity(2);   // r1
  b.Add("administrative_penalty", D(2024, 1, 15)).set_severity(4);  // r2
  b.Add("administrative_penalty", D(2023, 5, 5)).set_severity(3);   // r3
  b.Add("administrative_penalty", D(2024, 2, 1))                    // r4
      .set_status(v1::Fact::DISPUTED);
  b.Add("administrative_penalty", D(2024, 8, 1));                   // r5 future
  b.Add("court_judgment", D(2023, 1, 1)).set_amount(1000);          // r6
  return b;
}

TEST(RuleIndicatorTest, Count) {
  Evaluated out = Eval(
      "filter { kind: 'administrative_penalty' within_months: 36 } "
      "aggregate: COUNT",
      History(), AsOf(2024, 6, 30));
  EXPECT_EQ(out.value.number(), 3);
  EXPECT_THAT(out.evidence, ElementsAre("r1", "r2", "r3"));
  EXPECT_EQ(out.explanation,
            "3 administrative_penalty facts in the 36 months to 2024-06-30");
}

TEST(RuleIndicatorTest, CountWithNoFactsIsZeroNotMissing) {
  Evaluated out = Eval("filter { kind: 'license' } aggregate: COUNT",
                             History(), AsOf(2024, 6, 30));
  ASSERT_EQ(out.value.kind_case(), v1::IndicatorValue::kNumber);
  EXPECT_EQ(out.value.number(), 0);
  EXPECT_EQ(out.explanation, "0 license facts as of 2024-06-30");
}

TEST(RuleIndicatorTest, SumAmount) {
  FactsBuilder b;
  b.Add("tax_arrears", D(2023, 1, 1)).set_amount(1200.5);
  b.Add("tax_arrears", D(2023, 2, 1)).set_amount(300);
  b.Add("tax_arrears", D(2023, 3, 1)).set_amount(99);
  b.Add("tax_arrears", D(2023, 3, 1)).set_amount(5000);
  b.Add("tax_arrears", D(2023, 3, 1)).set_status(v1::Fact::RESOLVED);
  Evaluated out = Eval(
      "filter { kind: 'tax_arrears' status: ACTIVE } aggregate: SUM_AMOUNT", b,
      AsOf(2024, 6, 30));
  EXPECT_DOUBLE_EQ(out.value.number(), 6599.5);
  EXPECT_THAT(out.explanation, HasSubstr("6599.50 CNY over 4 active tax_arrears facts"));
}

TEST(RuleIndicatorTest, MaxSeverity) {
  Evaluated out = Eval(
      "filter { kind: 'administrative_penalty' } aggregate: MAX_SEVERITY",
      History(), AsOf(2024, 6, 30));
  EXPECT_EQ(out.value.number(), 4);  // the disputed and the future fact do not count
  out = Eval("filter { kind: 'license' } aggregate: MAX_SEVERITY", History(),
             AsOf(2024, 6, 30));
  EXPECT_EQ(out.value.number(), 0);
}

TEST(RuleIndicatorTest, Exists) {
  Evaluated out = Eval(
      "filter { kind: 'court_judgment' } aggregate: EXISTS", History(),
      AsOf(2024, 6, 30));
  EXPECT_TRUE(out.value.flag());
  EXPECT_THAT(out.evidence, ElementsAre("r6"));
  out = Eval("filter { kind: 'dishonest_debtor' } aggregate: EXISTS", History(),
             AsOf(2024, 6, 30));
  ASSERT_EQ(out.value.kind_case(), v1::IndicatorValue::kFlag);
  EXPECT_FALSE(out.value.flag());
  EXPECT_EQ(out.explanation, "no dishonest_debtor facts as of 2024-06-30");
}

TEST(RuleIndicatorTest, DaysSinceLatest) {
  Evaluated out = Eval(
      "filter { kind: 'administrative_penalty' } aggregate: DAYS_SINCE_LATEST",
      History(), AsOf(2024, 6, 30));
  EXPECT_EQ(out.value.number(), 167);  // 2024-01-15 .. 2024-06-30
  EXPECT_THAT(out.evidence, ElementsAre("r2"));
  EXPECT_THAT(out.explanation, HasSubstr("167 days since the latest"));
}

TEST(RuleIndicatorTest, DaysSinceLatestWithoutFactsHasNoValue) {
  Evaluated out = Eval(
      "filter { kind: 'dishonest_debtor' } aggregate: DAYS_SINCE_LATEST",
      History(), AsOf(2024, 6, 30));
  EXPECT_EQ(out.value.kind_case(), v1::IndicatorValue::KIND_NOT_SET);
  EXPECT_TRUE(out.evidence.empty());
  EXPECT_THAT(out.explanation, HasSubstr("no dishonest_debtor facts"));
}

TEST(RuleIndicatorTest, LatestAttribute) {
  FactsBuilder b;
  b.Add("tax_credit_grade", D(2022, 4, 1), "tax")
      .mutable_attributes()->insert({"纳税信用级别", "A"});
  b.Add("tax_credit_grade", D(2024, 4, 1), "tax")
      .mutable_attributes()->insert({"纳税信用级别", "C"});
  b.Add("tax_credit_grade", D(2024, 5, 1), "tax");  // no grade: skipped
  b.Add("tax_credit_grade", D(2025, 4, 1), "tax")   // future
      .mutable_attributes()->insert({"纳税信用级别", "D"});
  const std::string rule =
      "filter { kind: 'tax_credit_grade' } aggregate: LATEST_ATTRIBUTE "
      "attribute: '纳税信用级别'";
  Evaluated out = Eval(rule, b, AsOf(2024, 6, 30));
  EXPECT_EQ(out.value.text(), "C");
  EXPECT_THAT(out.evidence, ElementsAre("r2"));
  EXPECT_THAT(out.explanation, HasSubstr("纳税信用级别 C"));
  // As of an earlier day, the grade of that day.
  EXPECT_EQ(Eval(rule, b, AsOf(2023, 1, 1)).value.text(), "A");
  EXPECT_EQ(Eval(rule, b, AsOf(2021, 1, 1)).value.kind_case(),
            v1::IndicatorValue::KIND_NOT_SET);
}

TEST(RuleFilterTest, Status) {
  FactsBuilder b;
  b.Add("court_judgment", D(2023, 1, 1));
  b.Add("court_judgment", D(2023, 1, 1)).set_status(v1::Fact::RESOLVED);
  b.Add("court_judgment", D(2023, 1, 1)).set_status(v1::Fact::REPAIRED);
  EXPECT_EQ(Eval("filter { kind: 'court_judgment' } aggregate: COUNT", b,
                 AsOf(2024, 1, 1)).value.number(), 2);
  EXPECT_EQ(Eval("filter { kind: 'court_judgment' status: RESOLVED } aggregate: COUNT",
                 b, AsOf(2024, 1, 1)).value.number(), 1);
}

TEST(RuleFilterTest, SeveralKindsKeepTheViewsOrder) {
  FactsBuilder b;
  b.Add("license", D(2020, 1, 1));                 // r1
  b.Add("administrative_penalty", D(2021, 1, 1));  // r2
  b.Add("court_judgment", D(2022, 1, 1));          // r3
  b.Add("license", D(2023, 1, 1));                 // r4
  b.Add("administrative_penalty", D(2023, 5, 1));  // r5
  Evaluated out = Eval(
      "filter { kind: 'administrative_penalty' kind: 'license' kind: "
      "'license' } aggregate: COUNT",
      b, AsOf(2024, 1, 1));
  EXPECT_EQ(out.value.number(), 4);
  EXPECT_THAT(out.evidence, ElementsAre("r1", "r2", "r4", "r5"));
  // A kind no fact has, and no kind at all (every fact).
  EXPECT_EQ(Eval("filter { kind: 'tax_arrears' } aggregate: COUNT", b,
                 AsOf(2024, 1, 1)).value.number(), 0);
  EXPECT_EQ(Eval("filter { min_severity: 0 } aggregate: COUNT", b,
                 AsOf(2024, 1, 1)).value.number(), 5);
}

TEST(RuleFilterTest, SeverityAmountSourceAttributes) {
  FactsBuilder b;
  for (int s = 0; s <= 5; ++s) {
    v1::Fact& f = b.Add("administrative_penalty", D(2023, 1, 1),
                        s % 2 == 0 ? "market" : "environment");
    f.set_severity(s);
    f.set_amount(1000.0 * s);
    (*f.mutable_attributes())["违法类型"] = s == 3 ? "超标排放" : "其他";
  }
  auto count = [&](const std::string& filter) {
    return Eval("filter { " + filter + " } aggregate: COUNT", b, AsOf(2024, 1, 1))
        .value.number();
  };
  EXPECT_EQ(count("min_severity: 3"), 3);
  EXPECT_EQ(count("min_severity: 2 max_severity: 3"), 2);
  EXPECT_EQ(count("max_severity: 0"), 1);
  EXPECT_EQ(count("min_amount: 2000"), 4);  // inclusive
  EXPECT_EQ(count("min_amount: 2000 max_amount: 3000"), 2);
  EXPECT_EQ(count("source: 'environment'"), 3);
  EXPECT_EQ(count("source: 'environment' source: 'market'"), 6);
  EXPECT_EQ(count("attribute_equals { key: '违法类型' value: '超标排放' }"), 1);
  EXPECT_EQ(count("kind: 'license' kind: 'administrative_penalty'"), 6);
}

TEST(RuleFilterTest, MonthWindowIsInclusiveAtBothEnds) {
  FactsBuilder b;
  b.Add("administrative_penalty", D(2021, 6, 29));  // r1: one day too early
  b.Add("administrative_penalty", D(2021, 6, 30));  // r2: first day
  b.Add("administrative_penalty", D(2024, 6, 30));  // r3: as-of day
  b.Add("administrative_penalty", D(2024, 7, 1));   // r4: future
  Evaluated out = Eval(
      "filter { within_months: 36 } aggregate: COUNT", b, AsOf(2024, 6, 30));
  EXPECT_THAT(out.evidence, ElementsAre("r2", "r3"));
}

TEST(RuleFilterTest, MonthWindowClampsToMonthEnd) {
  FactsBuilder b;
  b.Add("administrative_penalty", D(2024, 2, 28));  // r1
  b.Add("administrative_penalty", D(2024, 2, 29));  // r2
  b.Add("administrative_penalty", D(2023, 2, 28));  // r3
  // 2024-03-31 minus 1 month: 2024-02-29 (Feb has no 31st).
  EXPECT_THAT(Eval("filter { within_months: 1 } aggregate: COUNT",
                               b, AsOf(2024, 3, 31)).evidence,
              ElementsAre("r2"));
  // 2025-03-31 minus 25 months: 2023-02-28 (not a leap year).
  EXPECT_THAT(Eval("filter { within_months: 25 } aggregate: COUNT",
                               b, AsOf(2025, 3, 31)).evidence,
              ElementsAre("r1", "r2", "r3"));
  // 2024-01-31 minus 12 months crosses a year boundary: 2023-01-31.
  EXPECT_THAT(Eval("filter { within_months: 12 } aggregate: COUNT",
                               b, AsOf(2024, 1, 31)).evidence,
              ElementsAre("r3"));
}

TEST(RuleFilterTest, DayWindow) {
  FactsBuilder b;
  b.Add("administrative_penalty", D(2024, 5, 31));  // r1: 30 days before
  b.Add("administrative_penalty", D(2024, 5, 30));  // r2: 31 days before
  b.Add("administrative_penalty", D(2024));         // r3: partial, 2024-01-01
  b.Add("administrative_penalty", v1::Date());      // r4: unknown date
  Evaluated out =
      Eval("filter { within_days: 30 } aggregate: COUNT", b, AsOf(2024, 6, 30));
  EXPECT_THAT(out.evidence, ElementsAre("r1"));
  EXPECT_EQ(out.explanation, "1 fact in the 30 days to 2024-06-30");
  // Without a window the undated fact counts.
  EXPECT_EQ(Eval("aggregate: COUNT", b, AsOf(2024, 6, 30)).value.number(), 4);
}

TEST(RuleIndicatorTest, AsOfEvaluationGivesTheAnswerOfThatDay) {
  FactsBuilder b = History();
  const std::string rule =
      "filter { kind: 'administrative_penalty' within_months: 12 } "
      "aggregate: COUNT";
  EXPECT_EQ(Eval(rule, b, AsOf(2022, 3, 1)).value.number(), 1);
  EXPECT_EQ(Eval(rule, b, AsOf(2023, 6, 1)).value.number(), 1);
  EXPECT_EQ(Eval(rule, b, AsOf(2024, 6, 30)).value.number(), 1);
  EXPECT_EQ(Eval(rule, b, AsOf(2024, 8, 1)).value.number(), 2);
}

TEST(RuleIndicatorTest, IncompleteAsOfIsAnError) {
  auto rule = RuleFromText("rule { name: 'r' version: 1 aggregate: COUNT }");
  ASSERT_NE(rule, nullptr);
  EvalContext ctx;
  ctx.as_of = D(2024, 6);
  EXPECT_THAT(rule->Evaluate(FactsBuilder().Build(), ctx, IndicatorInputs()),
              ::credit::testing::StatusIs(absl::StatusCode::kInvalidArgument,
                                          HasSubstr("not a complete date")));
}

}  // namespace
}  // namespace credit
