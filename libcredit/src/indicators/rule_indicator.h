// RuleIndicator: a declarative rule (credit.v1.Rule) as an Indicator: the
// facts that count and pass the rule's filter, aggregated.
// Thread-safe: immutable after construction.
#ifndef CREDIT_INDICATORS_RULE_INDICATOR_H_
#define CREDIT_INDICATORS_RULE_INDICATOR_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "credit/indicator.h"
#include "credit/v1/rules.pb.h"

namespace credit {

class RuleIndicator : public Indicator {
 public:
  // REQUIRES: `rule` passed ValidateRuleSet.
  explicit RuleIndicator(v1::Rule rule);

  std::string name() const override { return rule_.name(); }
  std::uint32_t version() const override { return rule_.version(); }
  std::string description() const override { return rule_.description(); }

  absl::StatusOr<IndicatorOutput> Evaluate(
      const EntityView& entity, const EvalContext& ctx,
      const IndicatorInputs& inputs) const override;

 private:
  // Returns whether `f` passes the filter, except for its kinds (Evaluate
  // only looks at facts of those) and its window (checked with FactCounts).
  bool Matches(const EntityFact& f) const;

  v1::Rule rule_;
  // The filter, unpacked for the per-fact loop.
  std::vector<std::string> kinds_;
  std::uint32_t status_mask_ = 0;  // bit per Fact.Status; 0 = any
  std::vector<std::string> sources_;
  std::vector<std::pair<std::string, std::string>> attribute_equals_;
  // "active court_judgment facts", for explanations.
  std::string subject_;
  std::string subject_singular_;
};

}  // namespace credit

#endif  // CREDIT_INDICATORS_RULE_INDICATOR_H_
