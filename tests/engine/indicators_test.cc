// Credit indicators through the engine: stored in the same write as the
// change, re-evaluated on merges and fact status changes, computed on the
// fly for another as-of date, rules kept in the store, failures isolated.
#include <atomic>
#include <stdexcept>

#include "absl/time/time.h"
#include "fmt/format.h"
#include "credit/credit.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "engine_test_util.h"
#include "test_support.h"

namespace credit {
namespace {

using ::credit::testing::IsOk;
using ::credit::testing::StatusIs;
using ::credit::testing::TempDir;
using ::testing::HasSubstr;

using ::credit::testing::Org;
constexpr const char* kUscc = ::credit::testing::kUsccA;

// 2024-07-01 00:00 UTC.
class FixedClock : public Clock {
 public:
  std::int64_t NowMicros() const override {
    return absl::ToUnixMicros(absl::FromCivil(absl::CivilDay(2024, 7, 1),
                                              absl::UTCTimeZone()));
  }
};

v1::Date MakeDate(int y, int m, int d) {
  v1::Date date;
  date.set_year(y);
  date.set_month(m);
  date.set_day(d);
  return date;
}

void AddPenalty(v1::Record* record, v1::Date when, double amount) {
  auto* fact = record->add_facts();
  fact->set_kind("administrative_penalty");
  *fact->mutable_occurred_at() = when;
  fact->set_amount(amount);
  fact->set_severity(2);
  fact->set_status(v1::Fact::ACTIVE);
}

v1::RuleSet Rules() {
  auto rules = ParseRuleText(R"pb(
    rule {
      name: "penalties_36m"
      version: 1
      filter { kind: "administrative_penalty" within_months: 36 }
      aggregate: COUNT
    }
    rule {
      name: "penalty_amount"
      version: 2
      filter { kind: "administrative_penalty" }
      aggregate: SUM_AMOUNT
    }
  )pb",
                             "test rules");
  EXPECT_THAT(rules, IsOk());
  return *rules;
}

const v1::IndicatorResult* Find(const std::vector<v1::IndicatorResult>& results,
                                std::string_view name) {
  for (const auto& r : results) {
    if (r.name() == name) return &r;
  }
  return nullptr;
}

class EngineIndicatorsTest : public ::testing::Test {
 protected:
  void SetUp() override { Reopen(); }
  void Reopen(bool register_rules = true) {
    engine_.reset();
    Options options;
    options.clock = &clock_;
    options.register_stored_rules = register_rules;
    auto engine = Engine::Open(dir_.Sub("db"), options);
    ASSERT_THAT(engine, IsOk());
    engine_ = *std::move(engine);
    ::credit::testing::RegisterMarketSource(*engine_);
  }
  std::vector<v1::IndicatorResult> Stored(const std::string& record_id) {
    auto entity = engine_->GetEntityOfRecord("market", record_id);
    EXPECT_THAT(entity, IsOk());
    auto results = engine_->GetIndicators(entity->id());
    EXPECT_THAT(results, IsOk());
    return results.ok() ? *results : std::vector<v1::IndicatorResult>{};
  }
  // Sets the rules and ingests market/1 with two penalties in the window
  // (1,000 in 2023-05, 300 in 2024-02); returns the record as sent.
  v1::Record IngestTwoPenalties() {
    EXPECT_THAT(engine_->SetRules(Rules()), IsOk());
    v1::Record a = Org("1", "甲乙丙科技有限公司", kUscc);
    AddPenalty(&a, MakeDate(2023, 5, 1), 1000);
    AddPenalty(&a, MakeDate(2024, 2, 1), 300);
    EXPECT_THAT(engine_->Ingest("market", {a}), IsOk());
    return a;
  }
  static v1::RecordKey MarketKey(const std::string& record_id) {
    v1::RecordKey key;
    key.set_source("market");
    key.set_record_id(record_id);
    return key;
  }
  FixedClock clock_;
  TempDir dir_;
  std::unique_ptr<Engine> engine_;
};

TEST_F(EngineIndicatorsTest, ResultsAreStoredWithTheChangeThatCausedThem) {
  ASSERT_THAT(engine_->SetRules(Rules()), IsOk());
  v1::Record a = Org("1", "甲乙丙科技有限公司", kUscc);
  AddPenalty(&a, MakeDate(2023, 5, 1), 1000);
  AddPenalty(&a, MakeDate(2019, 5, 1), 500);  // outside 36 months
  ASSERT_THAT(engine_->Ingest("market", {a}), IsOk());
  auto results = Stored("1");
  ASSERT_EQ(results.size(), 2u);
  const auto* count = Find(results, "penalties_36m");
  ASSERT_NE(count, nullptr);
  EXPECT_EQ(count->value().number(), 1);
  EXPECT_EQ(count->version(), 1u);
  EXPECT_EQ(count->as_of().year(), 2024);
  EXPECT_EQ(count->as_of().month(), 7);
  ASSERT_EQ(count->evidence_size(), 1);
  EXPECT_EQ(count->evidence(0).record().record_id(), "1");
  EXPECT_EQ(count->evidence(0).fact_index(), 0u);
  EXPECT_EQ(Find(results, "penalty_amount")->value().number(), 1500);
  EXPECT_EQ(Find(results, "penalty_amount")->version(), 2u);

  // A second record of the same company links in: its facts count too.
  v1::Record b = Org("2", "甲乙丙科技有限公司", kUscc);
  AddPenalty(&b, MakeDate(2024, 1, 10), 200);
  ASSERT_THAT(engine_->Ingest("market", {b}), IsOk());
  results = Stored("2");
  EXPECT_EQ(Find(results, "penalties_36m")->value().number(), 2);
  EXPECT_EQ(Find(results, "penalty_amount")->value().number(), 1700);
}

TEST_F(EngineIndicatorsTest, DisputedAndRepairedFactsStopCounting) {
  IngestTwoPenalties();
  const v1::RecordKey key = MarketKey("1");
  IngestOptions clerk;
  clerk.access.actor = "clerk-3";
  ASSERT_THAT(engine_->SetFactStatus(key, 1, v1::Fact::DISPUTED,
                                     "subject filed objection 2024-06", clerk),
              IsOk());
  auto results = Stored("1");
  EXPECT_EQ(Find(results, "penalties_36m")->value().number(), 1);
  EXPECT_EQ(Find(results, "penalty_amount")->value().number(), 1000);
  auto record = engine_->GetRecord("market", "1");
  EXPECT_EQ(record->facts(1).status(), v1::Fact::DISPUTED);
  EXPECT_EQ(record->facts(1).status_reason(), "subject filed objection 2024-06");
  // Dispute settled in the agency's favour: it counts again.
  ASSERT_THAT(engine_->SetFactStatus(key, 1, v1::Fact::ACTIVE,
                                     "objection rejected", clerk),
              IsOk());
  EXPECT_EQ(Find(Stored("1"), "penalties_36m")->value().number(), 2);
  ASSERT_THAT(engine_->SetFactStatus(key, 0, v1::Fact::REPAIRED,
                                     "credit repair completed", clerk),
              IsOk());
  EXPECT_EQ(Find(Stored("1"), "penalties_36m")->value().number(), 1);

  EXPECT_THAT(engine_->SetFactStatus(key, 7, v1::Fact::DISPUTED, "x", clerk),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("has 2 fact(s)")));
  EXPECT_THAT(engine_->SetFactStatus(key, 0, v1::Fact::DISPUTED, "", clerk),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("reason")));
  v1::RecordKey missing = key;
  missing.set_record_id("nope");
  EXPECT_THAT(engine_->SetFactStatus(missing, 0, v1::Fact::DISPUTED, "x", clerk),
              StatusIs(absl::StatusCode::kNotFound));
}

