// Test plugin: two indicators that throw from Evaluate (a std::exception and
// an int) beside one that works, to show only the throwers fail.
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>

#include "credit/plugin.h"

namespace {

class Thrower : public credit::Indicator {
 public:
  explicit Thrower(bool standard) : standard_(standard) {}
  std::string name() const override {
    return standard_ ? "throws_runtime_error" : "throws_int";
  }
  std::uint32_t version() const override { return 1; }
  std::string description() const override { return "always throws"; }
  absl::StatusOr<credit::IndicatorOutput> Evaluate(
      const credit::EntityView&, const credit::EvalContext&,
      const credit::IndicatorInputs&) const override {
    if (standard_) throw std::runtime_error("boom from the plugin");
    throw 42;
  }

 private:
  bool standard_;
};

class Constant : public credit::Indicator {
 public:
  std::string name() const override { return "plugin_constant"; }
  std::uint32_t version() const override { return 1; }
  std::string description() const override { return "always 7"; }
  absl::StatusOr<credit::IndicatorOutput> Evaluate(
      const credit::EntityView&, const credit::EvalContext&,
      const credit::IndicatorInputs&) const override {
    credit::IndicatorOutput out;
    out.value.set_number(7);
    return out;
  }
};

absl::Status Register(credit::IndicatorRegistry* registry) {
  auto s = registry->Register(std::make_shared<Thrower>(true));
  if (!s.ok()) return s;
  s = registry->Register(std::make_shared<Thrower>(false));
  if (!s.ok()) return s;
  return registry->Register(std::make_shared<Constant>());
}

}  // namespace

CREDIT_DEFINE_PLUGIN("throwing", "0.1", Register)
