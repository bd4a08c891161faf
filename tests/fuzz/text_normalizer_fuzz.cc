// Fuzz target: NormalizeText, ToSimplified, PinyinKey. NormalizeText is
// idempotent; pinyin keys hold only a-z, 0-9 and single spaces.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "credit/normalize.h"
#include "fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  std::string once = credit::NormalizeText(input);
  FUZZ_CHECK(credit::NormalizeText(once) == once);
  FUZZ_CHECK(once.empty() || (once.front() != ' ' && once.back() != ' '));
  FUZZ_CHECK(once.find("  ") == std::string::npos);
  std::string simplified = credit::ToSimplified(once);
  for (auto style : {credit::PinyinStyle::kGeneral, credit::PinyinStyle::kName}) {
    std::string pinyin = credit::PinyinKey(simplified, style);
    for (char c : pinyin) {
      FUZZ_CHECK((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == ' ');
    }
    FUZZ_CHECK(pinyin.find("  ") == std::string::npos);
  }
  return 0;
}
