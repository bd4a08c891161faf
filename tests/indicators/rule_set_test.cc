// Rules files: syntax errors with positions, semantic validation, the
// shipped example file.
#include <fstream>
#include <string>

#include "credit/indicator.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "indicator_test_util.h"
#include "test_support.h"

namespace credit {
namespace {

using ::credit::testing::AsOf;
using ::credit::testing::D;
using ::credit::testing::FactsBuilder;
using ::credit::testing::StatusIs;
using ::testing::HasSubstr;

absl::Status Parse(const std::string& text) {
  return ParseRuleText(text, "rules.textproto").status();
}

MATCHER_P(InvalidWith, text, "") {
  return ::testing::ExplainMatchResult(
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr(text)), arg,
      result_listener);
}

TEST(RuleSetTest, MalformedTextNamesLineAndColumn) {
  EXPECT_THAT(Parse("rule {\n  name: \"a\"\n  version: 1\n  aggregate: COUNT\n"),
              InvalidWith("rules.textproto:5:1:"));
  EXPECT_THAT(Parse("rule {\n  name: \"a\" version: one\n}\n"),
              InvalidWith("rules.textproto:2:22: Expected integer"));
}

TEST(RuleSetTest, UnknownFieldIsRefused) {
  EXPECT_THAT(Parse("rule {\n  name: \"a\"\n  versoin: 1\n}\n"),
              InvalidWith("rules.textproto:3:10: Message type \"credit.v1.Rule\" "
                          "has no field named \"versoin\""));
  EXPECT_THAT(Parse("rule { name: 'a' version: 1 aggregate: AVERAGE }"),
              InvalidWith("AVERAGE"));
}

TEST(RuleSetTest, SemanticErrorsAreLocated) {
  const std::string text =
      "rule { name: 'ok' version: 1 aggregate: COUNT }\n"
      "rule { name: 'Bad-Name' version: 1 aggregate: COUNT }\n"
      "rule { name: 'ok' version: 1 aggregate: COUNT }\n"
      "rule { name: 'no_version' aggregate: COUNT }\n"
      "rule { name: 'no_aggregate' version: 1 }\n"
      "rule { name: 'latest' version: 1 aggregate: LATEST_ATTRIBUTE }\n"
      "rule { name: 'window' version: 1 aggregate: COUNT\n"
      "       filter { within_months: 1 within_days: 3 } }\n"
      "rule { name: 'amounts' version: 1 aggregate: COUNT\n"
      "       filter { min_amount: 10 max_amount: 5 min_severity: 4 max_severity: 2 } }\n"
      "rule { name: 'disputed' version: 1 aggregate: COUNT filter { status: DISPUTED } }\n";
  absl::Status s = Parse(text);
  EXPECT_THAT(s, InvalidWith("rules.textproto:2:1: rule name 'Bad-Name' is not lower_snake_case"));
  EXPECT_THAT(s, InvalidWith("rules.textproto:3:1: rule name 'ok' is used twice"));
  EXPECT_THAT(s, InvalidWith("rules.textproto:4:1: rule 'no_version': set version"));
  EXPECT_THAT(s, InvalidWith("rules.textproto:5:1: rule 'no_aggregate': set aggregate"));
  EXPECT_THAT(s, InvalidWith("rules.textproto:6:1: rule 'latest': LATEST_ATTRIBUTE needs `attribute`"));
  EXPECT_THAT(s, InvalidWith("rule 'window': within_months and within_days are both set"));
  EXPECT_THAT(s, InvalidWith("rule 'amounts': max_amount 5 is below min_amount 10"));
  EXPECT_THAT(s, InvalidWith("rule 'amounts': max_severity 2 is below min_severity 4"));
  EXPECT_THAT(s, InvalidWith("filter status DISPUTED never matches"));
}

TEST(RuleSetTest, ScorecardErrors) {
  const std::string text =
      "rule { name: 'a' version: 1 aggregate: COUNT }\n"
      "scorecard {\n"
      "  name: 'card' version: 1\n"
      "  component { indicator: 'nope' bin { points: 1 } }\n"
      "  component {\n"
      "    indicator: 'a'\n"
      "    bin { max: 5 points: 1 }\n"
      "    bin { min: 3 points: 2 }\n"
      "    bin { min: 9 max: 9 points: 2 }\n"
      "    bin { min: 1 value: 'x' points: 2 }\n"
      "  }\n"
      "  grade_band { grade: 'A' min_score: 50 }\n"
      "  grade_band { grade: 'B' min_score: 60 }\n"
      "}\n";
  absl::Status s = Parse(text);
  EXPECT_THAT(s, InvalidWith("rules.textproto:4:3: scorecard 'card' component 'nope': "
                             "unknown indicator 'nope'"));
  EXPECT_THAT(s, InvalidWith("component 'a': bins 1 [-inf, 5) and 2 [3, inf) overlap"));
  EXPECT_THAT(s, InvalidWith("rules.textproto:9:5: scorecard 'card' component 'a' bin 3: "
                             "min 9 must be below max 9"));
  EXPECT_THAT(s, InvalidWith("component 'a' bin 4: has both `value` and min/max"));
  EXPECT_THAT(s, InvalidWith("rules.textproto:13:3: scorecard 'card' grade_band 'B': "
                             "min_score 60 is not below the previous band's 50"));
  EXPECT_THAT(s, InvalidWith("scorecard 'card': set default_grade"));
}

TEST(RuleSetTest, ValidateRuleSetWithoutPositions) {
  v1::RuleSet rules;
  v1::Rule* rule = rules.add_rule();
  rule->set_name("x");
  EXPECT_THAT(ValidateRuleSet(rules, "code"), InvalidWith("code: rule 'x': set version"));
  EXPECT_THAT(BuildRuleIndicators(rules).status(), InvalidWith("set version"));
}

TEST(RuleSetTest, LoadRuleFileReportsMissingFile) {
  EXPECT_THAT(LoadRuleFile("/nonexistent/rules.textproto").status(),
              StatusIs(absl::StatusCode::kNotFound,
                       HasSubstr("/nonexistent/rules.textproto")));
}

TEST(RuleSetTest, ShippedExampleRulesValidateAndEvaluate) {
  const std::string path =
      std::string(CREDIT_SOURCE_DIR) + "/examples/rules/credit_rules.textproto";
  auto rules = LoadRuleFile(path);
  CREDIT_ASSERT_OK(rules);
  auto built = BuildRuleIndicators(*rules);
  CREDIT_ASSERT_OK(built);
  IndicatorRegistry registry;
  CREDIT_ASSERT_OK(registry.RegisterAll(*built));
  ASSERT_NE(registry.Find("credit_grade"), nullptr);

  FactsBuilder facts;
  facts.Add("license", D(2023, 1, 1));
  facts.Add("tax_credit_grade", D(2024, 4, 1), "tax")
      .mutable_attributes()->insert({"纳税信用级别", "A"});
  auto clean = registry.Evaluate("credit_grade", facts.Build(), AsOf(2024, 6, 30));
  CREDIT_ASSERT_OK(clean);
  EXPECT_EQ(clean->error(), "");
  EXPECT_EQ(clean->value().grade(), "A");
  EXPECT_EQ(clean->score(), 100);

  facts.Add("dishonest_debtor", D(2023, 1, 1), "court");
  facts.Add("court_judgment", D(2023, 1, 1), "court").set_amount(2000000);
  auto listed = registry.Evaluate("credit_grade", facts.Build(), AsOf(2024, 6, 30));
  CREDIT_ASSERT_OK(listed);
  // 100 - 50 (listed) - 15 (one unpaid) - 10 (>= 1M) = 25
  EXPECT_EQ(listed->score(), 25);
  EXPECT_EQ(listed->value().grade(), "D");
}

}  // namespace
}  // namespace credit
