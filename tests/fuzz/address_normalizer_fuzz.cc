// Fuzz target: NormalizeAddress. Recognised divisions are consistent: a
// district comes with its city, a city with its province.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "credit/normalize.h"
#include "fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  credit::Address address = credit::NormalizeAddress(input);
  if (!address.district.empty()) FUZZ_CHECK(!address.city.empty());
  if (!address.city.empty()) FUZZ_CHECK(!address.province.empty());
  if (!address.key.empty()) FUZZ_CHECK(!address.tokens.empty());
  return 0;
}
