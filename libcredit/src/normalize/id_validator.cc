// Identifier validators declared in credit/normalize.h: USCC, resident
// identity number, organisation code, registration number, unchecked schemes.
#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "credit/normalize.h"
#include "fmt/format.h"
#include "normalize/date_parser.h"
#include "normalize/text_normalizer.h"

namespace credit {
namespace {

constexpr std::string_view kUsccAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
constexpr int kUsccWeights[17] = {1,  3,  9,  27, 19, 26, 16, 17, 20,
                                  29, 25, 13, 8,  24, 10, 30, 28};
constexpr int kResidentWeights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6,
                                      3, 7, 9, 10, 5, 8, 4, 2};
constexpr char kResidentCheck[11] = {'1', '0', 'X', '9', '8', '7',
                                     '6', '5', '4', '3', '2'};
constexpr int kOrgCodeWeights[8] = {3, 7, 9, 10, 5, 8, 4, 2};

// Folds full-width ASCII (U+FF01..U+FF5E) and the ideographic space, drops
// spaces and the separators in `drop`, upper-cases letters. Other non-ASCII
// code points are kept (and later rejected by the scheme's alphabet).
std::string Canonicalize(std::string_view value, std::string_view drop) {
  std::string out;
  if (normalize_internal::IsAscii(value)) {
    out.resize(value.size());
    size_t n = 0;
    for (char c : value) {
      if (c == ' ' || c == '\t' || c == '\r' || c == '\n' ||
          drop.find(c) != std::string_view::npos) {
        continue;
      }
      out[n++] = (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
    }
    out.resize(n);
    return out;
  }
  out.reserve(value.size());
  for (size_t pos = 0; pos < value.size();) {
    UChar32 c = normalize_internal::NextCodePoint(value, &pos);
    if (c >= 0xFF01 && c <= 0xFF5E) c = c - 0xFF01 + 0x21;
    if (c == 0x3000 || c == 0x00A0) c = ' ';
    if (c == 0x2010 || c == 0x2011 || c == 0x2012 || c == 0x2013 ||
        c == 0x2014 || c == 0x2212) {
      c = '-';  // dashes typed as hyphens
    }
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') continue;
    if (c < 0x80 && drop.find(static_cast<char>(c)) != std::string_view::npos) {
      continue;
    }
    if (c >= 'a' && c <= 'z') c = c - 'a' + 'A';
    normalize_internal::AppendCodePoint(c, &out);
  }
  return out;
}

size_t CodePointCount(std::string_view text) {
  size_t count = 0;
  for (size_t pos = 0; pos < text.size();) {
    normalize_internal::NextCodePoint(text, &pos);
    ++count;
  }
  return count;
}

// Describes the character at byte `index` of ASCII-checked `value`.
std::string CharAt(std::string_view value, size_t index) {
  size_t pos = index;
  size_t start = pos;
  normalize_internal::NextCodePoint(value, &pos);
  return std::string(value.substr(start, pos - start));
}

// Returns the index of the first non-ASCII byte, or npos.
size_t FirstNonAscii(std::string_view value) {
  for (size_t i = 0; i < value.size(); ++i) {
    if (static_cast<unsigned char>(value[i]) >= 0x80) return i;
  }
  return std::string_view::npos;
}

absl::Status LengthError(std::string_view scheme, std::string_view value,
                         std::string_view expected) {
  return absl::InvalidArgumentError(
      fmt::format("{} {}: must have {}, has {}", scheme, value, expected,
                  CodePointCount(value)));
}

absl::Status EmptyError(std::string_view scheme) {
  return absl::InvalidArgumentError(fmt::format("{} is empty", scheme));
}

// One character repeated ("000000000000000000", "XXXXXXXXX") is what forms
// hold when the real identifier is unknown. All zeros even passes the USCC
// and organisation-code checksums, so without this rule every placeholder
// would be "the same verified identifier" and merge unrelated subjects.
bool IsPlaceholder(std::string_view v) {
  return v.size() >= 3 &&
         v.find_first_not_of(v.front()) == std::string_view::npos;
}

absl::Status PlaceholderError(std::string_view scheme, std::string_view v) {
  return absl::InvalidArgumentError(fmt::format(
      "{} {}: a placeholder (every character is '{}'), not an identifier",
      scheme, v, v.front()));
}

// Computes the organisation-code check character of the 8 characters at
// `code`, or '\0' when one of them is not 0-9 / A-Z.
char OrgCodeCheck(std::string_view code) {
  int sum = 0;
  for (int i = 0; i < 8; ++i) {
    char c = code[i];
    int v;
    if (c >= '0' && c <= '9') {
      v = c - '0';
    } else if (c >= 'A' && c <= 'Z') {
      v = c - 'A' + 10;
    } else {
      return '\0';
    }
    sum += v * kOrgCodeWeights[i];
  }
  int check = 11 - sum % 11;
  if (check == 10) return 'X';
  if (check == 11) return '0';
  return static_cast<char>('0' + check);
}

absl::Status CheckError(std::string_view scheme, std::string_view value,
                        char found, char expected) {
  return absl::InvalidArgumentError(
      fmt::format("{} {}: check character is '{}', expected '{}'", scheme,
                  value, found, expected));
}

// Accepts a failed check as legacy-unverified when the options allow it.
absl::StatusOr<IdValidation> CheckFailed(std::string_view scheme,
                                         IdValidation result, char found,
                                         char expected,
                                         const IdValidationOptions& options) {
  absl::Status error = CheckError(scheme, result.normalized, found, expected);
  if (!options.accept_unverified) return error;
  result.checksum_verified = false;
  result.reason =
      fmt::format("legacy, unverified: {}", std::string(error.message()));
  return result;
}

bool IsProvinceCode(int code) {
  switch (code) {
    case 11: case 12: case 13: case 14: case 15:
    case 21: case 22: case 23:
    case 31: case 32: case 33: case 34: case 35: case 36: case 37:
    case 41: case 42: case 43: case 44: case 45: case 46:
    case 50: case 51: case 52: case 53: case 54:
    case 61: case 62: case 63: case 64: case 65:
    case 71: case 81: case 82: case 83:
      return true;
    default:
      return false;
  }
}

v1::Date Today(const IdValidationOptions& options) {
  absl::Time now =
      options.now == absl::InfinitePast() ? absl::Now() : options.now;
  absl::CivilDay day = absl::ToCivilDay(now, absl::UTCTimeZone());
  v1::Date date;
  date.set_year(static_cast<int32_t>(day.year()));
  date.set_month(day.month());
  date.set_day(day.day());
  return date;
}

bool After(const v1::Date& a, const v1::Date& b) {
  if (a.year() != b.year()) return a.year() > b.year();
  if (a.month() != b.month()) return a.month() > b.month();
  return a.day() > b.day();
}

}  // namespace

std::string_view IdSchemeName(v1::Feature::IdScheme scheme) {
  switch (scheme) {
    case v1::Feature::USCC:
      return "USCC";
    case v1::Feature::RESIDENT_ID:
      return "resident id";
    case v1::Feature::ORG_CODE:
      return "organisation code";
    case v1::Feature::REG_NO:
      return "registration number";
    case v1::Feature::PASSPORT:
      return "passport";
    case v1::Feature::TAX_ID:
      return "tax id";
    case v1::Feature::OTHER:
      return "identifier";
    default:
      return "identifier";
  }
}

absl::StatusOr<IdValidation> ValidateUscc(std::string_view value,
                                          const IdValidationOptions& options) {
  constexpr std::string_view kScheme = "USCC";
  IdValidation result;
  result.normalized = Canonicalize(value, "-");
  const std::string& v = result.normalized;
  if (v.empty()) return EmptyError(kScheme);
  if (IsPlaceholder(v)) return PlaceholderError(kScheme, v);
  if (size_t bad = FirstNonAscii(v); bad != std::string::npos) {
    return absl::InvalidArgumentError(fmt::format(
        "{} {}: character '{}' is not allowed (USCC uses 0-9 and A-Z "
        "without I, O, S, V, Z)",
        kScheme, v, CharAt(v, bad)));
  }
  if (v.size() != 18) return LengthError(kScheme, v, "18 characters");
  // Character → value table (-1: not in the alphabet), built once.
  static const auto* kValue = [] {
    auto* table = new std::array<int8_t, 256>;
    table->fill(-1);
    for (size_t i = 0; i < kUsccAlphabet.size(); ++i) {
      (*table)[static_cast<unsigned char>(kUsccAlphabet[i])] =
          static_cast<int8_t>(i);
    }
    return table;
  }();
  int sum = 0;
  for (size_t i = 0; i < 18; ++i) {
    int index = (*kValue)[static_cast<unsigned char>(v[i])];
    if (index < 0) {
      return absl::InvalidArgumentError(fmt::format(
          "{} {}: character '{}' at position {} is not allowed (USCC uses "
          "0-9 and A-Z without I, O, S, V, Z)",
          kScheme, v, v[i], i + 1));
    }
    if (i >= 2 && i < 8 && (v[i] < '0' || v[i] > '9')) {
      return absl::InvalidArgumentError(fmt::format(
          "{} {}: positions 3-8 are the administrative division code and "
          "must be digits, position {} is '{}'",
          kScheme, v, i + 1, v[i]));
    }
    if (i < 17) sum += index * kUsccWeights[i];
  }
  result.org_code = v.substr(8, 9);
  char org_check = OrgCodeCheck(result.org_code);
  result.org_code_verified = org_check != '\0' && org_check == v[16];
  char expected = kUsccAlphabet[(31 - sum % 31) % 31];
  result.checksum_verified = true;
  if (v[17] != expected) {
    return CheckFailed(kScheme, std::move(result), v[17], expected, options);
  }
  return result;
}

absl::StatusOr<IdValidation> ValidateResidentId(
    std::string_view value, const IdValidationOptions& options) {
  constexpr std::string_view kScheme = "resident id";
  std::string v = Canonicalize(value, "-");
  if (v.empty()) return EmptyError(kScheme);
  if (IsPlaceholder(v)) return PlaceholderError(kScheme, v);
  if (size_t bad = FirstNonAscii(v); bad != std::string::npos) {
    return absl::InvalidArgumentError(
        fmt::format("{} {}: character '{}' is not allowed (digits and a final "
                    "X only)",
                    kScheme, v, CharAt(v, bad)));
  }
  if (v.size() != 18 && v.size() != 15) {
    return LengthError(kScheme, v, "18 characters (or 15 digits)");
  }
  const size_t digits = v.size() == 18 ? 17 : 15;
  for (size_t i = 0; i < digits; ++i) {
    if (v[i] < '0' || v[i] > '9') {
      return absl::InvalidArgumentError(
          fmt::format("{} {}: character '{}' at position {} must be a digit",
                      kScheme, v, v[i], i + 1));
    }
  }
  if (v.size() == 18 && !(v[17] >= '0' && v[17] <= '9') && v[17] != 'X') {
    return absl::InvalidArgumentError(fmt::format(
        "{} {}: the check character must be a digit or X, is '{}'", kScheme, v,
        v[17]));
  }
  int province = (v[0] - '0') * 10 + (v[1] - '0');
  if (!IsProvinceCode(province)) {
    return absl::InvalidArgumentError(fmt::format(
        "{} {}: the first two digits {:02d} are not a province code", kScheme,
        v, province));
  }
  IdValidation result;
  if (v.size() == 15) {
    // Upgrade: the century goes before the 6-digit date (18 for the
    // centenarian sequence numbers 996-999), then the check is computed.
    std::string_view sequence = std::string_view(v).substr(12, 3);
    bool centenarian = sequence >= "996";
    std::string upgraded = v.substr(0, 6) + (centenarian ? "18" : "19") +
                           v.substr(6, 9);
    int sum = 0;
    for (int i = 0; i < 17; ++i) sum += (upgraded[i] - '0') * kResidentWeights[i];
    upgraded.push_back(kResidentCheck[sum % 11]);
    result.upgraded = true;
    v = std::move(upgraded);
  }
  result.normalized = v;
  std::string_view birth = std::string_view(v).substr(6, 8);
  v1::Date dob;
  dob.set_year((birth[0] - '0') * 1000 + (birth[1] - '0') * 100 +
               (birth[2] - '0') * 10 + (birth[3] - '0'));
  dob.set_month((birth[4] - '0') * 10 + (birth[5] - '0'));
  dob.set_day((birth[6] - '0') * 10 + (birth[7] - '0'));
  if (!IsCompleteDate(dob)) {
    return absl::InvalidArgumentError(fmt::format(
        "{} {}: birth date {} (positions 7-14) is not a real date", kScheme, v,
        birth));
  }
  if (dob.year() < 1800) {
    return absl::InvalidArgumentError(fmt::format(
        "{} {}: birth year {} is before 1800", kScheme, v, dob.year()));
  }
  if (After(dob, Today(options))) {
    return absl::InvalidArgumentError(fmt::format(
        "{} {}: birth date {} is in the future", kScheme, v, FormatDate(dob)));
  }
  result.birth_date = dob;
  result.sex = ((v[16] - '0') % 2 == 1) ? "M" : "F";
  result.holder = province == 81   ? "hong_kong"
                  : province == 82 ? "macau"
                  : province == 83 ? "taiwan"
                                   : "mainland";
  int sum = 0;
  for (int i = 0; i < 17; ++i) sum += (v[i] - '0') * kResidentWeights[i];
  char expected = kResidentCheck[sum % 11];
  result.checksum_verified = true;
  if (v[17] != expected) {
    return CheckFailed(kScheme, std::move(result), v[17], expected, options);
  }
  return result;
}

absl::StatusOr<IdValidation> ValidateOrgCode(
    std::string_view value, const IdValidationOptions& options) {
  constexpr std::string_view kScheme = "organisation code";
  IdValidation result;
  result.normalized = Canonicalize(value, "-");
  const std::string& v = result.normalized;
  if (v.empty()) return EmptyError(kScheme);
  if (IsPlaceholder(v)) return PlaceholderError(kScheme, v);
  if (size_t bad = FirstNonAscii(v); bad != std::string::npos) {
    return absl::InvalidArgumentError(fmt::format(
        "{} {}: character '{}' is not allowed (0-9 and A-Z only)", kScheme, v,
        CharAt(v, bad)));
  }
  if (v.size() != 9) return LengthError(kScheme, v, "9 characters");
  for (size_t i = 0; i < 8; ++i) {
    char c = v[i];
    if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z'))) {
      return absl::InvalidArgumentError(fmt::format(
          "{} {}: character '{}' at position {} is not allowed (0-9 and A-Z "
          "only)",
          kScheme, v, c, i + 1));
    }
  }
  if (!((v[8] >= '0' && v[8] <= '9') || v[8] == 'X')) {
    return absl::InvalidArgumentError(fmt::format(
        "{} {}: the check character must be a digit or X, is '{}'", kScheme, v,
        v[8]));
  }
  result.org_code = v;
  char expected = OrgCodeCheck(v);
  result.checksum_verified = true;
  result.org_code_verified = true;
  if (v[8] != expected) {
    result.org_code_verified = false;
    return CheckFailed(kScheme, std::move(result), v[8], expected, options);
  }
  return result;
}

