// Training a match model from data, as Splink does: u probabilities from
// random record pairs (almost all of them non-matches), m probabilities by
// expectation–maximisation on the candidate pairs that blocking produced,
// with u held fixed.
//
// Thread-compatible: pure functions over caller-owned data.
//
// Example:
//   auto scorer =
//   credit::PairScorer::Create(credit::DefaultMatchModel()).value();
//   std::vector<credit::PreparedRecord> prepared = ...;  // scorer.Prepare(...)
//   auto candidates = credit::FindCandidatePairs(keys);
//   credit::TrainingReport report;
//   absl::StatusOr<credit::v1::MatchModel> trained = credit::TrainModel(
//       scorer.model(), prepared, candidates.pairs, {}, &report);
#ifndef CREDIT_MATCH_MODEL_TRAINER_H_
#define CREDIT_MATCH_MODEL_TRAINER_H_

#include <array>
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "credit/v1/match.pb.h"
#include "match/match_model.h"
#include "match/pair_scorer.h"

namespace credit {

struct TrainingOptions {
  // Random pairs sampled to estimate u. Default 200,000: enough to see
  // levels with u >= 1e-4 a score of times.
  std::size_t random_pairs = 200'000;
  // Seed of the pair sampler; training is deterministic for a given seed.
  std::uint64_t seed = 0x5eed;
  // EM stops after this many iterations, or when no m moves more than
  // `tolerance`.
  int max_iterations = 50;
  double tolerance = 1e-5;
  // Floor of every estimated probability, so no weight becomes infinite.
  double min_probability = 1e-8;
  // Re-estimate the prior from EM's match proportion among candidates:
  // prior = λ · candidates / all pairs. Otherwise keep the start prior.
  bool estimate_prior = true;
};

struct TrainingReport {
  int iterations = 0;
  bool converged = false;
  double lambda = 0;  // estimated share of matches among candidate pairs
  std::size_t random_pairs = 0;
  std::size_t candidate_pairs = 0;
};

// The comparison levels observed for a list of pairs, flattened:
// pair i owns entries[offsets[i] .. offsets[i + 1]).
struct LevelObservations {
  struct Entry {
    Comparison comparison;
    std::uint8_t level;
  };
  std::vector<std::uint32_t> offsets = {0};
  std::vector<Entry> entries;

  std::size_t pairs() const { return offsets.size() - 1; }
  // Appends the levels of `score` as one pair.
  void Add(const PairScore& score);
};

struct EmResult {
  // m[c][level], in LevelNames(c) order.
  std::array<std::vector<double>, kComparisonCount> m;
  double lambda = 0;
  int iterations = 0;
  bool converged = false;
};

// Runs EM on `observations`: u fixed to `model`'s u, m started from `model`'s
// m and λ from `initial_lambda`. REQUIRES: ValidateMatchModel(model).ok().
EmResult RunEm(const LevelObservations& observations,
               const v1::MatchModel& model, double initial_lambda,
               const TrainingOptions& options);

// Returns `start` with u estimated from random pairs of `records`, m by EM
// over `candidate_pairs` (indices into `records`), version + 1 and a
// description of the training. Levels never observed among the random pairs
// keep their start u; comparisons never observed among candidates keep their
// start m. Returns InvalidArgumentError when `start` is invalid, there are
// fewer than 2 records, or no candidate pairs.
absl::StatusOr<v1::MatchModel> TrainModel(
    const v1::MatchModel& start, std::span<const PreparedRecord> records,
    std::span<const std::pair<std::uint32_t, std::uint32_t>> candidate_pairs,
    const TrainingOptions& options = {}, TrainingReport* report = nullptr);

}  // namespace credit

#endif  // CREDIT_MATCH_MODEL_TRAINER_H_
