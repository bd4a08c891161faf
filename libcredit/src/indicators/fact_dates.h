// Date arithmetic for indicators: partial dates as comparable keys, and the
// start of a time window ending on an as-of date.
// Thread-safe: pure functions.
#ifndef CREDIT_INDICATORS_FACT_DATES_H_
#define CREDIT_INDICATORS_FACT_DATES_H_

#include <cstdint>
#include <string>

#include "credit/v1/common.pb.h"
#include "credit/v1/record.pb.h"

namespace credit::indicators_internal {

// Returns yyyymmdd of the first day `date` may stand for (unknown month or
// day read as 1), or 0 when the year is unknown. Keys order like dates.
// Inline: it runs for every fact of every rule.
inline std::int32_t FirstDayKey(const v1::Date& date) {
  if (date.year() <= 0) return 0;
  const std::int32_t month = date.month() > 0 ? date.month() : 1;
  const std::int32_t day = date.day() > 0 ? date.day() : 1;
  return date.year() * 10000 + month * 100 + day;
}
// Returns yyyymmdd of the last day `date` may stand for (unknown month read as
// December, unknown day as the month's last), or 0 when the year is unknown.
std::int32_t LastDayKey(const v1::Date& date);

// FactCounts (credit/indicator.h) with the as-of day as a FirstDayKey, for
// loops that check many facts against one day.
bool FactCountsOnDay(const v1::Fact& fact, std::int32_t as_of_key);

// Returns the number of days in `month` of `year`.
int DaysInMonth(int year, int month);

// Returns the date `months` months before `as_of`, the day clamped to the end
// of that month (2024-03-31 minus 1 month is 2024-02-29).
// REQUIRES: `as_of` is complete.
v1::Date MonthsBefore(const v1::Date& as_of, std::uint32_t months);
// Returns the date `days` days before `as_of`. REQUIRES: `as_of` is complete.
v1::Date DaysBefore(const v1::Date& as_of, std::uint32_t days);

// Returns the first day of `date` as a complete date. REQUIRES: year known.
v1::Date FirstDay(const v1::Date& date);

}  // namespace credit::indicators_internal

#endif  // CREDIT_INDICATORS_FACT_DATES_H_