absl::StatusOr<IdValidation> ValidateRegNo(std::string_view value,
                                           const IdValidationOptions& options) {
  constexpr std::string_view kScheme = "registration number";
  IdValidation result;
  result.normalized = Canonicalize(value, "-");
  const std::string& v = result.normalized;
  if (v.empty()) return EmptyError(kScheme);
  if (IsPlaceholder(v)) return PlaceholderError(kScheme, v);
  if (size_t bad = FirstNonAscii(v); bad != std::string::npos) {
    return absl::InvalidArgumentError(
        fmt::format("{} {}: character '{}' is not allowed (digits only)",
                    kScheme, v, CharAt(v, bad)));
  }
  if (v.size() != 15) return LengthError(kScheme, v, "15 digits");
  for (size_t i = 0; i < 15; ++i) {
    if (v[i] < '0' || v[i] > '9') {
      return absl::InvalidArgumentError(
          fmt::format("{} {}: character '{}' at position {} must be a digit",
                      kScheme, v, v[i], i + 1));
    }
  }
  // ISO 7064 MOD 11,10.
  int p = 10;
  for (size_t i = 0; i < 14; ++i) {
    int s = (p + (v[i] - '0')) % 10;
    if (s == 0) s = 10;
    p = (s * 2) % 11;
  }
  char expected = static_cast<char>('0' + (11 - p) % 10);
  result.checksum_verified = true;
  if (v[14] != expected) {
    return CheckFailed(kScheme, std::move(result), v[14], expected, options);
  }
  return result;
}

