// Fuzz target: NormalizePhone. A normalized phone normalizes to itself.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "credit/normalize.h"
#include "fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  auto phone = credit::NormalizePhone(input);
  if (!phone.ok()) return 0;
  FUZZ_CHECK(!phone->digits.empty());
  auto again = credit::NormalizePhone(phone->digits);
  FUZZ_CHECK(again.ok());
  FUZZ_CHECK(again->digits == phone->digits);
  for (char c : phone->extension) FUZZ_CHECK(c >= '0' && c <= '9');
  return 0;
}
