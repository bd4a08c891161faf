// IndicatorRegistry: registration rules, failure isolation, concurrency.
#include <atomic>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "credit/indicator.h"
#include "gmock/gmock.h"
#include "google/protobuf/arena.h"
#include "gtest/gtest.h"
#include "indicator_test_util.h"
#include "test_support.h"

namespace credit {
namespace {

using ::credit::testing::AsOf;
using ::credit::testing::D;
using ::credit::testing::EvidenceIds;
using ::credit::testing::FactsBuilder;
using ::credit::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

// An indicator with scripted behaviour.
class FakeIndicator : public Indicator {
 public:
  enum class Mode {
    kValue, kStatus, kThrowStd, kThrowOther, kSumInputs,
    kEvidenceByIndex,  // a FactRef to r9, then facts 1 and 0 by index
    kEvidencePastEnd,  // an index one past the last fact
  };
  FakeIndicator(std::string name, Mode mode,
                std::vector<std::string> inputs = {}, std::uint32_t version = 1)
      : name_(std::move(name)),
        mode_(mode),
        inputs_(std::move(inputs)),
        version_(version) {}

  std::string name() const override { return name_; }
  std::uint32_t version() const override { return version_; }
  std::string description() const override { return "fake"; }
  std::vector<std::string> inputs() const override { return inputs_; }

  absl::StatusOr<IndicatorOutput> Evaluate(
      const EntityView& entity, const EvalContext&,
      const IndicatorInputs& inputs) const override {
    IndicatorOutput out;
    switch (mode_) {
      case Mode::kValue:
        out.value.set_number(static_cast<double>(entity.facts().size()));
        out.explanation = "fact count";
        return out;
      case Mode::kStatus:
        return absl::UnavailableError("source table missing");
      case Mode::kThrowStd:
        throw std::runtime_error("kaboom");
      case Mode::kThrowOther:
        throw 7;
      case Mode::kSumInputs: {
        double sum = 0;
        for (const std::string& in : inputs_) {
          const v1::IndicatorResult* r = inputs.Find(in);
          if (r == nullptr) return absl::InternalError("input not visible");
          sum += r->value().number();
        }
        out.value.set_number(sum);
        return out;
      }
      case Mode::kEvidenceByIndex: {
        v1::FactRef ref;
        ref.mutable_record()->set_source("court");
        ref.mutable_record()->set_record_id("r9");
        out.evidence.push_back(ref);
        out.evidence_facts = {1, 0};
        out.value.set_flag(true);
        return out;
      }
      case Mode::kEvidencePastEnd:
        out.evidence_facts = {static_cast<std::uint32_t>(entity.facts().size())};
        return out;
    }
    return out;
  }

 private:
  std::string name_;
  Mode mode_;
  std::vector<std::string> inputs_;
  std::uint32_t version_;
};

using Mode = FakeIndicator::Mode;

std::shared_ptr<const Indicator> Fake(std::string name, Mode mode = Mode::kValue,
                                      std::vector<std::string> inputs = {}) {
  return std::make_shared<FakeIndicator>(std::move(name), mode, std::move(inputs));
}

std::vector<std::string> Names(const IndicatorRegistry& registry) {
  std::vector<std::string> names;
  for (const auto& i : registry.List()) names.push_back(i->name());
  return names;
}

TEST(IndicatorRegistryTest, RefusesBadNames) {
  IndicatorRegistry registry;
  EXPECT_THAT(registry.Register(Fake("")),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("lower_snake_case")));
  EXPECT_THAT(registry.Register(Fake("BadName")),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("'BadName'")));
  EXPECT_THAT(registry.Register(Fake("9lives")),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(registry.Register(nullptr), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(registry.Register(std::make_shared<FakeIndicator>(
                  "v0", Mode::kValue, std::vector<std::string>{}, 0)),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("version")));
  EXPECT_TRUE(registry.List().empty());
}

TEST(IndicatorRegistryTest, RefusesDuplicates) {
  IndicatorRegistry registry;
  CREDIT_ASSERT_OK(registry.Register(Fake("penalties")));
  EXPECT_THAT(registry.Register(Fake("penalties")),
              StatusIs(absl::StatusCode::kAlreadyExists, HasSubstr("'penalties'")));
}

TEST(IndicatorRegistryTest, InputsMustBeRegisteredFirst) {
  IndicatorRegistry registry;
  EXPECT_THAT(registry.Register(Fake("score", Mode::kSumInputs, {"a"})),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("input 'a', which is not registered")));
  CREDIT_ASSERT_OK(registry.Register(Fake("a")));
  CREDIT_ASSERT_OK(registry.Register(Fake("score", Mode::kSumInputs, {"a"})));
}

