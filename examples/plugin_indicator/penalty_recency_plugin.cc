// Example indicator plugin: penalty_recency_weighted, the administrative
// penalties of an entity weighted by severity and by how recent they are.
//
//   value = sum over counting administrative_penalty facts of
//           max(severity, 1) * 0.5 ^ (days since the penalty / 365)
//
// A severity-5 penalty today weighs 5, one a year ago 2.5, two years ago 1.25:
// recent, severe penalties dominate and old ones fade without a hard cut-off.
// No penalties gives 0 (a value, not "no data": the entity has a clean record).
#include <cmath>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "credit/indicator.h"
#include "credit/plugin.h"

namespace {

class PenaltyRecencyWeighted : public credit::Indicator {
 public:
  std::string name() const override { return "penalty_recency_weighted"; }
  std::uint32_t version() const override { return 1; }
  std::string description() const override {
    return "administrative penalties weighted by severity, halving every 365 "
           "days";
  }

  absl::StatusOr<credit::IndicatorOutput> Evaluate(
      const credit::EntityView& entity, const credit::EvalContext& ctx,
      const credit::IndicatorInputs& /*inputs*/) const override {
    credit::IndicatorOutput out;
    double weight = 0;
    int count = 0;
    std::optional<std::int64_t> newest_days;
    for (const credit::EntityFact& f : entity.facts()) {
      if (f.fact.kind() != "administrative_penalty" ||
          !credit::FactCounts(f.fact, ctx.as_of)) {
        continue;
      }
      // A penalty of unknown date cannot be weighted by age: skip it.
      std::optional<std::int64_t> days =
          credit::DaysBetween(f.fact.occurred_at(), ctx.as_of);
      if (!days.has_value()) continue;
      const double severity = f.fact.severity() > 0 ? f.fact.severity() : 1;
      weight += severity * std::exp2(-static_cast<double>(*days) / 365.0);
      ++count;
      if (!newest_days.has_value() || *days < *newest_days) newest_days = days;
      credit::v1::FactRef* ref = &out.evidence.emplace_back();
      *ref->mutable_record() = f.record;
      ref->set_fact_index(f.fact_index);
    }
    out.value.set_number(weight);
    if (count == 0) {
      out.explanation = "no administrative penalties";
    } else {
      out.explanation = "weight " + std::to_string(weight) + " from " +
                        std::to_string(count) +
                        " administrative penalties, the latest " +
                        std::to_string(*newest_days) + " days ago";
    }
    return out;
  }
};

absl::Status RegisterIndicators(credit::IndicatorRegistry* registry) {
  return registry->Register(std::make_shared<PenaltyRecencyWeighted>());
}

}  // namespace

CREDIT_DEFINE_PLUGIN("penalty_recency", "1.0.0", RegisterIndicators)
