#include "match/term_frequency.h"

#include <algorithm>
#include <vector>

namespace credit {

std::string UncheckedIdTerm(std::string_view scheme_key,
                            std::string_view value) {
  std::string out(scheme_key);
  out += '|';
  out += value;
  return out;
}

std::string AttributeTerm(std::string_view name, std::string_view value) {
  std::string out(name);
  out += '=';
  out += value;
  return out;
}

void ForEachTermValue(
    const RecordFields& fields,
    absl::FunctionRef<void(Comparison, std::string_view)> fn) {
  if (!fields.family.empty()) fn(Comparison::kFamilyName, fields.family);
  if (!fields.given.empty()) fn(Comparison::kGivenName, fields.given);
  if (!fields.person_name.empty()) {
    fn(Comparison::kPersonName, fields.person_name);
  }
  if (!fields.org_name.empty()) fn(Comparison::kOrgName, fields.org_name);
  {
    std::vector<std::string> ids;
    for (const auto& id : fields.unchecked_ids) {
      ids.push_back(UncheckedIdTerm(id.scheme_key, id.value));
    }
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    for (const auto& id : ids) fn(Comparison::kUncheckedId, id);
  }
  for (const auto& p : fields.phones) fn(Comparison::kPhone, p);
  for (const auto& e : fields.emails) fn(Comparison::kEmail, e);
  if (!fields.address.empty()) fn(Comparison::kAddress, fields.address);
  {
    std::vector<std::string> attrs;
    for (const auto& [name, value] : fields.attributes) {
      attrs.push_back(AttributeTerm(name, value));
    }
    std::sort(attrs.begin(), attrs.end());
    attrs.erase(std::unique(attrs.begin(), attrs.end()), attrs.end());
    for (const auto& a : attrs) fn(Comparison::kAttribute, a);
  }
}

TermCount InMemoryTermFrequencies::Count(Comparison comparison,
                                         std::string_view value) const {
  const int c = static_cast<int>(comparison);
  TermCount out;
  out.total = totals_[c];
  auto it = counts_[c].find(absl::string_view(value.data(), value.size()));
  if (it != counts_[c].end()) out.count = it->second;
  return out;
}

void InMemoryTermFrequencies::Add(const v1::Record& record) {
  Add(ExtractRecordFields(record));
}

void InMemoryTermFrequencies::Add(const RecordFields& fields) {
  Apply(fields, +1);
}

void InMemoryTermFrequencies::Remove(const RecordFields& fields) {
  Apply(fields, -1);
}

void InMemoryTermFrequencies::Apply(const RecordFields& fields, int delta) {
  std::array<bool, kComparisonCount> any{};
  ForEachTermValue(fields, [&](Comparison c, std::string_view value) {
    const int i = static_cast<int>(c);
    any[i] = true;
    const absl::string_view key(value.data(), value.size());
    auto& slot = counts_[i][key];
    if (delta > 0) {
      ++slot;
    } else if (slot > 0) {
      --slot;
      if (slot == 0) counts_[i].erase(key);
    }
  });
  for (int i = 0; i < kComparisonCount; ++i) {
    if (!any[i]) continue;
    if (delta > 0) {
      ++totals_[i];
    } else if (totals_[i] > 0) {
      --totals_[i];
    }
  }
}

}  // namespace credit
