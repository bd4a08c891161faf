// China's administrative divisions (province, prefecture-level city,
// district / county), loaded once from libcredit/data/admin_divisions.tsv,
// which the build embeds into the library.
// Thread-safe: the table is immutable after first use.
#ifndef CREDIT_NORMALIZE_ADMIN_DIVISIONS_H_
#define CREDIT_NORMALIZE_ADMIN_DIVISIONS_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"

namespace credit::normalize_internal {

struct Division {
  enum Level { kProvince = 0, kCity = 1, kDistrict = 2 };
  Level level = kProvince;
  std::string name;        // full name: 广东省, 深圳市, 南山区
  std::string short_name;  // 广东, 深圳; "" when none may be matched alone
  int parent = -1;         // index of the province / city, -1 for provinces
};

class AdminDivisions {
 public:
  // Returns the table embedded in the library.
  static const AdminDivisions& Get();

  // Parses `tsv` (the admin_divisions.tsv format). Rows naming an unknown
  // parent are skipped.
  explicit AdminDivisions(std::string_view tsv);

  AdminDivisions(const AdminDivisions&) = delete;
  AdminDivisions& operator=(const AdminDivisions&) = delete;

  struct Match {
    int index = -1;     // the division
    size_t length = 0;  // bytes of `text` it covers
  };

  // Returns the longest division at `level` whose full name (or, when
  // `allow_short`, short name) `text` starts with. With `parent` >= 0 only
  // that division's children qualify; with `parent` < 0 a name shared by
  // several divisions of the level matches none. index = -1 when no match.
  Match MatchPrefix(std::string_view text, Division::Level level, int parent,
                    bool allow_short) const;

  // Returns the division whose full or short name is exactly `name` at
  // `level`, unique across the table, or -1.
  int Find(std::string_view name, Division::Level level) const;

  const Division& at(int index) const { return divisions_[index]; }
  size_t size() const { return divisions_.size(); }

 private:
  struct Entry {
    int index;
    bool is_short;
  };
  std::vector<Division> divisions_;
  absl::flat_hash_map<std::string, std::vector<Entry>> by_name_;
  // Names by their first two code points, longest first: matching a prefix
  // costs one hash lookup and a few comparisons. Points into by_name_,
  // which is not modified after construction.
  using NameEntries = std::pair<const std::string, std::vector<Entry>>;
  absl::flat_hash_map<std::string, std::vector<const NameEntries*>> by_prefix_;
};

}  // namespace credit::normalize_internal

#endif  // CREDIT_NORMALIZE_ADMIN_DIVISIONS_H_
