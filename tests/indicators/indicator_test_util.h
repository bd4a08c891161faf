// Builders shared by the indicator tests: dates, facts, entity views, rules.
#ifndef CREDIT_TESTS_INDICATORS_INDICATOR_TEST_UTIL_H_
#define CREDIT_TESTS_INDICATORS_INDICATOR_TEST_UTIL_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "credit/indicator.h"
#include "gtest/gtest.h"

namespace credit::testing {

inline v1::Date D(int year, int month = 0, int day = 0) {
  v1::Date date;
  date.set_year(year);
  date.set_month(month);
  date.set_day(day);
  return date;
}

inline EvalContext AsOf(int year, int month, int day) {
  EvalContext ctx;
  ctx.as_of = D(year, month, day);
  ctx.evaluated_at_micros = 1700000000000000;
  return ctx;
}

// Collects facts, one record per fact (record ids r1, r2, ...), so evidence
// can be checked by record id.
class FactsBuilder {
 public:
  v1::Fact& Add(const std::string& kind, const v1::Date& occurred_at,
                const std::string& source = "market") {
    EntityFact f;
    f.record.set_source(source);
    // Not `"r" + std::to_string(...)`: GCC 12 -O3 flags it (false -Wrestrict).
    std::string id = std::to_string(facts_.size() + 1);
    id.insert(id.begin(), 'r');
    f.record.set_record_id(id);
    f.fact_index = 0;
    f.fact.set_kind(kind);
    *f.fact.mutable_occurred_at() = occurred_at;
    f.fact.set_status(v1::Fact::ACTIVE);
    facts_.push_back(std::move(f));
    return facts_.back().fact;
  }
  EntityView Build(std::uint64_t entity_id = 1) const {
    v1::Entity entity;
    entity.set_id(entity_id);
    entity.set_kind(v1::ORG);
    return EntityView(entity, facts_);
  }

 private:
  std::vector<EntityFact> facts_;
};

// The record ids of an output's evidence: its FactRefs, then its indices
// into `view`'s facts (what the registry stores, in that order).
inline std::vector<std::string> EvidenceIds(const IndicatorOutput& out,
                                            const EntityView& view) {
  std::vector<std::string> ids;
  for (const v1::FactRef& r : out.evidence) ids.push_back(r.record().record_id());
  for (std::uint32_t i : out.evidence_facts) {
    EXPECT_LT(i, view.facts().size());
    if (i < view.facts().size()) {
      ids.push_back(view.facts()[i].record.record_id());
    }
  }
  return ids;
}

inline std::vector<std::string> EvidenceIds(const v1::IndicatorResult& r) {
  std::vector<std::string> ids;
  for (const v1::FactRef& e : r.evidence()) ids.push_back(e.record().record_id());
  return ids;
}

// Builds the indicators of a rules text; fails the test if it is invalid.
inline std::vector<std::shared_ptr<const Indicator>> BuildFromText(
    const std::string& text) {
  auto rules = ParseRuleText(text, "test.textproto");
  EXPECT_TRUE(rules.ok()) << rules.status();
  if (!rules.ok()) return {};
  auto built = BuildRuleIndicators(*rules);
  EXPECT_TRUE(built.ok()) << built.status();
  if (!built.ok()) return {};
  return *built;
}

// The one rule of `text`.
inline std::shared_ptr<const Indicator> RuleFromText(const std::string& text) {
  auto built = BuildFromText(text);
  return built.empty() ? nullptr : built.front();
}

}  // namespace credit::testing

#endif  // CREDIT_TESTS_INDICATORS_INDICATOR_TEST_UTIL_H_
