#include "ingest/row_mapper.h"

#include <charconv>
#include <cmath>
#include <optional>
#include <string>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_join.h"
#include "fmt/format.h"
#include "ingest/source_mapping.h"
#include "normalize/date_parser.h"
#include "util/status_macros.h"

namespace credit {
namespace ingest_internal {

// Returns `s` without surrounding ASCII white space and ideographic spaces
// (U+3000).
std::string_view Trim(std::string_view s) {
  while (true) {
    if (!s.empty() &&
        absl::ascii_isspace(static_cast<unsigned char>(s.front()))) {
      s.remove_prefix(1);
    } else if (s.substr(0, 3) == "\xE3\x80\x80") {
      s.remove_prefix(3);
    } else {
      break;
    }
  }
  while (true) {
    if (!s.empty() &&
        absl::ascii_isspace(static_cast<unsigned char>(s.back()))) {
      s.remove_suffix(1);
    } else if (s.size() >= 3 && s.substr(s.size() - 3) == "\xE3\x80\x80") {
      s.remove_suffix(3);
    } else {
      break;
    }
  }
  return s;
}

// Folds full-width ASCII (U+FF01..U+FF5E) to ASCII and the ideographic space
// to a space; drops the yen/yuan signs ¥ (U+00A5) and ￥ (U+FFE5).
std::string FoldAmountText(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == 0xEF && i + 2 < text.size()) {
      unsigned char c1 = static_cast<unsigned char>(text[i + 1]);
      unsigned char c2 = static_cast<unsigned char>(text[i + 2]);
      int code = -1;
      if (c1 == 0xBC && c2 >= 0x80 && c2 <= 0xBF) code = 0xFF00 + (c2 - 0x80);
      if (c1 == 0xBD && c2 >= 0x80 && c2 <= 0xBF) code = 0xFF40 + (c2 - 0x80);
      if (c1 == 0xBF && c2 == 0xA5) code = 0xFFE5;
      if (code >= 0xFF01 && code <= 0xFF5E) {
        out.push_back(static_cast<char>(code - 0xFF01 + 0x21));
        i += 2;
        continue;
      }
      if (code == 0xFFE5) {
        i += 2;
        continue;
      }
    }
    if (c == 0xC2 && i + 1 < text.size() &&
        static_cast<unsigned char>(text[i + 1]) == 0xA5) {
      ++i;
      continue;
    }
    if (c == 0xE3 && text.substr(i, 3) == "\xE3\x80\x80") {
      out.push_back(' ');
      i += 2;
      continue;
    }
    out.push_back(static_cast<char>(c));
  }
  return out;
}

bool ConsumeSuffix(std::string_view* s, std::string_view suffix) {
  if (s->size() >= suffix.size() &&
      s->substr(s->size() - suffix.size()) == suffix) {
    s->remove_suffix(suffix.size());
    return true;
  }
  return false;
}

// True when `digits` (no sign) is a plain number, with optional ',' thousands
// separators grouped by three in the integer part.
bool WellGrouped(std::string_view digits) {
  std::string_view integer = digits.substr(0, digits.find('.'));
  if (integer.find(',') == std::string_view::npos) return true;
  size_t group = 0;  // digits in the current group
  bool first = true;
  for (char c : integer) {
    if (c == ',') {
      if (group == 0 || group > 3 || (!first && group != 3)) return false;
      first = false;
      group = 0;
    } else {
      ++group;
    }
  }
  return group == 3;
}

}  // namespace ingest_internal

using ingest_internal::ConsumeSuffix;
using ingest_internal::Trim;

