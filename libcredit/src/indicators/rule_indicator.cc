#include "indicators/rule_indicator.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "fmt/compile.h"
#include "fmt/format.h"
#include "indicators/fact_dates.h"
#include "normalize/date_parser.h"

namespace credit {

using indicators_internal::DaysBefore;
using indicators_internal::FactCountsOnDay;
using indicators_internal::FirstDayKey;
using indicators_internal::MonthsBefore;

namespace {

// `amount` rounded to the cent, half away from zero ("6599.50"). fmt's
// "{:.2f}" was the slowest part of an explanation; beyond what cents in an
// int64 hold, it is used anyway.
std::string FormatAmount(double amount) {
  const double cents = std::round(amount * 100);
  if (!(std::fabs(cents) < 9e15)) return fmt::format("{:.2f}", amount);
  const std::int64_t c = static_cast<std::int64_t>(cents);
  const std::uint64_t abs = c < 0 ? static_cast<std::uint64_t>(-c)
                                  : static_cast<std::uint64_t>(c);
  return fmt::format(FMT_COMPILE("{}{}.{:02}"), c < 0 ? "-" : "", abs / 100,
                     abs % 100);
}

}  // namespace

RuleIndicator::RuleIndicator(v1::Rule rule) : rule_(std::move(rule)) {
  const v1::FactFilter& filter = rule_.filter();
  kinds_.assign(filter.kind().begin(), filter.kind().end());
  for (int status : filter.status()) status_mask_ |= 1u << status;
  sources_.assign(filter.source().begin(), filter.source().end());
  for (const auto& [key, value] : filter.attribute_equals()) {
    attribute_equals_.emplace_back(key, value);
  }
  // Map order is unspecified; sorted keeps explanations stable.
  std::sort(attribute_equals_.begin(), attribute_equals_.end());

  std::string what;
  for (int status : filter.status()) {
    if (!what.empty()) what += "/";
    what += absl::AsciiStrToLower(
        v1::Fact::Status_Name(static_cast<v1::Fact::Status>(status)));
  }
  if (!what.empty()) what += " ";
  std::string kinds;
  for (const std::string& kind : kinds_) {
    if (!kinds.empty()) kinds += "/";
    kinds += kind;
  }
  if (!kinds.empty()) what += kinds + " ";
  subject_ = what + "facts";
  subject_singular_ = what + "fact";
}

bool RuleIndicator::Matches(const EntityFact& f) const {
  const v1::Fact& fact = f.fact;
  const v1::FactFilter& filter = rule_.filter();
  if (status_mask_ != 0 &&
      (fact.status() < 0 || fact.status() > 31 ||
       (status_mask_ & (1u << fact.status())) == 0)) {
    return false;
  }
  if (fact.severity() < filter.min_severity()) return false;
  if (filter.has_max_severity() && fact.severity() > filter.max_severity()) {
    return false;
  }
  if (filter.has_min_amount() && fact.amount() < filter.min_amount()) {
    return false;
  }
  if (filter.has_max_amount() && fact.amount() > filter.max_amount()) {
    return false;
  }
  if (!sources_.empty() && std::find(sources_.begin(), sources_.end(),
                                     f.record.source()) == sources_.end()) {
    return false;
  }
  for (const auto& [key, value] : attribute_equals_) {
    auto it = fact.attributes().find(key);
    if (it == fact.attributes().end() || it->second != value) return false;
  }
  return true;
}

absl::StatusOr<IndicatorOutput> RuleIndicator::Evaluate(
    const EntityView& entity, const EvalContext& ctx,
    const IndicatorInputs& /*inputs*/) const {
  const v1::FactFilter& filter = rule_.filter();
  if (!IsCompleteDate(ctx.as_of)) {
    return absl::InvalidArgumentError(fmt::format(
        "as-of date '{}' is not a complete date", FormatDate(ctx.as_of)));
  }
  // Window start as a key; 0 = no window. A fact of unknown date (key 0) is
  // in no window.
  std::int32_t window_start = 0;
  std::string period;
  if (filter.within_months() > 0) {
    window_start = FirstDayKey(MonthsBefore(ctx.as_of, filter.within_months()));
    period = fmt::format(FMT_COMPILE(" in the {} months to {}"), filter.within_months(),
                         FormatDate(ctx.as_of));
  } else if (filter.within_days() > 0) {
    window_start = FirstDayKey(DaysBefore(ctx.as_of, filter.within_days()));
    period = fmt::format(FMT_COMPILE(" in the {} days to {}"), filter.within_days(),
                         FormatDate(ctx.as_of));
  } else {
    period = fmt::format(FMT_COMPILE(" as of {}"), FormatDate(ctx.as_of));
  }

  // Evidence is every matching fact, except for the two "latest" aggregates,
  // whose value comes from one fact: that fact alone.
  IndicatorOutput out;
  const bool one_fact = rule_.aggregate() == v1::DAYS_SINCE_LATEST ||
                        rule_.aggregate() == v1::LATEST_ATTRIBUTE;
  // Evidence as indices: the registry turns them into FactRefs.
  const std::vector<EntityFact>& facts = entity.facts();
  if (!one_fact) out.evidence_facts.reserve(facts.size());
  auto index_of = [&facts](const EntityFact& f) {
    return static_cast<std::uint32_t>(&f - facts.data());
  };
  std::size_t count = 0;
  double sum = 0;
  std::int32_t max_severity = 0;
  const EntityFact* latest = nullptr;
  std::int32_t latest_key = -1;
  const bool latest_attribute = rule_.aggregate() == v1::LATEST_ATTRIBUTE;
  // Only the facts of the rule's kinds are looked at (all facts when it
  // names none), in the view's order.
  std::span<const std::uint32_t> of_kind;
  std::vector<std::uint32_t> merged;
  if (kinds_.size() == 1) {
    of_kind = entity.FactsOfKind(kinds_[0]);
  } else if (!kinds_.empty()) {
    for (const std::string& kind : kinds_) {
      std::span<const std::uint32_t> some = entity.FactsOfKind(kind);
      merged.insert(merged.end(), some.begin(), some.end());
    }
    std::sort(merged.begin(), merged.end());
    merged.erase(std::unique(merged.begin(), merged.end()), merged.end());
    of_kind = merged;
  }
  const std::int32_t as_of_key = FirstDayKey(ctx.as_of);
  const std::size_t n = kinds_.empty() ? facts.size() : of_kind.size();
  for (std::size_t i = 0; i < n; ++i) {
    const EntityFact& f = facts[kinds_.empty() ? i : of_kind[i]];
    if (!Matches(f) || !FactCountsOnDay(f.fact, as_of_key)) continue;
    const std::int32_t key = FirstDayKey(f.fact.occurred_at());
    if (window_start != 0 && (key == 0 || key < window_start)) continue;
    if (latest_attribute) {
      auto it = f.fact.attributes().find(rule_.attribute());
      if (it == f.fact.attributes().end() || it->second.empty()) continue;
    }
    ++count;
    sum += f.fact.amount();
    max_severity = std::max(max_severity, f.fact.severity());
    // Ties go to the later fact in the view, so a re-issued grade wins.
    if (key >= latest_key) {
      latest_key = key;
      latest = &f;
    }
    if (!one_fact) out.evidence_facts.push_back(index_of(f));
  }

  const std::string& subject = count == 1 ? subject_singular_ : subject_;
  switch (rule_.aggregate()) {
    case v1::COUNT:
      out.value.set_number(static_cast<double>(count));
      out.explanation = fmt::format(FMT_COMPILE("{} {}{}"), count, subject, period);
      break;
    case v1::SUM_AMOUNT:
      out.value.set_number(sum);
      out.explanation = fmt::format(FMT_COMPILE("{} CNY over {} {}{}"),
                                    FormatAmount(sum), count, subject, period);
      break;
    case v1::MAX_SEVERITY:
      out.value.set_number(max_severity);
      out.explanation = fmt::format(FMT_COMPILE("max severity {} over {} {}{}"),
                                    max_severity, count, subject, period);
      break;
    case v1::EXISTS:
      out.value.set_flag(count > 0);
      out.explanation = count > 0
                            ? fmt::format(FMT_COMPILE("yes: {} {}{}"), count, subject, period)
                            : fmt::format(FMT_COMPILE("no {}{}"), subject_, period);
      break;
    case v1::DAYS_SINCE_LATEST:
      if (latest == nullptr) {
        out.explanation = fmt::format(FMT_COMPILE("no {}{}"), subject_, period);
        break;
      }
      if (latest_key == 0) {
        // Only reachable without a window: facts of unknown date.
        out.explanation = fmt::format(
            FMT_COMPILE("{} {}{}, none with a known date"), count, subject, period);
        break;
      }
      {
        const std::int64_t days =
            *DaysBetween(latest->fact.occurred_at(), ctx.as_of);
        out.value.set_number(static_cast<double>(days));
        out.evidence_facts.push_back(index_of(*latest));
        out.explanation = fmt::format(
            FMT_COMPILE("{} days since the latest of {} {} ({}){}"), days, count, subject,
            FormatDate(latest->fact.occurred_at()), period);
      }
      break;
    case v1::LATEST_ATTRIBUTE:
      if (latest == nullptr) {
        out.explanation = fmt::format(FMT_COMPILE("no {} with {}{}"), subject_,
                                      rule_.attribute(), period);
        break;
      }
      {
        const std::string& text =
            latest->fact.attributes().at(rule_.attribute());
        out.value.set_text(text);
        out.explanation = fmt::format(
            FMT_COMPILE("{} {} on the latest {} ({}){}"), rule_.attribute(), text,
            subject_singular_, FormatDate(latest->fact.occurred_at()), period);
      }
      out.evidence_facts.push_back(index_of(*latest));
      break;
    default:
      return absl::InvalidArgumentError(
          fmt::format("rule '{}' has no aggregate", rule_.name()));
  }
  return out;
}

}  // namespace credit
