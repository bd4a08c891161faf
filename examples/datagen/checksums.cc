#include "checksums.h"

#include <array>

namespace credit::datagen {
namespace {

constexpr std::array<int, 17> kUsccWeights = {
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};
constexpr std::array<int, 8> kOrgWeights = {3, 7, 9, 10, 5, 8, 4, 2};
constexpr std::array<int, 17> kResidentWeights = {7, 9, 10, 5,  8, 4, 2, 1, 6,
                                                  3, 7, 9,  10, 5, 8, 4, 2};
constexpr std::string_view kResidentCheck = "10X98765432";

int UsccValue(char c) {
  size_t pos = kUsccAlphabet.find(c);
  return pos == std::string_view::npos ? -1 : static_cast<int>(pos);
}

bool AllDigits(std::string_view s) {
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

}  // namespace

char UsccCheckChar(std::string_view first17) {
  if (first17.size() != 17) return '\0';
  int sum = 0;
  for (size_t i = 0; i < 17; ++i) {
    int v = UsccValue(first17[i]);
    if (v < 0) return '\0';
    sum += v * kUsccWeights[i];
  }
  return kUsccAlphabet[(31 - sum % 31) % 31];
}

bool IsValidUscc(std::string_view uscc) {
  if (uscc.size() != 18) return false;
  char check = UsccCheckChar(uscc.substr(0, 17));
  return check != '\0' && check == uscc[17];
}

char OrgCodeCheckChar(std::string_view first8) {
  if (first8.size() != 8) return '\0';
  int sum = 0;
  for (size_t i = 0; i < 8; ++i) {
    char c = first8[i];
    int v;
    if (c >= '0' && c <= '9') {
      v = c - '0';
    } else if (c >= 'A' && c <= 'Z') {
      v = c - 'A' + 10;
    } else {
      return '\0';
    }
    sum += v * kOrgWeights[i];
  }
  int check = 11 - sum % 11;
  if (check == 10) return 'X';
  if (check == 11) return '0';
  return static_cast<char>('0' + check);
}

bool IsValidOrgCode(std::string_view code) {
  if (code.size() != 9) return false;
  char check = OrgCodeCheckChar(code.substr(0, 8));
  return check != '\0' && check == code[8];
}

char ResidentIdCheckChar(std::string_view first17) {
  if (first17.size() != 17 || !AllDigits(first17)) return '\0';
  int sum = 0;
  for (size_t i = 0; i < 17; ++i)
    sum += (first17[i] - '0') * kResidentWeights[i];
  return kResidentCheck[sum % 11];
}

bool IsValidResidentId(std::string_view id) {
  if (id.size() != 18) return false;
  char check = ResidentIdCheckChar(id.substr(0, 17));
  return check != '\0' && check == id[17];
}

char RegNoCheckDigit(std::string_view first14) {
  if (first14.size() != 14 || !AllDigits(first14)) return '\0';
  // ISO 7064 MOD 11,10: P starts at 10; for each digit S = (P + d) mod 10
  // (0 counts as 10) and P = 2S mod 11; the check digit c makes (P + c) mod 10
  // equal 1.
  int p = 10;
  for (char c : first14) {
    int s = (p + (c - '0')) % 10;
    if (s == 0) s = 10;
    p = (2 * s) % 11;
  }
  return static_cast<char>('0' + (11 - p) % 10);
}

bool IsValidRegNo(std::string_view reg_no) {
  if (reg_no.size() != 15) return false;
  char check = RegNoCheckDigit(reg_no.substr(0, 14));
  return check != '\0' && check == reg_no[14];
}

std::string MakeUscc(char dept, char kind, std::string_view region,
                     std::string_view org_body) {
  std::string s;
  s.reserve(18);
  s += dept;
  s += kind;
  s += region;
  s += org_body;
  s += OrgCodeCheckChar(org_body);
  s += UsccCheckChar(s);
  return s;
}

}  // namespace credit::datagen
