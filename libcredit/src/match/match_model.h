// The Fellegi–Sunter model: which features are compared, the levels each
// comparison can produce, and their m/u probabilities.
//
// The model itself is the protobuf message v1::MatchModel (match.proto), so it
// can be stored and versioned as is. This header fixes the comparison schema
// the scorer implements (comparison and level names, in order) and provides
// the untrained default model. See docs/matching.md for the reasoning behind
// every default probability.
//
// Thread-safe: pure functions and constant tables.
//
// Example:
//   credit::v1::MatchModel model = credit::DefaultMatchModel();
//   CREDIT_RETURN_IF_ERROR(credit::ValidateMatchModel(model));
//   double w = credit::LevelWeight(model.comparisons(0).levels(0));
#ifndef CREDIT_MATCH_MATCH_MODEL_H_
#define CREDIT_MATCH_MATCH_MODEL_H_

#include <array>
#include <cstdint>
#include <span>
#include <string_view>

#include "absl/status/status.h"
#include "credit/v1/match.pb.h"

namespace credit {

// The compared features. Values index PairScorer's tables; names are the
// FeatureComparison.name of the model.
enum class Comparison : std::uint8_t {
  kFamilyName = 0,  // person family name (both records give name parts)
  kGivenName = 1,   // person given name (both records give name parts)
  kPersonName = 2,  // person full name (a record without parts)
  kOrgName = 3,     // organisation name
  kDob = 4,         // date of birth / establishment
  kCheckedId = 5,  // USCC, RESIDENT_ID, ORG_CODE, REG_NO with verified checksum
  kUncheckedId = 6,  // PASSPORT, TAX_ID, OTHER, or an unverified legacy value
  kPhone = 7,
  kEmail = 8,
  kAddress = 9,
  kAttribute = 10,  // one ATTRIBUTE feature name present on both records
};
inline constexpr int kComparisonCount = 11;

// Returns the model name of `c`, e.g. "family_name".
std::string_view ComparisonName(Comparison c);

// Returns the level names `c` produces, most similar first. The scorer's level
// index i means LevelNames(c)[i].
std::span<const std::string_view> LevelNames(Comparison c);

// Returns the model's untrained defaults for persons and organisations:
// version 1, all comparisons, m/u per level as documented in
// docs/matching.md.
v1::MatchModel DefaultMatchModel();

// Returns OK when `model` holds every comparison of the schema exactly once,
// with the schema's level names in order, 0 < m, u <= 1, thresholds with
// review <= match, and 0 < prior < 1; otherwise InvalidArgumentError naming
// the comparison or level and what to fix.
absl::Status ValidateMatchModel(const v1::MatchModel& model);

// Returns log2(level.m / level.u).
double LevelWeight(const v1::ComparisonLevel& level);

// Returns log2(p / (1 - p)) for the model's prior match probability.
double PriorWeight(const v1::MatchModel& model);

}  // namespace credit

#endif  // CREDIT_MATCH_MATCH_MODEL_H_
