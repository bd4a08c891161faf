// Fuzz target: person and organisation names. Normalizing is deterministic
// and a non-empty key comes with at least one token.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "credit/normalize.h"
#include "fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  credit::PersonName person = credit::NormalizePersonName(input);
  FUZZ_CHECK(credit::NormalizePersonName(input).key == person.key);
  if (!person.key.empty()) FUZZ_CHECK(!person.tokens.empty());
  size_t half = size / 2;
  credit::NormalizePersonNameParts(input.substr(0, half), input.substr(half));
  credit::OrgName org = credit::NormalizeOrgName(input);
  FUZZ_CHECK(credit::NormalizeOrgName(input).key == org.key);
  if (!org.core.empty()) FUZZ_CHECK(!org.tokens.empty());
  credit::LooksLikeOrgName(input);
  return 0;
}