TEST(IndicatorRegistryTest, RegisterAllIsAllOrNothing) {
  IndicatorRegistry registry;
  EXPECT_THAT(registry.RegisterAll({Fake("a"), Fake("b"), Fake("a")}),
              StatusIs(absl::StatusCode::kAlreadyExists));
  EXPECT_TRUE(registry.List().empty());
}

TEST(IndicatorRegistryTest, UnregisterRefusesUsedInputs) {
  IndicatorRegistry registry;
  CREDIT_ASSERT_OK(registry.Register(Fake("a")));
  CREDIT_ASSERT_OK(registry.Register(Fake("b")));
  CREDIT_ASSERT_OK(registry.Register(Fake("score", Mode::kSumInputs, {"b"})));
  EXPECT_THAT(registry.Unregister("b"),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("'score'")));
  EXPECT_THAT(registry.Unregister("nope"), StatusIs(absl::StatusCode::kNotFound));
  CREDIT_ASSERT_OK(registry.Unregister("a"));
  EXPECT_THAT(Names(registry), ElementsAre("b", "score"));
  // Input indices survive the removal of an earlier entry.
  FactsBuilder facts;
  facts.Add("x", D(2020, 1, 1));
  auto results = registry.EvaluateAll(facts.Build(), AsOf(2024, 1, 1));
  ASSERT_EQ(results.size(), 2u);
  EXPECT_EQ(results[1].value().number(), 1);
  CREDIT_ASSERT_OK(registry.Unregister("score"));
  CREDIT_ASSERT_OK(registry.Unregister("b"));
  EXPECT_EQ(registry.Find("b"), nullptr);
}

TEST(IndicatorRegistryTest, FailuresAreIsolated) {
  IndicatorRegistry registry;
  CREDIT_ASSERT_OK(registry.RegisterAll(
      {Fake("before"), Fake("throws_std", Mode::kThrowStd),
       Fake("throws_other", Mode::kThrowOther),
       Fake("returns_error", Mode::kStatus), Fake("after"),
       Fake("uses_failed", Mode::kSumInputs, {"after", "returns_error"})}));
  FactsBuilder facts;
  facts.Add("x", D(2020, 1, 1));
  auto results = registry.EvaluateAll(facts.Build(7), AsOf(2024, 1, 1));
  ASSERT_EQ(results.size(), 6u);
  EXPECT_EQ(results[0].error(), "");
  EXPECT_EQ(results[0].value().number(), 1);
  EXPECT_EQ(results[0].entity_id(), 7u);
  EXPECT_EQ(results[0].as_of().year(), 2024);
  EXPECT_THAT(results[1].error(), HasSubstr("indicator 'throws_std' threw an exception: kaboom"));
  EXPECT_EQ(results[1].value().kind_case(), v1::IndicatorValue::KIND_NOT_SET);
  EXPECT_THAT(results[2].error(), HasSubstr("'throws_other' threw an exception of a non-standard type"));
  EXPECT_THAT(results[3].error(), HasSubstr("indicator 'returns_error' failed: UNAVAILABLE: source table missing"));
  EXPECT_EQ(results[4].error(), "");
  EXPECT_EQ(results[4].value().number(), 1);
  EXPECT_THAT(results[5].error(),
              HasSubstr("indicator 'uses_failed': input 'returns_error' failed"));
}

