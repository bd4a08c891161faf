#include "normalize/date_parser.h"

#include <cstdint>
#include <string>
#include <vector>

#include "fmt/format.h"

namespace credit {
namespace {

bool IsLeapYear(int year) {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int DaysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30,
                                  31, 31, 30, 31, 30, 31};
  if (month == 2 && IsLeapYear(year)) return 29;
  return kDays[month - 1];
}

// Folds full-width digits (U+FF10..U+FF19) and the full-width separators we
// accept into ASCII, and trims spaces. Other bytes pass through unchanged.
std::string FoldDateText(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    // U+FF01..U+FF5E is EF BC 81..EF BD 9E in UTF-8.
    if (c == 0xEF && i + 2 < text.size()) {
      unsigned char c1 = static_cast<unsigned char>(text[i + 1]);
      unsigned char c2 = static_cast<unsigned char>(text[i + 2]);
      int code = -1;
      if (c1 == 0xBC && c2 >= 0x81 && c2 <= 0xBF) code = 0xFF00 + (c2 - 0x80);
      if (c1 == 0xBD && c2 >= 0x80 && c2 <= 0x9E) code = 0xFF40 + (c2 - 0x80);
      if (code >= 0xFF01 && code <= 0xFF5E) {
        out.push_back(static_cast<char>(code - 0xFF01 + 0x21));
        i += 2;
        continue;
      }
    }
    out.push_back(static_cast<char>(c));
  }
  size_t begin = out.find_first_not_of(" \t\r\n");
  if (begin == std::string::npos) return "";
  size_t end = out.find_last_not_of(" \t\r\n");
  return out.substr(begin, end - begin + 1);
}

absl::StatusOr<v1::Date> MakeDate(std::string_view original, int year,
                                  int month, int day) {
  if (year < 1 || year > 9999) {
    return absl::InvalidArgumentError(
        fmt::format("date '{}': year {} is out of range", original, year));
  }
  if (month < 0 || month > 12 || (month == 0 && day != 0)) {
    return absl::InvalidArgumentError(
        fmt::format("date '{}': month {} does not exist", original, month));
  }
  if (day < 0 || (month != 0 && day > DaysInMonth(year, month))) {
    return absl::InvalidArgumentError(fmt::format(
        "date '{}': day {} does not exist in {:04d}-{:02d}", original, day,
        year, month));
  }
  v1::Date date;
  date.set_year(year);
  date.set_month(month);
  date.set_day(day);
  return date;
}

// Splits `text` into runs of ASCII digits; `separators` receives what stood
// between them. Returns false when a character is neither a digit nor an
// accepted separator.
bool SplitDigitRuns(std::string_view text, std::vector<std::string>* runs,
                    std::vector<std::string>* separators) {
  std::string current;
  std::string separator;
  for (size_t i = 0; i < text.size();) {
    char c = text[i];
    if (c >= '0' && c <= '9') {
      if (current.empty() && !runs->empty()) separators->push_back(separator);
      separator.clear();
      current.push_back(c);
      ++i;
      continue;
    }
    if (!current.empty()) {
      runs->push_back(current);
      current.clear();
    }
    if (c == '-' || c == '/' || c == '.' || c == ' ') {
      separator.push_back(c);
      ++i;
      continue;
    }
    // 年 (E5 B9 B4), 月 (E6 9C 88), 日 (E6 97 A5), 号 (E5 8F B7)
    static constexpr std::string_view kCjk[] = {"年", "月", "日", "号"};
    bool matched = false;
    for (std::string_view cjk : kCjk) {
      if (text.substr(i, cjk.size()) == cjk) {
        separator.append(cjk);
        i += cjk.size();
        matched = true;
        break;
      }
    }
    if (!matched) return false;
  }
  if (!current.empty()) runs->push_back(current);
  return true;
}

}  // namespace

