// Fellegi–Sunter pair scoring over compact, precomputed per-record data.
//
// PairScorer::Prepare() turns a record with normalized features into a
// PreparedRecord once (code points decoded, dates parsed, tokens hashed and
// sorted, term-frequency adjusted weights looked up); Score() then compares
// two prepared records without allocating. The total weight of a pair is
//   log2(prior odds) + Σ log2(m / u) of the observed comparison levels,
// with u replaced by the value's smoothed frequency on exact agreement of a
// term-frequency adjusted level (see term_frequency.h). PairScore keeps the
// comparison vector; its weights, added in order to the prior weight, give
// the total exactly, so explanations add up.
//
// Cannot-links: PERSON vs ORG records, and two records holding different
// checksum-verified values of the same checked scheme (USCC, RESIDENT_ID,
// ORG_CODE, REG_NO, or the organisation code inside a USCC) are never a
// match, whatever the weight.
//
// A PreparedRecord belongs to the scorer (model and term frequencies) that
// prepared it; re-prepare after changing either. Term frequencies are read at
// Prepare() time: a bulk load counts all records first, then prepares.
//
// Thread safety: a PairScorer is immutable after Create(); Prepare() and
// Score() may run concurrently (the provider must allow concurrent Count()).
//
// Example:
//   CREDIT_ASSIGN_OR_RETURN(credit::PairScorer scorer,
//                           credit::PairScorer::Create(credit::DefaultMatchModel()));
//   credit::PreparedRecord a = scorer.Prepare(record_a);
//   credit::PreparedRecord b = scorer.Prepare(record_b);
//   credit::PairScore s = scorer.Score(a, b);
//   if (scorer.IsMatch(s)) { v1::Edge e = scorer.ToEdge(s, a, b); ... }
#ifndef CREDIT_MATCH_PAIR_SCORER_H_
#define CREDIT_MATCH_PAIR_SCORER_H_

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "credit/v1/match.pb.h"
#include "credit/v1/record.pb.h"
#include "match/date_comparator.h"
#include "match/match_model.h"
#include "match/record_fields.h"
#include "match/term_frequency.h"

namespace credit {

// A decoded string (a view into its PreparedRecord's arena) with its hash
// and its exact-agreement weight.
struct PreparedText {
  std::u32string_view text;
  std::uint64_t hash = 0;
  std::uint64_t char_mask = 0;     // bit (code point % 64) set per code point
  double exact_weight = 0;         // log2(m / u_tf) of the "exact" level
  std::uint32_t arena_offset = 0;  // where `text` starts in the arena
  std::uint32_t arena_length = 0;
  bool empty() const { return arena_length == 0; }
};

// A read-only array inside a PreparedRecord's storage block.
template <typename T>
class PackedArray {
 public:
  const T* begin() const { return data_; }
  const T* end() const { return data_ + size_; }
  const T* data() const { return data_; }
  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  const T& operator[](std::size_t i) const { return data_[i]; }
  const T& front() const { return data_[0]; }
  operator std::span<const T>() const { return {data_, size_}; }
  friend bool operator==(const PackedArray& a, const PackedArray& b) {
    return std::equal(a.begin(), a.end(), b.begin(), b.end());
  }

 private:
  friend class PairScorer;
  const T* data_ = nullptr;
  std::uint32_t size_ = 0;
};

// The compact comparison form of one record. Produced by PairScorer::Prepare.
// Everything of variable length (token hashes, identifiers, phones, address
// tokens, attributes and the code points of every text) lives in one storage
// block: scoring a pair of records that are not in the CPU caches costs a
// few cache misses per record, not one per array (bench/README.md, "Pair
// scoring"). Move-only: the arrays and views point into `storage`, which a
// move keeps where it is.
struct PreparedRecord {
  PreparedRecord() = default;
  PreparedRecord(PreparedRecord&&) = default;
  PreparedRecord& operator=(PreparedRecord&&) = default;
  PreparedRecord(const PreparedRecord&) = delete;
  PreparedRecord& operator=(const PreparedRecord&) = delete;

