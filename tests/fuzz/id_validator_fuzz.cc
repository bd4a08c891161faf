// Fuzz target: the identifier validators. A value that validates must
// validate again from its normalized form to the same normalized form.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "credit/normalize.h"
#include "fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  for (auto scheme :
       {credit::v1::Feature::USCC, credit::v1::Feature::RESIDENT_ID,
        credit::v1::Feature::ORG_CODE, credit::v1::Feature::REG_NO,
        credit::v1::Feature::PASSPORT}) {
    for (bool accept : {false, true}) {
      credit::IdValidationOptions options;
      options.accept_unverified = accept;
      auto result = credit::ValidateId(scheme, input, options);
      if (!result.ok()) {
        FUZZ_CHECK(!result.status().message().empty());
        continue;
      }
      FUZZ_CHECK(!result->normalized.empty());
      auto again = credit::ValidateId(scheme, result->normalized, options);
      FUZZ_CHECK(again.ok());
      FUZZ_CHECK(again->normalized == result->normalized);
      FUZZ_CHECK(again->checksum_verified == result->checksum_verified);
      if (!accept && scheme != credit::v1::Feature::PASSPORT) {
        FUZZ_CHECK(result->checksum_verified);
      }
    }
  }
  return 0;
}
