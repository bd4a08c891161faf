// Rules files: parsing (protobuf text format, errors with file:line:col),
// semantic validation, and building indicators from a RuleSet.
#include <algorithm>
#include <fstream>
#include <limits>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "credit/indicator.h"
#include "fmt/format.h"
#include "google/protobuf/io/tokenizer.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "google/protobuf/text_format.h"
#include "indicators/rule_indicator.h"
#include "indicators/scorecard_indicator.h"

namespace credit {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::TextFormat;
using ParseInfoTree = google::protobuf::TextFormat::ParseInfoTree;

// Collects the text-format parser's complaints as "origin:line:col: reason".
class RuleErrorCollector : public google::protobuf::io::ErrorCollector {
 public:
  explicit RuleErrorCollector(std::string_view origin) : origin_(origin) {}

  void AddError(int line, google::protobuf::io::ColumnNumber column,
                const std::string& message) override {
    // The parser counts from 0; editors count from 1.
    errors_.push_back(
        fmt::format("{}:{}:{}: {}", origin_, line + 1, column + 1, message));
  }
  void AddWarning(int line, google::protobuf::io::ColumnNumber column,
                  const std::string& message) override {
    AddError(line, column, message);
  }

  const std::vector<std::string>& errors() const { return errors_; }

 private:
  std::string origin_;
  std::vector<std::string> errors_;
};

bool IsLowerSnake(std::string_view name) {
  if (name.empty() || name[0] < 'a' || name[0] > 'z') return false;
  for (char c : name) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) {
      return false;
    }
  }
  return true;
}

const FieldDescriptor* Field(const google::protobuf::Descriptor* d,
                             const char* name) {
  return d->FindFieldByName(name);
}

// Checks a RuleSet, collecting every problem. With a parse tree, each problem
// is located at the element it concerns ("origin:line:col: ...").
class RuleSetValidator {
 public:
  RuleSetValidator(std::string_view origin, const ParseInfoTree* tree)
      : origin_(origin), tree_(tree) {}

  absl::Status Validate(const v1::RuleSet& rules) {
    const auto* set_desc = v1::RuleSet::descriptor();
    const FieldDescriptor* rule_field = Field(set_desc, "rule");
    const FieldDescriptor* card_field = Field(set_desc, "scorecard");
    std::set<std::string> rule_names;
    std::set<std::string> names;
    for (int i = 0; i < rules.rule_size(); ++i) {
      const v1::Rule& rule = rules.rule(i);
      const std::string where = Where(tree_, rule_field, i);
      CheckName("rule", rule.name(), rule.version(), where, &names);
      rule_names.insert(rule.name());
      CheckRule(rule, fmt::format("{}: rule '{}'", where, rule.name()));
    }
    // Components may name rules or scorecards defined above them.
    std::set<std::string> known = rule_names;
    for (int i = 0; i < rules.scorecard_size(); ++i) {
      const v1::Scorecard& card = rules.scorecard(i);
      const std::string where = Where(tree_, card_field, i);
      CheckName("scorecard", card.name(), card.version(), where, &names);
      CheckScorecard(card, Nested(tree_, card_field, i),
                     fmt::format("{}: scorecard '{}'", where, card.name()),
                     known);
      known.insert(card.name());
    }
    if (errors_.empty()) return absl::OkStatus();
    std::string message;
    for (const std::string& e : errors_) {
      if (!message.empty()) message += "\n";
      message += e;
    }
    return absl::InvalidArgumentError(message);
  }

 private:
  std::string Where(const ParseInfoTree* parent, const FieldDescriptor* field,
                    int index) const {
    if (parent != nullptr) {
      TextFormat::ParseLocation loc = parent->GetLocation(field, index);
      if (loc.line >= 0) {
        return fmt::format("{}:{}:{}", origin_, loc.line + 1, loc.column + 1);
      }
    }
    return origin_;
  }
  static const ParseInfoTree* Nested(const ParseInfoTree* parent,
                                     const FieldDescriptor* field, int index) {
    return parent != nullptr ? parent->GetTreeForNested(field, index) : nullptr;
  }

  void Error(std::string message) { errors_.push_back(std::move(message)); }

  void CheckName(std::string_view what, const std::string& name,
                 std::uint32_t version, const std::string& where,
                 std::set<std::string>* names) {
    if (name.empty()) {
      Error(fmt::format("{}: {} has no name", where, what));
    } else if (!IsLowerSnake(name)) {
      Error(fmt::format(
          "{}: {} name '{}' is not lower_snake_case (a-z, 0-9, _; starting "
          "with a letter)",
          where, what, name));
    } else if (!names->insert(name).second) {
      Error(fmt::format("{}: {} name '{}' is used twice; names must be unique",
                        where, what, name));
    }
    if (version == 0) {
      Error(fmt::format("{}: {} '{}': set version (1 or more)", where, what,
                        name));
    }
  }