TEST_F(EngineIndicatorsTest, ADisputeSurvivesTheSourceSendingTheFactAgain) {
  const v1::Record a = IngestTwoPenalties();
  const v1::RecordKey key = MarketKey("1");
  ASSERT_THAT(engine_->SetFactStatus(key, 1, v1::Fact::DISPUTED,
                                     "subject filed objection", {}),
              IsOk());
  // The same file again: the dispute stands, the fact does not count.
  ASSERT_THAT(engine_->Ingest("market", {a}), IsOk());
  auto record = engine_->GetRecord("market", "1");
  EXPECT_EQ(record->facts(1).status(), v1::Fact::DISPUTED);
  EXPECT_EQ(record->facts(1).status_reason(), "subject filed objection");
  EXPECT_EQ(record->facts(0).status_reason(), "");
  EXPECT_EQ(Find(Stored("1"), "penalties_36m")->value().number(), 1);
  // The source corrects the fact (another amount): its own status holds.
  v1::Record corrected = a;
  corrected.mutable_facts(1)->set_amount(250);
  ASSERT_THAT(engine_->Ingest("market", {corrected}), IsOk());
  record = engine_->GetRecord("market", "1");
  EXPECT_EQ(record->facts(1).status(), a.facts(1).status());
  EXPECT_EQ(record->facts(1).status_reason(), "");
  EXPECT_EQ(Find(Stored("1"), "penalties_36m")->value().number(), 2);
}

