// EntityView, IndicatorInputs and the fact semantics shared by every
// indicator (credit/indicator.h).
#include <cstdint>
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
    : entity_(entity), facts_(std::move(facts)) {}

std::string_view EntityView::ProfileValue(std::string_view attribute) const {
  for (const v1::ProfileAttribute& a : entity_.profile().attributes()) {
    if (a.name() == attribute && a.values_size() > 0) {
      return a.values(0).value();
    }
  }
  return {};
}

bool FactCounts(const v1::Fact& fact, const v1::Date& as_of) {
  if (fact.status() == v1::Fact::DISPUTED ||
      fact.status() == v1::Fact::REPAIRED) {
    return false;
  }
  const std::int32_t as_of_key = FirstDayKey(as_of);
  // A fact may have happened within a partial date's period: only a period
  // that starts after as_of is certainly in the future.
  if (FirstDayKey(fact.occurred_at()) > as_of_key) return false;
  const std::int32_t until = LastDayKey(fact.publish_until());
  if (until != 0 && until < as_of_key) return false;
  return true;
}

std::optional<std::int64_t> DaysBetween(const v1::Date& from,
                                        const v1::Date& to) {
  if (from.year() <= 0 || to.year() <= 0) return std::nullopt;
  return DaysSinceEpoch(FirstDay(to)) - DaysSinceEpoch(FirstDay(from));
}

const v1::IndicatorResult* IndicatorInputs::Find(std::string_view name) const {
  for (const v1::IndicatorResult& r : results_) {
    if (r.name() == name) return &r;
  }
  return nullptr;
}

}  // namespace credit
