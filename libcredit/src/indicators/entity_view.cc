// EntityView, IndicatorInputs and the fact semantics shared by every
// indicator (credit/indicator.h).
#include <algorithm>
#include <cstdint>
#include <span>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "credit/indicator.h"
#include "indicators/fact_dates.h"
#include "normalize/date_parser.h"

namespace credit {

using indicators_internal::FirstDay;
using indicators_internal::FirstDayKey;
using indicators_internal::LastDayKey;

EntityView::EntityView(const v1::Entity& entity, std::vector<EntityFact> facts)
    : entity_(entity), facts_(std::move(facts)) {
  for (std::size_t i = 0; i < facts_.size(); ++i) {
    const std::string& kind = facts_[i].fact.kind();
    auto it = std::find_if(by_kind_.begin(), by_kind_.end(),
                           [&kind](const auto& e) { return e.first == kind; });
    if (it == by_kind_.end()) {
      by_kind_.emplace_back(kind, std::vector<std::uint32_t>());
      it = by_kind_.end() - 1;
    }
    it->second.push_back(static_cast<std::uint32_t>(i));
  }
  std::sort(by_kind_.begin(), by_kind_.end());
}

std::span<const std::uint32_t> EntityView::FactsOfKind(
    std::string_view kind) const {
  auto it = std::lower_bound(
      by_kind_.begin(), by_kind_.end(), kind,
      [](const auto& e, std::string_view k) { return e.first < k; });
  if (it == by_kind_.end() || it->first != kind) return {};
  return it->second;
}

std::string_view EntityView::ProfileValue(std::string_view attribute) const {
  for (const v1::ProfileAttribute& a : entity_.profile().attributes()) {
    if (a.name() == attribute && a.values_size() > 0) {
      return a.values(0).value();
    }
  }
  return {};
}

bool FactCounts(const v1::Fact& fact, const v1::Date& as_of) {
  return indicators_internal::FactCountsOnDay(fact, FirstDayKey(as_of));
}

namespace indicators_internal {

bool FactCountsOnDay(const v1::Fact& fact, std::int32_t as_of_key) {
  if (fact.status() == v1::Fact::DISPUTED ||
      fact.status() == v1::Fact::REPAIRED) {
    return false;
  }
  // A fact may have happened within a partial date's period: only a period
  // that starts after as_of is certainly in the future.
  if (FirstDayKey(fact.occurred_at()) > as_of_key) return false;
  const std::int32_t until = LastDayKey(fact.publish_until());
  if (until != 0 && until < as_of_key) return false;
  return true;
}

}  // namespace indicators_internal

std::optional<std::int64_t> DaysBetween(const v1::Date& from,
                                        const v1::Date& to) {
  if (from.year() <= 0 || to.year() <= 0) return std::nullopt;
  return DaysSinceEpoch(FirstDay(to)) - DaysSinceEpoch(FirstDay(from));
}

const v1::IndicatorResult* IndicatorInputs::Find(std::string_view name) const {
  for (const v1::IndicatorResult& r : results_) {
    if (r.name() == name) return &r;
  }
  for (const v1::IndicatorResult* r : pointers_) {
    if (r->name() == name) return r;
  }
  return nullptr;
}

const std::vector<std::uint32_t>* IndicatorInputs::FindEvidenceFacts(
    std::string_view name) const {
  for (std::size_t i = 0; i < pointers_.size() && i < evidence_facts_.size();
       ++i) {
    if (pointers_[i]->name() == name) {
      return evidence_facts_[i].has_value() ? &*evidence_facts_[i] : nullptr;
    }
  }
  return nullptr;
}

}  // namespace credit