  std::uint64_t record_number = 0;
  v1::EntityKind kind = v1::ENTITY_KIND_UNSPECIFIED;
  PreparedText family;
  PreparedText given;
  PreparedText person_name;
  PackedArray<std::uint64_t> person_tokens;  // sorted, unique hashes
  std::uint64_t person_pinyin = 0;           // hash; 0 = no pinyin
  PreparedText org_name;
  PackedArray<std::uint64_t> org_tokens;  // sorted, unique hashes
  std::uint64_t org_pinyin = 0;           // hash; 0 = no pinyin
  bool org_branch = false;                // the name marks a branch
  // Hash of the city the name carries (深圳市 of 深圳市华信科技有限公司,
  // 苏州市 of 昆山市...); 0 when none or only a province.
  std::uint64_t org_city = 0;
  CompactDate dob;
  struct CheckedId {
    v1::Feature::IdScheme scheme;
    std::uint64_t hash;
  };
  PackedArray<CheckedId> checked_ids;
  PackedArray<std::uint64_t> org_codes;  // sorted hashes
  struct UncheckedId {
    std::uint64_t scheme_hash;
    PreparedText value;
  };
  PackedArray<UncheckedId> unchecked_ids;
  struct HashedValue {
    std::uint64_t hash;
    double exact_weight;
  };
  PackedArray<HashedValue> phones;
  PackedArray<HashedValue> emails;
  std::uint64_t address_hash = 0;
  double address_exact_weight = 0;
  // An address token: its code points are arena[offset, +length).
  struct Token {
    std::uint64_t hash;
    std::uint32_t offset;
    std::uint32_t length;  // > 0
    char32_t first;
    char32_t last;
  };
  PackedArray<Token> address_tokens;  // sorted by hash, unique
  struct Attribute {
    std::uint64_t name_hash;
    std::uint64_t value_hash;
    double exact_weight;
    std::string_view name;  // in the storage block
  };
  PackedArray<Attribute> attributes;
  // The code points of every PreparedText and address token above.
  PackedArray<char32_t> arena;
  // The block all of the above point into.
  std::unique_ptr<std::byte[]> storage;
  std::uint32_t storage_bytes = 0;
};

// Why a pair can never match.
enum class CannotLinkReason : std::uint8_t {
  kNone = 0,
  kEntityKind = 1,  // PERSON vs ORG
  kCheckedId = 2,   // different verified values of a checksummed scheme
};

// One entry of the comparison vector.
struct ComparisonResult {
  Comparison comparison;
  std::uint8_t level;      // index into LevelNames(comparison)
  std::uint8_t attribute;  // kAttribute: index into a.attributes
  double weight;
};

inline constexpr int kMaxAttributeComparisons = 8;
inline constexpr int kMaxComparisonResults =
    kComparisonCount + kMaxAttributeComparisons;

// The result of scoring one pair. Only comparisons observed on both records
// appear (missing data contributes nothing).
struct PairScore {
  double prior_weight = 0;
  double total = 0;  // prior_weight + entries' weights, summed in order
  CannotLinkReason cannot_link = CannotLinkReason::kNone;
  std::uint8_t size = 0;
  std::array<ComparisonResult, kMaxComparisonResults> entries;

  bool is_cannot_link() const { return cannot_link != CannotLinkReason::kNone; }
};

class PairScorer {
 public:
  // Returns a scorer for `model`, or the error of ValidateMatchModel.
  // `tf` (may be null: no term-frequency adjustment) must outlive the scorer.
  static absl::StatusOr<PairScorer> Create(
      v1::MatchModel model, const TermFrequencyProvider* tf = nullptr);

  PairScorer(const PairScorer&) = default;
  PairScorer& operator=(const PairScorer&) = default;
  PairScorer(PairScorer&&) = default;
  PairScorer& operator=(PairScorer&&) = default;

  // Returns the comparison form of `record`; record_number is copied.
  PreparedRecord Prepare(const v1::Record& record) const;
  PreparedRecord Prepare(const RecordFields& fields,
                         std::uint64_t record_number) const;

  // Returns the score of the pair (symmetric in weight and cannot-link).
  PairScore Score(const PreparedRecord& a, const PreparedRecord& b) const;