TEST(IndicatorRegistryTest, EvidenceByIndexBecomesFactRefs) {
  IndicatorRegistry registry;
  CREDIT_ASSERT_OK(registry.RegisterAll(
      {Fake("by_index", Mode::kEvidenceByIndex),
       Fake("past_end", Mode::kEvidencePastEnd), Fake("after")}));
  FactsBuilder facts;
  facts.Add("x", D(2020, 1, 1));
  facts.Add("y", D(2021, 1, 1), "tax");
  auto results = registry.EvaluateAll(facts.Build(), AsOf(2024, 1, 1));
  ASSERT_EQ(results.size(), 3u);
  EXPECT_EQ(results[0].error(), "");
  EXPECT_THAT(EvidenceIds(results[0]), ElementsAre("r9", "r2", "r1"));
  EXPECT_EQ(results[0].evidence(1).record().source(), "tax");
  EXPECT_EQ(results[0].evidence(1).fact_index(), 0u);
  EXPECT_THAT(results[1].error(),
              HasSubstr("indicator 'past_end' returned evidence fact 2, but "
                        "the entity has 2 facts"));
  EXPECT_EQ(results[1].evidence_size(), 0);
  EXPECT_EQ(results[2].error(), "");
}

TEST(IndicatorRegistryTest, ArenaResultsEqualHeapResults) {
  IndicatorRegistry registry;
  CREDIT_ASSERT_OK(registry.RegisterAll(
      {Fake("a"), Fake("by_index", Mode::kEvidenceByIndex),
       Fake("boom", Mode::kThrowStd), Fake("sum", Mode::kSumInputs, {"a"})}));
  FactsBuilder facts;
  facts.Add("x", D(2020, 1, 1));
  facts.Add("y", D(2021, 1, 1));
  const EntityView view = facts.Build(3);
  auto heap = registry.EvaluateAll(view, AsOf(2024, 1, 1));
  google::protobuf::Arena arena;
  auto* on_arena =
      google::protobuf::Arena::CreateMessage<v1::IndicatorResults>(&arena);
  on_arena->add_results()->set_name("stale");  // replaced, not appended to
  registry.EvaluateAllInto(view, AsOf(2024, 1, 1), on_arena);
  ASSERT_EQ(on_arena->results_size(), static_cast<int>(heap.size()));
  for (std::size_t i = 0; i < heap.size(); ++i) {
    EXPECT_EQ(on_arena->results(static_cast<int>(i)).SerializeAsString(),
              heap[i].SerializeAsString())
        << heap[i].name();
  }
}

