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

namespace {

void PutVarint(std::string* out, std::uint64_t v) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}

bool GetVarint(std::string_view* in, std::uint64_t* v) {
  *v = 0;
  for (int shift = 0; shift < 64 && !in->empty(); shift += 7) {
    const auto byte = static_cast<unsigned char>(in->front());
    in->remove_prefix(1);
    *v |= static_cast<std::uint64_t>(byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) return true;
  }
  return false;
}

constexpr char kSnapshotFormat = 1;

}  // namespace

std::string InMemoryTermFrequencies::Serialize() const {
  std::string out;
  out.push_back(kSnapshotFormat);
  PutVarint(&out, kComparisonCount);
  for (int c = 0; c < kComparisonCount; ++c) {
    // Sorted, so the same counts always give the same bytes.
    std::vector<std::pair<std::string_view, std::uint64_t>> kept;
    for (const auto& [value, count] : counts_[c]) {
      if (count >= 2) kept.emplace_back(value, count);
    }
    std::sort(kept.begin(), kept.end());
    PutVarint(&out, totals_[c]);
    PutVarint(&out, kept.size());
    for (const auto& [value, count] : kept) {
      PutVarint(&out, value.size());
      out.append(value);
      PutVarint(&out, count);
    }
  }
  return out;
}

absl::Status InMemoryTermFrequencies::Deserialize(std::string_view bytes) {
  for (auto& map : counts_) map.clear();
  totals_.fill(0);
  auto corrupt = [&](const char* what) {
    for (auto& map : counts_) map.clear();
    totals_.fill(0);
    return absl::DataLossError(
        std::string("term-frequency snapshot is corrupt: ") + what +
        "; run ResolveAll() (credit resolve) to rebuild it");
  };
  if (bytes.empty() || bytes.front() != kSnapshotFormat) {
    return corrupt("unknown format byte");
  }
  bytes.remove_prefix(1);
  std::uint64_t comparisons = 0;
  if (!GetVarint(&bytes, &comparisons) || comparisons > kComparisonCount) {
    return corrupt("bad comparison count");
  }
  for (std::uint64_t c = 0; c < comparisons; ++c) {
    std::uint64_t total = 0, n = 0;
    if (!GetVarint(&bytes, &total) || !GetVarint(&bytes, &n)) {
      return corrupt("truncated header");
    }
    totals_[c] = total;
    for (std::uint64_t i = 0; i < n; ++i) {
      std::uint64_t length = 0, count = 0;
      if (!GetVarint(&bytes, &length) || length > bytes.size()) {
        return corrupt("truncated value");
      }
      std::string value(bytes.substr(0, length));
      bytes.remove_prefix(length);
      if (!GetVarint(&bytes, &count)) return corrupt("truncated count");
      counts_[c][std::move(value)] = count;
    }
  }
  if (!bytes.empty()) return corrupt("trailing bytes");
  return absl::OkStatus();
}

std::size_t InMemoryTermFrequencies::size() const {
  std::size_t n = 0;
  for (const auto& map : counts_) n += map.size();
  return n;
}

}  // namespace credit