  void CheckRule(const v1::Rule& rule, const std::string& at) {
    if (rule.aggregate() == v1::AGGREGATE_UNSPECIFIED) {
      Error(fmt::format(
          "{}: set aggregate (COUNT, SUM_AMOUNT, MAX_SEVERITY, EXISTS, "
          "DAYS_SINCE_LATEST or LATEST_ATTRIBUTE)",
          at));
    }
    if (rule.aggregate() == v1::LATEST_ATTRIBUTE && rule.attribute().empty()) {
      Error(fmt::format("{}: LATEST_ATTRIBUTE needs `attribute`, the name of "
                        "the fact attribute to read",
                        at));
    }
    if (rule.aggregate() != v1::LATEST_ATTRIBUTE && !rule.attribute().empty()) {
      Error(fmt::format(
          "{}: `attribute` is only read by LATEST_ATTRIBUTE; remove it", at));
    }
    const v1::FactFilter& f = rule.filter();
    for (const std::string& kind : f.kind()) {
      if (kind.empty()) Error(fmt::format("{}: filter has an empty kind", at));
    }
    for (int status : f.status()) {
      if (status == v1::Fact::DISPUTED || status == v1::Fact::REPAIRED) {
        Error(fmt::format(
            "{}: filter status {} never matches: disputed and repaired facts "
            "do not count",
            at, v1::Fact::Status_Name(static_cast<v1::Fact::Status>(status))));
      }
    }
    if (f.min_severity() < 0 || f.min_severity() > 5) {
      Error(fmt::format("{}: min_severity {} is outside 0..5", at,
                        f.min_severity()));
    }
    if (f.has_max_severity() && f.max_severity() < f.min_severity()) {
      Error(fmt::format("{}: max_severity {} is below min_severity {}", at,
                        f.max_severity(), f.min_severity()));
    }
    if (f.has_min_amount() && f.has_max_amount() &&
        f.max_amount() < f.min_amount()) {
      Error(fmt::format("{}: max_amount {} is below min_amount {}", at,
                        f.max_amount(), f.min_amount()));
    }
    if (f.within_months() > 0 && f.within_days() > 0) {
      Error(fmt::format(
          "{}: within_months and within_days are both set; keep one", at));
    }
  }

  void CheckScorecard(const v1::Scorecard& card, const ParseInfoTree* tree,
                      const std::string& at, const std::set<std::string>& known) {
    const auto* desc = v1::Scorecard::descriptor();
    const FieldDescriptor* comp_field = Field(desc, "component");
    const FieldDescriptor* band_field = Field(desc, "grade_band");
    if (card.component_size() == 0) {
      Error(fmt::format("{}: has no component", at));
    }
    std::set<std::string> seen;
    for (int i = 0; i < card.component_size(); ++i) {
      const v1::Scorecard::Component& c = card.component(i);
      const std::string context = fmt::format(
          "scorecard '{}' component '{}'", card.name(), c.indicator());
      const std::string cat =
          fmt::format("{}: {}", Where(tree, comp_field, i), context);
      if (known.count(c.indicator()) == 0) {
        Error(fmt::format(
            "{}: unknown indicator '{}'; components must name a rule (or an "
            "earlier scorecard) of this file",
            cat, c.indicator()));
      }
      if (!seen.insert(c.indicator()).second) {
        Error(fmt::format("{}: appears twice in the scorecard", cat));
      }
      CheckBins(c, Nested(tree, comp_field, i), cat, context);
    }
    if (card.default_grade().empty()) {
      Error(fmt::format(
          "{}: set default_grade, the grade below every band (e.g. \"D\")",
          at));
    }
    for (int i = 0; i < card.grade_band_size(); ++i) {
      const v1::Scorecard::GradeBand& band = card.grade_band(i);
      const std::string bat = fmt::format("{}: scorecard '{}' grade_band '{}'",
                                          Where(tree, band_field, i),
                                          card.name(), band.grade());
      if (band.grade().empty()) Error(fmt::format("{}: has no grade", bat));
      if (i > 0 && band.min_score() >= card.grade_band(i - 1).min_score()) {
        Error(fmt::format(
            "{}: min_score {} is not below the previous band's {}; list bands "
            "from the best grade down",
            bat, band.min_score(), card.grade_band(i - 1).min_score()));
      }
    }
  }