// The bytes the engine stores parse to exactly the results EvaluateAll
// returns: the evidence of declarative rules (appended as serialized
// FactRefs) in order, a scorecard's evidence passed on from its inputs, a
// FactRef-then-index mix, a failed indicator and an index past the end.
TEST(IndicatorRegistryTest, SerializedResultsParseToTheHeapResults) {
  auto rules = ParseRuleText(R"pb(
    rule { name: "penalties" version: 1 filter { kind: "x" } aggregate: COUNT }
    rule { name: "latest_y" version: 2 filter { kind: "y" } aggregate: DAYS_SINCE_LATEST }
    scorecard {
      name: "card" version: 1 base_score: 50
      component { indicator: "penalties" bin { max: 1 points: 0 } bin { min: 1 points: -20 } }
      grade_band { grade: "A" min_score: 50 }
      default_grade: "D"
    }
  )pb", "test");
  CREDIT_ASSERT_OK(rules.status());
  auto built = BuildRuleIndicators(*rules);
  CREDIT_ASSERT_OK(built.status());
  IndicatorRegistry registry;
  CREDIT_ASSERT_OK(registry.RegisterAll(*built));
  CREDIT_ASSERT_OK(registry.RegisterAll(
      {Fake("mixed", Mode::kEvidenceByIndex), Fake("boom", Mode::kThrowStd),
       Fake("past_end", Mode::kEvidencePastEnd)}));
  // Fact indices of one and two varint bytes and 0 (left out of the wire
  // format), a record id longer than 127 bytes, UTF-8 text.
  auto fact = [](std::string kind, v1::Date date, std::string source,
                 std::string record_id, std::uint32_t fact_index) {
    EntityFact f;
    f.record.set_source(std::move(source));
    f.record.set_record_id(std::move(record_id));
    f.fact_index = fact_index;
    f.fact.set_kind(std::move(kind));
    *f.fact.mutable_occurred_at() = date;
    f.fact.set_status(v1::Fact::ACTIVE);
    return f;
  };
  v1::Entity entity;
  entity.set_id(5);
  const EntityView view(
      entity, {fact("x", D(2020, 1, 1), "market", "r1", 0),
               fact("y", D(2021, 1, 1), "法院", "判决-2021-7", 300),
               fact("x", D(2022, 3, 4), "tax", std::string(200, 'z'), 3)});
  EvalContext ctx = AsOf(2024, 1, 1);
  ctx.evaluated_at_micros = 77;
  const auto heap = registry.EvaluateAll(view, ctx);
  std::vector<std::string> names;
  std::vector<v1::IndicatorResult> parsed;
  registry.EvaluateAllSerialized(
      view, ctx, [&](std::string_view name, std::string_view bytes) {
        names.emplace_back(name);
        ASSERT_TRUE(parsed.emplace_back().ParseFromArray(
            bytes.data(), static_cast<int>(bytes.size())));
      });
  ASSERT_EQ(parsed.size(), heap.size());
  for (std::size_t i = 0; i < heap.size(); ++i) {
    EXPECT_EQ(names[i], heap[i].name());
    EXPECT_EQ(parsed[i].SerializeAsString(), heap[i].SerializeAsString())
        << heap[i].name() << "\nserialized path: " << parsed[i].DebugString()
        << "\nheap: " << heap[i].DebugString();
  }
  // Not vacuous: the rules and the scorecard carry evidence by index.
  EXPECT_EQ(heap[0].evidence_size(), 2);
  EXPECT_EQ(heap[2].evidence_size(), 2);
  EXPECT_EQ(heap[3].evidence_size(), 3);
  EXPECT_NE(heap[4].error(), "");
}

TEST(IndicatorRegistryTest, EvaluateOneComputesOnlyItsInputs) {
  IndicatorRegistry registry;
  CREDIT_ASSERT_OK(registry.RegisterAll(
      {Fake("a"), Fake("boom", Mode::kThrowStd), Fake("b"),
       Fake("sum", Mode::kSumInputs, {"a", "b"}),
       Fake("sum2", Mode::kSumInputs, {"sum", "a"})}));
  FactsBuilder facts;
  facts.Add("x", D(2020, 1, 1));
  facts.Add("x", D(2020, 1, 1));
  auto result = registry.Evaluate("sum2", facts.Build(), AsOf(2024, 1, 1));
  CREDIT_ASSERT_OK(result);
  EXPECT_EQ(result->error(), "");
  EXPECT_EQ(result->value().number(), 6);  // (2 + 2) + 2
  EXPECT_THAT(registry.Evaluate("missing", facts.Build(), AsOf(2024, 1, 1)),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("'missing'")));
  auto boom = registry.Evaluate("boom", facts.Build(), AsOf(2024, 1, 1));
  CREDIT_ASSERT_OK(boom);
  EXPECT_THAT(boom->error(), HasSubstr("kaboom"));
}

TEST(IndicatorRegistryTest, ConcurrentEvaluationAndRegistration) {
  IndicatorRegistry registry;
  CREDIT_ASSERT_OK(registry.Register(Fake("a")));
  FactsBuilder facts;
  facts.Add("x", D(2020, 1, 1));
  const EntityView view = facts.Build();
  std::atomic<int> bad{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 500; ++i) {
        auto results = registry.EvaluateAll(view, AsOf(2024, 1, 1));
        if (results.empty() || results[0].value().number() != 1) ++bad;
      }
    });
  }
  for (int i = 0; i < 50; ++i) {
    CREDIT_EXPECT_OK(registry.Register(Fake("extra_" + std::to_string(i))));
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(bad.load(), 0);
  EXPECT_EQ(registry.List().size(), 51u);
}

}  // namespace
}  // namespace credit
