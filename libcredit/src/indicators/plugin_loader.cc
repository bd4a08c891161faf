#include "indicators/plugin_loader.h"

#include <dlfcn.h>

#include <exception>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "credit/plugin.h"
#include "fmt/format.h"

namespace credit {
namespace {

std::string DlError() {
  const char* e = dlerror();
  return e != nullptr ? e : "unknown dlopen error";
}

// Closes a plugin unless released: every refusal path closes it.
class PluginHandle {
 public:
  explicit PluginHandle(void* handle) : handle_(handle) {}
  ~PluginHandle() {
    if (handle_ != nullptr) dlclose(handle_);
  }
  PluginHandle(const PluginHandle&) = delete;
  PluginHandle& operator=(const PluginHandle&) = delete;
  void* get() const { return handle_; }
  // Keeps the plugin loaded for good (see LoadPlugin).
  void Release() { handle_ = nullptr; }

 private:
  void* handle_;
};

}  // namespace

absl::StatusOr<PluginInfo> LoadPlugin(std::string_view path,
                                      IndicatorRegistry* registry) {
  const std::string file(path);
  dlerror();  // clear any stale error
  PluginHandle handle(dlopen(file.c_str(), RTLD_NOW | RTLD_LOCAL));
  if (handle.get() == nullptr) {
    return absl::FailedPreconditionError(
        fmt::format("cannot load plugin {}: {}", file, DlError()));
  }
  dlerror();
  void* symbol = dlsym(handle.get(), CREDIT_PLUGIN_ENTRY_POINT);
  if (symbol == nullptr) {
    return absl::FailedPreconditionError(fmt::format(
        "{} is not a libcredit plugin: it does not export the entry point "
        "'{}' (define it with CREDIT_DEFINE_PLUGIN from credit/plugin.h): {}",
        file, CREDIT_PLUGIN_ENTRY_POINT, DlError()));
  }
  const CreditPluginDescriptor* d = nullptr;
  try {
    d = reinterpret_cast<CreditPluginEntryPoint>(symbol)();
  } catch (...) {
    return absl::InternalError(fmt::format(
        "plugin {}: its entry point threw an exception", file));
  }
  if (d == nullptr) {
    return absl::FailedPreconditionError(fmt::format(
        "plugin {}: the entry point returned no descriptor", file));
  }
  // Only the first two fields are read before the checks: they are the part
  // of the layout every ABI version shares.
  if (d->abi_version != CREDIT_PLUGIN_ABI_VERSION) {
    return absl::FailedPreconditionError(fmt::format(
        "plugin {} was built for plugin ABI {}, this libcredit speaks {}: "
        "rebuild it against this version",
        file, d->abi_version, CREDIT_PLUGIN_ABI_VERSION));
  }
  if (d->descriptor_size != sizeof(CreditPluginDescriptor)) {
    return absl::FailedPreconditionError(fmt::format(
        "plugin {} has a {}-byte descriptor, this libcredit expects {} bytes "
        "for plugin ABI {}: rebuild it against this version's credit/plugin.h",
        file, d->descriptor_size, sizeof(CreditPluginDescriptor),
        CREDIT_PLUGIN_ABI_VERSION));
  }
  PluginInfo info;
  info.path = file;
  info.name = d->name != nullptr ? d->name : file;
  info.version = d->version != nullptr ? d->version : "";
  if (d->register_indicators == nullptr) {
    return absl::FailedPreconditionError(fmt::format(
        "plugin {} ({}): register_indicators is not set", info.name, file));
  }

  // The plugin registers into a staging registry seeded with the host's
  // indicators (so its inputs resolve); the host then takes the new ones all
  // at once, so a plugin that fails half-way leaves nothing behind.
  std::vector<std::shared_ptr<const Indicator>> added;
  {
    IndicatorRegistry staging;
    const auto existing = registry->List();
    absl::Status seeded = staging.RegisterAll(existing);
    if (!seeded.ok()) return seeded;
    absl::Status registered;
    try {
      registered = d->register_indicators(&staging);
    } catch (const std::exception& e) {
      registered = absl::InternalError(
          fmt::format("register_indicators threw an exception: {}", e.what()));
    } catch (...) {
      registered = absl::InternalError(
          "register_indicators threw an exception of a non-standard type");
    }
    if (!registered.ok()) {
      return absl::Status(
          registered.code(),
          fmt::format("plugin {} ({}): {}", info.name, file,
                      std::string(registered.message())));
    }
    std::set<const Indicator*> before;
    for (const auto& i : existing) before.insert(i.get());
    for (auto& i : staging.List()) {
      if (before.count(i.get()) == 0) added.push_back(std::move(i));
    }
  }
  absl::Status committed = registry->RegisterAll(added);
  if (!committed.ok()) {
    added.clear();  // drop the plugin's objects before it is closed
    return absl::Status(committed.code(),
                        fmt::format("plugin {} ({}): {}", info.name, file,
                                    std::string(committed.message())));
  }
  for (const auto& i : added) info.indicators.push_back(i->name());
  handle.Release();
  return info;
}

}  // namespace credit
