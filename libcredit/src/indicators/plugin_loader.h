// Loads C++ indicator plugins (shared objects following credit/plugin.h) into
// an IndicatorRegistry.
//
// Thread-safe (dlopen is; registration goes through the registry's lock), but
// loading is meant to happen at start-up.
#ifndef CREDIT_INDICATORS_PLUGIN_LOADER_H_
#define CREDIT_INDICATORS_PLUGIN_LOADER_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "credit/indicator.h"
#include "credit/plugin.h"

namespace credit {

// Loads the plugin at `path` and registers its indicators into `registry`,
// all or none. Fails with
//   - NotFound / FailedPrecondition: dlopen failed (dlerror text and the path),
//     or the entry point is missing;
//   - FailedPrecondition: the plugin was built for another plugin ABI version
//     or descriptor size (checked before any plugin code beyond the entry
//     point runs);
//   - the plugin's own error, or Internal if it threw, prefixed with its name.
// A plugin whose indicators were registered stays loaded for the life of the
// process: the registry (and results being computed on other threads) hold
// objects whose code and vtables live in it, so dlclose would leave them
// dangling. A refused plugin is closed again.
// REQUIRES: `registry` is not null.
absl::StatusOr<PluginInfo> LoadPlugin(std::string_view path,
                                      IndicatorRegistry* registry);

}  // namespace credit

#endif  // CREDIT_INDICATORS_PLUGIN_LOADER_H_
