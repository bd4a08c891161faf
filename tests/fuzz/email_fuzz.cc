// Fuzz target: NormalizeEmail. A normalized email normalizes to itself.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "credit/normalize.h"
#include "fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  auto email = credit::NormalizeEmail(input);
  if (!email.ok()) return 0;
  auto again = credit::NormalizeEmail(*email);
  FUZZ_CHECK(again.ok());
  FUZZ_CHECK(*again == *email);
  FUZZ_CHECK(email->find('@') != std::string::npos);
  return 0;
}
