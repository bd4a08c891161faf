#include "match/date_comparator.h"

#include "gtest/gtest.h"

namespace credit {
namespace {

CompactDate D(int y, int m = 0, int d = 0) {
  v1::Date date;
  date.set_year(y);
  date.set_month(m);
  date.set_day(d);
  return ToCompactDate(date);
}

TEST(CompareDatesTest, Levels) {
  EXPECT_EQ(CompareDates(D(1980, 3, 12), D(1980, 3, 12)), DateLevel::kExact);
  EXPECT_EQ(CompareDates(D(1980, 3, 12), D(1980, 12, 3)),
            DateLevel::kDayMonthSwapped);
  EXPECT_EQ(CompareDates(D(1980, 3, 12), D(1981, 3, 12)),
            DateLevel::kOneDigitOff);
  EXPECT_EQ(CompareDates(D(1980, 3, 12), D(1980, 3, 13)),
            DateLevel::kOneDigitOff);
  EXPECT_EQ(CompareDates(D(1980, 3, 12), D(1980, 3, 25)),
            DateLevel::kSameYearMonth);
  EXPECT_EQ(CompareDates(D(1980, 3, 12), D(1975, 7, 30)),
            DateLevel::kDifferent);
  EXPECT_EQ(CompareDates(D(1980), D(1980, 3, 12)), DateLevel::kPartialAgrees);
  EXPECT_EQ(CompareDates(D(1980, 3), D(1980, 4, 12)), DateLevel::kDifferent);
  EXPECT_EQ(CompareDates(D(0), D(1980, 3, 12)), DateLevel::kMissing);
}

TEST(CompareDatesTest, Symmetric) {
  const CompactDate dates[] = {D(1980, 3, 12),
                               D(1980, 12, 3),
                               D(1981, 3, 12),
                               D(1980, 3, 25),
                               D(1980),
                               D(1980, 3),
                               D(0)};
  for (const auto& a : dates) {
    for (const auto& b : dates)
      EXPECT_EQ(CompareDates(a, b), CompareDates(b, a));
  }
}

TEST(ToCompactDateTest, OutOfRangePartsBecomeUnknown) {
  EXPECT_EQ(D(1980, 13, 5), D(1980));
  EXPECT_FALSE(D(0, 3, 5).known());
  EXPECT_TRUE(D(1980, 3, 5).complete());
}

}  // namespace
}  // namespace credit
