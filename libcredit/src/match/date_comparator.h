// Comparison levels for two (possibly partial) dates.
//
// Thread-safe: pure functions.
//
// Example:
//   credit::CompactDate a{1980, 3, 12}, b{1980, 12, 3};
//   credit::DateLevel level = credit::CompareDates(a, b);  // kDayMonthSwapped
#ifndef CREDIT_MATCH_DATE_COMPARATOR_H_
#define CREDIT_MATCH_DATE_COMPARATOR_H_

#include <cstdint>

#include "credit/v1/common.pb.h"

namespace credit {

// A date in 4 bytes; year 0 = unknown date, month/day 0 = unknown part.
struct CompactDate {
  std::int16_t year = 0;
  std::int8_t month = 0;
  std::int8_t day = 0;

  bool known() const { return year != 0; }
  bool complete() const { return year != 0 && month != 0 && day != 0; }
  friend bool operator==(const CompactDate&, const CompactDate&) = default;
};

// Returns the compact form of `date` (out-of-range parts become unknown).
CompactDate ToCompactDate(const v1::Date& date);

// The outcome of comparing two dates, tested in this order.
enum class DateLevel : std::uint8_t {
  kExact = 0,            // both complete and equal
  kDayMonthSwapped = 1,  // 1980-03-12 vs 1980-12-03
  kOneDigitOff = 2,      // YYYYMMDD forms differ in exactly one digit
  kSameYearMonth = 3,    // same year and month, another day
  kPartialAgrees = 4,    // one or both partial; every part known on both agrees
  kDifferent = 5,
  kMissing = 6,  // either date unknown
};

// Returns the level of `a` against `b` (symmetric).
DateLevel CompareDates(const CompactDate& a, const CompactDate& b);

}  // namespace credit

#endif  // CREDIT_MATCH_DATE_COMPARATOR_H_
