// Indicator evaluation: 10 declarative rules (built from a RuleSet, with a
// scorecard over them counted among the 10) over one entity with 50 facts.
// Target: <= 20 us for the engine's path (BM_IndicatorEvaluateAllSerialized).
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "benchmark/benchmark.h"
#include "google/protobuf/arena.h"
#include "credit/indicator.h"
#include "fmt/format.h"

namespace credit {
namespace {

constexpr char kRules[] = R"pb(
  rule { name: "penalties_36m" version: 1 filter { kind: "administrative_penalty" within_months: 36 } aggregate: COUNT }
  rule { name: "penalty_fines" version: 1 filter { kind: "administrative_penalty" } aggregate: SUM_AMOUNT }
  rule { name: "max_penalty_severity" version: 1 filter { kind: "administrative_penalty" within_days: 730 } aggregate: MAX_SEVERITY }
  rule { name: "days_since_penalty" version: 1 filter { kind: "administrative_penalty" } aggregate: DAYS_SINCE_LATEST }
  rule { name: "unpaid_judgments" version: 1 filter { kind: "court_judgment" status: ACTIVE } aggregate: COUNT }
  rule { name: "unpaid_judgment_amount" version: 1 filter { kind: "court_judgment" status: ACTIVE min_amount: 1 } aggregate: SUM_AMOUNT }
  rule { name: "dishonest_debtor" version: 1 filter { kind: "dishonest_debtor" status: ACTIVE } aggregate: EXISTS }
  rule { name: "licences" version: 1 filter { kind: "license" source: "market" } aggregate: COUNT }
  rule { name: "tax_grade" version: 1 filter { kind: "tax_credit_grade" } aggregate: LATEST_ATTRIBUTE attribute: "纳税信用级别" }
  scorecard {
    name: "credit_grade" version: 1 base_score: 90
    component { indicator: "penalties_36m" bin { max: 1 points: 0 } bin { min: 1 points: -20 } }
    component { indicator: "dishonest_debtor" bin { max: 1 points: 0 } bin { min: 1 points: -50 } }
    component { indicator: "tax_grade" bin { value: "A" points: 5 } bin { value: "D" points: -30 } }
    grade_band { grade: "A" min_score: 90 }
    grade_band { grade: "B" min_score: 70 }
    default_grade: "D"
  }
)pb";

std::vector<EntityFact> MakeFacts() {
  static const char* kKinds[] = {"administrative_penalty", "court_judgment",
                                 "dishonest_debtor", "license",
                                 "tax_credit_grade"};
  std::vector<EntityFact> facts;
  for (int i = 0; i < 50; ++i) {
    EntityFact f;
    f.record.set_source(i % 3 == 0 ? "market" : "court");
    f.record.set_record_id(fmt::format("record-{}", i));
    f.fact_index = 0;
    f.fact.set_kind(kKinds[i % 5]);
    f.fact.mutable_occurred_at()->set_year(2018 + i % 7);
    f.fact.mutable_occurred_at()->set_month(1 + i % 12);
    f.fact.mutable_occurred_at()->set_day(1 + i % 28);
    f.fact.set_amount(1000.0 * i);
    f.fact.set_severity(i % 6);
    f.fact.set_status(i % 4 == 0 ? v1::Fact::RESOLVED : v1::Fact::ACTIVE);
    (*f.fact.mutable_attributes())["纳税信用级别"] = fmt::format("{}", "AB"[i % 2]);
    facts.push_back(std::move(f));
  }
  return facts;
}

EntityView MakeEntity() {
  v1::Entity entity;
  entity.set_id(42);
  return EntityView(entity, MakeFacts());
}

// Registers the bench's rules; false (and the benchmark skipped) if they do
// not build.
bool RegisterRules(benchmark::State& state, IndicatorRegistry* registry) {
  auto rules = ParseRuleText(kRules, "bench");
  if (!rules.ok()) {
    state.SkipWithError(std::string(rules.status().message()).c_str());
    return false;
  }
  auto built = BuildRuleIndicators(*rules);
  if (!built.ok() || !registry->RegisterAll(*built).ok()) {
    state.SkipWithError("rules did not build");
    return false;
  }
  state.counters["indicators"] = static_cast<double>(built->size());
  return true;
}

EvalContext AsOf20240630() {
  EvalContext ctx;
  ctx.as_of.set_year(2024);
  ctx.as_of.set_month(6);
  ctx.as_of.set_day(30);
  return ctx;
}

void BM_IndicatorEvaluateAll(benchmark::State& state) {
  IndicatorRegistry registry;
  if (!RegisterRules(state, &registry)) return;
  const EntityView view = MakeEntity();
  const EvalContext ctx = AsOf20240630();
  for (auto _ : state) {
    auto results = registry.EvaluateAll(view, ctx);
    benchmark::DoNotOptimize(results);
  }
}
BENCHMARK(BM_IndicatorEvaluateAll)->Unit(benchmark::kMicrosecond);

// Results built on an arena (EvaluateAllInto), each serialized, the arena
// reset per entity: the engine's path before EvaluateAllSerialized.
void BM_IndicatorEvaluateAllOnArena(benchmark::State& state) {
  IndicatorRegistry registry;
  if (!RegisterRules(state, &registry)) return;
  const EntityView view = MakeEntity();
  const EvalContext ctx = AsOf20240630();
  // The first block on the stack, as the engine does, so an evaluation
  // normally allocates no arena block.
  alignas(8) char block[16384];
  google::protobuf::ArenaOptions options;
  options.initial_block = block;
  options.initial_block_size = sizeof(block);
  google::protobuf::Arena arena(options);
  std::uint64_t used = 0;
  std::string value;
  for (auto _ : state) {
    auto* results =
        google::protobuf::Arena::CreateMessage<v1::IndicatorResults>(&arena);
    registry.EvaluateAllInto(view, ctx, results);
    for (const v1::IndicatorResult& result : results->results()) {
      result.SerializeToString(&value);
      benchmark::DoNotOptimize(value.data());
    }
    used = arena.SpaceUsed();
    arena.Reset();
  }
  state.counters["arena_bytes"] = static_cast<double>(used);
}
BENCHMARK(BM_IndicatorEvaluateAllOnArena)->Unit(benchmark::kMicrosecond);

// The engine's path since EvaluateAllSerialized: evaluate and serialize
// every result into the bytes the engine stores. The target's measure.
void BM_IndicatorEvaluateAllSerialized(benchmark::State& state) {
  IndicatorRegistry registry;
  if (!RegisterRules(state, &registry)) return;
  const EntityView view = MakeEntity();
  const EvalContext ctx = AsOf20240630();
  std::size_t bytes = 0;
  for (auto _ : state) {
    bytes = 0;
    registry.EvaluateAllSerialized(
        view, ctx, [&](std::string_view name, std::string_view value) {
          benchmark::DoNotOptimize(name.data());
          benchmark::DoNotOptimize(value.data());
          bytes += value.size();
        });
  }
  state.counters["stored_bytes"] = static_cast<double>(bytes);
}
BENCHMARK(BM_IndicatorEvaluateAllSerialized)->Unit(benchmark::kMicrosecond);

// Building the view (copying 50 facts and indexing them by kind), which the
// engine does once per entity before evaluating: not part of the 20 us
// target, measured so that it is not hidden either.
void BM_IndicatorBuildView(benchmark::State& state) {
  const std::vector<EntityFact> facts = MakeFacts();
  v1::Entity entity;
  entity.set_id(42);
  for (auto _ : state) {
    EntityView view(entity, facts);
    benchmark::DoNotOptimize(view);
  }
}
BENCHMARK(BM_IndicatorBuildView)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace credit
