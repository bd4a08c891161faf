// IndicatorRegistry: copy-on-write snapshots so evaluation never waits for
// registration, and a catch-all boundary around every indicator call.
#include <cstdint>
#include <exception>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "credit/clock.h"
#include "credit/indicator.h"
#include "fmt/format.h"

namespace credit {

// Name, version and inputs are read once at registration: evaluation then
// calls nothing on an indicator but Evaluate, inside the catch-all.
struct IndicatorRegistry::Snapshot {
  struct Entry {
    std::shared_ptr<const Indicator> indicator;
    std::string name;
    std::uint32_t version = 0;
    std::vector<std::string> inputs;
    std::vector<std::size_t> input_indices;  // into `entries`, all smaller
  };
  std::vector<Entry> entries;
  absl::flat_hash_map<std::string, std::size_t> index;
};

namespace {

// Debian's abseil has its own string_view; the map looks up by it.
absl::string_view Key(std::string_view name) {
  return absl::string_view(name.data(), name.size());
}

bool IsLowerSnake(std::string_view name) {
  if (name.empty() || name[0] < 'a' || name[0] > 'z') return false;
  for (char c : name) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) {
      return false;
    }
  }
  return true;
}

std::string ExceptionText() {
  try {
    throw;
  } catch (const std::exception& e) {
    return fmt::format("threw an exception: {}", e.what());
  } catch (...) {
    return "threw an exception of a non-standard type";
  }
}

}  // namespace

IndicatorRegistry::IndicatorRegistry()
    : snapshot_(std::make_shared<const Snapshot>()) {}

IndicatorRegistry::~IndicatorRegistry() = default;

std::shared_ptr<const IndicatorRegistry::Snapshot> IndicatorRegistry::snapshot()
    const {
  absl::MutexLock lock(&mu_);
  return snapshot_;
}

namespace {

// Reads what the registry caches about `indicator` and checks it. Indicator
// code may throw, even from name(): the boundary covers registration too.
template <typename Entry, typename Index>
absl::Status AddEntry(std::shared_ptr<const Indicator> indicator,
                      std::vector<Entry>* entries, Index* index) {
  if (indicator == nullptr) {
    return absl::InvalidArgumentError("cannot register a null indicator");
  }
  Entry entry;
  entry.indicator = std::move(indicator);
  try {
    entry.name = entry.indicator->name();
    entry.version = entry.indicator->version();
    entry.inputs = entry.indicator->inputs();
  } catch (...) {
    return absl::InvalidArgumentError(fmt::format(
        "indicator '{}': describing it {}", entry.name, ExceptionText()));
  }
  if (!IsLowerSnake(entry.name)) {
    return absl::InvalidArgumentError(fmt::format(
        "indicator name '{}' is not lower_snake_case (a-z, 0-9, _; starting "
        "with a letter)",
        entry.name));
  }
  if (entry.version == 0) {
    return absl::InvalidArgumentError(fmt::format(
        "indicator '{}': version must be 1 or more", entry.name));
  }
  if (index->contains(entry.name)) {
    return absl::AlreadyExistsError(fmt::format(
        "indicator '{}' is already registered; unregister it first or choose "
        "another name",
        entry.name));
  }
  for (const std::string& input : entry.inputs) {
    auto it = index->find(input);
    if (it == index->end()) {
      return absl::FailedPreconditionError(fmt::format(
          "indicator '{}' reads input '{}', which is not registered: register "
          "inputs first",
          entry.name, input));
    }
    entry.input_indices.push_back(it->second);
  }
  (*index)[entry.name] = entries->size();
  entries->push_back(std::move(entry));
  return absl::OkStatus();
}

}  // namespace

absl::Status IndicatorRegistry::Register(
    std::shared_ptr<const Indicator> indicator) {
  return RegisterAll({std::move(indicator)});
}

absl::Status IndicatorRegistry::RegisterAll(
    const std::vector<std::shared_ptr<const Indicator>>& indicators) {
  absl::MutexLock lock(&mu_);
  auto next = std::make_shared<Snapshot>(*snapshot_);
  for (const auto& indicator : indicators) {
    absl::Status s = AddEntry(indicator, &next->entries, &next->index);
    if (!s.ok()) return s;
  }
  snapshot_ = std::move(next);
  return absl::OkStatus();
}

absl::Status IndicatorRegistry::Unregister(std::string_view name) {
  absl::MutexLock lock(&mu_);
  auto it = snapshot_->index.find(Key(name));
  if (it == snapshot_->index.end()) {
    return absl::NotFoundError(
        fmt::format("indicator '{}' is not registered", name));
  }
  const std::size_t removed = it->second;
  for (const Snapshot::Entry& e : snapshot_->entries) {
    for (std::size_t input : e.input_indices) {
      if (input == removed) {
        return absl::FailedPreconditionError(fmt::format(
            "indicator '{}' is an input of '{}': unregister '{}' first", name,
            e.name, e.name));
      }
    }
  }
  // Rebuild: indices after the removed entry shift down by one.
  auto next = std::make_shared<Snapshot>();
  for (std::size_t i = 0; i < snapshot_->entries.size(); ++i) {
    if (i == removed) continue;
    Snapshot::Entry e = snapshot_->entries[i];
    for (std::size_t& input : e.input_indices) {
      if (input > removed) --input;
    }
    next->index[e.name] = next->entries.size();
    next->entries.push_back(std::move(e));
  }
  snapshot_ = std::move(next);
  return absl::OkStatus();
}

