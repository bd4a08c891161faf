// Parses the date forms agencies write into a (possibly partial) v1::Date.
//
// The public part (DateParseOptions, ParseDate, FormatDate, IsCompleteDate)
// is declared in credit/normalize.h; this header adds the day arithmetic the
// rest of the library uses.
// Accepted: 2023-05-01, 2023/5/1, 2023.05.01, 20230501, 2023年5月1日,
// partial dates 2023, 2023-05, 2023年5月 (kept partial, never invented), an
// ISO timestamp's date part (2023-05-01T10:00:00), and, when
// `excel_serial` is set, Excel serial day numbers (1900 date system).
// Thread-safe: pure functions.
#ifndef CREDIT_NORMALIZE_DATE_PARSER_H_
#define CREDIT_NORMALIZE_DATE_PARSER_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "credit/normalize.h"
#include "credit/v1/common.pb.h"

namespace credit {

// Returns the number of days from 1970-01-01 to complete `date`
// (negative before). REQUIRES: IsCompleteDate(date).
int64_t DaysSinceEpoch(const v1::Date& date);

// Returns the date `days` after 1970-01-01.
v1::Date DateFromDaysSinceEpoch(int64_t days);

}  // namespace credit

#endif  // CREDIT_NORMALIZE_DATE_PARSER_H_