absl::StatusOr<double> ParseAmount(std::string_view text) {
  std::string folded = ingest_internal::FoldAmountText(text);
  std::string_view s = Trim(folded);
  auto bad = [&]() {
    return absl::InvalidArgumentError(fmt::format(
        "'{}' is not an amount; write a number of yuan such as 1234.50, "
        "1,234.50, ¥1234 or 12.5万元",
        text));
  };
  if (s.empty()) return bad();
  for (std::string_view prefix : {"CNY", "RMB", "cny", "rmb"}) {
    if (s.substr(0, prefix.size()) == prefix) {
      s = Trim(s.substr(prefix.size()));
      break;
    }
  }
  double multiplier = 1;
  ConsumeSuffix(&s, "元");
  s = Trim(s);
  if (ConsumeSuffix(&s, "万")) {
    multiplier = 1e4;
  } else if (ConsumeSuffix(&s, "亿")) {
    multiplier = 1e8;
  }
  s = Trim(s);
  bool negative = false;
  if (!s.empty() && (s.front() == '-' || s.front() == '+')) {
    negative = s.front() == '-';
    s = Trim(s.substr(1));
  }
  if (s.empty() || !ingest_internal::WellGrouped(s)) return bad();
  std::string plain;
  plain.reserve(s.size());
  for (char c : s) {
    if (c == ',') continue;
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c)) && c != '.') {
      return bad();
    }
    plain.push_back(c);
  }
  if (plain.empty() || plain == ".") return bad();
  double value = 0;
  auto [end, ec] =
      std::from_chars(plain.data(), plain.data() + plain.size(), value);
  if (ec != std::errc() || end != plain.data() + plain.size() ||
      !std::isfinite(value)) {
    return bad();
  }
  value *= multiplier;
  return negative ? -value : value;
}

absl::StatusOr<RowMapper> RowMapper::Create(const v1::SourceMapping& mapping,
                                            std::string_view origin) {
  RowMapper mapper;
  mapper.origin_ = std::string(origin);
  mapper.mapping_ = mapping;
  CREDIT_RETURN_IF_ERROR(ValidateSourceMapping(mapping, mapper.Label()));
  mapper.columns_ = MappedColumns(mapping);
  for (size_t i = 0; i < mapper.columns_.size(); ++i) {
    mapper.slots_[mapper.columns_[i]] = static_cast<int>(i);
  }
  mapper.record_id_ = mapper.Slot(mapping.record_id());
  mapper.entity_kind_ = mapper.Slot(mapping.entity_kind_column());
  mapper.observed_at_ = mapper.Slot(mapping.observed_at());
  for (int i = 0; i < mapping.features_size(); ++i) {
    const v1::FeatureMapping& f = mapping.features(i);
    FeaturePlan plan;
    plan.index = i;
    for (const std::string& c : f.columns())
      plan.columns.push_back(mapper.Slot(c));
    plan.given = mapper.Slot(f.given());
    plan.family = mapper.Slot(f.family());
    if (!f.date_format().empty()) {
      plan.date_format = absl::AsciiStrToUpper(f.date_format());
    }
    mapper.features_.push_back(std::move(plan));
  }
  for (int i = 0; i < mapping.facts_size(); ++i) {
    const v1::FactMapping& f = mapping.facts(i);
    FactPlan plan;
    plan.index = i;
    plan.kind = mapper.Slot(f.kind_column());
    plan.occurred_at = mapper.Slot(f.occurred_at());
    plan.amount = mapper.Slot(f.amount());
    plan.severity = mapper.Slot(f.severity());
    plan.status = mapper.Slot(f.status());
    plan.publish_until = mapper.Slot(f.publish_until());
    plan.when_present = mapper.Slot(f.when_present());
    for (const std::string& c : f.attributes()) {
      plan.attributes.push_back(mapper.Slot(c));
    }
    for (int slot : {plan.kind, plan.occurred_at, plan.amount, plan.severity,
                     plan.status, plan.publish_until, plan.when_present}) {
      if (slot >= 0) plan.all.push_back(slot);
    }
    // Attribute columns (a case number, an authority) describe a fact but
    // do not make one, unless the fact has no other columns.
    if (plan.all.empty()) plan.all = plan.attributes;
    mapper.facts_.push_back(std::move(plan));
  }
  return mapper;
}

int RowMapper::Slot(const std::string& column) const {
  if (column.empty()) return -1;
  auto it = slots_.find(column);
  return it == slots_.end() ? -1 : it->second;
}