absl::StatusOr<v1::Date> ParseDate(std::string_view text,
                                   const DateParseOptions& options) {
  // Fast path for the canonical form YYYY-MM-DD, the most common by far.
  if (text.size() == 10 && text[4] == '-' && text[7] == '-') {
    auto digit = [&](size_t i) { return text[i] >= '0' && text[i] <= '9'; };
    if (digit(0) && digit(1) && digit(2) && digit(3) && digit(5) &&
        digit(6) && digit(8) && digit(9)) {
      auto num = [&](size_t i, size_t n) {
        int v = 0;
        for (size_t k = i; k < i + n; ++k) v = v * 10 + (text[k] - '0');
        return v;
      };
      int month = num(5, 2);
      int day = num(8, 2);
      if (month == 0) {
        return absl::InvalidArgumentError(
            fmt::format("date '{}': month 0 does not exist", text));
      }
      if (day == 0) {
        return absl::InvalidArgumentError(
            fmt::format("date '{}': day 0 does not exist", text));
      }
      return MakeDate(text, num(0, 4), month, day);
    }
  }
  std::string folded = FoldDateText(text);
  if (folded.empty()) {
    return absl::InvalidArgumentError("date is empty");
  }
  // An ISO timestamp: keep the date part.
  if (size_t t = folded.find('T'); t == 10) folded.resize(10);
  if (size_t space = folded.find(' ');
      space != std::string::npos && space >= 8 &&
      folded.find(':', space) != std::string::npos) {
    folded.resize(space);
  }

  std::vector<std::string> runs;
  std::vector<std::string> separators;
  if (!SplitDigitRuns(folded, &runs, &separators) || runs.empty()) {
    return absl::InvalidArgumentError(fmt::format(
        "date '{}': not a date (expected forms like 2023-05-01, 2023/5/1, "
        "20230501 or 2023年5月1日)",
        text));
  }
  if (runs.size() > 3) {
    return absl::InvalidArgumentError(
        fmt::format("date '{}': too many numbers for a date", text));
  }
  if (runs.size() == 1) {
    const std::string& digits = runs[0];
    if (digits.size() == 8) {
      return MakeDate(text, std::stoi(digits.substr(0, 4)),
                      std::stoi(digits.substr(4, 2)),
                      std::stoi(digits.substr(6, 2)));
    }
    if (digits.size() == 6 && !options.excel_serial) {
      return MakeDate(text, std::stoi(digits.substr(0, 4)),
                      std::stoi(digits.substr(4, 2)), 0);
    }
    if (options.excel_serial && digits.size() <= 5) {
      int serial = std::stoi(digits);
      if (serial < 1) {
        return absl::InvalidArgumentError(fmt::format(
            "date '{}': Excel serial day numbers start at 1", text));
      }
      // Excel counts 1900-02-29, which did not exist: serials from 61 on
      // are one day ahead. Serial 60 is that phantom day.
      if (serial == 60) {
        return absl::InvalidArgumentError(fmt::format(
            "date '{}': Excel serial 60 is 1900-02-29, which does not exist",
            text));
      }
      int64_t days_since_1899_12_31 = serial > 60 ? serial - 1 : serial;
      // 1899-12-31 is day -25568 relative to 1970-01-01.
      return DateFromDaysSinceEpoch(days_since_1899_12_31 - 25568);
    }
    if (digits.size() == 4) {
      return MakeDate(text, std::stoi(digits), 0, 0);
    }
    return absl::InvalidArgumentError(fmt::format(
        "date '{}': a bare number must be YYYY, YYYYMM or YYYYMMDD{}", text,
        options.excel_serial ? " or an Excel serial day number" : ""));
  }
  if (runs[0].size() != 4) {
    return absl::InvalidArgumentError(fmt::format(
        "date '{}': the year must come first with four digits", text));
  }
  for (size_t i = 1; i < runs.size(); ++i) {
    if (runs[i].size() > 2) {
      return absl::InvalidArgumentError(fmt::format(
          "date '{}': month and day must have one or two digits", text));
    }
  }
  int year = std::stoi(runs[0]);
  int month = std::stoi(runs[1]);
  int day = runs.size() == 3 ? std::stoi(runs[2]) : 0;
  if (month == 0) {
    return absl::InvalidArgumentError(
        fmt::format("date '{}': month 0 does not exist", text));
  }
  if (runs.size() == 3 && day == 0) {
    return absl::InvalidArgumentError(
        fmt::format("date '{}': day 0 does not exist", text));
  }
  return MakeDate(text, year, month, day);
}

std::string FormatDate(const v1::Date& date) {
  if (date.year() == 0) return "";
  const bool in_range = date.year() >= 1 && date.year() <= 9999 &&
                        date.month() >= 0 && date.month() <= 12 &&
                        date.day() >= 0 && date.day() <= 31;
  if (in_range) {
    // Hand-formatted: on the ingest hot path fmt::format cost more than the
    // rest of a date's normalization.
    char buffer[10];
    auto put = [&buffer](int offset, int value, int digits) {
      for (int i = digits - 1; i >= 0; --i) {
        buffer[offset + i] = static_cast<char>('0' + value % 10);
        value /= 10;
      }
    };
    put(0, date.year(), 4);
    if (date.month() == 0) return std::string(buffer, 4);
    buffer[4] = '-';
    put(5, date.month(), 2);
    if (date.day() == 0) return std::string(buffer, 7);
    buffer[7] = '-';
    put(8, date.day(), 2);
    return std::string(buffer, 10);
  }
  if (date.month() == 0) return fmt::format("{:04d}", date.year());
  if (date.day() == 0) {
    return fmt::format("{:04d}-{:02d}", date.year(), date.month());
  }
  return fmt::format("{:04d}-{:02d}-{:02d}", date.year(), date.month(),
                     date.day());
}

bool IsCompleteDate(const v1::Date& date) {
  return date.year() >= 1 && date.year() <= 9999 && date.month() >= 1 &&
         date.month() <= 12 && date.day() >= 1 &&
         date.day() <= DaysInMonth(date.year(), date.month());
}

// Howard Hinnant's days_from_civil / civil_from_days.
int64_t DaysSinceEpoch(const v1::Date& date) {
  int64_t y = date.year();
  const unsigned m = static_cast<unsigned>(date.month());
  const unsigned d = static_cast<unsigned>(date.day());
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

v1::Date DateFromDaysSinceEpoch(int64_t days) {
  days += 719468;
  const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(days - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t y = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  v1::Date date;
  date.set_year(static_cast<int32_t>(y + (m <= 2)));
  date.set_month(static_cast<int32_t>(m));
  date.set_day(static_cast<int32_t>(d));
  return date;
}

}  // namespace credit
