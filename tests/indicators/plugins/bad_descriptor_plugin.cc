// Test plugin with a descriptor the host must refuse before calling
// register_indicators: built twice, with BAD_ABI (declares plugin ABI 2) or
// BAD_SIZE (a descriptor 8 bytes larger). `credit_test_register_calls` lets
// the test check that register_indicators never ran.
#include <cstdint>
#include <memory>

#include "credit/plugin.h"

namespace {

int g_register_calls = 0;

absl::Status Register(credit::IndicatorRegistry*) {
  ++g_register_calls;
  return absl::OkStatus();
}

}  // namespace

extern "C" __attribute__((visibility("default"))) int
credit_test_register_calls() {
  return g_register_calls;
}

extern "C" __attribute__((visibility("default"))) const CreditPluginDescriptor*
credit_plugin_descriptor(void) {
  static const CreditPluginDescriptor kDescriptor = {
#if defined(BAD_ABI)
      CREDIT_PLUGIN_ABI_VERSION + 1, sizeof(CreditPluginDescriptor),
#else
      CREDIT_PLUGIN_ABI_VERSION, sizeof(CreditPluginDescriptor) + 8,
#endif
      "bad_descriptor", "0.1", Register};
  return &kDescriptor;
}