absl::StatusOr<IdValidation> NormalizeUncheckedId(std::string_view value) {
  IdValidation result;
  // Removing a separator can bring a base letter and a combining mark
  // together (H ¨ → Ḧ), so fold and strip until nothing changes.
  std::string out(value);
  for (int round = 0; round < 4; ++round) {
    std::string folded = NormalizeText(out);
    std::string next;
    next.reserve(folded.size());
    for (char c : folded) {
      if (c == ' ' || c == '-' || c == '.' || c == '/' || c == '_') continue;
      next.push_back(c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A')
                                          : c);
    }
    // ASCII folds in one round: there is nothing to compose.
    bool stable = next == out || normalize_internal::IsAscii(out);
    out = std::move(next);
    if (stable) break;
  }
  if (out.empty()) {
    return absl::InvalidArgumentError(
        value.empty() ? std::string("identifier is empty")
                      : fmt::format("identifier '{}' has no characters other "
                                    "than separators",
                                    value));
  }
  if (IsPlaceholder(out)) return PlaceholderError("identifier", out);
  result.normalized = std::move(out);
  result.checksum_verified = false;
  return result;
}

absl::StatusOr<IdValidation> ValidateId(v1::Feature::IdScheme scheme,
                                        std::string_view value,
                                        const IdValidationOptions& options) {
  switch (scheme) {
    case v1::Feature::USCC:
      return ValidateUscc(value, options);
    case v1::Feature::RESIDENT_ID:
      return ValidateResidentId(value, options);
    case v1::Feature::ORG_CODE:
      return ValidateOrgCode(value, options);
    case v1::Feature::REG_NO:
      return ValidateRegNo(value, options);
    default:
      return NormalizeUncheckedId(value);
  }
}

}  // namespace credit
