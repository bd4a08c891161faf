// credit/indicator.h: credit indicators — named, versioned computations over
// one entity's facts as of a date — and the registry that evaluates them.
//
// An indicator is either declarative (a Rule or Scorecard from a rules file in
// protobuf text format, see credit/v1/rules.proto and docs/indicators.md) or a
// C++ subclass of `Indicator`, registered in-process or from a shared-object
// plugin (credit/plugin.h). All of them go through one `IndicatorRegistry`.
//
// Fact semantics (FactCounts): a fact in the future, past its publication
// period, repaired or disputed does not count. Every indicator should apply
// FactCounts; the declarative ones do.
//
// Errors: nothing an indicator throws or returns unwinds into the caller.
// `IndicatorRegistry::EvaluateAll` turns a failure into an IndicatorResult
// whose `error` names the indicator; the other indicators carry on.
//
// Thread safety: `Indicator::Evaluate` is called concurrently from many
// threads. `IndicatorRegistry` is thread-safe; evaluation takes no lock beyond
// copying a snapshot pointer. `EntityView` is immutable once built.
//
// Example:
//   credit::IndicatorRegistry registry;
//   auto rules = credit::LoadRuleFile("credit_rules.textproto");
//   if (!rules.ok()) return rules.status();      // "file:12:3: reason"
//   auto indicators = credit::BuildRuleIndicators(*rules);
//   if (!indicators.ok()) return indicators.status();
//   for (auto& indicator : *indicators) {
//     if (auto s = registry.Register(indicator); !s.ok()) return s;
//   }
//   credit::EntityView view(entity, std::move(facts));
//   credit::EvalContext ctx;
//   ctx.as_of = today;
//   for (const credit::v1::IndicatorResult& r : registry.EvaluateAll(view, ctx)) {
//     if (!r.error().empty()) LOG(WARNING) << r.error();
//   }
#ifndef CREDIT_INDICATOR_H_
#define CREDIT_INDICATOR_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "credit/v1/common.pb.h"
#include "credit/v1/entity.pb.h"
#include "credit/v1/indicator.pb.h"
#include "credit/v1/record.pb.h"
#include "credit/v1/rules.pb.h"

namespace credit {

// What an evaluation is relative to. A struct so it can grow.
struct EvalContext {
  // The day the indicators are computed for: facts after it do not exist yet,
  // time windows end on it. REQUIRES: a complete date.
  v1::Date as_of;
  // Stamped into IndicatorResult.evaluated_at_micros; 0 = the system clock.
  std::int64_t evaluated_at_micros = 0;
};

// One fact of an entity and where it came from.
struct EntityFact {
  v1::RecordKey record;      // the record carrying it; its source is record.source()
  std::uint32_t fact_index;  // index within that record's `facts`
  v1::Fact fact;
};

// A read-only view of one entity: its profile and every fact of its member
// records, including those that do not count (indicators decide with
// FactCounts). Immutable and therefore thread-safe; cheap to read, copied on
// construction.
class EntityView {
 public:
  EntityView(const v1::Entity& entity, std::vector<EntityFact> facts);

  std::uint64_t entity_id() const { return entity_.id(); }
  v1::EntityKind kind() const { return entity_.kind(); }
  const v1::Profile& profile() const { return entity_.profile(); }
  // Returns the first value of profile attribute `attribute` (e.g. "name",
  // "id:USCC"), or "" when the profile has none. Valid as long as the view.
  std::string_view ProfileValue(std::string_view attribute) const;
  // All facts of the entity, in the order given at construction.
  const std::vector<EntityFact>& facts() const { return facts_; }
  // The indices into facts() of the facts of kind `kind`, ascending; empty
  // when there are none. Most rules look at one or two kinds: this saves
  // them a pass over every fact.
  std::span<const std::uint32_t> FactsOfKind(std::string_view kind) const;

