// Term frequencies for the Fellegi–Sunter term-frequency adjustment.
//
// Exact agreement on a common value (王伟, Smith, a shared accountant's phone)
// is weaker evidence than agreement on a rare one. The scorer asks a
// TermFrequencyProvider how many records carry a value for a comparison and
// replaces the exact level's u by
//   u_tf = min(u + max(count - k, 0) / total, tf_max_u),  k = tf_own_count,
// the level's collision rate plus the value's frequency beyond the compared
// pair, so a value only the pair shares keeps the model's weight (a small
// store does not make every rare value look common) and a value many records
// share counts for less.
//
// The terms of a record are exactly those ForEachTermValue() lists; a
// store-backed provider keeps a counter per (comparison, value) updated as
// records arrive and leave, and one per comparison for the total.
//
// Thread safety: TermFrequencyProvider implementations must be safe for
// concurrent const calls. InMemoryTermFrequencies is thread-compatible
// (concurrent Count() is fine; Add/Remove need exclusive access).
//
// Example:
//   credit::InMemoryTermFrequencies tf;
//   for (const auto& r : records) tf.Add(r);
//   auto scorer = credit::PairScorer::Create(credit::DefaultMatchModel(), &tf);
#ifndef CREDIT_MATCH_TERM_FREQUENCY_H_
#define CREDIT_MATCH_TERM_FREQUENCY_H_

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/functional/function_ref.h"
#include "credit/v1/record.pb.h"
#include "match/match_model.h"
#include "match/record_fields.h"

namespace credit {

struct TermCount {
  std::uint64_t count = 0;  // records carrying the value
  std::uint64_t total = 0;  // records carrying any value for the comparison
};

// Extension point: where term counts come from.
class TermFrequencyProvider {
 public:
  virtual ~TermFrequencyProvider() = default;
  // A stable name for logs and stats, e.g. "in_memory", "rocksdb".
  virtual std::string_view name() const = 0;
  // Returns the count of `value` (as ForEachTermValue gives it) for
  // `comparison`. Unknown values have count 0.
  virtual TermCount Count(Comparison comparison,
                          std::string_view value) const = 0;
};

// Calls `fn(comparison, value)` once per distinct term of `fields` that a
// term-frequency adjusted comparison uses: family_name, given_name,
// person_name, org_name, unchecked_id ("scheme_key|value"), phone, email,
// address (the joined tokens) and attribute ("name=value").
void ForEachTermValue(const RecordFields& fields,
                      absl::FunctionRef<void(Comparison, std::string_view)> fn);

// Returns the key ForEachTermValue uses for an unchecked id.
std::string UncheckedIdTerm(std::string_view scheme_key,
                            std::string_view value);
// Returns the key ForEachTermValue uses for an attribute.
std::string AttributeTerm(std::string_view name, std::string_view value);

// Counts in memory, for tests, bulk loads and training.
class InMemoryTermFrequencies final : public TermFrequencyProvider {
 public:
  InMemoryTermFrequencies() = default;
  InMemoryTermFrequencies(const InMemoryTermFrequencies&) = delete;
  InMemoryTermFrequencies& operator=(const InMemoryTermFrequencies&) = delete;

  std::string_view name() const override { return "in_memory"; }
  TermCount Count(Comparison comparison, std::string_view value) const override;

  // Counts the terms of `record` (of `fields`).
  void Add(const v1::Record& record);
  void Add(const RecordFields& fields);
  // Uncounts the terms of a record previously added.
  void Remove(const RecordFields& fields);

  // The counts as bytes, for a frozen snapshot kept in the store (see
  // EngineImpl: incremental linking scores with the snapshot the last
  // ResolveAll() took, so every pair's weight is a function of the pair and
  // the snapshot, never of the order records arrived in). Values carried by
  // a single record are left out: with tf_own_count >= 1 they never change a
  // weight, and they are most of the distinct values.
  std::string Serialize() const;
  // Replaces the counts with those of Serialize(). DataLossError (and the
  // counts left empty) when `bytes` is truncated or malformed.
  absl::Status Deserialize(std::string_view bytes);
  // Number of distinct values held, over all comparisons.
  std::size_t size() const;

 private:
  void Apply(const RecordFields& fields, int delta);

  std::array<absl::flat_hash_map<std::string, std::uint64_t>, kComparisonCount>
      counts_;
  std::array<std::uint64_t, kComparisonCount> totals_{};
};

}  // namespace credit

#endif  // CREDIT_MATCH_TERM_FREQUENCY_H_