std::vector<std::shared_ptr<const Indicator>> IndicatorRegistry::List() const {
  std::shared_ptr<const Snapshot> snap = snapshot();
  std::vector<std::shared_ptr<const Indicator>> out;
  out.reserve(snap->entries.size());
  for (const Snapshot::Entry& e : snap->entries) out.push_back(e.indicator);
  return out;
}

std::shared_ptr<const Indicator> IndicatorRegistry::Find(
    std::string_view name) const {
  std::shared_ptr<const Snapshot> snap = snapshot();
  auto it = snap->index.find(Key(name));
  if (it == snap->index.end()) return nullptr;
  return snap->entries[it->second].indicator;
}

namespace {

// Evaluates `entry` given the results of the indicators before it
// (`results[slot[i]]` is the result of entry i, or -1 if not evaluated).
template <typename Entry>
v1::IndicatorResult EvaluateEntry(const Entry& entry, const EntityView& view,
                                  const EvalContext& ctx,
                                  const std::vector<v1::IndicatorResult>& done,
                                  const std::vector<std::ptrdiff_t>& slot,
                                  std::int64_t now_micros) {
  v1::IndicatorResult result;
  result.set_entity_id(view.entity_id());
  result.set_name(entry.name);
  result.set_version(entry.version);
  *result.mutable_as_of() = ctx.as_of;
  result.set_evaluated_at_micros(now_micros);
  for (std::size_t input : entry.input_indices) {
    const v1::IndicatorResult& in = done[slot[input]];
    if (!in.error().empty()) {
      result.set_error(fmt::format("indicator '{}': input '{}' failed: {}",
                                   entry.name, in.name(), in.error()));
      return result;
    }
  }
  absl::StatusOr<IndicatorOutput> output;
  try {
    output = entry.indicator->Evaluate(view, ctx, IndicatorInputs(done));
  } catch (...) {
    result.set_error(
        fmt::format("indicator '{}' {}", entry.name, ExceptionText()));
    return result;
  }
  if (!output.ok()) {
    result.set_error(fmt::format("indicator '{}' failed: {}", entry.name,
                                 output.status().ToString()));
    return result;
  }
  *result.mutable_value() = std::move(output->value);
  result.mutable_evidence()->Reserve(
      static_cast<int>(output->evidence.size()));
  for (v1::FactRef& ref : output->evidence) {
    *result.add_evidence() = std::move(ref);
  }
  result.set_explanation(std::move(output->explanation));
  if (output->score.has_value()) result.set_score(*output->score);
  return result;
}

std::int64_t NowMicros(const EvalContext& ctx) {
  return ctx.evaluated_at_micros != 0 ? ctx.evaluated_at_micros
                                      : Clock::System()->NowMicros();
}

}  // namespace

std::vector<v1::IndicatorResult> IndicatorRegistry::EvaluateAll(
    const EntityView& entity, const EvalContext& ctx) const {
  std::shared_ptr<const Snapshot> snap = snapshot();
  const std::int64_t now = NowMicros(ctx);
  const std::size_t n = snap->entries.size();
  std::vector<v1::IndicatorResult> results;
  // Reserved so the span handed to indicators stays valid while results grow.
  results.reserve(n);
  std::vector<std::ptrdiff_t> slot(n);
  for (std::size_t i = 0; i < n; ++i) {
    slot[i] = static_cast<std::ptrdiff_t>(i);
    results.push_back(
        EvaluateEntry(snap->entries[i], entity, ctx, results, slot, now));
  }
  return results;
}

absl::StatusOr<v1::IndicatorResult> IndicatorRegistry::Evaluate(
    std::string_view name, const EntityView& entity,
    const EvalContext& ctx) const {
  std::shared_ptr<const Snapshot> snap = snapshot();
  auto it = snap->index.find(Key(name));
  if (it == snap->index.end()) {
    return absl::NotFoundError(
        fmt::format("indicator '{}' is not registered", name));
  }
  // Mark the target and its transitive inputs; inputs always have smaller
  // indices, so one backward pass finds them all.
  const std::size_t target = it->second;
  std::vector<bool> needed(target + 1, false);
  needed[target] = true;
  for (std::size_t i = target + 1; i-- > 0;) {
    if (!needed[i]) continue;
    for (std::size_t input : snap->entries[i].input_indices) {
      needed[input] = true;
    }
  }
  const std::int64_t now = NowMicros(ctx);
  std::vector<v1::IndicatorResult> results;
  results.reserve(target + 1);
  std::vector<std::ptrdiff_t> slot(target + 1, -1);
  for (std::size_t i = 0; i <= target; ++i) {
    if (!needed[i]) continue;
    slot[i] = static_cast<std::ptrdiff_t>(results.size());
    results.push_back(
        EvaluateEntry(snap->entries[i], entity, ctx, results, slot, now));
  }
  return std::move(results.back());
}

}  // namespace credit
