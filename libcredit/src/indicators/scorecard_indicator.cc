#include "indicators/scorecard_indicator.h"

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "fmt/compile.h"
#include "fmt/format.h"

namespace credit {

ScorecardIndicator::ScorecardIndicator(v1::Scorecard scorecard)
    : scorecard_(std::move(scorecard)) {
  for (const v1::Scorecard::Component& c : scorecard_.component()) {
    inputs_.push_back(c.indicator());
  }
}

namespace {

// Returns the bin of `component` that `value` falls in, or nullptr.
const v1::Scorecard::Bin* FindBin(const v1::Scorecard::Component& component,
                                  const v1::IndicatorValue& value) {
  const bool numeric = value.kind_case() == v1::IndicatorValue::kNumber ||
                       value.kind_case() == v1::IndicatorValue::kFlag;
  const double number = value.kind_case() == v1::IndicatorValue::kFlag
                            ? (value.flag() ? 1.0 : 0.0)
                            : value.number();
  const std::string& text = value.kind_case() == v1::IndicatorValue::kGrade
                                ? value.grade()
                                : value.text();
  for (const v1::Scorecard::Bin& bin : component.bin()) {
    if (bin.value_size() > 0) {
      if (numeric) continue;
      if (std::find(bin.value().begin(), bin.value().end(), text) !=
          bin.value().end()) {
        return &bin;
      }
      continue;
    }
    if (!numeric) continue;
    if (bin.has_min() && number < bin.min()) continue;
    if (bin.has_max() && number >= bin.max()) continue;
    return &bin;
  }
  return nullptr;
}

std::string ValueText(const v1::IndicatorValue& value) {
  switch (value.kind_case()) {
    case v1::IndicatorValue::kNumber:
      return fmt::format(FMT_COMPILE("{}"), value.number());
    case v1::IndicatorValue::kFlag:
      return value.flag() ? "yes" : "no";
    case v1::IndicatorValue::kText:
      return value.text();
    case v1::IndicatorValue::kGrade:
      return value.grade();
    default:
      return "no value";
  }
}

}  // namespace

absl::StatusOr<IndicatorOutput> ScorecardIndicator::Evaluate(
    const EntityView& /*entity*/, const EvalContext& /*ctx*/,
    const IndicatorInputs& inputs) const {
  IndicatorOutput out;
  double score = scorecard_.base_score();
  std::string parts;
  // Evidence: the facts of the view by index where the input gave them so
  // (the declarative rules do), copies of its FactRefs otherwise.
  std::vector<std::uint32_t> indexed;
  std::vector<const v1::FactRef*> evidence;
  for (const v1::Scorecard::Component& component : scorecard_.component()) {
    const v1::IndicatorResult* input = inputs.Find(component.indicator());
    if (input == nullptr) {
      // Only when evaluated outside a registry that declares the inputs.
      return absl::FailedPreconditionError(
          fmt::format("scorecard '{}': input '{}' was not evaluated",
                      scorecard_.name(), component.indicator()));
    }
    const v1::Scorecard::Bin* bin = FindBin(component, input->value());
    const double points = bin != nullptr ? bin->points() : component.missing_points();
    score += points;
    std::string label;
    if (bin != nullptr) {
      label = bin->label().empty() ? ValueText(input->value()) : bin->label();
    } else if (input->value().kind_case() ==
               v1::IndicatorValue::KIND_NOT_SET) {
      label = "missing";
    } else {
      label = fmt::format(FMT_COMPILE("{} (in no bin)"), ValueText(input->value()));
    }
    fmt::format_to(std::back_inserter(parts), FMT_COMPILE("; {} {}: {:+}"),
                   component.indicator(), label, points);
    if (const auto* facts = inputs.FindEvidenceFacts(component.indicator())) {
      indexed.insert(indexed.end(), facts->begin(), facts->end());
    } else {
      for (const v1::FactRef& ref : input->evidence()) evidence.push_back(&ref);
    }
  }

  std::string grade = scorecard_.default_grade();
  for (const v1::Scorecard::GradeBand& band : scorecard_.grade_band()) {
    if (score >= band.min_score()) {
      grade = band.grade();
      break;
    }
  }
  out.value.set_grade(grade);
  out.score = score;
  out.explanation = fmt::format(FMT_COMPILE("grade {}, score {} = base {}{}"), grade, score,
                                scorecard_.base_score(), parts);

  // Components often share facts: keep each once, in a stable order (the
  // view's for indices). FactRefs are sorted as pointers so that only the
  // survivors are copied.
  std::sort(indexed.begin(), indexed.end());
  indexed.erase(std::unique(indexed.begin(), indexed.end()), indexed.end());
  out.evidence_facts = std::move(indexed);
  auto key = [](const v1::FactRef* r) {
    return std::tuple<const std::string&, const std::string&, std::uint32_t>(
        r->record().source(), r->record().record_id(), r->fact_index());
  };
  std::sort(evidence.begin(), evidence.end(),
            [&](const v1::FactRef* a, const v1::FactRef* b) {
              return key(a) < key(b);
            });
  evidence.erase(std::unique(evidence.begin(), evidence.end(),
                             [&](const v1::FactRef* a, const v1::FactRef* b) {
                               return key(a) == key(b);
                             }),
                 evidence.end());
  out.evidence.reserve(evidence.size());
  for (const v1::FactRef* ref : evidence) out.evidence.push_back(*ref);
  return out;
}

}  // namespace credit
