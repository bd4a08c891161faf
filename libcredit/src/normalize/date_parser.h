// Parses the date forms agencies write into a (possibly partial) v1::Date.
//
// Accepted: 2023-05-01, 2023/5/1, 2023.05.01, 20230501, 2023年5月1日,
// partial dates 2023, 2023-05, 2023年5月 (kept partial, never invented), an
// ISO timestamp's date part (2023-05-01T10:00:00), and, when
// `excel_serial` is set, Excel serial day numbers (1900 date system).
// Thread-safe: pure functions.
#ifndef CREDIT_NORMALIZE_DATE_PARSER_H_
#define CREDIT_NORMALIZE_DATE_PARSER_H_

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "credit/v1/common.pb.h"

namespace credit {

struct DateParseOptions {
  // Read a bare number of up to 5 digits as an Excel serial day number
  // (1 = 1900-01-01, with Excel's 1900 leap-year bug honoured). Default false.
  bool excel_serial = false;
};

// Returns the date written in `text` (surrounding spaces and full-width
// digits allowed), or InvalidArgumentError naming the text and what is wrong
// ("date '2023-02-30': day 30 does not exist in 2023-02").
absl::StatusOr<v1::Date> ParseDate(std::string_view text,
                                   const DateParseOptions& options = {});

// Returns "YYYY-MM-DD", "YYYY-MM" or "YYYY" for a full or partial date, "" for
// an empty one.
std::string FormatDate(const v1::Date& date);

// Returns true when `date` is a complete, real calendar date.
bool IsCompleteDate(const v1::Date& date);

// Returns the number of days from 1970-01-01 to complete `date`
// (negative before). REQUIRES: IsCompleteDate(date).
int64_t DaysSinceEpoch(const v1::Date& date);

// Returns the date `days` after 1970-01-01.
v1::Date DateFromDaysSinceEpoch(int64_t days);

}  // namespace credit

#endif  // CREDIT_NORMALIZE_DATE_PARSER_H_