  // `cat` is the component's located context, `context` the same unlocated
  // (a bin's problem is located at the bin).
  void CheckBins(const v1::Scorecard::Component& c, const ParseInfoTree* tree,
                 const std::string& cat, const std::string& context) {
    const FieldDescriptor* bin_field =
        Field(v1::Scorecard::Component::descriptor(), "bin");
    if (c.bin_size() == 0) Error(fmt::format("{}: has no bin", cat));
    struct Range {
      double min, max;
      int index;
    };
    std::vector<Range> ranges;
    std::set<std::string> values;
    constexpr double kInf = std::numeric_limits<double>::infinity();
    for (int i = 0; i < c.bin_size(); ++i) {
      const v1::Scorecard::Bin& bin = c.bin(i);
      const std::string bat = fmt::format(
          "{}: {} bin {}{}", Where(tree, bin_field, i), context, i + 1,
          bin.label().empty() ? "" : fmt::format(" '{}'", bin.label()));
      if (bin.value_size() > 0) {
        if (bin.has_min() || bin.has_max()) {
          Error(fmt::format(
              "{}: has both `value` and min/max; a bin matches text values or "
              "a numeric range, not both",
              bat));
        }
        for (const std::string& v : bin.value()) {
          if (!values.insert(v).second) {
            Error(fmt::format("{}: value '{}' is already in another bin", bat,
                              v));
          }
        }
        continue;
      }
      const double lo = bin.has_min() ? bin.min() : -kInf;
      const double hi = bin.has_max() ? bin.max() : kInf;
      if (!(lo < hi)) {
        Error(fmt::format("{}: min {} must be below max {} (max is exclusive)",
                          bat, lo, hi));
        continue;
      }
      ranges.push_back({lo, hi, i});
    }
    std::sort(ranges.begin(), ranges.end(),
              [](const Range& a, const Range& b) { return a.min < b.min; });
    for (std::size_t i = 1; i < ranges.size(); ++i) {
      if (ranges[i].min < ranges[i - 1].max) {
        Error(fmt::format(
            "{}: bins {} [{}, {}) and {} [{}, {}) overlap", cat,
            ranges[i - 1].index + 1, ranges[i - 1].min, ranges[i - 1].max,
            ranges[i].index + 1, ranges[i].min, ranges[i].max));
      }
    }
  }

  std::string origin_;
  const ParseInfoTree* tree_;
  std::vector<std::string> errors_;
};

}  // namespace

absl::StatusOr<v1::RuleSet> ParseRuleText(std::string_view text,
                                          std::string_view origin) {
  RuleErrorCollector collector(origin);
  ParseInfoTree tree;
  TextFormat::Parser parser;
  parser.RecordErrorsTo(&collector);
  parser.WriteLocationsTo(&tree);
  google::protobuf::io::ArrayInputStream input(text.data(),
                                               static_cast<int>(text.size()));
  v1::RuleSet rules;
  if (!parser.Parse(&input, &rules)) {
    std::string message;
    for (const std::string& e : collector.errors()) {
      if (!message.empty()) message += "\n";
      message += e;
    }
    if (message.empty()) message = fmt::format("{}: not a valid rules file", origin);
    return absl::InvalidArgumentError(message);
  }
  absl::Status valid = RuleSetValidator(origin, &tree).Validate(rules);
  if (!valid.ok()) return valid;
  return rules;
}

absl::StatusOr<v1::RuleSet> LoadRuleFile(std::string_view path) {
  std::ifstream in{std::string(path), std::ios::binary};
  if (!in) {
    return absl::NotFoundError(
        fmt::format("rules file {}: cannot be opened", path));
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) {
    return absl::DataLossError(fmt::format("rules file {}: read failed", path));
  }
  return ParseRuleText(text.str(), path);
}

absl::Status ValidateRuleSet(const v1::RuleSet& rules,
                             std::string_view origin) {
  return RuleSetValidator(origin, nullptr).Validate(rules);
}

absl::StatusOr<std::vector<std::shared_ptr<const Indicator>>>
BuildRuleIndicators(const v1::RuleSet& rules) {
  absl::Status valid = ValidateRuleSet(rules);
  if (!valid.ok()) return valid;
  std::vector<std::shared_ptr<const Indicator>> out;
  out.reserve(rules.rule_size() + rules.scorecard_size());
  for (const v1::Rule& rule : rules.rule()) {
    out.push_back(std::make_shared<RuleIndicator>(rule));
  }
  for (const v1::Scorecard& card : rules.scorecard()) {
    out.push_back(std::make_shared<ScorecardIndicator>(card));
  }
  return out;
}

}  // namespace credit
