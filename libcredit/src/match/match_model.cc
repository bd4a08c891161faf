#include "match/match_model.h"

#include <cmath>
#include <string>

#include "fmt/format.h"

namespace credit {
namespace {

constexpr std::array<std::string_view, kComparisonCount> kComparisonNames = {
    "family_name", "given_name", "person_name",  "org_name",
    "dob",         "checked_id", "unchecked_id", "phone",
    "email",       "address",    "attribute"};

constexpr std::string_view kNamePartLevels[] = {
    "exact", "jaro_winkler_0.92", "jaro_winkler_0.80", "different"};
// close: Jaro–Winkler >= 0.92 or the same pinyin (a homophone, the usual
// CJK typo); similar: Jaro–Winkler >= 0.80 or one edit apart.
constexpr std::string_view kPersonNameLevels[] = {
    "exact", "same_tokens", "close", "similar", "different"};
// close: Jaro–Winkler >= 0.95 or the same pinyin.
constexpr std::string_view kOrgNameLevels[] = {
    "exact", "same_tokens", "close", "token_overlap_0.5", "different"};
constexpr std::string_view kDobLevels[] = {
    "exact",           "day_month_swapped", "one_digit_off",
    "same_year_month", "partial_agrees",    "different"};
constexpr std::string_view kCheckedIdLevels[] = {"exact", "different"};
constexpr std::string_view kUncheckedIdLevels[] = {"exact", "one_edit",
                                                   "different"};
constexpr std::string_view kExactOrDifferent[] = {"exact", "different"};
constexpr std::string_view kAddressLevels[] = {
    "exact", "token_similarity_0.8", "token_similarity_0.5",
    "token_similarity_0.25", "different"};

struct LevelDefault {
  double m;
  double u;
  bool tf;
};

void AddComparison(v1::MatchModel* model, Comparison c,
                   std::initializer_list<LevelDefault> levels) {
  auto* fc = model->add_comparisons();
  fc->set_name(std::string(ComparisonName(c)));
  auto names = LevelNames(c);
  std::size_t i = 0;
  for (const LevelDefault& d : levels) {
    auto* level = fc->add_levels();
    level->set_name(std::string(names[i++]));
    level->set_m(d.m);
    level->set_u(d.u);
    level->set_tf_adjust(d.tf);
  }
}

}  // namespace

std::string_view ComparisonName(Comparison c) {
  return kComparisonNames[static_cast<int>(c)];
}

std::span<const std::string_view> LevelNames(Comparison c) {
  switch (c) {
    case Comparison::kFamilyName:
    case Comparison::kGivenName:
      return kNamePartLevels;
    case Comparison::kPersonName:
      return kPersonNameLevels;
    case Comparison::kOrgName:
      return kOrgNameLevels;
    case Comparison::kDob:
      return kDobLevels;
    case Comparison::kCheckedId:
      return kCheckedIdLevels;
    case Comparison::kUncheckedId:
      return kUncheckedIdLevels;
    case Comparison::kPhone:
    case Comparison::kEmail:
    case Comparison::kAttribute:
      return kExactOrDifferent;
    case Comparison::kAddress:
      return kAddressLevels;
  }
  return {};
}

// The reasoning behind each number is in docs/matching.md; keep them in sync.
v1::MatchModel DefaultMatchModel() {
  v1::MatchModel model;
  model.set_version(1);
  model.set_description("default: untrained parameters, docs/matching.md");
  model.set_prior_match_probability(1e-4);
  model.set_match_threshold(0.0);
  model.set_review_threshold(-6.0);
  model.set_tf_own_count(2.0);
  model.set_tf_max_u(0.9);
  AddComparison(&model, Comparison::kFamilyName,
                {{0.88, 0.003, true},
                 {0.07, 0.004, false},
                 {0.02, 0.03, false},
                 {0.03, 0.963, false}});
  AddComparison(&model, Comparison::kGivenName,
                {{0.85, 0.005, true},
                 {0.08, 0.006, false},
                 {0.03, 0.04, false},
                 {0.04, 0.949, false}});
  AddComparison(&model, Comparison::kPersonName,
                {{0.80, 0.0005, true},
                 {0.06, 0.0001, false},
                 {0.08, 0.001, false},
                 {0.03, 0.02, false},
                 {0.03, 0.9784, false}});
  AddComparison(&model, Comparison::kOrgName,
                {{0.75, 1e-5, true},
                 {0.05, 1e-5, false},
                 {0.10, 1e-4, false},
                 {0.06, 0.002, false},
                 {0.04, 0.99788, false}});
  AddComparison(&model, Comparison::kDob,
                {{0.85, 4e-5, false},
                 {0.01, 1e-5, false},
                 {0.06, 6e-4, false},
                 {0.02, 1e-3, false},
                 {0.03, 0.012, false},
                 {0.03, 0.98635, false}});
  AddComparison(&model, Comparison::kCheckedId,
                {{0.97, 1e-8, false}, {0.03, 1.0 - 1e-8, false}});
  AddComparison(
      &model, Comparison::kUncheckedId,
      {{0.88, 1e-6, true}, {0.06, 2e-4, false}, {0.06, 0.999799, false}});
  AddComparison(&model, Comparison::kPhone,
                {{0.5, 1e-5, true}, {0.5, 1.0 - 1e-5, false}});
  AddComparison(&model, Comparison::kEmail,
                {{0.5, 1e-6, true}, {0.5, 1.0 - 1e-6, false}});
  AddComparison(&model, Comparison::kAddress,
                {{0.55, 1e-4, true},
                 {0.18, 2e-4, false},
                 {0.10, 0.002, false},
                 {0.05, 0.03, false},
                 {0.12, 0.9677, false}});
  AddComparison(&model, Comparison::kAttribute,
                {{0.95, 0.1, true}, {0.05, 0.9, false}});
  return model;
}

absl::Status ValidateMatchModel(const v1::MatchModel& model) {
  const double p = model.prior_match_probability();
  if (!(p > 0.0 && p < 1.0)) {
    return absl::InvalidArgumentError(fmt::format(
        "match model v{}: prior_match_probability {} must be in (0, 1)",
        model.version(), p));
  }
  if (!(model.review_threshold() <= model.match_threshold())) {
    return absl::InvalidArgumentError(fmt::format(
        "match model v{}: review_threshold {} must not exceed "
        "match_threshold {}",
        model.version(), model.review_threshold(), model.match_threshold()));
  }
  if (model.tf_own_count() < 0.0 || !(model.tf_max_u() > 0.0) ||
      model.tf_max_u() > 1.0) {
    return absl::InvalidArgumentError(fmt::format(
        "match model v{}: tf_own_count must be >= 0 and tf_max_u in (0, 1]",
        model.version()));
  }
  std::array<int, kComparisonCount> seen{};
  for (const auto& fc : model.comparisons()) {
    int index = -1;
    for (int c = 0; c < kComparisonCount; ++c) {
      if (kComparisonNames[c] == fc.name()) index = c;
    }
    if (index < 0) {
      return absl::InvalidArgumentError(fmt::format(
          "match model v{}: unknown comparison '{}'; known: {}",
          model.version(), fc.name(), fmt::join(kComparisonNames, ", ")));
    }
    if (++seen[index] > 1) {
      return absl::InvalidArgumentError(
          fmt::format("match model v{}: comparison '{}' appears twice",
                      model.version(), fc.name()));
    }
    auto names = LevelNames(static_cast<Comparison>(index));
    if (static_cast<std::size_t>(fc.levels_size()) != names.size()) {
      return absl::InvalidArgumentError(fmt::format(
          "match model v{}: comparison '{}' has {} levels, expected {} ({})",
          model.version(), fc.name(), fc.levels_size(), names.size(),
          fmt::join(names, ", ")));
    }
    for (int l = 0; l < fc.levels_size(); ++l) {
      const auto& level = fc.levels(l);
      if (level.name() != names[l]) {
        return absl::InvalidArgumentError(fmt::format(
            "match model v{}: comparison '{}' level {} is '{}', expected '{}'",
            model.version(), fc.name(), l, level.name(), names[l]));
      }
      if (!(level.m() > 0.0 && level.m() <= 1.0 && level.u() > 0.0 &&
            level.u() <= 1.0)) {
        return absl::InvalidArgumentError(fmt::format(
            "match model v{}: comparison '{}' level '{}': m={} and u={} must "
            "both be in (0, 1]",
            model.version(), fc.name(), level.name(), level.m(), level.u()));
      }
    }
  }
  for (int c = 0; c < kComparisonCount; ++c) {
    if (seen[c] == 0) {
      return absl::InvalidArgumentError(
          fmt::format("match model v{}: comparison '{}' is missing; start from "
                      "DefaultMatchModel()",
                      model.version(), kComparisonNames[c]));
    }
  }
  return absl::OkStatus();
}

double LevelWeight(const v1::ComparisonLevel& level) {
  return std::log2(level.m() / level.u());
}

double PriorWeight(const v1::MatchModel& model) {
  const double p = model.prior_match_probability();
  return std::log2(p / (1.0 - p));
}

}  // namespace credit
