// Fuzz target: ParseDate. A parsed date formats to text that parses back to
// the same date.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "credit/normalize.h"
#include "fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  for (bool excel : {false, true}) {
    credit::DateParseOptions options;
    options.excel_serial = excel;
    auto date = credit::ParseDate(input, options);
    if (!date.ok()) continue;
    FUZZ_CHECK(date->year() >= 1 && date->year() <= 9999);
    FUZZ_CHECK(date->month() >= 0 && date->month() <= 12);
    FUZZ_CHECK(date->day() >= 0 && date->day() <= 31);
    auto again = credit::ParseDate(credit::FormatDate(*date));
    FUZZ_CHECK(again.ok());
    FUZZ_CHECK(again->year() == date->year() &&
               again->month() == date->month() && again->day() == date->day());
  }
  return 0;
}
