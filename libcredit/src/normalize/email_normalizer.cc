// Email addresses (NormalizeEmail in credit/normalize.h).
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "credit/normalize.h"
#include "fmt/format.h"

namespace credit {
namespace {

bool IsAlnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

bool IsLocalChar(char c) {
  if (IsAlnum(c)) return true;
  static constexpr std::string_view kAllowed = "!#$%&'*+-/=?^_`{|}~.";
  return kAllowed.find(c) != std::string_view::npos;
}

}  // namespace

absl::StatusOr<std::string> NormalizeEmail(std::string_view email) {
  std::string e = NormalizeText(email);  // NFKC folds ＠ and full-width forms
  if (e.empty()) return absl::InvalidArgumentError("email is empty");
  if (e.find(' ') != std::string::npos) {
    return absl::InvalidArgumentError(
        fmt::format("email '{}': contains a space", email));
  }
  size_t at = e.find('@');
  if (at == std::string::npos) {
    return absl::InvalidArgumentError(
        fmt::format("email '{}': has no '@'", email));
  }
  if (e.find('@', at + 1) != std::string::npos) {
    return absl::InvalidArgumentError(
        fmt::format("email '{}': has more than one '@'", email));
  }
  std::string_view local = std::string_view(e).substr(0, at);
  std::string_view domain = std::string_view(e).substr(at + 1);
  if (local.empty()) {
    return absl::InvalidArgumentError(
        fmt::format("email '{}': nothing before the '@'", email));
  }
  if (local.size() > 64) {
    return absl::InvalidArgumentError(fmt::format(
        "email '{}': the part before '@' has {} characters, at most 64",
        email, local.size()));
  }
  for (char c : local) {
    if (!IsLocalChar(c)) {
      return absl::InvalidArgumentError(fmt::format(
          "email '{}': character '{}' is not allowed before the '@'", email,
          c));
    }
  }
  if (local.front() == '.' || local.back() == '.' ||
      local.find("..") != std::string_view::npos) {
    return absl::InvalidArgumentError(fmt::format(
        "email '{}': dots before the '@' may not lead, trail or repeat",
        email));
  }
  if (domain.empty()) {
    return absl::InvalidArgumentError(
        fmt::format("email '{}': nothing after the '@'", email));
  }
  if (domain.size() > 253) {
    return absl::InvalidArgumentError(
        fmt::format("email '{}': the domain is longer than 253 characters",
                    email));
  }
  if (domain.find('.') == std::string_view::npos) {
    return absl::InvalidArgumentError(fmt::format(
        "email '{}': domain '{}' has no dot", email, domain));
  }
  size_t start = 0;
  std::string_view last_label;
  while (start <= domain.size()) {
    size_t dot = domain.find('.', start);
    std::string_view label = domain.substr(
        start, dot == std::string_view::npos ? std::string_view::npos
                                             : dot - start);
    if (label.empty() || label.size() > 63) {
      return absl::InvalidArgumentError(fmt::format(
          "email '{}': domain '{}' has an empty or over-long label", email,
          domain));
    }
    for (char c : label) {
      if (!IsAlnum(c) && c != '-') {
        return absl::InvalidArgumentError(fmt::format(
            "email '{}': character '{}' is not allowed in the domain", email,
            c));
      }
    }
    if (label.front() == '-' || label.back() == '-') {
      return absl::InvalidArgumentError(fmt::format(
          "email '{}': domain label '{}' may not start or end with '-'",
          email, label));
    }
    last_label = label;
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  bool letters = last_label.size() >= 2;
  for (char c : last_label) {
    if (!(c >= 'a' && c <= 'z')) letters = false;
  }
  if (!letters) {
    return absl::InvalidArgumentError(fmt::format(
        "email '{}': top-level domain '{}' must be two or more letters", email,
        last_label));
  }
  return e;
}

}  // namespace credit
