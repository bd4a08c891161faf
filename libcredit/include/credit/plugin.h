// credit/plugin.h: the shared-object plugin ABI for C++ indicators.
//
// A plugin is a shared library (CMake MODULE) that exports exactly one C
// symbol, `credit_plugin_descriptor`, returning a pointer to a static
// CreditPluginDescriptor. The host (LoadPlugin in libcredit) checks
// `abi_version` and `descriptor_size` before it calls anything else, then
// calls `register_indicators` with its registry. A plugin must be built
// against the same libcredit, protobuf and abseil as the host: the ABI passes
// C++ objects (absl::Status, IndicatorRegistry), and CREDIT_PLUGIN_ABI_VERSION
// changes whenever their layout or this descriptor changes.
//
// Nothing may be thrown out of register_indicators or Indicator::Evaluate;
// the host catches anything that is and turns it into an error.
//
// Thread safety: register_indicators is called once, from the loading thread.
// The indicators it registers must follow Indicator's thread model.
//
// Example (the whole plugin boilerplate):
//   #include "credit/plugin.h"
//   namespace {
//   absl::Status Register(credit::IndicatorRegistry* registry) {
//     return registry->Register(std::make_shared<MyIndicator>());
//   }
//   }  // namespace
//   CREDIT_DEFINE_PLUGIN("my_plugin", "1.0.0", Register)
#ifndef CREDIT_PLUGIN_H_
#define CREDIT_PLUGIN_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "credit/indicator.h"

// The plugin ABI this libcredit speaks. A plugin built for another version is
// refused at load time.
#define CREDIT_PLUGIN_ABI_VERSION 2  // 2: IndicatorOutput::evidence_facts, EntityView::FactsOfKind

namespace credit {
// What a loaded plugin is and what it registered (Engine::LoadPlugin).
struct PluginInfo {
  std::string path;
  std::string name;
  std::string version;
  std::vector<std::string> indicators;  // names, in registration order
};
}  // namespace credit

// What a plugin's entry point returns. Fields are only ever appended; the
// host refuses a descriptor whose size differs from its own.
struct CreditPluginDescriptor {
  std::uint32_t abi_version;      // CREDIT_PLUGIN_ABI_VERSION at build time
  std::uint32_t descriptor_size;  // sizeof(CreditPluginDescriptor) at build time
  const char* name;               // the plugin's name, for messages
  const char* version;            // the plugin's own version, for messages
  // Registers the plugin's indicators. Returning an error registers none of
  // them (the host registers them all or none).
  absl::Status (*register_indicators)(credit::IndicatorRegistry* registry);
};

// The entry point's name, and its type.
#define CREDIT_PLUGIN_ENTRY_POINT "credit_plugin_descriptor"
using CreditPluginEntryPoint = const CreditPluginDescriptor* (*)();

// Defines the entry point of a plugin: put it once in one .cc file at global
// scope. `register_fn` is an `absl::Status (*)(credit::IndicatorRegistry*)`.
#define CREDIT_DEFINE_PLUGIN(plugin_name, plugin_version, register_fn)      \
  extern "C" __attribute__((visibility("default"))) const                  \
      CreditPluginDescriptor* credit_plugin_descriptor(void) {              \
    static const CreditPluginDescriptor kDescriptor = {                    \
        CREDIT_PLUGIN_ABI_VERSION, sizeof(CreditPluginDescriptor),         \
        plugin_name, plugin_version, register_fn};                         \
    return &kDescriptor;                                                   \
  }

#endif  // CREDIT_PLUGIN_H_