TEST_F(EngineIndicatorsTest, AnotherAsOfDateIsComputedNotStored) {
  IngestTwoPenalties();
  const uint64_t id = engine_->GetEntityOfRecord("market", "1")->id();
  // As of 2023-12-31 the February 2024 penalty did not exist yet.
  auto then = engine_->GetIndicators(id, MakeDate(2023, 12, 31));
  ASSERT_THAT(then, IsOk());
  EXPECT_EQ(Find(*then, "penalties_36m")->value().number(), 1);
  EXPECT_EQ(Find(*then, "penalties_36m")->as_of().year(), 2023);
  // Stored results are untouched.
  EXPECT_EQ(Find(Stored("1"), "penalties_36m")->value().number(), 2);
}

TEST_F(EngineIndicatorsTest, RulesAreKeptInTheStoreAndReplacedWhole) {
  ASSERT_THAT(engine_->SetRules(Rules()), IsOk());
  Reopen();
  EXPECT_THAT(engine_->ListIndicators(),
              ::testing::ElementsAre("penalties_36m", "penalty_amount"));
  Reopen(/*register_rules=*/false);
  EXPECT_TRUE(engine_->ListIndicators().empty());
  Reopen();
  // A refused rule set changes nothing.
  v1::RuleSet bad = Rules();
  bad.mutable_rule(1)->set_name("penalties_36m");  // duplicate
  EXPECT_THAT(engine_->SetRules(bad),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(engine_->ListIndicators().size(), 2u);
  // A new set replaces the old one; names may stay with a new version.
  v1::RuleSet next;
  *next.add_rule() = Rules().rule(0);
  next.mutable_rule(0)->set_version(2);
  ASSERT_THAT(engine_->SetRules(next), IsOk());
  EXPECT_THAT(engine_->ListIndicators(), ::testing::ElementsAre("penalties_36m"));
  EXPECT_EQ(engine_->GetRules().rule(0).version(), 2u);
}

TEST_F(EngineIndicatorsTest, RuleChangeIsReevaluatedInBatchesWithProgress) {
  for (int i = 0; i < 25; ++i) {
    v1::Record r = Org(std::to_string(i), "公司" + std::to_string(i) + "号商贸", "");
    AddPenalty(&r, MakeDate(2024, 1, 1), 10);
    ASSERT_THAT(engine_->Ingest("market", {r}), IsOk());
  }
  EXPECT_TRUE(engine_->GetIndicators(engine_->GetEntityOfRecord("market", "3")->id())
                  ->empty());
  ASSERT_THAT(engine_->SetRules(Rules()), IsOk());
  EvaluateOptions options;
  options.batch_size = 10;
  std::vector<uint64_t> progress;
  options.progress = [&](uint64_t done, uint64_t) { progress.push_back(done); };
  auto evaluated = engine_->EvaluateIndicators(options);
  ASSERT_THAT(evaluated, IsOk());
  const uint64_t entities = engine_->GetStats()->entities();
  EXPECT_EQ(*evaluated, entities);
  EXPECT_EQ(progress.back(), entities);
  EXPECT_GE(progress.size(), 2u);
  EXPECT_EQ(Find(Stored("3"), "penalty_amount")->value().number() >= 10, true);
}

// An indicator that throws for some entities and fails for others.
class BrokenIndicator : public Indicator {
 public:
  std::string name() const override { return "broken"; }
  std::uint32_t version() const override { return 1; }
  std::string description() const override { return "throws"; }
  absl::StatusOr<IndicatorOutput> Evaluate(const EntityView& entity,
                                           const EvalContext&,
                                           const IndicatorInputs&) const override {
    if (entity.facts().size() > 1) throw std::runtime_error("boom");
    return absl::InternalError("cannot compute");
  }
};

TEST_F(EngineIndicatorsTest, AFailingIndicatorFailsAloneAndIngestGoesOn) {
  ASSERT_THAT(engine_->SetRules(Rules()), IsOk());
  ASSERT_THAT(engine_->RegisterIndicator(std::make_shared<BrokenIndicator>()),
              IsOk());
  EXPECT_THAT(engine_->RegisterIndicator(std::make_shared<BrokenIndicator>()),
              StatusIs(absl::StatusCode::kAlreadyExists));
  v1::Record a = Org("1", "甲乙丙科技有限公司", kUscc);
  AddPenalty(&a, MakeDate(2023, 5, 1), 1000);
  AddPenalty(&a, MakeDate(2024, 2, 1), 300);
  ASSERT_THAT(engine_->Ingest("market", {a}), IsOk());
  auto results = Stored("1");
  ASSERT_EQ(results.size(), 3u);
  EXPECT_THAT(Find(results, "broken")->error(), HasSubstr("boom"));
  EXPECT_FALSE(Find(results, "broken")->value().has_number());
  EXPECT_EQ(Find(results, "penalties_36m")->value().number(), 2);
  EXPECT_TRUE(Find(results, "penalties_36m")->error().empty());
}

TEST_F(EngineIndicatorsTest, MergedEntitiesLeaveNoStaleResults) {
  ASSERT_THAT(engine_->SetRules(Rules()), IsOk());
  IngestOptions no_link;
  no_link.link = false;
  v1::Record a = Org("1", "甲乙丙科技有限公司", kUscc);
  AddPenalty(&a, MakeDate(2023, 5, 1), 1000);
  v1::Record b = Org("2", "甲乙丙科技有限公司", kUscc);
  AddPenalty(&b, MakeDate(2024, 5, 1), 1000);
  ASSERT_THAT(engine_->Ingest("market", {a}, no_link), IsOk());
  ASSERT_THAT(engine_->Ingest("market", {b}, no_link), IsOk());
  const uint64_t retired = engine_->GetEntityOfRecord("market", "2")->id();
  EXPECT_EQ(Find(Stored("2"), "penalties_36m")->value().number(), 1);
  ASSERT_THAT(engine_->ResolveAll(), IsOk());
  EXPECT_EQ(Find(Stored("2"), "penalties_36m")->value().number(), 2);
  // The retired id reads the survivor's results, never its own stale ones.
  auto via_retired = engine_->GetIndicators(retired);
  ASSERT_THAT(via_retired, IsOk());
  EXPECT_EQ(Find(*via_retired, "penalties_36m")->value().number(), 2);
  EXPECT_EQ(Find(*via_retired, "penalties_36m")->entity_id(),
            engine_->GetEntityOfRecord("market", "1")->id());
}

// A valid USCC for company `n` (the check characters found by trying them).
std::string CompanyUscc(int n) {
  const std::string body = fmt::format("91440300{:08d}", n);
  for (char org_check : std::string("0123456789X")) {
    for (char check : std::string("0123456789ABCDEFGHJKLMNPQRTUWXY")) {
      const std::string uscc = body + org_check + check;
      auto valid = ValidateUscc(uscc);
      if (valid.ok() && valid->checksum_verified && valid->org_code_verified) {
        return uscc;
      }
    }
  }
  ADD_FAILURE() << "no valid USCC for " << body;
  return "";
}

// A batch that changes hundreds of entities builds their profiles and
// indicators on all cores: each entity must still get its own results, for
// new entities and for old ones whose stored members are read back.
TEST_F(EngineIndicatorsTest, AManyEntityBatchStoresEachEntitysOwnResults) {
  ASSERT_THAT(engine_->SetRules(Rules()), IsOk());
  constexpr int kCompanies = 600;  // past both thresholds of two threads
  std::vector<std::string> usccs;
  std::vector<v1::Record> first;
  for (int i = 0; i < kCompanies; ++i) {
    usccs.push_back(CompanyUscc(i + 1));
    v1::Record record = Org(fmt::format("a{}", i), "公司", usccs.back());
    // Company i has i % 4 penalties in the window.
    for (int p = 0; p < i % 4; ++p) {
      AddPenalty(&record, MakeDate(2023, 1 + p, 1), 100.0 * (i + 1));
    }
    first.push_back(std::move(record));
  }
  ASSERT_THAT(engine_->Ingest("market", first), IsOk());
  for (int i = 0; i < kCompanies; ++i) {
    const auto results = Stored(fmt::format("a{}", i));
    ASSERT_NE(Find(results, "penalties_36m"), nullptr) << i;
    EXPECT_EQ(Find(results, "penalties_36m")->value().number(), i % 4) << i;
    EXPECT_EQ(Find(results, "penalty_amount")->value().number(),
              (i % 4) * 100.0 * (i + 1))
        << i;
  }
  // A second record of every company, each with one more penalty: every
  // entity changes and its first record is read back from the store.
  std::vector<v1::Record> second;
  for (int i = 0; i < kCompanies; ++i) {
    v1::Record record = Org(fmt::format("b{}", i), "公司", usccs[i]);
    AddPenalty(&record, MakeDate(2024, 2, 1), 1);
    second.push_back(std::move(record));
  }
  auto report = engine_->Ingest("market", second);
  ASSERT_THAT(report, IsOk());
  EXPECT_EQ(report->affected_entities_size(), kCompanies);
  for (int i = 0; i < kCompanies; ++i) {
    const auto entity = engine_->GetEntityOfRecord("market", fmt::format("b{}", i));
    ASSERT_THAT(entity, IsOk());
    EXPECT_EQ(entity->members_size(), 2) << i;
    EXPECT_EQ(entity->id(),
              engine_->GetEntityOfRecord("market", fmt::format("a{}", i))->id());
    const auto results = Stored(fmt::format("b{}", i));
    EXPECT_EQ(Find(results, "penalties_36m")->value().number(), i % 4 + 1) << i;
    EXPECT_EQ(Find(results, "penalty_amount")->value().number(),
              (i % 4) * 100.0 * (i + 1) + 1)
        << i;
  }
}

}  // namespace
}  // namespace credit
