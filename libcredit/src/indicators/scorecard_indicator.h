// ScorecardIndicator: a credit.v1.Scorecard as an Indicator. Each component
// bins the value of another indicator into points; base score plus points
// give the score, and the grade bands turn the score into a grade.
// Thread-safe: immutable after construction.
#ifndef CREDIT_INDICATORS_SCORECARD_INDICATOR_H_
#define CREDIT_INDICATORS_SCORECARD_INDICATOR_H_

#include <cstdint>
#include <string>
#include <vector>

#include "credit/indicator.h"
#include "credit/v1/rules.pb.h"

namespace credit {

class ScorecardIndicator : public Indicator {
 public:
  // REQUIRES: `scorecard` passed ValidateRuleSet.
  explicit ScorecardIndicator(v1::Scorecard scorecard);

  std::string name() const override { return scorecard_.name(); }
  std::uint32_t version() const override { return scorecard_.version(); }
  std::string description() const override {
    return scorecard_.description();
  }
  std::vector<std::string> inputs() const override { return inputs_; }

  // The value is the grade; IndicatorOutput::score the numeric score. A
  // component whose indicator has no value, or a value in no bin, scores its
  // missing_points. Evidence is the union of the components' evidence.
  absl::StatusOr<IndicatorOutput> Evaluate(
      const EntityView& entity, const EvalContext& ctx,
      const IndicatorInputs& inputs) const override;

 private:
  v1::Scorecard scorecard_;
  std::vector<std::string> inputs_;
};

}  // namespace credit

#endif  // CREDIT_INDICATORS_SCORECARD_INDICATOR_H_