 private:
  v1::Entity entity_;
  std::vector<EntityFact> facts_;
  // kind -> indices into facts_, built at construction. A few kinds per
  // entity: a sorted vector beats a hash map here.
  std::vector<std::pair<std::string, std::vector<std::uint32_t>>> by_kind_;
};

// Returns whether `fact` counts towards indicators on day `as_of`. It does not
// when
//   - occurred_at is after as_of (it has not happened yet on that day),
//   - publish_until is set and before as_of (its publication period is over),
//   - its status is DISPUTED (until the dispute is resolved) or REPAIRED.
// ACTIVE, RESOLVED and unspecified facts count: a paid penalty still happened.
// Partial dates compare by their known parts: occurred_at 2024-05 is not after
// 2024-05-20, publish_until 2024 runs to the end of 2024. A fact whose
// occurred_at is unknown (year 0) counts, but falls in no time window.
// Every indicator should call this before looking at a fact.
bool FactCounts(const v1::Fact& fact, const v1::Date& as_of);

// Returns the number of days from `from` to `to` (negative when `to` is
// earlier), a partial date counting as its first day; std::nullopt when
// either year is unknown (0).
std::optional<std::int64_t> DaysBetween(const v1::Date& from,
                                        const v1::Date& to);

// What an indicator computed for one entity.
struct IndicatorOutput {
  v1::IndicatorValue value;  // leave unset for "no data"
  std::vector<v1::FactRef> evidence;  // the facts the value was computed from
  // More evidence, as indices into the view's facts(): the cheap way to name
  // facts of the entity (no strings copied until the registry writes the
  // result). The result lists `evidence` first, then these. An index past
  // the end of facts() makes the result an error.
  std::vector<std::uint32_t> evidence_facts;
  std::string explanation;   // short and human: "3 administrative_penalty facts ..."
  std::optional<double> score;  // scorecards: the numeric score behind a grade
};

// Read access to the results already computed for the entity being
// evaluated, by indicator name. Only valid during the Evaluate call it is
// passed to.
class IndicatorInputs {
 public:
  IndicatorInputs() = default;
  explicit IndicatorInputs(std::span<const v1::IndicatorResult> results)
      : results_(results) {}
  // `evidence_facts[i]` is the evidence of `results[i]` as indices into the
  // view's facts(), or std::nullopt when the result names evidence otherwise.
  IndicatorInputs(
      std::span<const v1::IndicatorResult* const> results,
      std::span<const std::optional<std::vector<std::uint32_t>>> evidence_facts)
      : pointers_(results), evidence_facts_(evidence_facts) {}

  // Returns the result of indicator `name`, or nullptr when it was not
  // evaluated. A result may carry an `error`; the registry does not call an
  // indicator whose declared inputs failed.
  const v1::IndicatorResult* Find(std::string_view name) const;
  // Returns the evidence of input `name` as indices into the view's facts()
  // when its indicator gave all of it that way (IndicatorOutput::
  // evidence_facts, as the declarative rules do), or nullptr: then read the
  // result's `evidence`. The cheap way to pass an input's evidence on.
  const std::vector<std::uint32_t>* FindEvidenceFacts(
      std::string_view name) const;

 private:
  std::span<const v1::IndicatorResult> results_;
  std::span<const v1::IndicatorResult* const> pointers_;
  std::span<const std::optional<std::vector<std::uint32_t>>> evidence_facts_;
};

// A credit indicator: a named, versioned computation over one entity.
//
// Thread model: Evaluate is called concurrently from many threads on the same
// object, so it must be thread-safe (no unsynchronized mutable state), and it
// must not keep references or pointers to the view or the inputs after it
// returns. It must not throw; if it does anyway, the registry catches the
// exception and records an error result for this indicator only.
class Indicator {
 public:
  virtual ~Indicator() = default;

  // A stable lower_snake_case name, unique within a registry, e.g.
  // "penalties_36m". Results are stored under it.
  virtual std::string name() const = 0;
  // >= 1. Bump it whenever the meaning of the value changes, so stored
  // results show which version produced them.
  virtual std::uint32_t version() const = 0;
  virtual std::string description() const = 0;
  // Names of indicators whose results Evaluate reads through `inputs` (a
  // scorecard reads its components). They must be registered first.
  virtual std::vector<std::string> inputs() const { return {}; }

  // Computes the indicator for `entity` as of `ctx.as_of`. Returns a value
  // (possibly unset for "no data"; missing data is not an error) or an error
  // status with a message a user can act on.
  virtual absl::StatusOr<IndicatorOutput> Evaluate(
      const EntityView& entity, const EvalContext& ctx,
      const IndicatorInputs& inputs) const = 0;
};

// Holds indicators by name, in registration order, and evaluates them.
//
// Registration order is a valid evaluation order: an indicator's inputs must
// be registered before it. Built-in, rule and plugin indicators all register
// through Register; nothing registers itself.
//
// Thread-safe. Evaluation reads an immutable snapshot (a shared_ptr copied
// under a mutex), so concurrent evaluations never wait on each other and a
// registration during an evaluation does not affect it.
class IndicatorRegistry {
 public:
  IndicatorRegistry();
  ~IndicatorRegistry();
  IndicatorRegistry(const IndicatorRegistry&) = delete;
  IndicatorRegistry& operator=(const IndicatorRegistry&) = delete;

