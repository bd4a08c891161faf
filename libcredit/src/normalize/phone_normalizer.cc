// Phone numbers (NormalizePhone in credit/normalize.h).
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "credit/normalize.h"
#include "fmt/format.h"

namespace credit {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

// Mainland area codes with a two-digit body: 010 and 020-029.
bool IsShortAreaCode(std::string_view digits) {
  return StartsWith(digits, "010") ||
         (digits.size() >= 3 && digits[0] == '0' && digits[1] == '2');
}

}  // namespace

std::string Phone::Canonical() const {
  if (extension.empty()) return digits;
  return digits + ";ext=" + extension;
}

absl::StatusOr<Phone> NormalizePhone(std::string_view phone) {
  std::string folded = NormalizeText(phone);
  if (folded.empty()) return absl::InvalidArgumentError("phone is empty");
  // Split off an extension: "ext", "x", "转", "分机", "#".
  std::string_view main = folded;
  std::string extension;
  // Only digits and punctuation: no extension marker to look for.
  const bool plain = folded.find_first_not_of("0123456789+-() ./") ==
                     std::string::npos;
  for (std::string_view marker :
       {"extension", "ext", "分机", "转", "x", "#", "~"}) {
    if (plain) break;
    size_t at = folded.find(marker);
    if (at == std::string::npos || at == 0) continue;
    std::string tail = folded.substr(at + marker.size());
    std::string ext_digits;
    bool ok = true;
    for (char c : tail) {
      if (IsDigit(c)) {
        ext_digits.push_back(c);
      } else if (c != ' ' && c != '.' && c != ':' && c != '-') {
        ok = false;
      }
    }
    if (!ok || ext_digits.empty()) continue;
    main = std::string_view(folded).substr(0, at);
    extension = ext_digits;
    break;
  }
  bool plus = false;
  std::string digits;
  for (char c : main) {
    if (IsDigit(c)) {
      digits.push_back(c);
    } else if (c == '+' && digits.empty() && !plus) {
      plus = true;
    } else if (c == ' ' || c == '-' || c == '(' || c == ')' || c == '.' ||
               c == '/') {
      continue;
    } else {
      return absl::InvalidArgumentError(fmt::format(
          "phone '{}': character '{}' is not part of a phone number", phone,
          c));
    }
  }
  // A trailing "-123" after a complete landline is an extension too.
  if (extension.empty()) {
    size_t dash = main.rfind('-');
    if (dash != std::string::npos) {
      std::string after;
      for (char c : main.substr(dash + 1)) {
        if (IsDigit(c)) after.push_back(c);
      }
      std::string before = digits.substr(0, digits.size() - after.size());
      bool long_enough = (StartsWith(before, "0") && before.size() >= 10) ||
                         (StartsWith(before, "86") && before.size() >= 11);
      if (!after.empty() && after.size() <= 5 && long_enough) {
        extension = after;
        digits = before;
      }
    }
  }
  if (digits.empty()) {
    return absl::InvalidArgumentError(
        fmt::format("phone '{}': has no digits", phone));
  }
  if (digits.size() >= 5 &&
      digits.find_first_not_of(digits[0]) == std::string::npos) {
    // 00000000, 11111111111: a form's filler, not anybody's number.
    return absl::InvalidArgumentError(fmt::format(
        "phone '{}': a placeholder (every digit is {}), not a number", phone,
        digits[0]));
  }
  Phone result;
  result.extension = extension;
  // Country prefix.
  bool international = false;
  if (plus) {
    international = true;
  } else if (StartsWith(digits, "00")) {
    digits.erase(0, 2);
    international = true;
  }
  if (international) {
    if (StartsWith(digits, "86")) {
      digits.erase(0, 2);
    } else {
      if (digits.size() < 7 || digits.size() > 15) {
        return absl::InvalidArgumentError(fmt::format(
            "phone '{}': an international number has 7 to 15 digits after "
            "its {} prefix, this has {}",
            phone, plus ? "+" : "00", digits.size()));
      }
      result.digits = "+" + digits;
      result.kind = "international";
      return result;
    }
  } else if (StartsWith(digits, "86") && digits.size() == 13 &&
             digits[2] == '1') {
    digits.erase(0, 2);  // 8613812345678 written without +
  }
  if (digits.size() == 11 && digits[0] == '1') {
    if (digits[1] < '3') {
      return absl::InvalidArgumentError(fmt::format(
          "phone '{}': mainland mobile numbers start with 13-19, not {}",
          phone, digits.substr(0, 2)));
    }
    result.digits = digits;
    result.kind = "mobile";
    return result;
  }
  if ((StartsWith(digits, "400") || StartsWith(digits, "800")) &&
      digits.size() == 10) {
    result.digits = digits;
    result.kind = "service";
    return result;
  }
  // Landline: an area code without its trunk 0 after +86 gets it back.
  if (international && digits[0] != '0') digits.insert(0, "0");
  if (digits[0] == '0') {
    if (digits.size() > 1 && digits[1] == '0') {
      return absl::InvalidArgumentError(fmt::format(
          "phone '{}': mainland area codes do not start with 00 (010, 02x, "
          "03xx-09xx)",
          phone));
    }
    size_t area = IsShortAreaCode(digits) ? 3 : 4;
    if (digits.size() < area + 7 || digits.size() > area + 8) {
      return absl::InvalidArgumentError(fmt::format(
          "phone '{}': a landline with area code {} needs 7 or 8 more "
          "digits, has {}",
          phone, digits.substr(0, std::min(area, digits.size())),
          digits.size() > area ? digits.size() - area : 0));
    }
    result.digits = digits;
    result.kind = "landline";
    return result;
  }
  if (digits.size() == 7 || digits.size() == 8) {
    result.digits = digits;
    result.kind = "local";
    return result;
  }
  return absl::InvalidArgumentError(fmt::format(
      "phone '{}': {} digits is neither a mobile number (11 digits starting "
      "with 1), a landline (area code 0xx/0xxx + 7-8 digits) nor a local "
      "number (7-8 digits)",
      phone, digits.size()));
}

}  // namespace credit
