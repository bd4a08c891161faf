#include "normalize/date_parser.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "test_support.h"

namespace credit {
namespace {

using ::credit::testing::StatusIs;
using ::testing::HasSubstr;

struct DateCase {
  std::string text;
  std::string expected;  // FormatDate of the result
};

class ParseDateValidTest : public ::testing::TestWithParam<DateCase> {};

TEST_P(ParseDateValidTest, Parses) {
  auto date = ParseDate(GetParam().text);
  CREDIT_ASSERT_OK(date);
  EXPECT_EQ(FormatDate(*date), GetParam().expected);
}

INSTANTIATE_TEST_SUITE_P(
    Forms, ParseDateValidTest,
    ::testing::Values(DateCase{"2023-05-01", "2023-05-01"},
                      DateCase{"2023/5/1", "2023-05-01"},
                      DateCase{"20230501", "2023-05-01"},
                      DateCase{"2023年5月1日", "2023-05-01"},
                      DateCase{"2023年05月01号", "2023-05-01"},
                      DateCase{"2023.05.01", "2023-05-01"},
                      DateCase{" 2024-02-29 ", "2024-02-29"},
                      DateCase{"２０２３－０５－０１", "2023-05-01"},
                      DateCase{"2023-05-01T08:30:00Z", "2023-05-01"},
                      DateCase{"2023-05-01 08:30:00", "2023-05-01"},
                      DateCase{"2023", "2023"}, DateCase{"2023-05", "2023-05"},
                      DateCase{"2023年5月", "2023-05"},
                      DateCase{"202305", "2023-05"},
                      DateCase{"19491231", "1949-12-31"}));

TEST(ParseDateTest, RejectsImpossibleDates) {
  EXPECT_THAT(ParseDate("2023-02-29"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("day 29 does not exist in 2023-02")));
  EXPECT_THAT(ParseDate("2023-13-01"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("month 13")));
  EXPECT_THAT(ParseDate("2023-00-10"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("month 0")));
  EXPECT_THAT(ParseDate("2023-04-00"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("day 0")));
}

TEST(ParseDateTest, RejectsNonDates) {
  EXPECT_THAT(ParseDate(""), StatusIs(absl::StatusCode::kInvalidArgument,
                                      HasSubstr("empty")));
  EXPECT_THAT(ParseDate("yesterday"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("not a date")));
  EXPECT_THAT(ParseDate("01/05/2023"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("year must come first")));
  EXPECT_THAT(ParseDate("123"), StatusIs(absl::StatusCode::kInvalidArgument,
                                         HasSubstr("bare number")));
}

TEST(ParseDateTest, ExcelSerialOnlyWhenAsked) {
  DateParseOptions excel;
  excel.excel_serial = true;
  auto date = ParseDate("45047", excel);
  CREDIT_ASSERT_OK(date);
  EXPECT_EQ(FormatDate(*date), "2023-05-01");
  auto early = ParseDate("1", excel);
  CREDIT_ASSERT_OK(early);
  EXPECT_EQ(FormatDate(*early), "1900-01-01");
  auto march = ParseDate("61", excel);
  CREDIT_ASSERT_OK(march);
  EXPECT_EQ(FormatDate(*march), "1900-03-01");
  EXPECT_THAT(ParseDate("60", excel),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("1900-02-29")));
  EXPECT_THAT(ParseDate("45047"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("bare number")));
}

TEST(DateArithmeticTest, RoundTripsThroughDays) {
  for (int64_t days = -600000; days <= 2000000; days += 997) {
    v1::Date date = DateFromDaysSinceEpoch(days);
    ASSERT_TRUE(IsCompleteDate(date)) << days;
    ASSERT_EQ(DaysSinceEpoch(date), days);
  }
  v1::Date epoch = DateFromDaysSinceEpoch(0);
  EXPECT_EQ(FormatDate(epoch), "1970-01-01");
}

}  // namespace
}  // namespace credit
