#include "normalize/admin_divisions.h"

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/str_split.h"
#include "normalize/text_normalizer.h"

namespace credit::normalize_internal {

// Defined in the source generated from libcredit/data/admin_divisions.tsv.
extern const unsigned char kAdminDivisionsTsv[];

namespace {

// True when a division-type character follows byte `end`: 朝阳 in 朝阳区 is
// not the short name of 朝阳市 but part of a longer name.
bool FollowedBySuffix(std::string_view text, size_t end) {
  std::string_view rest = text.substr(end);
  for (std::string_view suffix : {"区", "县", "市", "旗", "州", "盟"}) {
    if (rest.substr(0, suffix.size()) == suffix) return true;
  }
  return false;
}

}  // namespace

const AdminDivisions& AdminDivisions::Get() {
  static const AdminDivisions* table = new AdminDivisions(
      reinterpret_cast<const char*>(kAdminDivisionsTsv));
  return *table;
}

AdminDivisions::AdminDivisions(std::string_view tsv) {
  absl::flat_hash_map<std::string, int> province_or_city;  // name -> index
  for (absl::string_view line_view : absl::StrSplit(
           absl::string_view(tsv.data(), tsv.size()), '\n')) {
    std::string_view line(line_view.data(), line_view.size());
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> fields = absl::StrSplit(line_view, '\t');
    if (fields.size() != 4) continue;
    Division d;
    if (fields[0] == "province") {
      d.level = Division::kProvince;
    } else if (fields[0] == "city") {
      d.level = Division::kCity;
    } else if (fields[0] == "district") {
      d.level = Division::kDistrict;
    } else {
      continue;
    }
    d.name = fields[1];
    d.short_name = fields[2] == "-" ? "" : fields[2];
    if (d.level != Division::kProvince) {
      // A city's parent is a province; a district's a city. Keys are
      // "<level>:<name>" because municipalities are both.
      std::string key =
          (d.level == Division::kCity ? "province:" : "city:") + fields[3];
      auto it = province_or_city.find(key);
      if (it == province_or_city.end()) continue;
      d.parent = it->second;
    }
    int index = static_cast<int>(divisions_.size());
    if (d.level != Division::kDistrict) {
      province_or_city[(d.level == Division::kProvince ? "province:"
                                                       : "city:") +
                       d.name] = index;
    }
    by_name_[d.name].push_back({index, false});
    if (!d.short_name.empty() && d.short_name != d.name) {
      by_name_[d.short_name].push_back({index, true});
    }
    divisions_.push_back(std::move(d));
  }
  for (const NameEntries& named : by_name_) {
    const std::string& name = named.first;
    size_t pos = 0;
    NextCodePoint(name, &pos);
    if (pos >= name.size()) continue;  // a name has at least two characters
    NextCodePoint(name, &pos);
    by_prefix_[name.substr(0, pos)].push_back(&named);
  }
  for (auto& [prefix, names] : by_prefix_) {
    std::sort(names.begin(), names.end(),
              [](const NameEntries* a, const NameEntries* b) {
                if (a->first.size() != b->first.size()) {
                  return a->first.size() > b->first.size();
                }
                return a->first < b->first;
              });
  }
}

AdminDivisions::Match AdminDivisions::MatchPrefix(std::string_view text,
                                                  Division::Level level,
                                                  int parent,
                                                  bool allow_short) const {
  size_t pos = 0;
  if (text.empty()) return {};
  NextCodePoint(text, &pos);
  if (pos >= text.size()) return {};
  NextCodePoint(text, &pos);
  auto prefixed = by_prefix_.find(absl::string_view(text.data(), pos));
  if (prefixed == by_prefix_.end()) return {};
  for (const NameEntries* named : prefixed->second) {
    const std::string& name = named->first;
    if (text.substr(0, name.size()) != name) continue;
    int found = -1;
    int candidates = 0;
    for (const Entry& entry : named->second) {
      const Division& d = divisions_[entry.index];
      if (d.level != level) continue;
      if (entry.is_short &&
          (!allow_short || FollowedBySuffix(text, name.size()))) {
        continue;
      }
      if (parent >= 0 && d.parent != parent) continue;
      found = entry.index;
      ++candidates;
    }
    if (candidates == 1) return {found, name.size()};
  }
  return {};
}

int AdminDivisions::Find(std::string_view name, Division::Level level) const {
  auto it = by_name_.find(absl::string_view(name.data(), name.size()));
  if (it == by_name_.end()) return -1;
  int found = -1;
  for (const Entry& entry : it->second) {
    if (divisions_[entry.index].level != level) continue;
    if (found >= 0) return -1;
    found = entry.index;
  }
  return found;
}

}  // namespace credit::normalize_internal
