// Test plugin whose register_indicators registers one indicator and then
// fails: the host must register none of them.
#include <cstdint>
#include <memory>
#include <string>

#include "credit/plugin.h"

namespace {

class Half : public credit::Indicator {
 public:
  std::string name() const override { return "half_registered"; }
  std::uint32_t version() const override { return 1; }
  std::string description() const override { return "never visible"; }
  absl::StatusOr<credit::IndicatorOutput> Evaluate(
      const credit::EntityView&, const credit::EvalContext&,
      const credit::IndicatorInputs&) const override {
    return credit::IndicatorOutput{};
  }
};

absl::Status Register(credit::IndicatorRegistry* registry) {
  auto s = registry->Register(std::make_shared<Half>());
  if (!s.ok()) return s;
  return absl::FailedPreconditionError("configuration file missing");
}

}  // namespace

CREDIT_DEFINE_PLUGIN("failing_register", "0.1", Register)
