#include "match/date_comparator.h"

namespace credit {

CompactDate ToCompactDate(const v1::Date& date) {
  CompactDate out;
  if (date.year() < 1 || date.year() > 9999) return out;
  out.year = static_cast<std::int16_t>(date.year());
  if (date.month() >= 1 && date.month() <= 12) {
    out.month = static_cast<std::int8_t>(date.month());
    if (date.day() >= 1 && date.day() <= 31) {
      out.day = static_cast<std::int8_t>(date.day());
    }
  }
  return out;
}

namespace {

// Number of differing digits between the YYYYMMDD forms of two complete dates.
int DigitDifferences(const CompactDate& a, const CompactDate& b) {
  const int va = a.year * 10000 + a.month * 100 + a.day;
  const int vb = b.year * 10000 + b.month * 100 + b.day;
  int x = va, y = vb, diff = 0;
  for (int k = 0; k < 8; ++k) {
    diff += (x % 10) != (y % 10);
    x /= 10;
    y /= 10;
  }
  return diff;
}

}  // namespace

DateLevel CompareDates(const CompactDate& a, const CompactDate& b) {
  if (!a.known() || !b.known()) return DateLevel::kMissing;
  if (a.complete() && b.complete()) {
    if (a == b) return DateLevel::kExact;
    if (a.year == b.year && a.month == b.day && a.day == b.month) {
      return DateLevel::kDayMonthSwapped;
    }
    // One digit off needs all but one of year, month and day equal.
    const int parts_differing =
        (a.year != b.year) + (a.month != b.month) + (a.day != b.day);
    if (parts_differing == 1 && DigitDifferences(a, b) == 1) {
      return DateLevel::kOneDigitOff;
    }
    if (a.year == b.year && a.month == b.month)
      return DateLevel::kSameYearMonth;
    return DateLevel::kDifferent;
  }
  // At least one is partial: compare the parts both know.
  if (a.year != b.year) return DateLevel::kDifferent;
  if (a.month != 0 && b.month != 0 && a.month != b.month) {
    return DateLevel::kDifferent;
  }
  if (a.day != 0 && b.day != 0 && a.day != b.day) return DateLevel::kDifferent;
  return DateLevel::kPartialAgrees;
}

}  // namespace credit