std::string RowMapper::Label() const {
  if (!origin_.empty()) return origin_;
  return fmt::format("for source '{}'", mapping_.source());
}

absl::Status RowMapper::CheckColumns(
    const std::vector<std::string>& header) const {
  absl::flat_hash_set<std::string> present(header.begin(), header.end());
  for (const std::string& column : columns_) {
    if (!present.contains(column)) {
      return absl::InvalidArgumentError(fmt::format(
          "mapping {}: column '{}' is not in the input header (columns: {})",
          Label(), column, absl::StrJoin(header, ", ")));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::Record> RowMapper::Map(const InputRow& row) const {
  std::vector<std::string_view> values(columns_.size());
  v1::Record record;
  record.set_source(mapping_.source());
  auto* raw_columns = record.mutable_raw()->mutable_columns();
  for (const auto& [name, value] : row.columns) {
    auto it = slots_.find(name);
    if (it != slots_.end()) values[it->second] = Trim(value);
    (*raw_columns)[name] = value;
  }
  record.mutable_raw()->set_file(row.file);
  record.mutable_raw()->set_line(row.line);
  record.mutable_raw()->set_bytes(row.raw);
  auto value = [&](int slot) -> std::string_view {
    return slot < 0 ? std::string_view() : values[slot];
  };

  std::string_view id = value(record_id_);
  if (id.empty()) {
    return absl::InvalidArgumentError(
        fmt::format("missing record id in column '{}'", mapping_.record_id()));
  }
  record.set_record_id(std::string(id));
  auto error = [&](std::string_view column, std::string what) {
    return absl::InvalidArgumentError(fmt::format(
        "record {}/{}: column '{}': {}", mapping_.source(), id, column, what));
  };

  if (entity_kind_ < 0) {
    record.set_entity_kind(mapping_.entity_kind());
  } else {
    std::string_view word = value(entity_kind_);
    const std::string& column = mapping_.entity_kind_column();
    if (word.empty()) {
      return error(column,
                   "the entity kind is empty; it must say PERSON or ORG (or a "
                   "word mapped in \"entityKindValues\")");
    }
    std::optional<v1::EntityKind> kind;
    const auto& words = mapping_.entity_kind_values();
    if (auto it = words.find(std::string(word)); it != words.end()) {
      kind = EntityKindFromName(it->second);
    }
    if (!kind) {
      for (const auto& [w, k] : words) {
        if (absl::EqualsIgnoreCase(
                absl::string_view(w.data(), w.size()),
                absl::string_view(word.data(), word.size()))) {
          kind = EntityKindFromName(k);
          break;
        }
      }
    }
    if (!kind) kind = EntityKindFromName(word);
    if (!kind) {
      if (word == "个人" || word == "自然人") {
        kind = v1::PERSON;
      } else if (word == "企业" || word == "单位" || word == "法人") {
        kind = v1::ORG;
      }
    }
    if (!kind) {
      return error(column,
                   fmt::format("entity kind '{}' is not known; use PERSON or "
                               "ORG, or map it in \"entityKindValues\"",
                               word));
    }
    record.set_entity_kind(*kind);
  }

  if (observed_at_ >= 0 && !value(observed_at_).empty()) {
    std::string_view text = value(observed_at_);
    absl::StatusOr<v1::Date> date = ParseDate(text);
    if (!date.ok())
      return error(mapping_.observed_at(),
                   std::string(date.status().message()));
    if (!IsCompleteDate(*date)) {
      return error(mapping_.observed_at(),
                   fmt::format("observation date '{}' needs a day", text));
    }
    record.set_observed_at_micros(DaysSinceEpoch(*date) * 86400LL * 1000000LL);
  }

  for (const FeaturePlan& plan : features_) {
    const v1::FeatureMapping& fm = mapping_.features(plan.index);
    v1::Feature feature;
    feature.set_type(fm.type());
    if (fm.type() == v1::Feature::NAME && plan.columns.empty()) {
      std::string_view given = value(plan.given);
      std::string_view family = value(plan.family);
      if (given.empty() && family.empty()) continue;
      feature.set_given(std::string(given));
      feature.set_family(std::string(family));
    } else {
      std::string joined;
      for (int slot : plan.columns) {
        std::string_view part = value(slot);
        if (part.empty()) continue;
        if (!joined.empty()) joined.push_back(' ');
        joined.append(part);
      }
      if (joined.empty()) continue;
      feature.set_value(std::move(joined));
    }
    feature.set_scheme(fm.scheme());
    feature.set_scheme_name(fm.scheme_name());
    feature.set_attribute(fm.name());
    feature.set_accept_unverified(fm.accept_unverified());
    feature.set_date_format(plan.date_format);
    *record.add_features() = std::move(feature);
  }

  for (const FactPlan& plan : facts_) {
    const v1::FactMapping& fm = mapping_.facts(plan.index);
    if (plan.when_present >= 0 && value(plan.when_present).empty()) continue;
    if (!plan.all.empty()) {
      bool any = false;
      for (int slot : plan.all) any = any || !value(slot).empty();
      if (!any) continue;
    }
    v1::Fact fact;
    if (plan.kind >= 0) {
      std::string_view kind = value(plan.kind);
      if (kind.empty()) {
        return error(fm.kind_column(), "the fact kind is empty");
      }
      fact.set_kind(std::string(kind));
    } else {
      fact.set_kind(fm.kind());
    }
    if (!value(plan.occurred_at).empty()) {
      absl::StatusOr<v1::Date> date = ParseDate(value(plan.occurred_at));
      if (!date.ok())
        return error(fm.occurred_at(), std::string(date.status().message()));
      *fact.mutable_occurred_at() = *date;
    }
    if (!value(plan.publish_until).empty()) {
      absl::StatusOr<v1::Date> date = ParseDate(value(plan.publish_until));
      if (!date.ok())
        return error(fm.publish_until(), std::string(date.status().message()));
      *fact.mutable_publish_until() = *date;
    }
    if (!value(plan.amount).empty()) {
      absl::StatusOr<double> amount = ParseAmount(value(plan.amount));
      if (!amount.ok())
        return error(fm.amount(), std::string(amount.status().message()));
      fact.set_amount(*amount);
    }
    if (std::string_view text = value(plan.severity); !text.empty()) {
      std::string folded = ingest_internal::FoldAmountText(text);
      int severity = -1;
      auto [end, ec] = std::from_chars(folded.data(),
                                       folded.data() + folded.size(), severity);
      if (ec != std::errc() || end != folded.data() + folded.size() ||
          severity < 0 || severity > 5) {
        return error(fm.severity(),
                     fmt::format("severity '{}' must be a whole number from 0 "
                                 "to 5",
                                 text));
      }
      fact.set_severity(severity);
    }
    std::string_view status_word = value(plan.status);
    if (status_word.empty()) {
      fact.set_status(v1::Fact::ACTIVE);
    } else {
      std::optional<v1::Fact::Status> status;
      const auto& words = fm.status_values();
      if (auto it = words.find(std::string(status_word)); it != words.end()) {
        status = FactStatusFromName(it->second);
      }
      if (!status) {
        for (const auto& [w, s] : words) {
          if (absl::EqualsIgnoreCase(
                  absl::string_view(w.data(), w.size()),
                  absl::string_view(status_word.data(), status_word.size()))) {
            status = FactStatusFromName(s);
            break;
          }
        }
      }
      if (!status) status = FactStatusFromName(status_word);
      if (!status) {
        return error(fm.status(),
                     fmt::format("status '{}' is not known; map it in "
                                 "\"statusValues\" to ACTIVE, RESOLVED, "
                                 "DISPUTED or REPAIRED",
                                 status_word));
      }
      fact.set_status(*status);
    }
    for (size_t i = 0; i < plan.attributes.size(); ++i) {
      std::string_view v = value(plan.attributes[i]);
      if (!v.empty())
        (*fact.mutable_attributes())[fm.attributes(static_cast<int>(i))] =
            std::string(v);
    }
    *record.add_facts() = std::move(fact);
  }
  return record;
}

}  // namespace credit
