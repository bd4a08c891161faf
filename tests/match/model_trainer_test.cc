#include "match/model_trainer.h"

#include <random>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "match/blocking_keys.h"
#include "record_builder.h"
#include "test_support.h"

namespace credit {
namespace {

using ::credit::testing::RecordBuilder;
using ::credit::testing::StatusIs;
using ::testing::HasSubstr;

v1::FeatureComparison* Comp(v1::MatchModel* model, Comparison c) {
  for (auto& fc : *model->mutable_comparisons()) {
    if (fc.name() == ComparisonName(c)) return &fc;
  }
  return nullptr;
}

int Draw(std::mt19937& rng, const std::vector<double>& p) {
  std::discrete_distribution<int> d(p.begin(), p.end());
  return d(rng);
}

// Planted m, u and λ; EM (u known) must recover m and λ.
TEST(RunEmTest, RecoversPlantedProbabilities) {
  struct Planted {
    Comparison c;
    std::vector<double> m;
    std::vector<double> u;
  };
  const std::vector<Planted> planted = {
      {Comparison::kFamilyName,
       {0.80, 0.12, 0.05, 0.03},
       {0.02, 0.03, 0.10, 0.85}},
      {Comparison::kGivenName,
       {0.70, 0.20, 0.05, 0.05},
       {0.03, 0.02, 0.15, 0.80}},
      {Comparison::kDob,
       {0.75, 0.02, 0.12, 0.04, 0.03, 0.04},
       {0.01, 0.01, 0.03, 0.05, 0.10, 0.80}},
      {Comparison::kUncheckedId, {0.85, 0.10, 0.05}, {0.01, 0.04, 0.95}},
  };
  constexpr double kLambda = 0.3;
  std::mt19937 rng(123);
  LevelObservations obs;
  for (int i = 0; i < 40000; ++i) {
    const bool match = std::bernoulli_distribution(kLambda)(rng);
    PairScore s;
    for (const auto& p : planted) {
      s.entries[s.size++] = {
          p.c, static_cast<std::uint8_t>(Draw(rng, match ? p.m : p.u)), 0, 0.0};
    }
    obs.Add(s);
  }
  v1::MatchModel model = DefaultMatchModel();
  for (const auto& p : planted) {
    auto* fc = Comp(&model, p.c);
    for (int l = 0; l < fc->levels_size(); ++l) {
      fc->mutable_levels(l)->set_u(p.u[l]);
      // Start far from the truth: m uniform over the levels.
      fc->mutable_levels(l)->set_m(1.0 / fc->levels_size());
    }
  }
  const EmResult em = RunEm(obs, model, 0.5, TrainingOptions{});
  EXPECT_TRUE(em.converged);
  EXPECT_NEAR(em.lambda, kLambda, 0.02);
  for (const auto& p : planted) {
    for (std::size_t l = 0; l < p.m.size(); ++l) {
      EXPECT_NEAR(em.m[static_cast<int>(p.c)][l], p.m[l], 0.025)
          << ComparisonName(p.c) << " level " << l;
    }
  }
}

// Synthetic people with planted defect rates; TrainModel must find them.
TEST(TrainModelTest, LearnsFromSyntheticDuplicates) {
  std::mt19937 rng(99);
  auto word = [&rng](int length) {
    std::string w;
    for (int k = 0; k < length; ++k)
      w.push_back(static_cast<char>('a' + rng() % 26));
    return w;
  };
  auto typo = [&rng](std::string w) {
    w[1 + rng() % (w.size() - 1)] = static_cast<char>('a' + rng() % 26);
    return w;
  };
  std::vector<v1::Record> records;
  constexpr double kFamilyExact = 0.8;
  for (int e = 0; e < 1500; ++e) {
    const std::string family = word(8), given = word(6);
    const int y = 1940 + rng() % 60, m = 1 + rng() % 12, d = 1 + rng() % 28;
    const std::string ssid = std::to_string(1000000 + rng() % 9000000);
    records.push_back(RecordBuilder(v1::PERSON, records.size() + 1)
                          .PersonName(family, given)
                          .Dob(y, m, d)
                          .Id(v1::Feature::OTHER, ssid, false, "", "ssid")
                          .Build());
    if (e % 2 == 0) {
      const bool exact = std::bernoulli_distribution(kFamilyExact)(rng);
      records.push_back(RecordBuilder(v1::PERSON, records.size() + 1)
                            .PersonName(exact ? family : typo(family), given)
                            .Dob(y, m, d)
                            .Id(v1::Feature::OTHER, ssid, false, "", "ssid")
                            .Build());
    }
  }
  auto scorer = PairScorer::Create(DefaultMatchModel());
  CREDIT_ASSERT_OK(scorer);
  std::vector<PreparedRecord> prepared;
  std::vector<std::vector<BlockingKey>> keys;
  for (const auto& r : records) {
    prepared.push_back(scorer->Prepare(r));
    keys.push_back(BlockingKeys(ExtractRecordFields(r)));
  }
  const CandidatePairs candidates = FindCandidatePairs(keys);
  TrainingReport report;
  absl::StatusOr<v1::MatchModel> trained = TrainModel(
      scorer->model(), prepared, candidates.pairs, TrainingOptions{}, &report);
  CREDIT_ASSERT_OK(trained);
  CREDIT_EXPECT_OK(ValidateMatchModel(*trained));
  EXPECT_EQ(trained->version(), 2u);
  EXPECT_THAT(trained->description(), HasSubstr("em:"));
  EXPECT_TRUE(report.converged);
  const auto* family = Comp(&*trained, Comparison::kFamilyName);
  EXPECT_NEAR(family->levels(0).m(), kFamilyExact, 0.06);
  // Random 8-letter names almost never agree among non-matches.
  EXPECT_LT(family->levels(0).u(), 0.01);
  EXPECT_GT(family->levels(3).u(), 0.95);
  // 750 true pairs among 2250 records.
  EXPECT_NEAR(trained->prior_match_probability(), 750.0 / (2250.0 * 2249 / 2),
              1e-4);

  // The round trip through bytes keeps the trained model usable.
  std::string bytes;
  ASSERT_TRUE(trained->SerializeToString(&bytes));
  v1::MatchModel parsed;
  ASSERT_TRUE(parsed.ParseFromString(bytes));
  CREDIT_EXPECT_OK(PairScorer::Create(parsed));
}

TEST(TrainModelTest, RefusesEmptyInput) {
  auto scorer = PairScorer::Create(DefaultMatchModel());
  CREDIT_ASSERT_OK(scorer);
  std::vector<PreparedRecord> prepared;
  prepared.push_back(scorer->Prepare(
      RecordBuilder(v1::PERSON, 1).PersonName("a", "b").Build()));
  prepared.push_back(scorer->Prepare(
      RecordBuilder(v1::PERSON, 2).PersonName("a", "b").Build()));
  EXPECT_THAT(TrainModel(scorer->model(), prepared, {}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("no candidate pairs")));
  const std::vector<std::pair<std::uint32_t, std::uint32_t>> bad = {{0, 5}};
  EXPECT_THAT(
      TrainModel(scorer->model(), prepared, bad),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("out of range")));
}

}  // namespace
}  // namespace credit