  // Adds `indicator`. Fails with InvalidArgument for a null indicator, a name
  // that is empty or not lower_snake_case, or version 0; AlreadyExists when
  // the name is taken; FailedPrecondition when one of its inputs is not
  // registered yet.
  absl::Status Register(std::shared_ptr<const Indicator> indicator);
  // Adds all of `indicators` in order, or none of them if any is refused.
  absl::Status RegisterAll(
      const std::vector<std::shared_ptr<const Indicator>>& indicators);
  // Removes indicator `name`. NotFound if absent; FailedPrecondition if
  // another registered indicator uses it as an input.
  absl::Status Unregister(std::string_view name);

  // Returns the registered indicators in registration order.
  std::vector<std::shared_ptr<const Indicator>> List() const;
  // Returns indicator `name`, or nullptr.
  std::shared_ptr<const Indicator> Find(std::string_view name) const;

  // Evaluates every registered indicator for `entity`, in registration order,
  // and returns one result each. A failure (an error status, an exception of
  // any type, or a failed input) becomes that indicator's result with `error`
  // set to a message naming it; the others carry on.
  std::vector<v1::IndicatorResult> EvaluateAll(const EntityView& entity,
                                               const EvalContext& ctx) const;
  // Like EvaluateAll, replacing the contents of `out` with the results. With
  // `out` allocated on a google::protobuf::Arena, the results are built on
  // that arena: the fast path when many entities are evaluated (about half
  // the time of EvaluateAll in bench/micro/indicators_bench.cc).
  void EvaluateAllInto(const EntityView& entity, const EvalContext& ctx,
                       v1::IndicatorResults* out) const;
  // Like EvaluateAllInto, but hands each result to `put` as its indicator's
  // name and the result's serialized bytes (an IndicatorResult in protobuf
  // wire format), in registration order: the fast path for storing results
  // (the facts named as evidence are serialized once per call, however many
  // results name them). The views are valid only during the call.
  void EvaluateAllSerialized(
      const EntityView& entity, const EvalContext& ctx,
      absl::FunctionRef<void(std::string_view name, std::string_view bytes)>
          put) const;
  // Evaluates indicator `name` and, first, the inputs it needs (and theirs).
  // NotFound if no such indicator; otherwise its result, which may carry an
  // `error` like those of EvaluateAll.
  absl::StatusOr<v1::IndicatorResult> Evaluate(std::string_view name,
                                               const EntityView& entity,
                                               const EvalContext& ctx) const;

 private:
  struct Snapshot;
  std::shared_ptr<const Snapshot> snapshot() const;

  mutable absl::Mutex mu_;
  std::shared_ptr<const Snapshot> snapshot_ ABSL_GUARDED_BY(mu_);
};

// Parses a rules file in protobuf text format (credit.v1.RuleSet) and
// validates it. A malformed file is refused as a whole: InvalidArgument
// "path:line:col: reason" for syntax errors and unknown fields, or
// "path: rule 'x': reason" for semantic ones. NotFound if it cannot be read.
absl::StatusOr<v1::RuleSet> LoadRuleFile(std::string_view path);
// Like LoadRuleFile, for text already in memory; `origin` names it in errors.
absl::StatusOr<v1::RuleSet> ParseRuleText(std::string_view text,
                                          std::string_view origin);
// Checks what the text format cannot: unique lower_snake_case names, version
// >= 1, an aggregate, LATEST_ATTRIBUTE's attribute, min <= max, at most one
// time window, non-overlapping bins, grade bands strictly descending, and
// scorecard components naming rules (or earlier scorecards) of the same set.
// ParseRuleText calls it; call it yourself for a RuleSet built in code.
absl::Status ValidateRuleSet(const v1::RuleSet& rules,
                             std::string_view origin = "rules");

// Builds indicators from a RuleSet (validated first): the rules, then the
// scorecards, which is a valid registration order.
absl::StatusOr<std::vector<std::shared_ptr<const Indicator>>>
BuildRuleIndicators(const v1::RuleSet& rules);

}  // namespace credit

#endif  // CREDIT_INDICATOR_H_
