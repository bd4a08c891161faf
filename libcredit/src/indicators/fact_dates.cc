#include "indicators/fact_dates.h"

#include <algorithm>
#include <cstdint>

#include "normalize/date_parser.h"

namespace credit::indicators_internal {

int DaysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30,
                                  31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12) return 31;
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  if (month == 2 && leap) return 29;
  return kDays[month - 1];
}

std::int32_t LastDayKey(const v1::Date& date) {
  if (date.year() <= 0) return 0;
  const int month = date.month() > 0 ? date.month() : 12;
  const int day =
      date.day() > 0 ? date.day() : DaysInMonth(date.year(), month);
  return date.year() * 10000 + month * 100 + day;
}

v1::Date MonthsBefore(const v1::Date& as_of, std::uint32_t months) {
  const std::int64_t total =
      static_cast<std::int64_t>(as_of.year()) * 12 + (as_of.month() - 1) -
      static_cast<std::int64_t>(months);
  // Floor division so that windows reaching before year 0 stay ordered.
  const std::int64_t year = total >= 0 ? total / 12 : (total - 11) / 12;
  const int month = static_cast<int>(total - year * 12) + 1;
  v1::Date start;
  start.set_year(static_cast<std::int32_t>(year));
  start.set_month(month);
  start.set_day(
      std::min(as_of.day(), DaysInMonth(static_cast<int>(year), month)));
  return start;
}

v1::Date DaysBefore(const v1::Date& as_of, std::uint32_t days) {
  return DateFromDaysSinceEpoch(DaysSinceEpoch(as_of) -
                                static_cast<std::int64_t>(days));
}

v1::Date FirstDay(const v1::Date& date) {
  v1::Date first;
  first.set_year(date.year());
  first.set_month(std::max(date.month(), 1));
  first.set_day(std::max(date.day(), 1));
  return first;
}

}  // namespace credit::indicators_internal
