#include "match/model_trainer.h"

#include <algorithm>
#include <cmath>

#include "fmt/format.h"

namespace credit {
namespace match_internal {
namespace {

// Deterministic 64-bit generator (splitmix64).
class SplitMix64 {
 public:
  explicit SplitMix64(std::uint64_t seed) : state_(seed) {}
  std::uint64_t Next() {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  std::uint64_t Below(std::uint64_t n) { return Next() % n; }

 private:
  std::uint64_t state_;
};

int ComparisonIndex(const v1::FeatureComparison& fc) {
  for (int c = 0; c < kComparisonCount; ++c) {
    if (ComparisonName(static_cast<Comparison>(c)) == fc.name()) return c;
  }
  return -1;
}

// Returns model.comparisons() indexed by Comparison.
std::array<int, kComparisonCount> ComparisonSlots(const v1::MatchModel& model) {
  std::array<int, kComparisonCount> slots{};
  for (int i = 0; i < model.comparisons_size(); ++i) {
    slots[ComparisonIndex(model.comparisons(i))] = i;
  }
  return slots;
}

}  // namespace
}  // namespace match_internal

using match_internal::ComparisonSlots;
using match_internal::SplitMix64;

void LevelObservations::Add(const PairScore& score) {
  for (int i = 0; i < score.size; ++i) {
    entries.push_back({score.entries[i].comparison, score.entries[i].level});
  }
  offsets.push_back(static_cast<std::uint32_t>(entries.size()));
}

EmResult RunEm(const LevelObservations& obs, const v1::MatchModel& model,
               double initial_lambda, const TrainingOptions& options) {
  const auto slots = ComparisonSlots(model);
  EmResult result;
  std::array<std::vector<double>, kComparisonCount> log2_u;
  for (int c = 0; c < kComparisonCount; ++c) {
    const auto& fc = model.comparisons(slots[c]);
    for (const auto& level : fc.levels()) {
      result.m[c].push_back(level.m());
      log2_u[c].push_back(std::log2(level.u()));
    }
  }
  double lambda = std::clamp(initial_lambda, 1e-6, 1 - 1e-6);
  std::array<std::vector<double>, kComparisonCount> m_sum;
  std::array<double, kComparisonCount> m_total{};
  for (result.iterations = 1; result.iterations <= options.max_iterations;
       ++result.iterations) {
    std::array<std::vector<double>, kComparisonCount> log2_m;
    for (int c = 0; c < kComparisonCount; ++c) {
      log2_m[c].clear();
      for (double m : result.m[c]) log2_m[c].push_back(std::log2(m));
      m_sum[c].assign(result.m[c].size(), 0.0);
      m_total[c] = 0;
    }
    const double prior = std::log2(lambda / (1 - lambda));
    double p_total = 0;
    for (std::size_t i = 0; i < obs.pairs(); ++i) {
      double w = prior;
      for (std::uint32_t k = obs.offsets[i]; k < obs.offsets[i + 1]; ++k) {
        const auto& e = obs.entries[k];
        const int c = static_cast<int>(e.comparison);
        w += log2_m[c][e.level] - log2_u[c][e.level];
      }
      const double p = 1.0 / (1.0 + std::exp2(-std::clamp(w, -1000.0, 1000.0)));
      p_total += p;
      for (std::uint32_t k = obs.offsets[i]; k < obs.offsets[i + 1]; ++k) {
        const auto& e = obs.entries[k];
        const int c = static_cast<int>(e.comparison);
        m_sum[c][e.level] += p;
        m_total[c] += p;
      }
    }
    double max_change = 0;
    for (int c = 0; c < kComparisonCount; ++c) {
      if (m_total[c] <= 0) continue;  // never observed: keep the start m
      for (std::size_t l = 0; l < result.m[c].size(); ++l) {
        const double m =
            std::max(m_sum[c][l] / m_total[c], options.min_probability);
        max_change = std::max(max_change, std::abs(m - result.m[c][l]));
        result.m[c][l] = m;
      }
    }
    const double new_lambda =
        std::clamp(p_total / std::max<double>(1, obs.pairs()), 1e-6, 1 - 1e-6);
    max_change = std::max(max_change, std::abs(new_lambda - lambda));
    lambda = new_lambda;
    if (max_change < options.tolerance) {
      result.converged = true;
      break;
    }
  }
  result.iterations = std::min(result.iterations, options.max_iterations);
  result.lambda = lambda;
  return result;
}

absl::StatusOr<v1::MatchModel> TrainModel(
    const v1::MatchModel& start, std::span<const PreparedRecord> records,
    std::span<const std::pair<std::uint32_t, std::uint32_t>> candidate_pairs,
    const TrainingOptions& options, TrainingReport* report) {
  absl::StatusOr<PairScorer> scorer = PairScorer::Create(start);
  if (!scorer.ok()) return scorer.status();
  if (records.size() < 2) {
    return absl::InvalidArgumentError(
        fmt::format("TrainModel: {} records given; training needs at least 2",
                    records.size()));
  }
  if (candidate_pairs.empty()) {
    return absl::InvalidArgumentError(
        "TrainModel: no candidate pairs; run blocking (FindCandidatePairs) "
        "over the records first");
  }
  const auto slots = ComparisonSlots(start);
  v1::MatchModel model = start;

  // u from random pairs.
  std::array<std::vector<double>, kComparisonCount> u_count;
  for (int c = 0; c < kComparisonCount; ++c) {
    u_count[c].assign(start.comparisons(slots[c]).levels_size(), 0.0);
  }
  SplitMix64 rng(options.seed);
  const std::uint64_t n = records.size();
  for (std::size_t k = 0; k < options.random_pairs; ++k) {
    const std::uint64_t i = rng.Below(n);
    std::uint64_t j = rng.Below(n - 1);
    if (j >= i) ++j;
    const PairScore s = scorer->Score(records[i], records[j]);
    for (int e = 0; e < s.size; ++e) {
      u_count[static_cast<int>(s.entries[e].comparison)][s.entries[e].level] +=
          1;
    }
  }
  for (int c = 0; c < kComparisonCount; ++c) {
    auto* fc = model.mutable_comparisons(slots[c]);
    double observed_total = 0;
    double kept_u = 0;
    for (int l = 0; l < fc->levels_size(); ++l) {
      observed_total += u_count[c][l];
      if (u_count[c][l] == 0) kept_u += fc->levels(l).u();
    }
    if (observed_total == 0) continue;
    const double scale = std::max(1.0 - kept_u, options.min_probability);
    for (int l = 0; l < fc->levels_size(); ++l) {
      if (u_count[c][l] == 0) continue;
      fc->mutable_levels(l)->set_u(std::max(
          scale * u_count[c][l] / observed_total, options.min_probability));
    }
  }

  // m by EM over the candidate pairs.
  LevelObservations obs;
  for (const auto& [i, j] : candidate_pairs) {
    if (i >= records.size() || j >= records.size()) {
      return absl::InvalidArgumentError(fmt::format(
          "TrainModel: candidate pair ({}, {}) is out of range for {} records",
          i, j, records.size()));
    }
    const PairScore s = scorer->Score(records[i], records[j]);
    if (s.is_cannot_link()) continue;
    obs.Add(s);
  }
  const EmResult em = RunEm(obs, model, 0.5, options);
  for (int c = 0; c < kComparisonCount; ++c) {
    auto* fc = model.mutable_comparisons(slots[c]);
    for (int l = 0; l < fc->levels_size(); ++l) {
      fc->mutable_levels(l)->set_m(em.m[c][l]);
    }
  }
  if (options.estimate_prior) {
    const double all_pairs = static_cast<double>(n) * (n - 1) / 2.0;
    const double prior = em.lambda * obs.pairs() / all_pairs;
    model.set_prior_match_probability(std::clamp(prior, 1e-12, 0.5));
  }
  model.set_version(start.version() + 1);
  model.set_description(fmt::format(
      "em: u from {} random pairs, m from {} candidate pairs, {} iterations{}, "
      "lambda {:.4f}",
      options.random_pairs, obs.pairs(), em.iterations,
      em.converged ? "" : " (not converged)", em.lambda));
  if (report != nullptr) {
    report->iterations = em.iterations;
    report->converged = em.converged;
    report->lambda = em.lambda;
    report->random_pairs = options.random_pairs;
    report->candidate_pairs = obs.pairs();
  }
  absl::Status valid = ValidateMatchModel(model);
  if (!valid.ok()) return valid;
  return model;
}

}  // namespace credit