  // How many pairs ahead a loop prefetches records and their storage
  // (measured with bench/micro/pair_scorer_bench.cc on the 2-core VM).
  static constexpr std::size_t kPrefetchRecordAhead = 8;
  static constexpr std::size_t kPrefetchStorageAhead = 4;
  // Ask the CPU to bring a record into its caches ahead of scoring it: a
  // record outside the caches costs its scoring several memory round trips,
  // which a loop over many pairs can overlap. Loops call PrefetchRecord a
  // few pairs ahead, then PrefetchStorage (which reads the record's storage
  // pointer, fetched by then) nearer the pair. Hints only: no effect on
  // results.
  static void PrefetchRecord(const PreparedRecord& p) {
    const char* bytes = reinterpret_cast<const char*>(&p);
    for (std::size_t line = 0; line < sizeof(PreparedRecord); line += 64) {
      __builtin_prefetch(bytes + line);
    }
  }
  static void PrefetchStorage(const PreparedRecord& p) {
    const char* bytes = reinterpret_cast<const char*>(p.storage.get());
    for (std::uint32_t line = 0; line < p.storage_bytes; line += 64) {
      __builtin_prefetch(bytes + line);
    }
  }

  // True when the pair is not a cannot-link and total >= match_threshold.
  bool IsMatch(const PairScore& s) const {
    return !s.is_cannot_link() && s.total >= model_.match_threshold();
  }
  // True when the pair is not a cannot-link and its total lies in
  // [review_threshold, match_threshold).
  bool IsPossibleMatch(const PairScore& s) const {
    return !s.is_cannot_link() && s.total >= model_.review_threshold() &&
           s.total < model_.match_threshold();
  }

  // Returns the pair as an Edge: record numbers ordered (a < b), kind MATCH,
  // CANNOT_LINK or POSSIBLE_MATCH (KIND_UNSPECIFIED below the review
  // threshold), the comparison vector with a leading "prior" entry, and the
  // total. The entry weights add up to `weight` in order, exactly.
  v1::Edge ToEdge(const PairScore& s, const PreparedRecord& a,
                  const PreparedRecord& b) const;
  // The same without the comparison vector: what the store keeps. An edge
  // is a function of its two records, the model and the term-frequency
  // snapshot, so explanations score the pair again for the breakdown
  // instead of storing ~200 bytes of feature and level names per edge.
  v1::Edge ToStoredEdge(const PairScore& s, const PreparedRecord& a,
                        const PreparedRecord& b) const;

  const v1::MatchModel& model() const { return model_; }

 private:
  PairScorer(v1::MatchModel model, const TermFrequencyProvider* tf);

  double Weight(Comparison c, int level) const {
    return weights_[static_cast<int>(c)][level];
  }
  // Returns log2(m_exact / u_tf) for `value` of comparison `c`.
  double ExactWeight(Comparison c, std::string_view value) const;
  // Fills `out` (hash, mask, exact weight of `tf_term`, or of `value` when
  // empty) and appends its code points to `arena`; Prepare() sets the view
  // once the arena is in the record's storage.
  void PrepareText(Comparison c, std::string_view value,
                   std::vector<char32_t>* arena, PreparedText* out,
                   std::string_view tf_term = {}) const;

  // Copies `from` into `block` at `offset` (aligned for T) and points `to`
  // at the copy.
  template <typename T>
  static void Place(const std::vector<T>& from, std::byte* block,
                    std::size_t offset, PackedArray<T>* to) {
    T* data = reinterpret_cast<T*>(block + offset);
    std::uninitialized_copy(from.begin(), from.end(), data);
    to->data_ = data;
    to->size_ = static_cast<std::uint32_t>(from.size());
  }

  v1::MatchModel model_;
  const TermFrequencyProvider* tf_ = nullptr;
  double prior_weight_ = 0;
  // weights_[comparison][level] = log2(m / u); index by model schema order.
  std::array<std::array<double, 8>, kComparisonCount> weights_{};
  std::array<double, kComparisonCount> exact_m_{};
  std::array<double, kComparisonCount> exact_u_{};
  std::array<bool, kComparisonCount> exact_tf_{};
};

}  // namespace credit

#endif  // CREDIT_MATCH_PAIR_SCORER_H_
